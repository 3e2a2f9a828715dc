//! `queue_join`: *asyncio Q&A*'s `async_queue.py`: producers and consumers around an unbounded
//! `asyncio.Queue`, `await queue.join()`, then cancel the consumers.
//!
//! Five producers each put a few items, sleeping before each; ten consumers loop forever:
//! sleep, `get`, report how long the item waited in the queue, `task_done`. `main` awaits the
//! producers, then `queue.join()`, which returns once every item put has been marked done,
//! and then cancels the consumers, which would otherwise wait in `get()` forever.
//!
//! The seed draws its sleeps (0 to 5 s, judging by its output) and its item counts from
//! `random`; here they come from a fixed pseudo-random sequence, so every run prints the
//! same lines. Items are numbered per producer, as in the seed's "Got item 0"; the line
//! also says which producer made it.

use std::cell::Cell;
use std::time::Duration;

use tinyloop::{Instant, Queue, now, sleep, spawn};

use crate::{Options, say};

thread_local! {
    /// The state of the fixed pseudo-random sequence (a linear congruential generator).
    static SEED: Cell<u64> = const { Cell::new(2024) };
}

/// The next number in `0..=max` of the fixed sequence (stands in for `random.randint`).
fn randint(max: u64) -> u64 {
    SEED.with(|seed| {
        let next = seed
            .get()
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        seed.set(next);
        (next >> 33) % (max + 1)
    })
}

async fn randsleep(caller: String) {
    let seconds = randint(5);
    say!("{caller} sleeping for {seconds} seconds.");
    sleep(Duration::from_secs(seconds)).await;
}

// ANCHOR: produce
async fn produce(name: u32, queue: Queue<(u32, u32, Instant)>) {
    let n = 1 + randint(2); // how many items this producer makes
    for i in 0..n as u32 {
        randsleep(format!("Producer {name}")).await;
        queue.put((name, i, now())).await.expect("never shut down");
    }
}
// ANCHOR_END: produce

// ANCHOR: consume
async fn consume(name: u32, queue: Queue<(u32, u32, Instant)>) {
    loop {
        randsleep(format!("Consumer {name}")).await;
        let (producer, i, put_at) = queue.get().await.expect("never shut down");
        let waited = now().duration_since(put_at).as_secs_f64();
        say!("Consumer {name} got item {i} of producer {producer} in {waited:.2} seconds.");
        queue.task_done().expect("one per get");
    }
}
// ANCHOR_END: consume

/// The demo's program.
pub fn run(options: &Options) {
    SEED.with(|seed| seed.set(2024));
    options.run(async {
        let start: Instant = now();
        // ANCHOR: main
        let queue = Queue::new(0);
        let producers: Vec<_> = (0..5).map(|n| spawn(produce(n, queue.clone()))).collect();
        let consumers: Vec<_> = (0..10).map(|n| spawn(consume(n, queue.clone()))).collect();
        for producer in producers {
            producer.await.expect("no panic");
        }
        queue.join().await; // every item put has been task_done()'d
        for consumer in &consumers {
            consumer.cancel(); // they wait in get() forever otherwise
        }
        // ANCHOR_END: main
        for consumer in consumers {
            assert!(consumer.await.unwrap_err().is_cancelled());
        }
        say!("All items processed; consumers cancelled.");
        say!(
            "async_queue executed in {:.2} seconds.",
            start.elapsed().as_secs_f64()
        );
    });
}
