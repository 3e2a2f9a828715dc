//! Demos of the book's first part: what a future is, and what `spawn` does to the loop.

use crate::Demo;

pub mod coroutines;
pub mod deadlock;
pub mod slow_poll;
pub mod task_order;

/// This part's demos, in the book's order.
pub fn demos() -> Vec<Demo> {
    vec![
        Demo {
            name: "coroutines",
            mirrors: "Asyncio Components 'Coroutine Functions vs. Coroutine Objects'; From First Principles 'The async Keyword'",
            shows: "calling an async fn runs nothing: the future runs only when awaited or spawned",
            run: coroutines::run,
        },
        Demo {
            name: "task_order",
            mirrors: "From First Principles 'Understanding Coroutines' (create_task, then gather)",
            shows: "spawned tasks start only when the spawner yields, in spawn order, one step later",
            run: task_order::run,
        },
        Demo {
            name: "slow_poll",
            mirrors: "From First Principles 'Common Pitfalls: 1. Blocking the Event Loop' (time.sleep inside a coroutine)",
            shows: "a blocking call of 150 ms delays every other task; the loop names the task on stderr, as asyncio's debug mode does",
            run: slow_poll::run,
        },
        Demo {
            name: "deadlock",
            mirrors: "Concurrency Patterns 'Common Mistakes: Deadlock' (coroutines waiting for each other)",
            shows: "two tasks each holding the Lock the other wants: instead of hanging as asyncio does, the loop stops and lists what every task waits on",
            run: deadlock::run,
        },
    ]
}
