//! The checker's own tests, end to end: each copies the exercises into a scratch directory
//! (`target/checker-fixtures/NAME/`), plays a learner there (breaks a file, pastes a solution,
//! writes a hang), runs the real checker binary on the copy, and reads what it prints.
//!
//! The copies build into the exercises' own `target/` (cargo holds no lock on it while tests
//! run), under package names of their own, so tinyloop is not compiled again for them: each
//! copy compiles only its exercises, a second or so each.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The exercises directory these tests belong to.
fn exercises() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch copy of the exercises, as a learner's checkout.
struct Fixture {
    dir: PathBuf,
}

impl Fixture {
    /// A fresh copy named `name` (one per test, so tests run side by side).
    fn new(name: &str) -> Fixture {
        let base = exercises().join("target/checker-fixtures");
        let dir = base.join(name);
        let _ = std::fs::remove_dir_all(&dir);
        for sub in ["src", "src/solutions", "tests", "support", "checker"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
            for entry in std::fs::read_dir(exercises().join(sub)).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    std::fs::copy(&path, dir.join(sub).join(path.file_name().unwrap())).unwrap();
                }
            }
        }
        std::fs::copy(exercises().join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
        // tinyloop is found by a relative path; from the copy it is the same tinyloop.
        let manifest = std::fs::read_to_string(exercises().join("Cargo.toml")).unwrap();
        let tinyloop = exercises().parent().unwrap().display().to_string();
        let manifest = manifest.replace(
            r#"tinyloop = { path = ".." }"#,
            &format!("tinyloop = {{ path = {tinyloop:?} }}"),
        );
        assert!(
            manifest.contains(&tinyloop),
            "the manifest names tinyloop by path"
        );
        // Cargo names a package's artifacts by its name and version, not its path: copies
        // that share a target directory need names of their own (the package's and the
        // checker binary's), or they run each other's tests and replace the checker these
        // tests run. The library keeps its name, which the tests `use`.
        let manifest = manifest
            .replace(
                "name = \"exercises\"",
                &format!("name = \"exercises-fixture-{name}\""),
            )
            .replacen("[lib]\n", "[lib]\nname = \"exercises\"\n", 1);
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        Fixture { dir }
    }

    /// The checker, run in the copy with `args`.
    fn checker(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_exercises"));
        command
            .args(args)
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", exercises().join("target"))
            .env_remove("EXERCISES_TIMEOUT_SECS");
        command
    }

    /// Runs the checker to its end: its exit status and output.
    fn run(&self, args: &[&str]) -> (Output, String) {
        let output = self.checker(args).output().expect("the checker runs");
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        (output, stdout)
    }

    /// Replaces the learner's file for exercise `file` (as `src/FILE`) with `text`.
    fn write(&self, file: &str, text: &str) {
        std::fs::write(self.dir.join("src").join(file), text).unwrap();
    }

    /// The reference solution of `file`, with `from` replaced by `to` (a learner's bug).
    fn solution_with(&self, file: &str, from: &str, to: &str) -> String {
        let text = std::fs::read_to_string(self.dir.join("src/solutions").join(file)).unwrap();
        assert!(
            text.contains(from),
            "the solution of {file} contains {from:?}"
        );
        text.replacen(from, to, 1)
    }
}

/// The status line of each exercise (`NN title   status ...`), by number.
fn status_lines(stdout: &str) -> Vec<(String, String)> {
    stdout
        .lines()
        .filter(|l| l.len() > 3 && l[..2].bytes().all(|b| b.is_ascii_digit()) && &l[2..3] == " ")
        .map(|l| (l[..2].to_string(), l.to_string()))
        .collect()
}

