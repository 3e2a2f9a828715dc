//! `semaphore_vs_queue`: *Asyncio Components*'s "Comprehensive Example: Web Scraper with Rate Limiting",
//! both approaches timed side by side.
//!
//! Ten URLs, at most three requests at a time, each request preceded by the seed's 0.5 s
//! rate-limiting delay. The HTTP request itself (`session.get`) is simulated by a fixed
//! 0.3 s sleep. Both approaches keep three requests in flight and take the same time: four
//! rounds of 0.8 s, 3.20 s. The difference is in the shape of the program, not its speed:
//! the semaphore caps tasks you already have; the queue feeds a fixed crew of workers.
//!
//! The seed's queue version does not run as printed: `url_producer` reads
//! `CONSUMER_COUNT`, which is a local variable of `main`, assigned after the producer is
//! started, so Python raises `NameError`. Here the count is passed in.

use std::time::Duration;

use tinyloop::{Instant, Queue, Semaphore, now, sleep, spawn};

use crate::{Options, say};

const DELAY: Duration = Duration::from_millis(500);
const REQUEST: Duration = Duration::from_millis(300);
const CONSUMER_COUNT: usize = 3;

/// Stands in for `session.get(url)` and `response.text()`.
async fn http_get(url: &str) -> String {
    sleep(REQUEST).await;
    format!("<html>{url}</html>")
}

// ANCHOR: semaphore
async fn fetch_with_semaphore(url: String, semaphore: Semaphore) -> String {
    let _permit = semaphore.acquire().await;
    say!("Fetching {url}");
    sleep(DELAY).await; // rate-limiting delay
    http_get(&url).await
}
// ANCHOR_END: semaphore

// ANCHOR: queue
async fn url_producer(queue: Queue<Option<String>>, urls: Vec<String>, consumers: usize) {
    for url in urls {
        queue.put(Some(url)).await.expect("never shut down");
    }
    for _ in 0..consumers {
        queue.put(None).await.expect("never shut down"); // one termination signal each
    }
}

async fn url_consumer(queue: Queue<Option<String>>, consumer_id: usize) {
    while let Some(url) = queue.get().await.expect("never shut down") {
        say!("Consumer {consumer_id} fetching {url}");
        sleep(DELAY).await; // rate-limiting delay
        let _page = http_get(&url).await;
        say!("Consumer {consumer_id} finished {url}");
        queue.task_done().expect("one per get");
    }
    queue.task_done().expect("one per get"); // for the None
}
// ANCHOR_END: queue

/// The demo's program.
pub fn run(options: &Options) {
    let urls: Vec<String> = (0..10)
        .map(|i| format!("https://example.com/page{i}"))
        .collect();
    let semaphore_took = options.run({
        let urls = urls.clone();
        async move {
            say!("=== Using Semaphore ===");
            let semaphore = Semaphore::new(3); // max 3 concurrent requests
            let start: Instant = now();
            let tasks: Vec<_> = urls
                .into_iter()
                .map(|url| spawn(fetch_with_semaphore(url, semaphore.clone())))
                .collect();
            for task in tasks {
                task.await.expect("no panic");
            }
            let took = start.elapsed().as_secs_f64();
            say!("Semaphore approach took {took:.2} seconds");
            took
        }
    });
    let queue_took = options.run(async move {
        say!("=== Using Queue ===");
        let queue = Queue::new(3); // buffer up to 3 URLs
        let start: Instant = now();
        let producer_task = spawn(url_producer(queue.clone(), urls, CONSUMER_COUNT));
        let consumer_tasks: Vec<_> = (0..CONSUMER_COUNT)
            .map(|i| spawn(url_consumer(queue.clone(), i)))
            .collect();
        producer_task.await.expect("no panic");
        queue.join().await; // until all queue items are processed
        for task in consumer_tasks {
            task.await.expect("no panic");
        }
        let took = start.elapsed().as_secs_f64();
        say!("Queue approach took {took:.2} seconds");
        took
    });
    println!();
    println!("| approach  | 10 URLs, 3 at a time, 0.5 s delay + 0.3 s request |");
    println!("|-----------|----------------------------------------------------|");
    println!("| Semaphore | {semaphore_took:.2} s                                             |");
    println!("| Queue     | {queue_took:.2} s                                             |");
}
