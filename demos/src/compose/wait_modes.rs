//! `wait_modes`: `asyncio.wait` with `ALL_COMPLETED` and `FIRST_EXCEPTION`, the two modes
//! "Lecture 24: High-Level Concurrency APIs" names beside the `FIRST_COMPLETED` of its
//! Example 24.2 (the `first_completed` demo) but never shows.
//!
//! The same three regional queries as Example 24.2 (us-east 0.2 s, eu-west 0.3 s, ap-south
//! 0.4 s), except that eu-west fails: its connection is reset after 0.3 s. In Rust a task's
//! exception is a panic, so eu-west panics, and `ReturnWhen::FirstException` counts panics
//! (a task that returns `Err` returned normally). The default panic message on stderr is
//! silenced while the demo runs; the message is printed from the task's outcome instead.
//!
//! - `AllCompleted` returns at t=0.40 with all three done, the failure among them.
//! - `FirstException` returns at t=0.30, as soon as eu-west fails, with us-east (done
//!   earlier) and eu-west in `done` and ap-south still pending. `wait` cancels nothing: the
//!   program cancels ap-south itself.
//!
//! asyncio's `done` is a set; the demo and its twin print it in argument order.

use std::time::Duration;

use tinyloop::{Finished, JoinHandle, ReturnWhen, gather_all, sleep, spawn_named};

use crate::{Options, say};

// ANCHOR: query_region
async fn query_region(region: &'static str, delay: Duration, fails: bool) -> String {
    say!("{region}: query sent");
    sleep(delay).await;
    if fails {
        say!("{region}: connection reset");
        panic!("{region}: connection reset by peer"); // the task's exception
    }
    format!("Response from {region} in {:.2}s", delay.as_secs_f64())
}
// ANCHOR_END: query_region

fn queries() -> Vec<JoinHandle<String>> {
    [
        ("us-east", 200, false),
        ("eu-west", 300, true),
        ("ap-south", 400, false),
    ]
    .into_iter()
    .map(|(region, ms, fails)| {
        spawn_named(
            region,
            query_region(region, Duration::from_millis(ms), fails),
        )
    })
    .collect()
}

fn report(done: Vec<Finished<String>>) {
    for task in done {
        match task.result() {
            Ok(response) => say!("  done: {}: {response}", task.name()),
            Err(error) => say!("  done: {}: failed: {error}", task.name()),
        }
    }
}

// ANCHOR: main
async fn all_completed() {
    let (done, pending) = tinyloop::wait(queries(), ReturnWhen::AllCompleted, None).await;
    say!(
        "ALL_COMPLETED: {} done, {} pending",
        done.len(),
        pending.len()
    );
    report(done);
}

async fn first_exception() {
    let (done, pending) = tinyloop::wait(queries(), ReturnWhen::FirstException, None).await;
    say!(
        "FIRST_EXCEPTION: {} done, {} pending",
        done.len(),
        pending.len()
    );
    report(done);
    for task in &pending {
        say!("  cancelling {}", task.name());
        task.cancel(); // wait cancels nothing: the caller does
    }
    gather_all(pending).await;
}
// ANCHOR_END: main

/// The demo's program.
pub fn run(options: &Options) {
    // A panicking task prints "thread ... panicked at ..." on stderr by default; here the
    // panic is the task's exception, and the demo prints it from the outcome.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    println!("--- return_when = ALL_COMPLETED ---");
    options.run(all_completed());
    println!("--- return_when = FIRST_EXCEPTION ---");
    options.run(first_exception());
    std::panic::set_hook(default_hook);
}
