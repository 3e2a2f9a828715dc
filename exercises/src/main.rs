//! The checker: `cargo run -- check` grades every exercise, `cargo run -- check N` one.
//!
//! For each exercise it runs that exercise's tests (`cargo test --test exNN`) and reads their
//! output, so it says exactly what `cargo test` would, only shorter:
//!
//! - **done**: every test passes;
//! - **not yet**: the tests reach a `todo!()`, so the skeleton is still untouched there;
//! - **failing**: a test's assertion failed (or it panicked, or timed out): the first failing
//!   test's message is shown, with a hint.
//!
//! Built with `--features solutions` (`cargo run --features solutions -- check`), it passes the
//! feature on and so grades the reference solutions instead of your files.

use std::io::Read;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

/// One exercise, as the checker knows it.
struct Exercise {
    /// Its number, 1-based; the tests are `tests/exNN.rs`.
    number: u32,
    /// Its title, as in the book.
    title: &'static str,
    /// The file the learner edits.
    file: &'static str,
    /// Shown when it is not done.
    hint: &'static str,
}

/// Every exercise that exists so far, in order.
const EXERCISES: &[Exercise] = &[
    Exercise {
        number: 1,
        title: "A future that counts down",
        file: "src/ex01_countdown.rs",
        hint: "count `remaining` down, call cx.waker().wake_by_ref(), return Poll::Pending; \
               at zero return Poll::Ready(self.start)",
    },
    Exercise {
        number: 2,
        title: "block_on with waker-fn",
        file: "src/ex02_block_on.rs",
        hint: "waker_fn(move || { flag.store(true); thread.unpark() }); then loop { poll; \
               while !flag.swap(false) { park() } }",
    },
    Exercise {
        number: 3,
        title: "A ready queue and spawn",
        file: "src/ex03_spawn.rs",
        hint: "spawn: give the task an id, store its boxed future, push the id on the ready \
               queue; run: pop ids, take the future out while you poll it, put it back if Pending",
    },
    Exercise {
        number: 4,
        title: "A JoinHandle",
        file: "src/ex04_join_handle.rs",
        hint: "share an Rc<RefCell<Slot<T>>> between the task and the handle; the task stores \
               its output and wakes the stored waker; the handle stores its waker when empty",
    },
    Exercise {
        number: 5,
        title: "Timers on a heap, and sleep",
        file: "src/ex05_timers.rs",
        hint: "Sleep::poll: Ready if now >= deadline, else add_timer once (keep the id) or \
               update_timer; fire_timers: jump the clock to the heap's smallest deadline and \
               wake every timer due by then",
    },
    Exercise {
        number: 6,
        title: "From a heap to a timing wheel",
        file: "src/ex06_wheel.rs",
        hint: "insert into slot deadline % slots (a past deadline: slot elapsed % slots); \
               poll: visit ticks elapsed..=now, at most slots of them, keep entries due later, \
               sort what is due by (deadline, seq)",
    },
    Exercise {
        number: 7,
        title: "yield_now and fairness",
        file: "src/ex07_yield_now.rs",
        hint: "YieldNow: first poll wake_by_ref + Pending, then Ready; run_step: drain the ready \
               queue into a Vec first, then poll_task each id",
    },
    Exercise {
        number: 8,
        title: "A fair, cancel-safe Semaphore",
        file: "src/ex08_semaphore.rs",
        hint: "release hands the permit to the first queued waiter (granted = true, wake); \
               a newcomer takes a free permit only if the queue is empty; Drop for Acquire \
               releases a permit it was granted but never returned",
    },
    Exercise {
        number: 9,
        title: "A Queue with task_done and join",
        file: "src/ex09_queue.rs",
        hint: "put: unfinished += 1 and wake the getters (after the borrow); task_done: \
               Err at zero, else -1 and wake the joiners at zero; join: Ready at zero",
    },
    Exercise {
        number: 10,
        title: "wait(FIRST_COMPLETED)",
        file: "src/ex10_wait_first.rs",
        hint: "poll every future with the same cx: each stores the waker; return the first \
               Ready with its index, and the Vec without it (do not drop the others' work)",
    },
    Exercise {
        number: 11,
        title: "A timeout",
        file: "src/ex11_timeout.rs",
        hint: "poll the work first, then the sleep, both with cx; when the sleep wins, set \
               self.future = None before returning Err(Elapsed): dropping is cancelling",
    },
    Exercise {
        number: 12,
        title: "Counting polls with the tracer",
        file: "src/ex12_poll_counter.rs",
        hint: "match event { Event::Spawned { task, name } => names.insert, \
               Event::Polled { task } => *polls.entry(*task).or_insert(0) += 1, _ => {} }",
    },
    Exercise {
        number: 13,
        title: "Extending tinyloop: a rate limiter",
        file: "src/ex13_rate_limiter.rs",
        hint: "slot = max(now(), next_free); next_free = slot + interval, set before any await; \
               then sleep_until(slot) if slot > now",
    },
];

