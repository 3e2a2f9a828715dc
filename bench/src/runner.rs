//! The runner: which cells to run, how many rounds, each cell in a child process, and the
//! samples they return.
//!
//! Round 0 is a warm-up: it runs every cell once, checks its checksum, and also serves as
//! the verification round (the children get [`VERIFY_VAR`], and a runtime that can be
//! asked whether it really did the work is asked); its times are not counted. The measured
//! rounds follow, interleaved, and within each round the runtimes' order is rotated, so
//! that no runtime always runs right after the same neighbour.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use crate::environment::Header;
use crate::workloads::{ALL, DIVISOR_VAR, Sizes, VERIFY_VAR, Workload};
use crate::{RUNTIMES, is_primitive_row, report};

/// What to run, from the command line.
pub struct Plan {
    /// Measured rounds (the warm-up round comes on top).
    pub rounds: usize,
    pub workloads: Vec<Workload>,
    pub runtimes: Vec<&'static str>,
    /// Counts divided by this (1 for a real run).
    pub divisor: u64,
    /// Write the results and the raw samples to `bench/results/`.
    pub save: bool,
    /// The arguments as given, for the results header.
    pub args: Vec<String>,
}

impl Plan {
    pub fn parse(args: &[String]) -> Result<Plan, String> {
        let mut plan = Plan {
            rounds: 9,
            workloads: ALL.to_vec(),
            runtimes: RUNTIMES.to_vec(),
            divisor: 1,
            save: false,
            args: args.to_vec(),
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--rounds" => {
                    plan.rounds = value()?
                        .parse()
                        .map_err(|_| "--rounds takes a whole number".to_string())?;
                }
                "--divisor" => {
                    plan.divisor = value()?
                        .parse()
                        .ok()
                        .filter(|&divisor| divisor >= 1)
                        .ok_or("--divisor takes a whole number, at least 1")?;
                }
                "--only" => {
                    plan.workloads = value()?
                        .split(',')
                        .map(|name| {
                            Workload::from_name(name).ok_or(format!(
                                "no workload named '{name}' (`tinyloop-bench list` names them)"
                            ))
                        })
                        .collect::<Result<_, _>>()?;
                }
                "--runtimes" => {
                    plan.runtimes = value()?
                        .split(',')
                        .map(|name| {
                            RUNTIMES
                                .into_iter()
                                .find(|known| *known == name)
                                .ok_or(format!(
                                    "no runtime named '{name}'; the runtimes are {}",
                                    RUNTIMES.join(", ")
                                ))
                        })
                        .collect::<Result<_, _>>()?;
                }
                "--save" => plan.save = true,
                other => return Err(format!("unknown argument '{other}'")),
            }
        }
        if plan.rounds == 0 {
            return Err("--rounds must be at least 1".into());
        }
        Ok(plan)
    }

    /// The runtimes that run `workload`: the rows that hold the primitive fixed only run
    /// the primitive workloads.
    pub fn runtimes_for(&self, workload: Workload) -> Vec<&'static str> {
        self.runtimes
            .iter()
            .copied()
            .filter(|runtime| workload.uses_primitive() || !is_primitive_row(runtime))
            .collect()
    }
}

/// One measured run of one cell.
#[derive(Clone, Debug)]
pub struct Sample {
    pub round: usize,
    pub elapsed: Duration,
    pub user: Duration,
    pub sys: Duration,
    pub peak_rss: u64,
    pub extra_bytes: u64,
    /// The workload's further figures (`max_late_ns`, `p99_ns`, …).
    pub figures: Vec<(String, u64)>,
}

impl Sample {
    /// CPU time, user and system together.
    pub fn cpu(&self) -> Duration {
        self.user + self.sys
    }

    pub fn figure(&self, name: &str) -> Option<u64> {
        self.figures
            .iter()
            .find_map(|(key, value)| (key == name).then_some(*value))
    }
}

/// What became of one cell across the rounds.
#[derive(Clone, Debug)]
pub struct Cell {
    pub workload: Workload,
    pub runtime: &'static str,
    pub samples: Vec<Sample>,
    /// Why the cell has no numbers, if it has none.
    pub missing: Option<String>,
}

