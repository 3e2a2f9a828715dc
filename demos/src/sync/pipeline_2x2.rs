//! `pipeline_2x2`: "Understanding AsyncIO in Python: From First Principles", its
//! "Producer-Consumer Pattern": two producers and two consumers around one
//! `asyncio.Queue(maxsize=3)`.
//!
//! Each producer makes five items, sleeping 0.5 to 1.5 s before each, then puts one `None`
//! (here `None` of an `Option`) to say it has finished. Each consumer takes items until the
//! first `None` it sees, sleeping 0.3 to 0.8 s per item. Two producers, two `None`s, two
//! consumers: every consumer ends, and no item is lost. But a `None` does not say "all work
//! is done", only "*one* producer is done": the first consumer to draw one stops while the
//! other producer is still producing, and the remaining consumer does the rest alone. The
//! text's `task_done()` calls count for nothing here (nobody calls `join()`).
//!
//! The text draws its sleeps from `random.uniform`; here each task draws hundredths of a second
//! from its own fixed pseudo-random sequence, so every run prints the same lines, and so does
//! the Python twin (`demos/python/pipeline_2x2.py`).

use std::time::Duration;

use tinyloop::{Queue, gather_all, sleep, spawn};

use crate::{Options, say};

/// A fixed pseudo-random sequence (a 64-bit linear congruential generator), standing in for
/// `random.uniform`: one per task, so the draws do not depend on which task runs first.
struct Rng(u64);

impl Rng {
    /// A multiple of 10 ms in `low..=high` (whole hundredths, so that the times print the
    /// same in Rust and in Python, whose float sums would round a thousandth either way).
    fn uniform_ms(&mut self, low: u64, high: u64) -> Duration {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        Duration::from_millis(low + 10 * ((self.0 >> 33) % ((high - low) / 10 + 1)))
    }
}

// ANCHOR: producer
async fn producer(queue: Queue<Option<String>>, producer_id: u64) -> usize {
    let mut rng = Rng(producer_id);
    for i in 0..5 {
        sleep(rng.uniform_ms(500, 1500)).await; // simulate work to produce an item
        let item = format!("item-{producer_id}-{i}");
        queue
            .put(Some(item.clone()))
            .await
            .expect("never shut down");
        say!("Producer {producer_id}: Produced {item}");
    }
    queue.put(None).await.expect("never shut down"); // "I am done": one None per producer
    say!("Producer {producer_id}: Finished");
    0
}
// ANCHOR_END: producer

// ANCHOR: consumer
async fn consumer(queue: Queue<Option<String>>, consumer_id: u64) -> usize {
    let mut rng = Rng(10 + consumer_id);
    let mut processed_count = 0;
    // The first None ends this consumer, whichever producer sent it.
    while let Some(item) = queue.get().await.expect("never shut down") {
        sleep(rng.uniform_ms(300, 800)).await; // simulate processing the item
        say!("Consumer {consumer_id}: Processed {item}");
        processed_count += 1;
        queue.task_done().expect("one per get");
    }
    say!("Consumer {consumer_id}: Processed {processed_count} items");
    processed_count
}
// ANCHOR_END: consumer

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        // ANCHOR: main
        let queue = Queue::new(3);
        let tasks = vec![
            spawn(producer(queue.clone(), 1)),
            spawn(producer(queue.clone(), 2)),
            spawn(consumer(queue.clone(), 1)),
            spawn(consumer(queue.clone(), 2)),
        ];
        let results: Vec<usize> = gather_all(tasks)
            .await
            .into_iter()
            .map(|result| result.expect("no task panics"))
            .collect();
        // ANCHOR_END: main
        say!(
            "Consumers processed {} and {} items: {} of 10",
            results[2],
            results[3],
            results[2] + results[3]
        );
    });
}
