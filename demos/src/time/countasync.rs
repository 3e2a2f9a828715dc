//! `countasync`: *asyncio Q&A*'s `countasync.py`.
//!
//! Three `count()` coroutines each print "One", sleep a second and print "Two". Awaited
//! together they take one second, not three: while one sleeps, the loop runs the others.

use std::time::Duration;

use tinyloop::{Instant, now, sleep, spawn};

use crate::Options;

// ANCHOR: count
async fn count() {
    println!("One");
    sleep(Duration::from_secs(1)).await;
    println!("Two");
}
// ANCHOR_END: count

/// The demo's program.
pub fn run(options: &Options) {
    let elapsed = options.run(async {
        let start: Instant = now();
        // ANCHOR: main
        let counts = [spawn(count()), spawn(count()), spawn(count())];
        for count in counts {
            count.await.expect("count does not panic");
        }
        // ANCHOR_END: main
        start.elapsed()
    });
    println!(
        "countasync executed in {:.2} seconds.",
        elapsed.as_secs_f64()
    );
}