#[test]
fn a_fresh_checkout_is_0_done_with_the_first_exercise_next_and_no_hints() {
    let fixture = Fixture::new("fresh");
    let (output, stdout) = fixture.run(&["check"]);
    assert!(!output.status.success(), "nothing is done yet:\n{stdout}");
    let statuses = status_lines(&stdout);
    assert!(statuses.len() >= 13, "one line per exercise:\n{stdout}");
    for (number, line) in &statuses {
        assert!(
            line.contains("not yet   todo!() at src/ex"),
            "{number}: {line}"
        );
    }
    let total = statuses.len();
    assert!(
        stdout.contains(&format!(
            "0 of {total} done. Next: 01 A future that counts down"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("../book/src/smallest_executor.md"),
        "{stdout}"
    );
    assert!(!stdout.contains("Hint"), "no hint unless asked:\n{stdout}");

    // Breaking one exercise's syntax changes its line, and no other.
    let broken = std::fs::read_to_string(fixture.dir.join("src/ex03_spawn.rs")).unwrap();
    fixture.write("ex03_spawn.rs", &broken.replacen("todo!()", "let x = ;", 1));
    let (_, after) = fixture.run(&["check"]);
    let after_statuses = status_lines(&after);
    assert_eq!(after_statuses.len(), total, "{after}");
    for ((number, before), (_, now)) in statuses.iter().zip(&after_statuses) {
        if number == "03" {
            assert!(now.ends_with("does not compile"), "{now}");
        } else {
            assert_eq!(now, before, "exercise {number} changed when 03 broke");
        }
    }
    assert!(
        after.contains("src/ex03_spawn.rs:") && after.contains("error: expected expression"),
        "the first error, with its file and line:\n{after}"
    );
    assert!(
        after.contains("|") && after.contains("^"),
        "a pointer:\n{after}"
    );
}

#[test]
fn a_solution_is_done_and_a_wrong_answer_says_expected_and_got() {
    let fixture = Fixture::new("answers");
    let solution = fixture.solution_with("ex01_countdown.rs", "", "");
    fixture.write("ex01_countdown.rs", &solution);
    let (output, stdout) = fixture.run(&["check", "1"]);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("01 A future that counts down") && stdout.contains(" done"));
    assert!(stdout.contains("1 of "), "{stdout}");
    assert!(stdout.contains("Next: 02 "), "{stdout}");

    let wrong = fixture.solution_with(
        "ex01_countdown.rs",
        "Poll::Ready(self.start)",
        "Poll::Ready(self.start + 1)",
    );
    fixture.write("ex01_countdown.rs", &wrong);
    let (output, stdout) = fixture.run(&["check", "1"]);
    assert!(!output.status.success(), "{stdout}");
    assert!(stdout.contains("failing   test `"), "{stdout}");
    assert!(
        stdout.contains("expected 5, got 6") || stdout.contains("expected Ready(3), got Ready(4)"),
        "the test's own message, expected then got:\n{stdout}"
    );
    assert!(stdout.contains("0 of "), "no longer done:\n{stdout}");
}

/// Runs `check 2` on a block_on with `bug`, and returns what the checker said and how long the
/// tests ran before it stopped them.
fn hang(fixture: &Fixture, from: &str, to: &str) -> (String, f64) {
    fixture.write(
        "ex02_block_on.rs",
        &fixture.solution_with("ex02_block_on.rs", from, to),
    );
    // Build first, so the time measured is the test's.
    let (_, stdout) = fixture.run(&["check", "2"]);
    let seconds: f64 = stdout
        .split("stopped after ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("the checker stopped a hang:\n{stdout}"));
    (stdout, seconds)
}

#[test]
fn a_hang_is_stopped_within_5_s_and_told_apart_by_its_cpu_use() {
    let fixture = Fixture::new("hangs");
    // A waker that unparks but forgets to set the flag: block_on parks again for ever.
    let (asleep, seconds) = hang(&fixture, "woken.store(true, Ordering::SeqCst);", "");
    assert!(asleep.contains("hangs     test `"), "{asleep}");
    assert!(asleep.contains("a future that never woke"), "{asleep}");
    assert!(seconds < 5.0, "stopped after {seconds} s");

    // A block_on that spins on the flag instead of parking, and a waker that never sets it.
    let spin = fixture
        .solution_with(
            "ex02_block_on.rs",
            "woken.store(true, Ordering::SeqCst);",
            "",
        )
        .replacen("std::thread::park();", "std::hint::spin_loop();", 1);
    fixture.write("ex02_block_on.rs", &spin);
    let (_, spinning) = fixture.run(&["check", "2"]);
    assert!(spinning.contains("a loop that never yields"), "{spinning}");
}

#[test]
fn hint_gives_the_next_hint_each_time_it_is_asked() {
    let fixture = Fixture::new("hints");
    let (_, first) = fixture.run(&["hint", "3"]);
    assert!(first.contains("Hint 1 of "), "{first}");
    let (_, second) = fixture.run(&["hint", "3"]);
    assert!(second.contains("Hint 2 of "), "{second}");
    assert_ne!(first, second);
    // Without a number: the first exercise not done.
    let (_, current) = fixture.run(&["hint"]);
    assert!(
        current.contains("Hint 1 of ") && current.contains("01 A future"),
        "{current}"
    );
}

/// Reads the watcher's output line by line until a line contains `text`.
fn wait_for(lines: &mpsc::Receiver<String>, text: &str, seen: &mut Vec<String>) {
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        match lines.recv_timeout(Duration::from_secs(1)) {
            Ok(line) => {
                let found = line.contains(text);
                seen.push(line);
                if found {
                    return;
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    panic!(
        "watch never printed {text:?}; it printed:\n{}",
        seen.join("\n")
    );
}

#[test]
fn watch_checks_again_on_save_and_moves_on_when_the_exercise_passes() {
    let fixture = Fixture::new("watch");
    let mut child = fixture
        .checker(&["watch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("watch starts");
    let stdout = child.stdout.take().unwrap();
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    let mut seen = Vec::new();
    wait_for(&lines, "01 A future that counts down", &mut seen);
    wait_for(
        &lines,
        "waiting for you to save src/ex01_countdown.rs",
        &mut seen,
    );

    // The learner saves a working countdown.
    let solution = fixture.solution_with("ex01_countdown.rs", "", "");
    fixture.write("ex01_countdown.rs", &solution);
    wait_for(&lines, "moving on to 02 block_on with waker-fn", &mut seen);
    wait_for(
        &lines,
        "waiting for you to save src/ex02_block_on.rs",
        &mut seen,
    );

    // A hint on request, then quit.
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "h").unwrap();
    wait_for(&lines, "Hint 1 of ", &mut seen);
    // Saving another exercise's file moves the watch there.
    let skeleton = std::fs::read_to_string(fixture.dir.join("src/ex05_timers.rs")).unwrap();
    fixture.write("ex05_timers.rs", &skeleton);
    wait_for(&lines, "checking 05 Timers on a heap, and sleep", &mut seen);
    wait_for(
        &lines,
        "waiting for you to save src/ex05_timers.rs",
        &mut seen,
    );
    writeln!(stdin, "q").unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{}", seen.join("\n"));
    let progress = std::fs::read_to_string(fixture.dir.join(".progress")).unwrap();
    assert!(progress.contains("done 1"), "{progress}");
}
