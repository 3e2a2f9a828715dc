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

impl Loop {
    /// The loop is ending: report every panic whose `JoinHandle` is still alive and was
    /// never awaited (asyncio logs "Task exception was never retrieved" when such a task is
    /// garbage-collected).
    pub(super) fn report_unretrieved_at_end(&self) {
        for task in self.scheduler.panicked.take() {
            if let Some(message) = task.unretrieved_panic() {
                task.header().panic_reported.set(true);
                report_unretrieved_panic(&task.header().name(), &message);
            }
        }
    }

    // ANCHOR: cancel_all
    /// `asyncio.run`'s last act: cancel every task still pending and drop it. Destructors
    /// may spawn or wake; the loop keeps going until no task is left.
    pub(super) fn cancel_all(&self) {
        loop {
            let leftovers: Vec<Arc<dyn Runnable>> = {
                let tasks = self.scheduler.tasks.borrow();
                if tasks.is_empty() {
                    break; // (without walking every empty slot of a slab that was large once)
                }
                tasks.iter().map(|(_, task)| task.clone()).collect()
            };
            if leftovers.is_empty() {
                break;
            }
            for task in leftovers {
                if !task.header().state.get().is_finished() {
                    self.finish(&task, TaskState::Cancelled);
                }
            }
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
