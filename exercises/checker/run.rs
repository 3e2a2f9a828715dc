//! Running one exercise's test binary, with a watchdog.
//!
//! The tests run one at a time (`--test-threads=1`), and the harness prints `test NAME ... `
//! as each one starts, so the checker always knows which test is running and for how long. A
//! test that runs past the limit (3 s: every test here takes milliseconds when the code is
//! right) is stopped, and the checker says which kind of hang it was, the way you would find
//! out yourself: by looking at the clock. A process that used the CPU all that time is a loop
//! that never yields (something polls again and again and never finishes); a process that used
//! none of it is asleep, waiting for a wake that never comes.

use std::io::Read;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How a test that ran too long spent its time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HangKind {
    /// It kept a core busy: a loop that never yields.
    Spinning,
    /// It used (almost) no CPU: a future that was never woken.
    Asleep,
    /// The checker could not read the process's CPU time (not Linux).
    Unknown,
}

/// What running a test binary gave.
pub enum Outcome {
    /// It exited.
    Exited {
        /// Its exit status (success: every test passed).
        status: ExitStatus,
        /// What the harness printed: the test lines, then each failure's captured output.
        stdout: String,
        /// Anything else (an abort's last words).
        stderr: String,
    },
    /// A test ran past the limit and was stopped.
    Hung {
        /// The test that was running (`None` if the harness had not named one yet).
        test: Option<String>,
        /// How long it had run.
        after: Duration,
        /// How it spent that time.
        kind: HangKind,
    },
}

/// How long one test may run. `EXERCISES_TIMEOUT_SECS` (a number, `0.5` allowed) overrides it.
pub fn test_limit() -> Duration {
    std::env::var("EXERCISES_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .map(Duration::from_secs_f64)
        .unwrap_or(Duration::from_secs(3))
}

/// Runs `binary` (one exercise's tests) from `root`, stopping it if one test runs too long.
pub fn run(root: &Path, binary: &Path) -> std::io::Result<Outcome> {
    let mut child = Command::new(binary)
        .arg("--test-threads=1")
        .current_dir(root)
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    let stdout = Arc::new(Mutex::new(String::new()));
    let stderr = Arc::new(Mutex::new(String::new()));
    let readers = [
        collect(child.stdout.take().expect("piped"), stdout.clone()),
        collect(child.stderr.take().expect("piped"), stderr.clone()),
    ];
    let limit = test_limit();
    let mut running: Option<(String, Instant)> = None;
    // CPU time samples (when, ticks), to measure how busy the last second was.
    let mut samples: Vec<(Instant, u64)> = Vec::new();
    loop {
        if let Some(status) = child.try_wait()? {
            for reader in readers {
                let _ = reader.join();
            }
            let take = |text: &Arc<Mutex<String>>| std::mem::take(&mut *text.lock().unwrap());
            return Ok(Outcome::Exited {
                status,
                stdout: take(&stdout),
                stderr: take(&stderr),
            });
        }
        let now = Instant::now();
        let current = running_test(&stdout.lock().unwrap());
        if current.as_deref() != running.as_ref().map(|(name, _)| name.as_str()) {
            running = current.map(|name| (name, now));
        }
        if let Some(ticks) = cpu_ticks(child.id()) {
            samples.push((now, ticks));
        }
        let started = running.as_ref().map(|(_, at)| *at);
        let after = now - started.unwrap_or(now);
        // A binary that never names a test (stuck before the first) gets a limit of its own.
        let stuck = started.is_none() && samples.first().is_some_and(|(t, _)| now - *t > limit * 3);
        if after > limit || stuck {
            let kind = hang_kind(&samples, started.unwrap_or(now));
            let _ = child.kill();
            let _ = child.wait();
            // The readers are not joined: anything the test spawned and left holding the pipes
            // would keep them waiting.
            return Ok(Outcome::Hung {
                test: running.map(|(name, _)| name),
                after,
                kind,
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Reads `from` to its end into `into`, on a thread, so the watchdog can look at it meanwhile.
fn collect(
    mut from: impl Read + Send + 'static,
    into: Arc<Mutex<String>>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = from.read(&mut buffer) {
            if n == 0 {
                break;
            }
            into.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    })
}

/// The test the harness has started and not yet finished: its last `test NAME ... ` line, if
/// nothing follows the dots yet.
pub fn running_test(output: &str) -> Option<String> {
    let last_line = output.rsplit('\n').next()?;
    let name = last_line.strip_prefix("test ")?.strip_suffix(" ... ")?;
    Some(name.to_string())
}

/// Whether the process was busy in the `samples` taken since the hung test started.
fn hang_kind(samples: &[(Instant, u64)], since: Instant) -> HangKind {
    let Some(&(last_at, last)) = samples.last() else {
        return HangKind::Unknown;
    };
    let &(first_at, first) = samples
        .iter()
        .find(|(at, _)| *at >= since)
        .unwrap_or(&samples[0]);
    let wall = (last_at - first_at).as_secs_f64();
    if wall < 0.2 {
        return HangKind::Unknown;
    }
    // Clock ticks are hundredths of a second on Linux (`getconf CLK_TCK`).
    let cpu = (last - first) as f64 / 100.0;
    // A spinning test on a loaded machine (two cores, several builds) may get a fifth of a
    // core or less; one that sleeps uses a few milliseconds at most.
    if cpu / wall > 0.05 {
        HangKind::Spinning
    } else {
        HangKind::Asleep
    }
}

/// The CPU time (user + system, in clock ticks) the process has used so far, from
/// `/proc/PID/stat`; `None` where there is no `/proc`.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the command name (which may contain spaces) start at field 3, `state`;
    // utime and stime are fields 14 and 15.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    Some(user + system)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_test_is_the_last_one_without_a_result() {
        let output = "\nrunning 3 tests\ntest a_first ... ok\ntest b_second ... ";
        assert_eq!(running_test(output).as_deref(), Some("b_second"));
        assert_eq!(running_test("running 3 tests\ntest a ... ok\n"), None);
        assert_eq!(running_test("running 0 tests\n"), None);
        let named_test = "test a_test ... ok\ntest the_test_that_hangs ... ";
        assert_eq!(
            running_test(named_test).as_deref(),
            Some("the_test_that_hangs")
        );
    }

    #[test]
    fn a_process_that_used_the_cpu_spins_and_one_that_did_not_sleeps() {
        let start = Instant::now();
        let at = |ms| start + Duration::from_millis(ms);
        let busy = [(at(0), 0), (at(500), 45), (at(1000), 95)];
        let idle = [(at(0), 3), (at(500), 3), (at(1000), 4)];
        // A spinning test that got only a fifth of a core on a busy machine still spins.
        let crowded = [(at(0), 0), (at(500), 10), (at(1000), 20)];
        assert_eq!(hang_kind(&busy, at(0)), HangKind::Spinning);
        assert_eq!(hang_kind(&crowded, at(0)), HangKind::Spinning);
        assert_eq!(hang_kind(&idle, at(0)), HangKind::Asleep);
        assert_eq!(hang_kind(&[], at(0)), HangKind::Unknown);
    }
}
