//! Heavy workloads of the benchmark issue, as correctness checks (`#[ignore]`: run with
//! `cargo test --release --test sync_stress -- --ignored --nocapture`). They print how long
//! they took, for a rough look; the benchmarks proper compare with tokio and smol.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use tinyloop::{Event, Queue, Semaphore, run, spawn, yield_now};

#[test]
#[ignore = "heavy: 100 000 tasks"]
fn semaphore_workload_100_000_tasks_through_10_permits() {
    let started = Instant::now();
    let done = run(async {
        let sem = Semaphore::new(10);
        let done = Rc::new(Cell::new(0u32));
        let tasks: Vec<_> = (0..100_000)
            .map(|_| {
                let (sem, done) = (sem.clone(), done.clone());
                spawn(async move {
                    let _permit = sem.acquire().await;
                    yield_now().await;
                    done.set(done.get() + 1);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(sem.available(), 10);
        done.get()
    });
    assert_eq!(done, 100_000);
    eprintln!("semaphore: {:?}", started.elapsed());
}

#[test]
#[ignore = "heavy: 5 000 000 items"]
fn queue_1p1c_5_000_000_items_through_a_queue_of_64() {
    const ITEMS: u64 = 5_000_000;
    let started = Instant::now();
    let sum = run(async {
        let queue = Queue::new(64);
        let consumer = spawn({
            let queue = queue.clone();
            async move {
                let mut sum = 0u64;
                for _ in 0..ITEMS {
                    sum += queue.get().await.unwrap();
                }
                sum
            }
        });
        for n in 0..ITEMS {
            queue.put(n).await.unwrap();
        }
        consumer.await.unwrap()
    });
    assert_eq!(sum, ITEMS * (ITEMS - 1) / 2);
    let elapsed = started.elapsed();
    eprintln!(
        "queue_1p1c: {elapsed:?}, {:.1} ns per item",
        elapsed.as_nanos() as f64 / ITEMS as f64
    );
}

#[test]
#[ignore = "heavy: 1 000 000 tasks"]
fn one_million_tasks_parked_on_an_event_all_wake() {
    let started = Instant::now();
    let woken = run(async {
        let event = Event::new();
        let woken = Rc::new(Cell::new(0u32));
        let tasks: Vec<_> = (0..1_000_000)
            .map(|_| {
                let (event, woken) = (event.clone(), woken.clone());
                spawn(async move {
                    event.wait().await;
                    woken.set(woken.get() + 1);
                })
            })
            .collect();
        yield_now().await;
        assert_eq!(event.waiting(), 1_000_000);
        event.set();
        for task in tasks {
            task.await.unwrap();
        }
        woken.get()
    });
    assert_eq!(woken, 1_000_000);
    eprintln!("idle tasks on an Event: {:?}", started.elapsed());
}
