//! Demos of the book's part on time: sleeping without blocking, timeouts, virtual time.

use crate::Demo;

pub mod countasync;
pub mod countasync_timeout;
pub mod cpu_and_io;
pub mod kitchen;
pub mod mixed_workload;
pub mod workers;

/// This part's demos, in the book's order.
pub fn demos() -> Vec<Demo> {
    vec![
        Demo {
            name: "kitchen",
            mirrors: "From First Principles 'Why Do We Need AsyncIO?' (the chef: 18 minutes vs 10)",
            shows: "one cook, three dishes: awaiting each in turn takes 18 minutes, starting all three takes 10",
            run: kitchen::run,
        },
        Demo {
            name: "workers",
            mirrors: "From First Principles 'Understanding Coroutines' (three workers, delays 3, 1, 2)",
            shows: "tasks start in spawn order and finish in order of their delays; results come back in argument order",
            run: workers::run,
        },
        Demo {
            name: "countasync",
            mirrors: "asyncio Q&A countasync.py",
            shows: "three counts sleeping one second each finish together, in 1.00 s, not 3",
            run: countasync::run,
        },
        Demo {
            name: "countasync_timeout",
            mirrors: "asyncio Q&A countasync_with_timeout.py (asyncio.timeout)",
            shows: "a timeout drops the whole operation at its deadline; the code after it always runs",
            run: countasync_timeout::run,
        },
        Demo {
            name: "cpu_and_io",
            mirrors: "From First Principles 'Event Loop Deep Dive' (mixed CPU and I/O workload)",
            shows: "CPU work that yields lets I/O tasks start at once; CPU work that never yields holds every task back",
            run: cpu_and_io::run,
        },
        Demo {
            name: "mixed_workload",
            mirrors: "From First Principles 'Event Loop Deep Dive' (the mixed CPU and I/O workload, as written)",
            shows: "yielding once per 100 000 sums, the 1 s and 2 s sleeps end at t=800; yielding every 20, at 1.08 and 2.08",
            run: mixed_workload::run,
        },
    ]
}
