//! Demos of the book's part on waiting for many things and cancellation: `gather`, `wait`,
//! `wait_for` with retries, and cleanup on cancel. Each demo lives in its own file.

use crate::Demo;

pub mod cancel_cleanup;
pub mod first_completed;
pub mod gather_errors;
pub mod task_group;
pub mod wait_for_retry;
pub mod wait_modes;

/// This part's demos, in the book's order.
pub fn demos() -> Vec<Demo> {
    vec![
        Demo {
            name: "gather_errors",
            mirrors: "From First Principles and Lecture 24: asyncio.gather (and Example 24.3's claim about gather cancelling)",
            shows: "results in argument order; one failure keeps or stops the siblings, depending on the form of gather",
            run: gather_errors::run,
        },
        Demo {
            name: "first_completed",
            mirrors: "Lecture 24 Example 24.2 (asyncio.wait with FIRST_COMPLETED, fixed delays)",
            shows: "the fastest region wins; wait cancels nothing, so the losers are cancelled by hand and print their cleanup",
            run: first_completed::run,
        },
        Demo {
            name: "wait_modes",
            mirrors: "Lecture 24 asyncio.wait's other modes (ALL_COMPLETED, FIRST_EXCEPTION), on Example 24.2's regions",
            shows: "ALL_COMPLETED returns at 0.40 with the failure among the three; FIRST_EXCEPTION at 0.30, one still pending",
            run: wait_modes::run,
        },
        Demo {
            name: "wait_for_retry",
            mirrors: "Lecture 24 Example 24.3 (asyncio.wait_for with timeout and retry, fixed delays)",
            shows: "each attempt is a fresh future under a 0.5 s timeout: one caller succeeds, one retries, one gives up",
            run: wait_for_retry::run,
        },
        Demo {
            name: "task_group",
            mirrors: "asyncio.TaskGroup (3.11), the structured form of Lecture 24 Example 24.3's gather",
            shows: "children finish together; when eu-west fails, ap-south is cancelled and join returns every failure together",
            run: task_group::run,
        },
        Demo {
            name: "cancel_cleanup",
            mirrors: "From First Principles 'Timeout and Cancellation' (wait_for 3 s around a 5 s job; cancel after 2 s)",
            shows: "a timed-out future and a cancelled task both run their cleanup, as a destructor instead of an except block",
            run: cancel_cleanup::run,
        },
    ]
}
