//! `producer_consumer`: *Asyncio Components*'s `asyncio.Queue` example (maxsize 3, one producer, three
//! consumers, `None` as the end-of-work signal).
//!
//! The producer puts ten items, one every 0.5 s; three consumers each take one second per
//! item. Python's `None` sentinel is `Option::None`: the queue carries `Option<String>`.
//!
//! The seed's program puts **one** `None` for **three** consumers. The consumer that gets it
//! stops; the other two wait in `get()` forever, and `await asyncio.gather(*consumer_tasks)`
//! never returns: the program hangs. Part 1 runs the fix (one `None` per consumer); part 2
//! runs the seed as written, under a 10-second timeout, and shows who is still waiting.

use std::time::Duration;

use tinyloop::{JoinHandle, Queue, now, sleep, spawn, timeout};

use crate::{Options, say};

// ANCHOR: producer
async fn producer(queue: Queue<Option<String>>, items: Vec<String>, sentinels: usize) {
    for item in items {
        queue
            .put(Some(item.clone()))
            .await
            .expect("never shut down");
        say!("Produced: {item}");
        sleep(Duration::from_millis(500)).await; // time between productions
    }
    for _ in 0..sentinels {
        queue.put(None).await.expect("never shut down"); // signal the end
    }
}
// ANCHOR_END: producer

// ANCHOR: consumer
async fn consumer(queue: Queue<Option<String>>, consumer_id: u32) {
    loop {
        let item = queue.get().await.expect("never shut down");
        let Some(item) = item else {
            queue.task_done().expect("one per get");
            say!("Consumer {consumer_id} got None: stopping");
            break;
        };
        say!("Consumer {consumer_id} processing {item}");
        sleep(Duration::from_secs(1)).await; // processing time
        queue.task_done().expect("one per get");
    }
}
// ANCHOR_END: consumer

/// Start the producer and three consumers; the producer puts `sentinels` Nones.
fn start(sentinels: usize) -> (JoinHandle<()>, Vec<JoinHandle<()>>) {
    let items = (0..10).map(|i| format!("Item {i}")).collect();
    let queue = Queue::new(3); // limit queue size to 3
    let producer_task = spawn(producer(queue.clone(), items, sentinels));
    let consumer_tasks = (0..3).map(|i| spawn(consumer(queue.clone(), i))).collect();
    (producer_task, consumer_tasks)
}

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        say!("=== One None per consumer ===");
        let (producer_task, consumer_tasks) = start(3);
        producer_task.await.expect("no panic");
        for task in consumer_tasks {
            task.await.expect("no panic");
        }
        say!("All consumers finished.");
    });
    options.run(async {
        say!("=== Asyncio Components as written: one None for three consumers ===");
        // ANCHOR: hang
        let (producer_task, consumer_tasks) = start(1);
        producer_task.await.expect("no panic");
        let all_consumers = async {
            for task in &consumer_tasks {
                while !task.is_finished() {
                    sleep(Duration::from_millis(100)).await;
                }
            }
        };
        if timeout(Duration::from_secs(10), all_consumers)
            .await
            .is_err()
        {
            let waiting = consumer_tasks.iter().filter(|t| !t.is_finished()).count();
            say!(
                "Still waiting after 10 s: {waiting} consumers are blocked in get() for a None \
                 that will never come. asyncio's gather(*consumer_tasks) would hang forever."
            );
            for task in &consumer_tasks {
                task.cancel();
            }
        }
        // ANCHOR_END: hang
        for task in consumer_tasks {
            let _ = task.await; // Ok for the one that stopped, Err(Cancelled) for the others
        }
        say!("Cancelled them; the program ends at {}.", now());
    });
}
