//! `coroutines`: a future is a recipe, not a cook.
//!
//! *Asyncio Components*: "When you call a coroutine function, it doesn't execute immediately. Instead,
//! it returns a coroutine object." Rust's `async fn` is the same: calling it builds a
//! future and runs none of its body. The body runs when the future is awaited (polled by
//! whoever awaits it) or spawned as a task (polled by the loop). Dropping it unpolled
//! means it never runs at all, and rustc warns when you forget the `.await`.

use std::time::Duration;

use tinyloop::{sleep, spawn};

use crate::{Options, say};

// ANCHOR: fetch_data
async fn fetch_data(url: &'static str) -> String {
    say!("fetch_data({url}): starting to fetch data");
    sleep(Duration::from_secs(1)).await; // simulate network delay
    say!("fetch_data({url}): data retrieved");
    format!("Data from {url}")
}
// ANCHOR_END: fetch_data

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        // ANCHOR: lazy
        let future = fetch_data("example.com"); // a coroutine object: nothing printed yet
        say!("main: called fetch_data(); its body has not run");
        let data = future.await; // now it runs, inside main's poll
        say!("main: awaited it: {data:?}");
        // ANCHOR_END: lazy

        // ANCHOR: dropped
        let never = fetch_data("never.example");
        drop(never); // dropped unpolled: its body never runs, nothing is printed
        say!("main: dropped a second future without awaiting it; it never ran");
        // ANCHOR_END: dropped

        // ANCHOR: spawned
        let task = spawn(fetch_data("task.example")); // asyncio.create_task
        say!("main: spawned a task; it starts when main next yields to the loop");
        let data = task
            .await
            .expect("the task neither panicked nor was cancelled");
        say!("main: the task returned {data:?}");
        // ANCHOR_END: spawned
    });
    println!();
    println!("Forgetting the .await is a compile-time warning in Rust:");
    println!("    fetch_data(\"example.com\");");
    println!("    warning: unused implementer of `Future` that must be used");
    println!("    = note: futures do nothing unless you `.await` or poll them");
    println!(
        "(Python only notices at run time: \"RuntimeWarning: coroutine 'fetch_data' was never awaited\".)"
    );
}