/// How long one exercise's tests may run once built, before the checker gives up on them
/// (a test that waits for a wake that never comes would otherwise hang the checker).
/// `EXERCISES_TIMEOUT_SECS` overrides it.
fn test_timeout() -> Duration {
    let secs = std::env::var("EXERCISES_TIMEOUT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    Duration::from_secs(secs)
}

/// The verdict on one exercise.
enum Verdict {
    Done,
    /// A `todo!()` was reached; where.
    NotYet(String),
    /// A test failed: its name and message.
    Failing(String, String),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let selected: Vec<&Exercise> = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["check"] => EXERCISES.iter().collect(),
        ["check", n] => match n.parse::<u32>() {
            Ok(n) if EXERCISES.iter().any(|e| e.number == n) => {
                EXERCISES.iter().filter(|e| e.number == n).collect()
            }
            _ => {
                eprintln!(
                    "no exercise {n}: there are exercises 1 to {}",
                    EXERCISES.len()
                );
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: cargo run -- check [N]   (from the exercises/ directory)");
            return ExitCode::from(2);
        }
    };

    // Build every selected test binary first, without a time limit: the first build is slow.
    // (If an exercise file itself does not compile, `cargo run` has already stopped with the
    // compiler's errors before starting us: the checker is in the same crate. What can still
    // fail here is the tests, against a signature that was changed.)
    let mut build = cargo(&["test", "--no-run", "--quiet"]);
    for exercise in &selected {
        build.args(["--test", &test_name(exercise)]);
    }
    let built = build.output().expect("could not run cargo");
    if !built.status.success() {
        let stderr = String::from_utf8_lossy(&built.stderr);
        println!("the tests do not compile against your code; cargo says:\n");
        for line in stderr.lines().take(30) {
            println!("    {line}");
        }
        println!(
            "\nthe tests call the signatures the skeleton gave: keep those, fill in the bodies."
        );
        return ExitCode::FAILURE;
    }

    if cfg!(feature = "solutions") {
        println!("checking the reference solutions (src/solutions/), not your files\n");
    }
    let mut done = 0;
    for exercise in &selected {
        let verdict = check(exercise);
        let label = format!("{:02} {}", exercise.number, exercise.title);
        match verdict {
            Verdict::Done => {
                done += 1;
                println!("{label:<40} done");
            }
            Verdict::NotYet(at) => {
                println!("{label:<40} not yet   (todo!() reached at {at})");
                println!("{:<40} hint: {}", "", exercise.hint);
            }
            Verdict::Failing(test, message) => {
                println!("{label:<40} failing   in {}", exercise.file);
                println!("{:<40} test `{test}`: {message}", "");
                println!("{:<40} hint: {}", "", exercise.hint);
            }
        }
    }
    println!("\n{done} of {} done", selected.len());
    if done == selected.len() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `cargo ARGS`, with the cargo that runs us, and the `solutions` feature passed on if we
/// were built with it.
fn cargo(args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.args(args);
    if cfg!(feature = "solutions") {
        command.args(["--features", "solutions"]);
    }
    command.env("RUST_BACKTRACE", "0");
    command
}

fn test_name(exercise: &Exercise) -> String {
    format!("ex{:02}", exercise.number)
}

/// Runs one exercise's tests, one at a time so the output is in a stable order, and reads it.
fn check(exercise: &Exercise) -> Verdict {
    let mut command = cargo(&["test", "--quiet", "--test", &test_name(exercise)]);
    command
        .args(["--", "--test-threads=1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // Its own process group, so that on a timeout we can stop the test binary too, not only
    // the cargo that started it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command.spawn().expect("could not run cargo test");
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let timeout = test_timeout();
    let status = loop {
        if let Some(status) = child.try_wait().expect("waiting for cargo test") {
            break Some(status);
        }
        if started.elapsed() > timeout {
            kill_group(&mut child);
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let Some(status) = status else {
        // Timed out. Do not wait for the readers: if anything survived the kill and still
        // holds the pipes, they would wait for ever.
        return Verdict::Failing(
            "(all)".into(),
            format!(
                "timed out after {} s: does something wait for a wake that never comes?",
                timeout.as_secs()
            ),
        );
    };
    let stdout = out_reader.join().unwrap_or_default();
    let stderr = err_reader.join().unwrap_or_default();
    if status.success() {
        Verdict::Done
    } else {
        judge(&stdout, &stderr)
    }
}

/// Stops `child` and everything it started (cargo runs the test binary as its own child).
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        // The group's id is the child's pid (`process_group(0)` above).
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", child.id())])
            .status();
    }
    let _ = child.kill();
}

/// One failed test as the test harness printed it.
struct Failure {
    test: String,
    /// `file:line:column` of the panic.
    location: String,
    /// The panic message, its lines joined with ` / ` (at most five).
    message: String,
}

/// Reads the harness output: "not yet" when every failure is a `todo!()`, otherwise the first
/// failure that is not.
fn judge(stdout: &str, stderr: &str) -> Verdict {
    let failures = failures(stdout);
    if failures.is_empty() {
        // No test reported a failure: the test binary itself died (an abort, a stack
        // overflow). Cargo's last words say how.
        let last = stdout
            .lines()
            .chain(stderr.lines())
            .rfind(|l| !l.trim().is_empty())
            .unwrap_or("(no output)");
        return Verdict::Failing("(all)".into(), last.trim().to_string());
    }
    match failures
        .iter()
        .find(|f| !f.message.starts_with("not yet implemented"))
    {
        Some(f) => Verdict::Failing(f.test.clone(), format!("{} (at {})", f.message, f.location)),
        None => Verdict::NotYet(failures[0].location.clone()),
    }
}

/// Parses `---- NAME stdout ----` sections and their `thread 'NAME' (..) panicked at LOC:`
/// lines; the message is the line after.
fn failures(stdout: &str) -> Vec<Failure> {
    let mut out = Vec::new();
    let mut lines = stdout.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(test) = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"))
        else {
            continue;
        };
        let mut location = String::from("?");
        let mut message = String::from("(no message)");
        while let Some(next) = lines.peek() {
            if next.starts_with("---- ") || *next == "failures:" {
                break;
            }
            let next = lines.next().unwrap();
            if let Some(at) = next.split(" panicked at ").nth(1) {
                location = at.trim_end_matches(':').to_string();
                // The message, and for `assert_eq!` its `left:` and `right:` lines: up to
                // the blank line or the `note:` that ends it.
                let mut parts = Vec::new();
                while let Some(part) = lines.peek() {
                    if part.trim().is_empty() || part.starts_with("note:") || parts.len() == 5 {
                        break;
                    }
                    parts.push(lines.next().unwrap().trim());
                }
                if !parts.is_empty() {
                    message = parts.join(" / ");
                }
                break;
            }
        }
        out.push(Failure {
            test: test.to_string(),
            location,
            message,
        });
    }
    out
}
