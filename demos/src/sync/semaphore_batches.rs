//! `semaphore_batches`: *Lecture 24*'s Example 24.1, `asyncio.Semaphore` for rate limiting.
//!
//! Nine sessions of 0.3 s each go through a `Semaphore(3)`: three start at t=0.00, three at
//! t=0.30, three at t=0.60, and all are done at t=0.90, three batches of three. The results
//! come back in the order the sessions were started, as `asyncio.gather` returns them.

use std::time::Duration;

use tinyloop::{Instant, Semaphore, now, sleep, spawn};

use crate::{Options, say};

const MAX_CONCURRENT: usize = 3;

// ANCHOR: fetch_with_limit
async fn fetch_with_limit(semaphore: Semaphore, session_id: u32, delay: Duration) -> String {
    let _permit = semaphore.acquire().await; // async with semaphore:
    say!("Session {session_id}: started");
    sleep(delay).await;
    say!("Session {session_id}: done");
    format!("result_{session_id}")
} // the permit drops here: the next waiting session starts
// ANCHOR_END: fetch_with_limit

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        // ANCHOR: main
        let semaphore = Semaphore::new(MAX_CONCURRENT);
        let start: Instant = now();
        let tasks: Vec<_> = (0..9)
            .map(|i| {
                spawn(fetch_with_limit(
                    semaphore.clone(),
                    i,
                    Duration::from_millis(300),
                ))
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.expect("sessions do not panic"));
        }
        say!("All done in {:.2}s", start.elapsed().as_secs_f64());
        say!("Results: {results:?}");
        // ANCHOR_END: main
    });
}
