//! What the checker prints: one verdict, the progress line, a hint.

use crate::catalog::{EXERCISES, Exercise};
use crate::judge::Verdict;
use crate::progress::Progress;
use crate::run::HangKind;

/// Indentation of the lines under an exercise's status line.
const INDENT: &str = "       ";

/// The status line of one exercise, and the few lines under it that say what to do.
pub fn verdict(exercise: &Exercise, verdict: &Verdict) -> String {
    // At least one space after the title, however long it is.
    let label = format!("{:<41} ", exercise.label());
    let mut out = String::new();
    let mut line = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    match verdict {
        Verdict::Done => line(&format!("{label}done")),
        Verdict::NotYet { at } => line(&format!("{label}not yet   todo!() at {at}")),
        Verdict::Failing { test, message, at } => {
            line(&format!("{label}failing   test `{test}`"));
            for part in message {
                line(&format!("{INDENT}{part}"));
            }
            line(&format!("{INDENT}(at {at})"));
        }
        Verdict::Hung { test, after, kind } => {
            let test = test.as_deref().unwrap_or("(before the first test)");
            line(&format!(
                "{label}hangs     test `{test}` stopped after {:.1} s",
                after.as_secs_f64()
            ));
            for part in hang_diagnosis(*kind) {
                line(&format!("{INDENT}{part}"));
            }
        }
        Verdict::Crashed { test, last_words } => {
            let test = test.as_deref().unwrap_or("(unknown)");
            line(&format!("{label}crashed   in test `{test}`"));
            line(&format!("{INDENT}{last_words}"));
            if let Some(why) = crash_cause(last_words) {
                line(&format!("{INDENT}({why})"));
            }
        }
        Verdict::DoesNotCompile(error) => {
            line(&format!("{label}does not compile"));
            line(&format!("{INDENT}{}: {}", error.location, error.headline));
            if let Some((number, text)) = &error.source {
                let width = number.to_string().len();
                line(&format!("{INDENT}{number} | {text}"));
                line(&format!("{INDENT}{:width$} | {}", "", error.pointer));
            }
            if error.in_tests {
                line(&format!(
                    "{INDENT}(the error is in the tests: they call the signatures the skeleton gave; \
                     keep those and change only the bodies)"
                ));
            }
            if error.count > 1 {
                let more = error.count - 1;
                let s = if more == 1 { "" } else { "s" };
                line(&format!(
                    "{INDENT}({more} more error{s}: `cargo test --test {}` shows them all)",
                    exercise.test_name()
                ));
            }
        }
    }
    out
}

/// What a test binary's last words usually mean, where they say.
fn crash_cause(last_words: &str) -> Option<&'static str> {
    if last_words.contains("overflowed its stack") || last_words.contains("stack overflow") {
        Some("a function or a poll that calls itself without end: infinite recursion")
    } else if last_words.contains("while processing panic")
        || last_words.contains("panic in a destructor")
        || last_words.contains("panic in a function that cannot unwind")
    {
        Some(
            "a panic inside a `drop` while a test was already failing aborts everything: look at your Drop impls",
        )
    } else {
        None
    }
}

/// What a hang of each kind usually means, in the words of the chapters.
fn hang_diagnosis(kind: HangKind) -> &'static [&'static str] {
    match kind {
        HangKind::Spinning => &[
            "it kept the CPU busy the whole time: a loop that never yields.",
            "Something is polled again and again and never finishes: a future that wakes itself on",
            "every poll and never becomes Ready, or a loop that polls without waiting for a wake.",
        ],
        HangKind::Asleep => &[
            "it used no CPU the whole time: a future that never woke.",
            "Something returned Poll::Pending and nobody will wake it: keep cx.waker() where the",
            "event will find it and call wake() when it happens (or a task waits for a value that",
            "nobody sends).",
        ],
        HangKind::Unknown => &[
            "either a future that never woke (Pending with no wake to come) or a loop that never",
            "yields (polling again and again without finishing).",
        ],
    }
}

