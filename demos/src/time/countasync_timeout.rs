//! `countasync_timeout`: *asyncio Q&A*'s `countasync_with_timeout.py`.
//!
//! The same three counts, but each sleeps two seconds and the whole operation gets one
//! second (`async with asyncio.timeout(1)`). At the deadline the operation is dropped, which
//! in Rust is its cancellation: the tasks it awaited are cancelled by their guard here, and
//! nothing after their sleep ever runs. The code after the timeout always runs.

use std::time::Duration;

use tinyloop::{Instant, JoinHandle, now, sleep, spawn, timeout};

use crate::Options;

async fn count() {
    println!("One");
    sleep(Duration::from_secs(2)).await;
    println!("Two");
}

/// Cancels its tasks when dropped, as `asyncio.timeout` cancels what runs inside it.
struct CancelOnDrop(Vec<JoinHandle<()>>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        for task in &self.0 {
            task.cancel();
        }
    }
}

/// The demo's program.
pub fn run(options: &Options) {
    let elapsed = options.run(async {
        let start: Instant = now();
        // ANCHOR: main
        let long_operation = async {
            let mut counts = CancelOnDrop(vec![spawn(count()), spawn(count()), spawn(count())]);
            for count in counts.0.iter_mut() {
                count.await.expect("count does not panic");
            }
        };
        match timeout(Duration::from_secs(1), long_operation).await {
            Ok(()) => println!("The long operation finished."),
            Err(_elapsed) => println!("The long operation timed out!"),
        }
        println!("This statement always runs.");
        // ANCHOR_END: main
        start.elapsed()
    });
    println!(
        "countasync_with_timeout executed in {:.2} seconds.",
        elapsed.as_secs_f64()
    );
}
