//! `gather_errors`: what `gather` returns, and what happens to the others when one fails.
//!
//! The seeds call `asyncio.gather` in nearly every example; *Lecture 24* (Example 24.3, line 19)
//! adds that returning a failure string "keeps `gather` from cancelling the other two
//! callers". asyncio's default `gather` cancels nobody: the first exception is raised to the
//! awaiter and the other tasks keep running. This demo shows four cases, with fixed delays:
//!
//! 1. results come back in argument order, though the children finish in reverse;
//! 2. `return_exceptions=True`: every child's `Result` is kept, a failure stops nobody;
//! 3. fail-fast (`try_gather!`) over futures: the first `Err` is returned, the others are
//!    dropped, so cancelled, and their cleanup prints;
//! 4. asyncio's default over spawned tasks: the first `Err` is returned at once, and the
//!    other tasks go on running and finish later.

use std::time::Duration;

use tinyloop::{gather, sleep, spawn, try_gather, try_gather_all};

use crate::{Options, say};

// ANCHOR: fetch
/// Prints a line if dropped before it finished: the child was cancelled.
struct Cleanup {
    name: &'static str,
    finished: bool,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if !self.finished {
            say!("{}: dropped before finishing (cancelled)", self.name);
        }
    }
}

async fn fetch(name: &'static str, millis: u64, fails: bool) -> Result<String, String> {
    let mut cleanup = Cleanup {
        name,
        finished: false,
    };
    sleep(Duration::from_millis(millis)).await;
    cleanup.finished = true;
    if fails {
        say!("{name}: failed");
        Err(format!("{name} failed"))
    } else {
        say!("{name}: finished");
        Ok(format!("{name} ok"))
    }
}
// ANCHOR_END: fetch

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        // ANCHOR: order
        say!("1. gather: results in argument order");
        let results = gather!(
            fetch("a", 300, false),
            fetch("b", 200, false),
            fetch("c", 100, false),
        )
        .await;
        say!("results: {results:?}");
        // ANCHOR_END: order

        // ANCHOR: return_exceptions
        say!("2. gather keeping every Result (return_exceptions=True)");
        let results = gather!(
            fetch("a", 300, false),
            fetch("b", 100, true),
            fetch("c", 200, false),
        )
        .await;
        say!("results: {results:?}");
        // ANCHOR_END: return_exceptions

        // ANCHOR: fail_fast
        say!("3. try_gather: the first Err wins, the other futures are dropped");
        let results = try_gather!(
            fetch("a", 300, false),
            fetch("b", 100, true),
            fetch("c", 200, false),
        )
        .await;
        say!("results: {results:?}");
        // ANCHOR_END: fail_fast

        // ANCHOR: asyncio_default
        say!("4. asyncio's default gather over tasks: the first Err, the others keep running");
        let tasks = [
            spawn(fetch("a", 300, false)),
            spawn(fetch("b", 100, true)),
            spawn(fetch("c", 200, false)),
        ];
        let results =
            try_gather_all(tasks.map(|task| async { task.await.expect("fetch does not panic") }))
                .await;
        say!("results: {results:?}");
        sleep(Duration::from_millis(300)).await; // a and c are still running
        // ANCHOR_END: asyncio_default
    });
}
