//! `sentinel_reput`: *Lecture 24*'s Example 24.4, two consumers and one `None` sentinel that each
//! consumer puts back for the next.
//!
//! The seed says the consumers (0.08 s per item) are slower than the producer (one item per
//! 0.05 s), so "the queue will fill up and the producer will occasionally block". It will
//! not: there are *two* consumers, together taking 25 items a second against the producer's
//! 20, so the queue of 5 never holds more than one item and `put` never waits. Part 1 runs
//! the seed's rates and measures it; part 2 slows the consumers to 0.4 s per item (5 a
//! second for both), and backpressure bites: the queue fills to 5 and each `put` waits.
//!
//! The seed's `random.randint(1, 100)` values are replaced by a fixed formula, so the output
//! is the same on every run.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{Instant, Queue, now, sleep, spawn};

use crate::{Options, say};

/// One item of work: Python's `{"id": item_id, "value": ...}`.
#[derive(Clone, Copy, Debug)]
struct Item {
    id: u32,
    value: u32,
}

/// What the producer saw: the largest queue size, and how long its puts waited in total.
#[derive(Default)]
struct Pressure {
    largest_qsize: Cell<usize>,
    puts_that_waited: Cell<u32>,
}

// ANCHOR: producer
async fn data_producer(
    queue: Queue<Option<Item>>,
    num_items: u32,
    every: Duration,
    seen: Rc<Pressure>,
) {
    for item_id in 0..num_items {
        let item = Item {
            id: item_id,
            value: (item_id * 37) % 100 + 1,
        };
        let before: Instant = now();
        queue.put(Some(item)).await.expect("never shut down");
        if now() > before {
            seen.puts_that_waited.set(seen.puts_that_waited.get() + 1);
            say!(
                "Produced: {{'id': {}, 'value': {}}} (waited {:.2} s for room)",
                item.id,
                item.value,
                now().duration_since(before).as_secs_f64()
            );
        } else {
            say!("Produced: {{'id': {}, 'value': {}}}", item.id, item.value);
        }
        seen.largest_qsize
            .set(seen.largest_qsize.get().max(queue.qsize()));
        sleep(every).await;
    }
    queue.put(None).await.expect("never shut down"); // the sentinel
}
// ANCHOR_END: producer

// ANCHOR: consumer
async fn data_consumer(
    consumer_id: u32,
    queue: Queue<Option<Item>>,
    per_item: Duration,
    results: Rc<RefCell<Vec<(u32, u32)>>>,
) {
    loop {
        let Some(item) = queue.get().await.expect("never shut down") else {
            queue.put(None).await.expect("never shut down"); // re-put for the other consumer
            break;
        };
        let processed = item.value * 3;
        results.borrow_mut().push((item.id, processed)); // no lock needed: no await in between
        say!(
            "Consumer {consumer_id}: processed item {} → {processed}",
            item.id
        );
        sleep(per_item).await;
    }
}
// ANCHOR_END: consumer

async fn main(produce_every: Duration, consume_each: Duration) {
    let queue = Queue::new(5); // the backpressure valve
    let results = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::new(Pressure::default());
    let tasks = [
        spawn(data_producer(
            queue.clone(),
            10,
            produce_every,
            seen.clone(),
        )),
        spawn(data_consumer(
            1,
            queue.clone(),
            consume_each,
            results.clone(),
        )),
        spawn(data_consumer(
            2,
            queue.clone(),
            consume_each,
            results.clone(),
        )),
    ];
    for task in tasks {
        task.await.expect("no panic");
    }
    say!("Total processed: {}", results.borrow().len());
    say!(
        "Largest queue size seen by the producer: {} of maxsize 5; puts that had to wait: {}",
        seen.largest_qsize.get(),
        seen.puts_that_waited.get()
    );
}

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        say!("=== The seed's rates: one item per 0.05 s, two consumers at 0.08 s each ===");
        main(Duration::from_millis(50), Duration::from_millis(80)).await;
    });
    options.run(async {
        say!("=== Slower consumers: 0.4 s each, 5 items a second for both ===");
        main(Duration::from_millis(50), Duration::from_millis(400)).await;
    });
}
