//! tinyloop's benchmarks: the workloads on tinyloop, tokio's current_thread runtime (with
//! `spawn` and with `LocalSet::spawn_local`), smol's `LocalExecutor`, and CPython's asyncio
//! (and uvloop where it is installed), side by side in one run. bench/README.md says how to
//! run it and how to read it.
//!
//! ```text
//! cargo run --profile bench-lto -p tinyloop-bench -- --save      # the full table, saved
//! cargo run --profile bench-lto -p tinyloop-bench -- --rounds 1 --divisor 100   # a quick check
//! cargo run --profile bench-lto -p tinyloop-bench -- cell tinyloop yield_pingpong   # one cell
//! ```
//!
//! Every cell runs in a child process of its own, so that its peak RSS and CPU time are its
//! own and one runtime's leftovers cannot slow the next. Rounds are interleaved (round 1 of
//! every cell, then round 2, …), after a warm-up round that is not counted, so that a
//! machine that slows down during the run slows every runtime alike. Every cell returns a
//! checksum, which the runner compares with the workload's expected value: a runtime that
//! skipped work would be caught, not crowned.

// Unsafe only where the standard library has no safe way: `getrusage` (see `cpu_times`).
#![deny(unsafe_code)]

mod counters;
mod environment;
mod latency;
mod primitive_rows;
mod report;
mod runner;
mod smol_impl;
mod smol_wide;
mod tinyloop_impl;
mod tinyloop_wide;
mod tokio_impl;
mod tokio_wide;
mod workloads;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use workloads::{ALL, Outcome, Workload, peak_rss_bytes};

/// The runtimes, in table order: first each runtime with its users' own primitives, then
/// the rows that hold the primitive fixed (`+ac`: async-channel and async-lock; `+tl`:
/// tinyloop's single-threaded `Queue` and `Semaphore`), which run only the primitive
/// workloads.
pub const RUNTIMES: [&str; 10] = [
    "tinyloop",
    "tokio",
    "tokio_local",
    "smol",
    "asyncio",
    "uvloop",
    "tinyloop+ac",
    "tokio_local+ac",
    "smol+tl",
    "tokio_local+tl",
];

/// Whether `runtime` is one of the rows that hold the primitive fixed.
pub fn is_primitive_row(runtime: &str) -> bool {
    runtime.contains('+')
}

const USAGE: &str =
    "usage: tinyloop-bench [--rounds N] [--only W1,W2] [--runtimes R1,R2] [--divisor N] [--save]
       tinyloop-bench cell RUNTIME WORKLOAD
       tinyloop-bench list";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("cell") if args.len() == 3 => cell(&args[1], &args[2]),
        Some("list") => {
            for workload in ALL {
                println!("{}", workload.name());
            }
            ExitCode::SUCCESS
        }
        _ => match runner::Plan::parse(&args) {
            Ok(plan) => runner::run(&plan),
            Err(problem) => {
                eprintln!("tinyloop-bench: {problem}\n{USAGE}");
                ExitCode::from(2)
            }
        },
    }
}

/// One cell, in this process: run it, print one `RESULT` line for the parent.
fn cell(runtime: &str, workload: &str) -> ExitCode {
    let Some(workload) = Workload::from_name(workload) else {
        eprintln!("no workload named '{workload}'; `tinyloop-bench list` names them");
        return ExitCode::from(2);
    };
    let cpu_before = cpu_times();
    let started = Instant::now();
    let outcome: Option<Outcome> = match runtime {
        "tinyloop" => tinyloop_impl::run(workload),
        "tinyloop+ac" => tinyloop_impl::run_thread_safe_primitives(workload),
        "tokio" => tokio_impl::run_spawn(workload),
        "tokio_local" => tokio_impl::run_local(workload),
        "tokio_local+ac" => tokio_impl::run_local_thread_safe_primitives(workload),
        "tokio_local+tl" => tokio_impl::run_local_tinyloop_primitives(workload),
        "smol" => smol_impl::run(workload),
        "smol+tl" => smol_impl::run_tinyloop_primitives(workload),
        other => {
            eprintln!("'{other}' is not a Rust runtime of this binary");
            return ExitCode::from(2);
        }
    };
    let elapsed = started.elapsed();
    let (user, sys) = cpu_times();
    let Some(outcome) = outcome else {
        println!("UNSUPPORTED");
        return ExitCode::SUCCESS;
    };
    let mut line = format!(
        "RESULT elapsed_ns={} user_ns={} sys_ns={} checksum={} peak_rss={} extra_bytes={}",
        elapsed.as_nanos(),
        (user - cpu_before.0).as_nanos(),
        (sys - cpu_before.1).as_nanos(),
        outcome.checksum,
        peak_rss_bytes(),
        outcome.extra_bytes
    );
    for (name, value) in &outcome.figures {
        line.push_str(&format!(" {name}={value}"));
    }
    println!("{line}");
    ExitCode::SUCCESS
}

/// The CPU time this process has used so far: (user, system).
#[allow(unsafe_code)] // getrusage, the one call here std cannot make: see SAFETY below
fn cpu_times() -> (Duration, Duration) {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
    // SAFETY: getrusage writes a whole `rusage` into the pointer it is given, which points
    // to space for one; RUSAGE_SELF is a valid `who`, so it cannot fail (it returns 0), and
    // only then is the value read. The standard library has no safe way to ask for the
    // split between user and system time, which the results header reports.
    let usage = unsafe {
        let status = libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr());
        assert_eq!(status, 0, "getrusage(RUSAGE_SELF) failed");
        usage.assume_init()
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    (time(usage.ru_utime), time(usage.ru_stime))
}
