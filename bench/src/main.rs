//! tinyloop's benchmarks: nine workloads on tinyloop, tokio's current_thread runtime (with
//! `spawn` and with `LocalSet::spawn_local`), smol's `LocalExecutor`, and CPython's asyncio
//! (and uvloop where it is installed), side by side in one run.
//!
//! ```text
//! cargo run --release -p tinyloop-bench                       # the full table, 5 rounds
//! cargo run --release -p tinyloop-bench -- --rounds 9 --only spawn_join,yield_pingpong
//! cargo run --release -p tinyloop-bench -- cell tinyloop yield_pingpong   # one cell, for profiling
//! ```
//!
//! Every cell runs in a child process of its own, so that its peak RSS is its own and one
//! runtime's leftovers cannot slow the next. Rounds are interleaved (round 1 of every cell,
//! then round 2, …), so that a machine that slows down during the run slows every runtime
//! alike. Every cell returns a checksum, which the runner compares with the workload's
//! expected value: a runtime that skipped work would be caught, not crowned.
//!
//! The table reports medians, min–max, operations per second, peak RSS, and each runtime's
//! ratio to the fastest in that workload. No number here is a pass/fail threshold: the
//! goals of the benchmark issue are checked by reading the ratios.

mod smol_impl;
mod tinyloop_impl;
mod tokio_impl;
mod workloads;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use workloads::{ALL, Outcome, Workload, peak_rss_bytes};

/// The runtimes, in table order.
const RUNTIMES: [&str; 6] = [
    "tinyloop",
    "tokio",
    "tokio_local",
    "smol",
    "asyncio",
    "uvloop",
];

const USAGE: &str = "usage: tinyloop-bench [--rounds N] [--only W1,W2] [--runtimes R1,R2]
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
        _ => match parse_table_args(&args) {
            Ok((rounds, workloads, runtimes)) => table(rounds, &workloads, &runtimes),
            Err(problem) => {
                eprintln!("tinyloop-bench: {problem}\n{USAGE}");
                ExitCode::from(2)
            }
        },
    }
}

