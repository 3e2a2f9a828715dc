//! `limited_workers`: *Concurrency Patterns*'s `limited_worker` (`asyncio.Semaphore` section).
//!
//! Ten workers, a `Semaphore(3)`, two seconds of work each. "You will see 3 workers start,
//! then as each one finishes, a new one starts": at t=2.00 workers 0, 1 and 2 release, and
//! each released permit goes straight to the longest-waiting worker (3, then 4, then 5), who
//! start in the next step of the loop, still at t=2.00.

use std::time::Duration;

use tinyloop::{Semaphore, sleep, spawn};

use crate::{Options, say};

// ANCHOR: limited_worker
async fn limited_worker(semaphore: Semaphore, id: u32) {
    // Only a certain number of workers can be inside this block at the same time.
    let _permit = semaphore.acquire().await;
    say!("Worker {id} has acquired the semaphore.");
    sleep(Duration::from_secs(2)).await; // simulate work
    say!("Worker {id} is releasing the semaphore.");
}
// ANCHOR_END: limited_worker

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        let semaphore = Semaphore::new(3);
        let workers: Vec<_> = (0..10)
            .map(|id| spawn(limited_worker(semaphore.clone(), id)))
            .collect();
        for worker in workers {
            worker.await.expect("workers do not panic");
        }
        say!("All ten workers are done: four rounds of at most three.");
    });
}
