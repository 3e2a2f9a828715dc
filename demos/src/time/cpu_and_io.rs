//! `cpu_and_io`: *From First Principles*'s mixed workload, with and without yielding.
//!
//! Two CPU-bound tasks and two I/O-bound tasks share one loop. When the CPU tasks `yield_now`
//! after each chunk of work (asyncio's `await asyncio.sleep(0)`), the I/O tasks start at
//! once and their sleeps run while the CPU works. When the CPU tasks never yield, the I/O
//! tasks cannot even start until the CPU task ahead of them is finished.
//!
//! On the virtual clock CPU work takes no loop time (the clock only moves when the loop
//! jumps it), so the lesson shows in the *order* of the lines. On the real clock it shows
//! in the times too: the I/O tasks start and finish late.

use std::hint::black_box;
use std::time::Duration;

use tinyloop::{sleep, spawn, yield_now};

use crate::{Options, say};

/// About 20 ms of arithmetic on a laptop: one "chunk" of CPU work.
fn crunch() -> u64 {
    let mut total = 0u64;
    for i in 0..5_000_000u64 {
        total = total.wrapping_add(black_box(i) * i);
    }
    total
}

// ANCHOR: cpu_task
async fn cpu_bound_task(name: &'static str, chunks: u32, yields: bool) {
    say!("{name}: Starting CPU work ({chunks} chunks)");
    for chunk in 1..=chunks {
        black_box(crunch());
        if yields {
            say!("{name}: chunk {chunk} done, yielding");
            yield_now().await; // give the loop back, like asyncio.sleep(0)
        }
    }
    say!("{name}: CPU work completed");
}
// ANCHOR_END: cpu_task

async fn io_bound_task(name: &'static str, seconds: u64) {
    say!("{name}: Starting I/O work");
    sleep(Duration::from_secs(seconds)).await; // simulates I/O wait
    say!("{name}: I/O work completed");
}

async fn mixed_workload(yields: bool) {
    let tasks = [
        spawn(cpu_bound_task("CPU-1", 4, yields)),
        spawn(io_bound_task("IO-1", 2)),
        spawn(io_bound_task("IO-2", 1)),
        spawn(cpu_bound_task("CPU-2", 2, yields)),
    ];
    for task in tasks {
        task.await.expect("no task panics");
    }
}

/// The demo's program.
pub fn run(options: &Options) {
    println!("--- CPU tasks that yield after every chunk ---");
    options.run(mixed_workload(true));
    println!("--- CPU tasks that never yield ---");
    options.run(mixed_workload(false));
}
