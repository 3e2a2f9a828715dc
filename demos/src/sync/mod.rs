//! Demos of the book's part on synchronisation primitives: Semaphore, Lock, Queue. Each
//! demo lives in its own file and mirrors one seed example.

use crate::Demo;

pub mod event_condition_barrier;
pub mod forgot_task_done;
pub mod limited_workers;
pub mod lock_race;
pub mod pipeline_2x2;
pub mod producer_consumer;
pub mod queue_join;
pub mod rate_limited_fetch;
pub mod semaphore_batches;
pub mod semaphore_per_task;
pub mod semaphore_vs_queue;
pub mod sentinel_reput;

/// This part's demos, in the book's order.
pub fn demos() -> Vec<Demo> {
    vec![
        Demo {
            name: "semaphore_batches",
            mirrors: "Lecture 24 Example 24.1 (asyncio.Semaphore for rate limiting)",
            shows: "nine 0.3 s sessions through Semaphore(3): three start at 0.00, 0.30 and 0.60; all done at 0.90, results in order",
            run: semaphore_batches::run,
        },
        Demo {
            name: "limited_workers",
            mirrors: "Concurrency Patterns 'asyncio.Semaphore' (ten limited_workers, Semaphore(3))",
            shows: "three workers at a time; each release hands its permit to the longest-waiting worker",
            run: limited_workers::run,
        },
        Demo {
            name: "rate_limited_fetch",
            mirrors: "Concurrency Patterns 'Quick Exercise' (rate_limited_fetch)",
            shows: "ten one-second fetches, three at a time, finish at t=4.00",
            run: rate_limited_fetch::run,
        },
        Demo {
            name: "semaphore_per_task",
            mirrors: "Concurrency Patterns 'Common Mistakes: Creating a new semaphore for each task'",
            shows: "one shared Semaphore(2) keeps two fetches in flight (done at 3.00); one per task limits nothing: six at once",
            run: semaphore_per_task::run,
        },
        Demo {
            name: "lock_race",
            mirrors: "Concurrency Patterns 'asyncio.Lock' (modify_shared_resource)",
            shows: "with the lock the list is [1, 2, 3, 4, 5]; without it every task reads the same value: [1, 1, 1, 1, 1]",
            run: lock_race::run,
        },
        Demo {
            name: "producer_consumer",
            mirrors: "Asyncio Components 'asyncio.Queue' (maxsize 3, one producer, three consumers, None sentinel)",
            shows: "one None per consumer ends them all; the seed's single None for three consumers leaves two waiting forever",
            run: producer_consumer::run,
        },
        Demo {
            name: "pipeline_2x2",
            mirrors: "From First Principles 'Producer-Consumer Pattern' (two producers, two consumers, Queue(maxsize=3), a None each)",
            shows: "a None says one producer is done, not all: the first consumer to draw one stops while the other producer still works",
            run: pipeline_2x2::run,
        },
        Demo {
            name: "sentinel_reput",
            mirrors: "Lecture 24 Example 24.4 (producer-consumer with a re-put sentinel)",
            shows: "at the seed's rates the queue never fills (two consumers outpace the producer); slower consumers make put wait",
            run: sentinel_reput::run,
        },
        Demo {
            name: "queue_join",
            mirrors: "asyncio Q&A async_queue.py (producers, consumers, queue.join, cancel)",
            shows: "join() returns when every item is task_done()'d; then the idle consumers are cancelled",
            run: queue_join::run,
        },
        Demo {
            name: "forgot_task_done",
            mirrors: "Concurrency Patterns 'Common Mistakes: Not calling task_done()'",
            shows: "join() counts task_done() calls, not gets: forget them and join() never returns; the loop reports the deadlock",
            run: forgot_task_done::run,
        },
        Demo {
            name: "event_condition_barrier",
            mirrors: "asyncio Q&A 'asyncio.Event ... to signal one or more other coroutines' (with Condition and Barrier)",
            shows: "one set() wakes every guest; each waiter waits for its own number of dishes; three runners start together",
            run: event_condition_barrier::run,
        },
        Demo {
            name: "semaphore_vs_queue",
            mirrors: "Asyncio Components 'Semaphore vs. Queue' (web scraper with rate limiting)",
            shows: "both approaches keep three requests in flight and take the same 3.20 s",
            run: semaphore_vs_queue::run,
        },
    ]
}
