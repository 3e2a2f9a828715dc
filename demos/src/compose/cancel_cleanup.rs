//! `cancel_cleanup`: *From First Principles*'s "Timeout and Cancellation".
//!
//! Task-1, a five-second job, runs under `wait_for` with three seconds; Task-2, a ten-second
//! job, is spawned and cancelled by hand after two seconds. Both print their cleanup.
//!
//! In Python the cleanup is an `except asyncio.CancelledError:` block, reached because the
//! loop throws `CancelledError` into the coroutine at its `await`. Rust cannot throw into a
//! future: it cancels a future by dropping it, so the cleanup is a destructor, here the
//! `OnCancel` guard. The output is the seed's, line for line.

use std::time::Duration;

use tinyloop::{JoinError, sleep, spawn, wait_for};

use crate::{Options, say};

// ANCHOR: long_running_task
/// Prints "Task was cancelled!" if dropped while armed: the seed's `except CancelledError`.
struct OnCancel {
    name: &'static str,
    armed: bool,
}

impl Drop for OnCancel {
    fn drop(&mut self) {
        if self.armed {
            say!("{}: Task was cancelled!", self.name);
        }
    }
}

async fn long_running_task(name: &'static str, duration: u64) -> String {
    let mut on_cancel = OnCancel { name, armed: true };
    say!("{name}: Starting long task ({duration}s)");
    sleep(Duration::from_secs(duration)).await;
    say!("{name}: Task completed successfully");
    on_cancel.armed = false;
    format!("{name} result")
}
// ANCHOR_END: long_running_task

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        // ANCHOR: main
        // Example 1: wait_for drops the future at the deadline.
        match wait_for(long_running_task("Task-1", 5), Duration::from_secs(3)).await {
            Ok(result) => say!("Result: {result}"),
            Err(_elapsed) => say!("Task-1: Timed out after 3 seconds"),
        }

        // Example 2: manual cancellation of a task.
        let task = spawn(long_running_task("Task-2", 10));
        sleep(Duration::from_secs(2)).await; // cancel after 2 seconds
        task.cancel();
        match task.await {
            Err(JoinError::Cancelled) => say!("Task-2: Successfully cancelled"),
            other => say!("Task-2: unexpected {other:?}"),
        }
        // ANCHOR_END: main
    });
}