/// The progress summary: how many are done, and what to do next.
pub fn progress(progress: &Progress) -> String {
    let done = EXERCISES
        .iter()
        .filter(|e| progress.done.contains(&e.number))
        .count();
    let mut out = format!("{done} of {} done.", EXERCISES.len());
    match next(progress) {
        None => out.push_str(" Every exercise passes: well done.\n"),
        Some(next) => {
            let n = next.number;
            out.push_str(&format!(" Next: {}\n", next.label()));
            out.push_str(&format!(
                "  edit   {}  (the instructions are in its //! comment)\n",
                next.file
            ));
            out.push_str(&format!(
                "  read   {}  (../book/src/{})\n",
                next.chapter.0, next.chapter.1
            ));
            out.push_str(&format!(
                "  then   cargo run -- watch   (or: cargo run -- check {n}; stuck? cargo run -- hint {n})\n"
            ));
        }
    }
    out
}

/// The first exercise not done.
pub fn next(progress: &Progress) -> Option<&'static Exercise> {
    EXERCISES
        .iter()
        .find(|e| !progress.done.contains(&e.number))
}

/// Shows the next hint of `exercise` (and records it), or all of them once they are used up.
/// `again` says how to ask for the next one (`cargo run -- hint 3`, or `h` in watch).
pub fn hint(exercise: &Exercise, progress: &mut Progress, again: &str) -> String {
    let total = exercise.hints.len();
    let shown = progress.hints_shown.entry(exercise.number).or_insert(0);
    let mut out = String::new();
    if *shown < total {
        *shown += 1;
        out.push_str(&format!(
            "Hint {} of {total} for {}:\n\n  {}\n",
            *shown,
            exercise.label(),
            exercise.hints[*shown - 1]
        ));
        if *shown < total {
            out.push_str(&format!("\n({again} again for a stronger one.)\n"));
        }
    } else {
        out.push_str(&format!(
            "Every hint for {} ({total} of {total}):\n\n",
            exercise.label()
        ));
        for (i, text) in exercise.hints.iter().enumerate() {
            out.push_str(&format!("  {}. {text}\n", i + 1));
        }
        out.push_str(&format!(
            "\nStill stuck? Read the failing test in tests/{}.rs: its name is the claim it \
             checks. The reference solution is in src/solutions/ (try first).\n",
            exercise.test_name()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn hints_come_one_at_a_time_then_all_together() {
        let exercise = crate::catalog::find(1).unwrap();
        let mut progress = Progress::default();
        let total = exercise.hints.len();
        for shown in 1..=total {
            let text = hint(exercise, &mut progress, "h");
            assert!(
                text.starts_with(&format!("Hint {shown} of {total}")),
                "{text}"
            );
            assert!(text.contains(exercise.hints[shown - 1]));
            if shown > 1 {
                assert!(
                    !text.contains(exercise.hints[shown - 2]),
                    "one hint at a time"
                );
            }
        }
        let all = hint(exercise, &mut progress, "h");
        assert!(exercise.hints.iter().all(|h| all.contains(h)), "{all}");
    }

    #[test]
    fn every_exercise_has_graded_hints_and_a_chapter() {
        for exercise in EXERCISES {
            assert!(
                exercise.hints.len() >= 3,
                "{}: fewer than 3 hints",
                exercise.label()
            );
            let page = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../book/src")
                .join(exercise.chapter.1);
            assert!(
                page.is_file(),
                "{}: no chapter {}",
                exercise.label(),
                page.display()
            );
            let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(exercise.file);
            assert!(
                file.is_file(),
                "{}: no file {}",
                exercise.label(),
                exercise.file
            );
        }
    }

    #[test]
    fn a_crash_is_explained_by_its_last_words() {
        let overflow = "thread 'x' has overflowed its stack";
        assert!(crash_cause(overflow).unwrap().contains("recursion"));
        let double = "thread 'x' panicked while processing panic. aborting.";
        assert!(crash_cause(double).unwrap().contains("Drop"));
        assert_eq!(crash_cause("Killed"), None);
    }
}
