//! `threads_vs_loop`: *From First Principles*'s "Concurrency vs Parallelism".
//!
//! Two CPU-bound jobs (a sum of squares, the seed's `cpu_intensive_sync`) run twice:
//!
//! * as two **tasks** on the loop: concurrency without parallelism. A task that computes
//!   never awaits, so the second task starts only when the first is done; one core works.
//! * with **`to_thread`**: each job runs on a pool thread, the loop awaits both; on a
//!   machine with two cores both compute at once (the seed's `ThreadPoolExecutor`).
//!
//! Unlike CPython (whose GIL lets only one thread run Python code at a time, so the seed's
//! threads gain nothing for pure-Python arithmetic), Rust threads really run in parallel:
//! the speed-up is close to the number of cores. Wall-clock timings are printed on the real
//! clock; on the virtual clock, compare the order of the lines.

use std::hint::black_box;
use std::time::Instant;

use tinyloop::{spawn, to_thread};

use crate::{Options, say};

/// Iterations per job: about 0.1 s in a debug build.
const N: u64 = 20_000_000;

// ANCHOR: cpu_intensive
fn cpu_intensive_sync(n: u64) -> u64 {
    let mut result = 0u64;
    for i in 0..n {
        result = result.wrapping_add(black_box(i) * i);
    }
    result
}
// ANCHOR_END: cpu_intensive

// ANCHOR: two_ways
async fn cpu_task(name: &'static str, n: u64) -> u64 {
    say!("{name}: Starting");
    let result = cpu_intensive_sync(n); // never awaits: holds the loop's thread
    say!("{name}: Completed");
    result
}

async fn thread_task(name: &'static str, n: u64) -> u64 {
    say!("{name}: Starting on a pool thread");
    to_thread(move || cpu_intensive_sync(n)).await.unwrap()
}
// ANCHOR_END: two_ways

/// The demo's program.
pub fn run(options: &Options) {
    println!("=== Tasks on the loop (concurrency, one thread) ===");
    let started = Instant::now();
    let on_loop = options.run(async {
        let tasks = [spawn(cpu_task("Task-1", N)), spawn(cpu_task("Task-2", N))];
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        results
    });
    let loop_time = started.elapsed();

    println!("\n=== to_thread (parallelism, a pool of threads) ===");
    let started = Instant::now();
    let on_threads = options.run(async {
        let tasks = [
            spawn(thread_task("Job-1", N)),
            spawn(thread_task("Job-2", N)),
        ];
        let mut results = Vec::new();
        // Both jobs run at once; which finishes first is up to the OS, so the results are
        // reported in argument order, as gather does.
        for (name, task) in ["Job-1", "Job-2"].into_iter().zip(tasks) {
            results.push(task.await.unwrap());
            say!("{name}: Completed");
        }
        results
    });
    let thread_time = started.elapsed();
    assert_eq!(on_loop, on_threads, "same work, same answers");
    println!(
        "\nboth ways computed the same sums: {}",
        on_loop == on_threads
    );
    if options.virtual_clock {
        println!(
            "(virtual clock: CPU work takes no loop time, so compare the order of the lines; \
             run without --virtual for wall-clock timings)"
        );
    } else {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        println!("tasks on the loop: {:.2} s", loop_time.as_secs_f64());
        println!("to_thread:         {:.2} s", thread_time.as_secs_f64());
        println!(
            "speed-up: {:.1}x on {cores} cores",
            loop_time.as_secs_f64() / thread_time.as_secs_f64()
        );
    }
}
