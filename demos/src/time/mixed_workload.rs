//! `mixed_workload`: "Understanding AsyncIO in Python: From First Principles", "Event Loop
//! Deep Dive", run as written: two CPU-bound tasks of 1 000 000 and 500 000 iterations, each
//! iteration one `sum(range(100000))`, yielding `if i % 100000 == 0`, beside two I/O tasks
//! that sleep 2 s and 1 s.
//!
//! The text calls the yield "crucial". At its rate it hardly helps: after the first iteration
//! a task yields once per 100 000 sums. One `sum(range(100000))` costs 1.5 to 3 ms on the
//! CPythons of this machine, so that is one yield per 200 to 300 s of work, and the I/O tasks,
//! due at 1 s and 2 s, finish minutes late. The demo charges 2 ms of loop time per iteration
//! ([`simulate_blocking`]: on the virtual clock the loop's time moves while nothing else
//! runs), so the times it prints are exact. Then the fix: yield every 20 iterations (40 ms of
//! work; with two CPU tasks a step then stays under the loop's 0.1 s slow-poll warning), and
//! the sleeps end 0.1 s late.
//!
//! The numbers differ from asyncio's (`book/python/19_mixed_cpu_io_yields_rarely.py`): a
//! timer wakes a task in one loop step here and in two iterations in asyncio (see
//! `book/python/23_loop_iterations_per_wakeup.py`), and both CPU tasks run a whole stretch in
//! every iteration, so asyncio's I/O ends later still. On the real clock the program would
//! take as long as its arithmetic says, 3000 s, so the demo always runs on the virtual clock.

use std::time::Duration;

use tinyloop::runtime::trace::simulate_blocking;
use tinyloop::{gather_all, sleep, spawn, yield_now};

use crate::{Options, say};

/// What one `sum(range(100000))` costs CPython here: 2 ms, charged to the loop's clock.
const COST_OF_ONE_SUM: Duration = Duration::from_millis(2);

// ANCHOR: cpu_bound_task
async fn cpu_bound_task(name: &'static str, iterations: u32, yield_every: u32) {
    say!("{name}: Starting CPU work");
    for i in 0..iterations {
        simulate_blocking(COST_OF_ONE_SUM); // sum(range(100000))
        if i % yield_every == 0 {
            yield_now().await; // await asyncio.sleep(0)
        }
    }
    say!("{name}: CPU work completed");
}
// ANCHOR_END: cpu_bound_task

async fn io_bound_task(name: &'static str, seconds: u64) {
    say!("{name}: Starting I/O work");
    sleep(Duration::from_secs(seconds)).await; // simulates I/O wait
    say!("{name}: I/O work completed (due {seconds} s after it started)");
}

async fn mixed_workload(yield_every: u32) {
    let tasks = vec![
        spawn(cpu_bound_task("CPU-1", 1_000_000, yield_every)),
        spawn(io_bound_task("IO-1", 2)),
        spawn(io_bound_task("IO-2", 1)),
        spawn(cpu_bound_task("CPU-2", 500_000, yield_every)),
    ];
    gather_all(tasks).await;
}

/// The demo's program.
pub fn run(options: &Options) {
    let options = Options {
        virtual_clock: true, // 3000 s of charged CPU work: see the module docs
        ..options.clone()
    };
    println!("--- the text's rate: yield when i % 100000 == 0 ---");
    options.run(mixed_workload(100_000));
    println!("--- the fix: yield when i % 20 == 0 (every 40 ms of work) ---");
    options.run(mixed_workload(20));
}
