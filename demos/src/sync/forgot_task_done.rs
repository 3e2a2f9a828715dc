//! `forgot_task_done`: "Week 11, Day 4: Concurrency Patterns", "Common Mistakes: Not calling
//! `task_done()`": "Forgetting this will cause `queue.join()` to wait forever."
//!
//! A worker takes three jobs from a queue; `main` puts them and awaits `queue.join()`, which
//! returns when as many `task_done()` calls have come as items were put: `join` counts
//! `task_done()` calls, not `get`s. Run twice:
//!
//! 1. The worker calls `task_done()` after each job: `join` returns once the third job is
//!    done, and `main` cancels the idle worker.
//! 2. The worker forgets it: the queue is empty, but three items are still "unfinished", so
//!    `join` never returns. In asyncio the program hangs in `select()`. On the virtual clock
//!    tinyloop's loop sees that nothing can ever wake a task (the worker waits in `get`,
//!    `main` in `join`, no timer, no I/O) and stops with a report of what each task waits on,
//!    as in the `deadlock` demo; this demo prints that report once, as its output.

use std::time::Duration;

use tinyloop::{Queue, sleep, spawn_named};

use crate::core::deadlock::run_reporting_a_deadlock;
use crate::{Options, say};

// ANCHOR: worker
async fn worker(queue: Queue<u32>, calls_task_done: bool) {
    loop {
        let job = queue.get().await.expect("never shut down");
        sleep(Duration::from_millis(100)).await; // the job's work
        say!("worker: job {job} done");
        if calls_task_done {
            queue.task_done().expect("one per get");
        } // else: the mistake, join() still counts this job as unfinished
    }
}
// ANCHOR_END: worker

// ANCHOR: main
async fn main(calls_task_done: bool) {
    let queue = Queue::new(0);
    let worker = spawn_named("worker", worker(queue.clone(), calls_task_done));
    for job in 1..=3 {
        queue.put_nowait(job).expect("unbounded");
    }
    queue.join().await; // returns when task_done() was called once per item put
    say!("main: join() returned; cancelling the idle worker");
    worker.cancel();
}
// ANCHOR_END: main

/// The demo's program.
pub fn run(options: &Options) {
    let options = Options {
        virtual_clock: true, // only there is "nothing can wake a task" certain (see `deadlock`)
        ..options.clone()
    };
    println!("--- the worker calls task_done() after each job ---");
    options.run(main(true));
    println!("--- the worker forgets task_done() ---");
    run_reporting_a_deadlock(&options, "the loop finished: join() returned?", main(false));
}
