//! `workers`: *From First Principles*'s `demonstrate_coroutines`.
//!
//! Three tasks are created with delays 3, 1 and 2 seconds. All three start at once (in
//! spawn order), finish in the order of their delays, and their results are collected in
//! the order they were asked for, which is what `asyncio.gather` returns.

use std::time::Duration;

use tinyloop::{sleep, spawn};

use crate::{Options, say};

// ANCHOR: simple_coroutine
async fn simple_coroutine(name: &'static str, delay: u64) -> String {
    say!("{name}: Starting work");
    sleep(Duration::from_secs(delay)).await; // simulates an I/O operation
    say!("{name}: Work completed after {delay} seconds");
    format!("{name} finished")
}
// ANCHOR_END: simple_coroutine

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        say!("=== Starting multiple coroutines ===");
        // ANCHOR: main
        let task1 = spawn(simple_coroutine("Worker-1", 3));
        let task2 = spawn(simple_coroutine("Worker-2", 1));
        let task3 = spawn(simple_coroutine("Worker-3", 2));
        let mut results = Vec::new();
        for task in [task1, task2, task3] {
            results.push(task.await.expect("workers do not panic"));
        }
        say!("All workers finished: {results:?}");
        // ANCHOR_END: main
    });
}
