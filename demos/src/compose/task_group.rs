//! `task_group`: `asyncio.TaskGroup` (Python 3.11), the structured form of the `gather` that
//! "Lecture 24: High-Level Concurrency APIs" uses in Example 24.3: tasks that finish
//! together, and fail together.
//!
//! Three regional queries (us-east 0.2 s, eu-west 0.3 s, ap-south 0.5 s) run as children of
//! one group, twice:
//!
//! 1. All succeed: `join()` (the end of `async with asyncio.TaskGroup() as tg:`) returns at
//!    t=0.50 with the three results in spawn order.
//! 2. eu-west fails at t=0.30 (it returns `Err`; a panic would count too). The group cancels
//!    the sibling still running, ap-south, whose cleanup prints, and `join()` returns every
//!    failure together, Python's `ExceptionGroup`. us-east had finished: its result is
//!    dropped with the group's.
//!
//! Cancellation is a drop in Rust: ap-south's guard (the `Cleanup` of `first_completed`)
//! prints its cleanup in its destructor, where the Python twin writes `except
//! asyncio.CancelledError:`.

use std::time::Duration;

use tinyloop::{Failure, TaskGroup, sleep};

use super::first_completed::Cleanup;
use crate::{Options, say};

// ANCHOR: query_region
async fn query_region(region: &'static str, ms: u64, fails: bool) -> Result<String, String> {
    let mut cleanup = Cleanup {
        region,
        answered: false,
    };
    say!("{region}: query sent");
    sleep(Duration::from_millis(ms)).await;
    cleanup.answered = true;
    if fails {
        say!("{region}: connection reset");
        return Err(format!("{region}: connection reset by peer"));
    }
    Ok(format!(
        "Response from {region} in {:.2}s",
        ms as f64 / 1000.0
    ))
}
// ANCHOR_END: query_region

// ANCHOR: main
async fn query_all(eu_west_fails: bool) {
    let group = TaskGroup::new();
    group.spawn_named("us-east", query_region("us-east", 200, false));
    group.spawn_named("eu-west", query_region("eu-west", 300, eu_west_fails));
    group.spawn_named("ap-south", query_region("ap-south", 500, false));
    match group.join().await {
        Ok(responses) => {
            for response in responses {
                say!("  {response}");
            }
        }
        Err(error) => {
            say!("the group failed: {} failure(s)", error.failures.len());
            for child in error.failures {
                match child.failure {
                    Failure::Error(message) => say!("  {message}"),
                    Failure::Panicked(message) => say!("  panicked: {message}"),
                }
            }
        }
    }
}
// ANCHOR_END: main

/// The demo's program.
pub fn run(options: &Options) {
    println!("--- every child succeeds ---");
    options.run(query_all(false));
    println!("--- eu-west fails: its sibling still running is cancelled ---");
    options.run(query_all(true));
}
