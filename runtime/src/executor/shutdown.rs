//! The loop's end: what `asyncio.run` does after `main` returns.
//!
//! asyncio's `run` cancels every task still pending (`_cancel_all_tasks`), lets them run
//! their cancellation, reports the exceptions nobody retrieved, and waits for the default
//! executor's threads (`shutdown_default_executor`). tinyloop's `Runtime::drop` does the
//! same, in the same order: report, cancel, wait for the `to_thread` pool.

use std::sync::Arc;

use super::Loop;
use super::task::Runnable;
use crate::ids::TaskState;

/// How many rounds of cancelling the loop gives destructors that spawn new tasks before it
/// closes (see `Loop::cancel_all`). asyncio's `run` cancels the tasks it finds once, runs
/// the loop until they are done, and closes; a few rounds are plenty for any destructor that
/// spawns cleanup work, and a chain that never ends is a bug to report, not to wait for.
pub const SHUTDOWN_ROUNDS: usize = 16;

impl Loop {
    /// The loop is ending: report every panic whose `JoinHandle` is still alive and was
    /// never awaited (asyncio logs "Task exception was never retrieved" when such a task is
    /// garbage-collected).
    pub(super) fn report_unretrieved_at_end(&self) {
        for task in self.scheduler.panicked.take() {
            if let Some(message) = task.report_panic() {
                report_unretrieved_panic(&task.header().name(), &message);
            }
        }
    }

    // ANCHOR: cancel_all
    /// `asyncio.run`'s last act: cancel every task still pending and drop it. Destructors
    /// may spawn or wake; tasks spawned meanwhile are cancelled in the next round. After
    /// [`SHUTDOWN_ROUNDS`] rounds the loop is closed: a destructor that spawns yet again is
    /// refused (asyncio: "Event loop is closed"), so shutdown always ends.
    pub(super) fn cancel_all(&self) {
        for round in 0..=SHUTDOWN_ROUNDS {
            if round == SHUTDOWN_ROUNDS {
                self.closing.set(true);
            }
            let leftovers: Vec<Arc<dyn Runnable>> = {
                let tasks = self.scheduler.tasks.borrow();
                // (checked first, so a slab that was large once is not walked)
                if tasks.is_empty() {
                    break;
                }
                tasks.iter().map(|(_, task)| task.clone()).collect()
            };
            for task in leftovers {
                let header = task.header();
                if !header.state.get().is_finished() {
                    self.finish(&*task, header, TaskState::Cancelled, false);
                }
            }
        }
        let refused = self.refused_spawns.take();
        if refused > 0 {
            eprintln!(
                "tinyloop: the loop closed after {SHUTDOWN_ROUNDS} rounds of cancelling tasks \
                 whose destructors spawned new ones; {refused} more spawn(s) were refused \
                 (asyncio: \"Event loop is closed\"). A destructor should not start new work."
            );
        }
        self.scheduler.clear_ready();
    }
    // ANCHOR_END: cancel_all
}

/// Report a panic that nobody will ever retrieve, like asyncio's "Task exception was never
/// retrieved".
pub(crate) fn report_unretrieved_panic(name: &str, message: &str) {
    eprintln!(
        "tinyloop: task '{name}' panicked and nobody awaited its JoinHandle \
         (asyncio: \"Task exception was never retrieved\"): {message}"
    );
}
