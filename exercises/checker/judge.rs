//! Turning a test run into a verdict: done, not yet, failing, hung, crashed.
//!
//! The harness prints each failed test's captured output under `---- NAME stdout ----`, and
//! that output starts with the panic: `thread 'NAME' panicked at FILE:LINE:COL:` and the
//! message. The *first* panic of a test is the one that says what went wrong: a task that
//! panics inside tinyloop's loop comes back to the test as an `Err`, and the test's own
//! `unwrap` panics a second time with a wrapper's message, after the first.

use std::time::Duration;

use crate::build::{CompileError, tidy_path};
use crate::run::{HangKind, Outcome, running_test};

/// The verdict on one exercise.
pub enum Verdict {
    /// Every test passes.
    Done,
    /// The tests reached a `todo!()`, and nothing else failed.
    NotYet {
        /// Where the first `todo!()` reached is (`file:line:column`).
        at: String,
    },
    /// A test failed.
    Failing {
        /// The first failing test that did not just reach a `todo!()`.
        test: String,
        /// Its first panic's message, line by line.
        message: Vec<String>,
        /// Where that panic happened (`file:line:column`).
        at: String,
    },
    /// A test ran past the limit and was stopped.
    Hung {
        /// The test that was running, if the harness had named one.
        test: Option<String>,
        /// How long it had run when it was stopped.
        after: Duration,
        /// How it spent that time.
        kind: HangKind,
    },
    /// The test binary died without reporting a failure (an abort, a stack overflow).
    Crashed {
        /// The test that was running, if the harness had named one.
        test: Option<String>,
        /// The last line the binary printed (its stderr first).
        last_words: String,
    },
    /// The exercise (or its tests, against a changed signature) does not compile.
    DoesNotCompile(CompileError),
}

impl Verdict {
    /// Reads what running the tests gave.
    pub fn of(outcome: Outcome) -> Verdict {
        match outcome {
            Outcome::Hung { test, after, kind } => Verdict::Hung { test, after, kind },
            Outcome::Exited { status, .. } if status.success() => Verdict::Done,
            Outcome::Exited { stdout, stderr, .. } => judge(&stdout, &stderr),
        }
    }

    /// Whether every test passed.
    pub fn is_done(&self) -> bool {
        matches!(self, Verdict::Done)
    }
}

/// One failed test as the harness printed it.
struct Failure {
    test: String,
    /// `file:line:column` of its first panic.
    at: String,
    /// That panic's message, line by line (at most six).
    message: Vec<String>,
}

/// "not yet" when every failure is a `todo!()`; otherwise the first failure that is not.
fn judge(stdout: &str, stderr: &str) -> Verdict {
    fn said(text: &str) -> Option<&str> {
        text.lines().rfind(|l| !l.trim().is_empty())
    }
    let failures = failures(stdout);
    let Some(first) = failures.first() else {
        // No test reported a failure, yet the binary failed: it died. Its last words say how.
        let last_words = said(stderr)
            .or_else(|| said(stdout))
            .unwrap_or("(no output)")
            .trim()
            .to_string();
        return Verdict::Crashed {
            test: running_test(stdout),
            last_words,
        };
    };
    let is_todo = |f: &&Failure| {
        f.message
            .first()
            .is_some_and(|m| m.starts_with("not yet implemented"))
    };
    match failures.iter().find(|f| !is_todo(f)) {
        Some(f) => Verdict::Failing {
            test: f.test.clone(),
            message: f.message.clone(),
            at: f.at.clone(),
        },
        None => Verdict::NotYet {
            at: first.at.clone(),
        },
    }
}

/// Parses the `---- NAME stdout ----` sections and the first panic in each.
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
        let mut at = String::from("?");
        let mut message = vec![String::from("(the test failed without a message)")];
        while let Some(next) = lines.peek() {
            if next.starts_with("---- ") || *next == "failures:" {
                break;
            }
            let next = lines.next().unwrap();
            if let Some(place) = next.split(" panicked at ").nth(1) {
                at = tidy_path(place.trim_end_matches(':'));
                // The message runs to the blank line or the `note:` that ends it.
                let mut parts = Vec::new();
                while let Some(part) = lines.peek() {
                    if part.trim().is_empty() || part.starts_with("note:") || parts.len() == 6 {
                        break;
                    }
                    parts.push(lines.next().unwrap().trim_end().to_string());
                }
                if !parts.is_empty() {
                    message = parts;
                }
                break;
            }
        }
        out.push(Failure {
            test: test.to_string(),
            at,
            message,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODO_ONLY: &str = "\
running 2 tests
test a ... FAILED
test b ... FAILED

failures:

---- a stdout ----

thread 'a' (123) panicked at src/ex01_countdown.rs:48:9:
not yet implemented
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- b stdout ----

thread 'b' (124) panicked at src/ex01_countdown.rs:48:9:
not yet implemented

failures:
    a
    b
";

    #[test]
    fn only_todos_reached_is_not_yet_at_the_first_todo() {
        match judge(TODO_ONLY, "") {
            Verdict::NotYet { at } => assert_eq!(at, "src/ex01_countdown.rs:48:9"),
            _ => panic!("expected not yet"),
        }
    }

    #[test]
    fn a_wrong_answer_shows_the_first_panic_of_the_test_not_the_wrapper() {
        let stdout = "\
---- a_task_panics stdout ----

thread 'a_task_panics' (9) panicked at src/ex08_semaphore.rs:90:13:
permit handed to a waiter that left
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

thread 'a_task_panics' (9) panicked at tests/ex08.rs:40:22:
called `Result::unwrap()` on an `Err` value: Panicked

failures:
";
        match judge(stdout, "") {
            Verdict::Failing { test, message, at } => {
                assert_eq!(test, "a_task_panics");
                assert_eq!(message, ["permit handed to a waiter that left"]);
                assert_eq!(at, "src/ex08_semaphore.rs:90:13");
            }
            _ => panic!("expected failing"),
        }
    }

    #[test]
    fn a_binary_that_dies_without_a_failure_crashed_in_the_running_test() {
        let stdout = "running 2 tests\ntest a ... ok\ntest b ... ";
        let stderr = "thread 'b' panicked while processing panic. aborting.\n";
        match judge(stdout, stderr) {
            Verdict::Crashed { test, last_words } => {
                assert_eq!(test.as_deref(), Some("b"));
                assert_eq!(
                    last_words,
                    "thread 'b' panicked while processing panic. aborting."
                );
            }
            _ => panic!("expected crashed"),
        }
    }
}
