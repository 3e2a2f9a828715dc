//! `rate_limited_fetch`: *Concurrency Patterns*'s quick exercise, solved.
//!
//! `rate_limited_fetch(urls, max_concurrent=3)` wraps each fetch in the semaphore; with ten
//! URLs of one second each it fetches three at a time and finishes at t=4.00 (rounds of 3,
//! 3, 3 and 1). The semaphore is created once and shared: the exercise's "Common Mistakes"
//! warns that a semaphore created per task limits nothing.

use std::time::Duration;

use tinyloop::{Semaphore, sleep, spawn};

use crate::{Options, say};

async fn fetch_url(url: String) -> String {
    say!("Fetching {url}...");
    sleep(Duration::from_secs(1)).await;
    say!("...Done with {url}");
    format!("Data from {url}")
}

// ANCHOR: rate_limited_fetch
async fn rate_limited_fetch(urls: Vec<String>, max_concurrent: usize) -> Vec<String> {
    let semaphore = Semaphore::new(max_concurrent); // one semaphore, shared by every fetch

    let tasks: Vec<_> = urls
        .into_iter()
        .map(|url| {
            let semaphore = semaphore.clone();
            spawn(async move {
                let _permit = semaphore.acquire().await;
                fetch_url(url).await
            })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.expect("fetches do not panic"));
    }
    results
}
// ANCHOR_END: rate_limited_fetch

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        let urls = (0..10).map(|i| format!("url_{i}")).collect();
        let results = rate_limited_fetch(urls, 3).await;
        say!(
            "{} results, first {:?}, last {:?}",
            results.len(),
            results[0],
            results[9]
        );
    });
}