type TableArgs = (usize, Vec<Workload>, Vec<&'static str>);

fn parse_table_args(args: &[String]) -> Result<TableArgs, String> {
    let mut rounds = 5;
    let mut workloads = ALL.to_vec();
    let mut runtimes = RUNTIMES.to_vec();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = || format!("{arg} needs a value");
        match arg.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .ok_or_else(value)?
                    .parse()
                    .map_err(|_| "--rounds takes a whole number".to_string())?;
            }
            "--only" => {
                workloads = args
                    .next()
                    .ok_or_else(value)?
                    .split(',')
                    .map(|name| {
                        Workload::from_name(name).ok_or(format!("no workload named '{name}'"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--runtimes" => {
                runtimes = args
                    .next()
                    .ok_or_else(value)?
                    .split(',')
                    .map(|name| {
                        RUNTIMES
                            .into_iter()
                            .find(|known| *known == name)
                            .ok_or(format!("no runtime named '{name}'"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok((rounds, workloads, runtimes))
}

/// One cell, in this process: run it, print one `RESULT` line for the parent.
fn cell(runtime: &str, workload: &str) -> ExitCode {
    let Some(workload) = Workload::from_name(workload) else {
        eprintln!("no workload named '{workload}'");
        return ExitCode::from(2);
    };
    let started = Instant::now();
    let outcome: Option<Outcome> = match runtime {
        "tinyloop" => tinyloop_impl::run(workload),
        "tokio" => Some(tokio_impl::run_spawn(workload)),
        "tokio_local" => Some(tokio_impl::run_local(workload)),
        "smol" => Some(smol_impl::run(workload)),
        other => {
            eprintln!("'{other}' is not a Rust runtime of this binary");
            return ExitCode::from(2);
        }
    };
    let elapsed = started.elapsed();
    match outcome {
        Some(outcome) => {
            println!(
                "RESULT elapsed_ns={} checksum={} peak_rss={} extra_bytes={}",
                elapsed.as_nanos(),
                outcome.checksum,
                peak_rss_bytes(),
                outcome.extra_bytes
            );
            ExitCode::SUCCESS
        }
        None => {
            println!("UNSUPPORTED");
            ExitCode::SUCCESS
        }
    }
}

/// One measured run of one cell.
#[derive(Clone, Copy, Debug)]
struct Sample {
    elapsed: Duration,
    peak_rss: u64,
    extra_bytes: u64,
}

/// What became of a cell across the rounds.
#[derive(Clone, Debug, Default)]
struct Cell {
    samples: Vec<Sample>,
    /// Why the cell has no numbers, if it has none.
    missing: Option<String>,
}

fn table(rounds: usize, workloads: &[Workload], runtimes: &[&'static str]) -> ExitCode {
    let python = python_runtimes(runtimes);
    let mut cells = vec![vec![Cell::default(); runtimes.len()]; workloads.len()];
    let mut wrong = Vec::new();
    for round in 1..=rounds {
        eprintln!("round {round} of {rounds}");
        for (w, workload) in workloads.iter().enumerate() {
            for (r, runtime) in runtimes.iter().enumerate() {
                let cell = &mut cells[w][r];
                if cell.missing.is_some() {
                    continue;
                }
                match run_cell(runtime, *workload, &python) {
                    Ok((sample, checksum)) if checksum == workload.expected_checksum() => {
                        cell.samples.push(sample)
                    }
                    Ok((_, checksum)) => {
                        wrong.push(format!(
                            "{runtime} {}: checksum {checksum}, expected {}",
                            workload.name(),
                            workload.expected_checksum()
                        ));
                        cell.missing = Some("wrong checksum".into());
                    }
                    Err(why) => cell.missing = Some(why),
                }
            }
        }
    }
    print_table(workloads, runtimes, &cells);
    if wrong.is_empty() {
        ExitCode::SUCCESS
    } else {
        for line in &wrong {
            eprintln!("CHECKSUM MISMATCH: {line}");
        }
        ExitCode::FAILURE
    }
}

/// Which Python runtimes can run here: asyncio wherever python3 is; uvloop if it imports.
fn python_runtimes(runtimes: &[&str]) -> Vec<&'static str> {
    let mut available = Vec::new();
    let works = |code: &str| {
        Command::new("python3")
            .args(["-c", code])
            .output()
            .is_ok_and(|output| output.status.success())
    };
    if runtimes.contains(&"asyncio") && works("import asyncio") {
        available.push("asyncio");
    }
    if runtimes.contains(&"uvloop") && works("import uvloop") {
        available.push("uvloop");
    }
    available
}

fn python_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("asyncio_bench.py")
}

/// Run one cell in a child process and parse its `RESULT` line.
fn run_cell(runtime: &str, workload: Workload, python: &[&str]) -> Result<(Sample, u64), String> {
    let mut command = if runtime == "asyncio" || runtime == "uvloop" {
        if !python.contains(&runtime) {
            return Err(format!("{runtime} is not installed"));
        }
        let mut command = Command::new("python3");
        command
            .arg(python_script())
            .arg(workload.name())
            .arg(runtime);
        command
    } else {
        let mut command = Command::new(std::env::current_exe().expect("own path"));
        command.args(["cell", runtime, workload.name()]);
        command
    };
    let output = command
        .output()
        .map_err(|error| format!("could not start: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
                .lines()
                .last()
                .unwrap_or("")
        ));
    }
    if stdout.contains("UNSUPPORTED") {
        return Err("not implemented".into());
    }
    let line = stdout
        .lines()
        .find(|line| line.starts_with("RESULT"))
        .ok_or_else(|| format!("no RESULT line in: {stdout}"))?;
    let field = |name: &str| -> Result<u64, String> {
        line.split_whitespace()
            .find_map(|part| part.strip_prefix(name)?.strip_prefix('='))
            .and_then(|value| value.parse().ok())
            .ok_or_else(|| format!("no {name} in {line}"))
    };
    let sample = Sample {
        elapsed: Duration::from_nanos(field("elapsed_ns")?),
        peak_rss: field("peak_rss")?,
        extra_bytes: field("extra_bytes")?,
    };
    Ok((sample, field("checksum")?))
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn print_table(workloads: &[Workload], runtimes: &[&str], cells: &[Vec<Cell>]) {
    println!(
        "{:<18} {:<12} {:>11} {:>21} {:>13} {:>10} {:>8}",
        "workload", "runtime", "median", "min-max", "ops/s", "peak RSS", "ratio"
    );
    for (w, workload) in workloads.iter().enumerate() {
        let memory = *workload == Workload::IdleTasksMemory;
        // The key figure: elapsed time, or bytes per idle task for the memory workload.
        let key = |sample: &Sample| {
            if memory {
                sample.extra_bytes as f64 / workload.operations() as f64
            } else if *workload == Workload::TimersFire {
                // The loop's overhead beyond the 200 ms the timers span.
                (sample.elapsed.as_secs_f64() - 0.2).max(1e-6)
            } else {
                sample.elapsed.as_secs_f64()
            }
        };
        let medians: Vec<Option<f64>> = cells[w]
            .iter()
            .map(|cell| {
                let mut keys: Vec<f64> = cell.samples.iter().map(key).collect();
                (!keys.is_empty()).then(|| median(&mut keys))
            })
            .collect();
        let best = medians
            .iter()
            .flatten()
            .copied()
            .fold(f64::INFINITY, f64::min);
        for (r, runtime) in runtimes.iter().enumerate() {
            let cell = &cells[w][r];
            let Some(value) = medians[r] else {
                let why = cell.missing.as_deref().unwrap_or("no samples");
                println!("{:<18} {:<12} {why}", workload.name(), runtime);
                continue;
            };
            let keys: Vec<f64> = cell.samples.iter().map(key).collect();
            let low = keys.iter().copied().fold(f64::INFINITY, f64::min);
            let high = keys.iter().copied().fold(0.0, f64::max);
            let mut rss: Vec<f64> = cell.samples.iter().map(|s| s.peak_rss as f64).collect();
            let rss = median(&mut rss);
            let (shown, range, ops) = if memory {
                (
                    format!("{value:.0} B/task"),
                    format!("{low:.0}-{high:.0}"),
                    String::from("-"),
                )
            } else {
                let timers = *workload == Workload::TimersFire;
                let ops = workload.operations() as f64 / if timers { value + 0.2 } else { value };
                let shown = if timers {
                    format!("+{:.1} ms", value * 1e3)
                } else {
                    format!("{:.1} ms", value * 1e3)
                };
                (
                    shown,
                    format!("{:.1}-{:.1} ms", low * 1e3, high * 1e3),
                    format!("{ops:.3e}"),
                )
            };
            println!(
                "{:<18} {:<12} {:>11} {:>21} {:>13} {:>7.0} MB {:>7.2}x",
                workload.name(),
                runtime,
                shown,
                range,
                ops,
                rss / 1e6,
                value / best
            );
        }
    }
}