pub fn run(plan: &Plan) -> ExitCode {
    let header = Header::collect(plan);
    eprint!("{}", header.text());
    let python = python_runtimes(&plan.runtimes);
    let mut cells: Vec<Cell> = plan
        .workloads
        .iter()
        .flat_map(|&workload| {
            plan.runtimes_for(workload)
                .into_iter()
                .map(move |runtime| Cell {
                    workload,
                    runtime,
                    samples: Vec::new(),
                    missing: None,
                })
        })
        .collect();
    let sizes = Sizes::divided(plan.divisor);
    let mut wrong = Vec::new();
    for round in 0..=plan.rounds {
        if round == 0 {
            eprintln!("warm-up and verification round");
        } else {
            eprintln!("round {round} of {}", plan.rounds);
        }
        for workload in &plan.workloads {
            let mut order: Vec<usize> = (0..cells.len())
                .filter(|&c| cells[c].workload == *workload)
                .collect();
            let turn = round % order.len().max(1);
            order.rotate_left(turn);
            for c in order {
                let cell = &mut cells[c];
                if cell.missing.is_some() {
                    continue;
                }
                let expected = workload.expected_checksum(&sizes);
                match run_cell(cell.runtime, *workload, plan.divisor, round == 0, &python) {
                    Ok((mut sample, checksum)) if checksum == expected => {
                        sample.round = round;
                        if round > 0 {
                            cell.samples.push(sample);
                        }
                    }
                    Ok((_, checksum)) => {
                        wrong.push(format!(
                            "{} {}: checksum {checksum}, expected {expected}",
                            cell.runtime,
                            workload.name(),
                        ));
                        cell.missing = Some("wrong checksum".into());
                    }
                    Err(why) => cell.missing = Some(why),
                }
            }
        }
    }
    report::finish(&header, plan, &cells);
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
    let works = |code: &str| {
        Command::new("python3")
            .args(["-c", code])
            .output()
            .is_ok_and(|output| output.status.success())
    };
    let mut available = Vec::new();
    if runtimes.contains(&"asyncio") && works("import asyncio") {
        available.push("asyncio");
    }
    if runtimes.contains(&"uvloop") && works("import uvloop") {
        available.push("uvloop");
    }
    available
}

pub fn python_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("asyncio_bench.py")
}

/// Run one cell in a child process and parse its `RESULT` line.
fn run_cell(
    runtime: &str,
    workload: Workload,
    divisor: u64,
    verify: bool,
    python: &[&str],
) -> Result<(Sample, u64), String> {
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
    command.env(DIVISOR_VAR, divisor.to_string());
    if verify {
        command.env(VERIFY_VAR, "1");
    } else {
        command.env_remove(VERIFY_VAR);
    }
    let (status, stdout, stderr) = run_with_limit(&mut command, CELL_LIMIT)?;
    if !status.success() {
        // The panic message, not the backtrace after it.
        let why = stderr
            .lines()
            .skip_while(|line| !line.contains("panicked at"))
            .nth(1)
            .or_else(|| stderr.lines().last())
            .unwrap_or("");
        return Err(format!("failed ({status}): {why}"));
    }
    if stdout.contains("UNSUPPORTED") {
        return Err("not implemented".into());
    }
    let line = stdout
        .lines()
        .find(|line| line.starts_with("RESULT"))
        .ok_or_else(|| format!("no RESULT line in: {stdout}"))?;
    parse_result(line)
}

/// The longest a cell may take: the slowest (asyncio's `timers_cancel`) takes about 30 s
/// on the 2-core machine; a cell that hangs is killed and reported, not waited for.
const CELL_LIMIT: Duration = Duration::from_secs(180);

/// Run `command` to completion, or kill it after `limit`; its status, stdout and stderr.
fn run_with_limit(
    command: &mut Command,
    limit: Duration,
) -> Result<(std::process::ExitStatus, String, String), String> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| format!("could not start: {error}"))?;
    // Drained on threads, so that a child writing much cannot block on a full pipe.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let stderr = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    // A watchdog kills the child if it is not done in time; the child is waited for,
    // not polled, so that the runner does not wake up beside the cell it measures.
    let pid = child.id().to_string();
    let (exited, exit_seen) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        let timed_out = exit_seen.recv_timeout(limit) == Err(RecvTimeoutError::Timeout);
        if timed_out {
            let _ = Command::new("kill").args(["-KILL", &pid]).status();
        }
        timed_out
    });
    let status = child.wait();
    let _ = exited.send(());
    if watchdog.join().unwrap_or(false) {
        return Err(format!("hung: killed after {} s", limit.as_secs()));
    }
    let status = status.map_err(|error| format!("could not wait for it: {error}"))?;
    let text = |handle: std::thread::JoinHandle<String>| handle.join().unwrap_or_default();
    Ok((status, text(stdout), text(stderr)))
}

/// A cell's `RESULT key=value …` line as a sample and its checksum.
fn parse_result(line: &str) -> Result<(Sample, u64), String> {
    let mut fields: Vec<(String, u64)> = Vec::new();
    for part in line.split_whitespace().skip(1) {
        let (key, value) = part
            .split_once('=')
            .ok_or_else(|| format!("'{part}' is not key=value in: {line}"))?;
        let value = value
            .parse()
            .map_err(|_| format!("{key} is not a whole number in: {line}"))?;
        fields.push((key.to_string(), value));
    }
    let mut take = |name: &str| -> Result<u64, String> {
        let at = fields
            .iter()
            .position(|(key, _)| key == name)
            .ok_or_else(|| format!("no {name} in: {line}"))?;
        Ok(fields.remove(at).1)
    };
    let nanos = |n: u64| Duration::from_nanos(n);
    let sample = Sample {
        round: 0,
        elapsed: nanos(take("elapsed_ns")?),
        user: nanos(take("user_ns")?),
        sys: nanos(take("sys_ns")?),
        peak_rss: take("peak_rss")?,
        extra_bytes: take("extra_bytes")?,
        figures: Vec::new(),
    };
    let checksum = take("checksum")?;
    Ok((
        Sample {
            figures: fields,
            ..sample
        },
        checksum,
    ))
}
