//! The learner's progress: which exercises passed when last checked, and how many hints of
//! each have been shown. Kept in `exercises/.progress` (git-ignored), a few plain lines, so
//! `hint` can give the *next* hint and `watch` knows where to start. Deleting the file starts
//! over; nothing in it is needed to grade an exercise.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What the checker remembers between runs.
#[derive(Debug, Default, PartialEq)]
pub struct Progress {
    /// Exercises whose tests all passed the last time they were checked.
    pub done: BTreeSet<u32>,
    /// For each exercise, how many of its hints have been shown.
    pub hints_shown: BTreeMap<u32, usize>,
}

impl Progress {
    /// The file it lives in.
    pub fn path(root: &Path) -> PathBuf {
        root.join(".progress")
    }

    /// Reads it; a missing or garbled file is a fresh start (lines it does not know are
    /// ignored, never an error: it is only a memory).
    pub fn load(root: &Path) -> Progress {
        let text = std::fs::read_to_string(Progress::path(root)).unwrap_or_default();
        Progress::parse(&text)
    }

    fn parse(text: &str) -> Progress {
        let mut progress = Progress::default();
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words[..] {
                ["done", n] => {
                    if let Ok(n) = n.parse() {
                        progress.done.insert(n);
                    }
                }
                ["hints", n, shown] => {
                    if let (Ok(n), Ok(shown)) = (n.parse(), shown.parse()) {
                        progress.hints_shown.insert(n, shown);
                    }
                }
                _ => {}
            }
        }
        progress
    }

    fn render(&self) -> String {
        let mut text = String::from(
            "# Your progress in the tinyloop exercises, kept by the checker. Delete to start over.\n",
        );
        for n in &self.done {
            text.push_str(&format!("done {n}\n"));
        }
        for (n, shown) in &self.hints_shown {
            text.push_str(&format!("hints {n} {shown}\n"));
        }
        text
    }

    /// Writes it back. Failing to (a read-only checkout) only costs the memory, so it warns.
    pub fn save(&self, root: &Path) {
        if let Err(e) = std::fs::write(Progress::path(root), self.render()) {
            eprintln!("(could not save progress to .progress: {e})");
        }
    }

    /// Records a check's result.
    pub fn record(&mut self, number: u32, done: bool) {
        if done {
            self.done.insert(number);
        } else {
            self.done.remove(&number);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_survives_a_round_trip_through_its_file() {
        let mut progress = Progress::default();
        progress.record(1, true);
        progress.record(2, true);
        progress.record(2, false);
        progress.hints_shown.insert(3, 2);
        let back = Progress::parse(&progress.render());
        assert_eq!(back, progress);
        assert_eq!(back.done.iter().copied().collect::<Vec<_>>(), [1]);
    }

    #[test]
    fn a_garbled_file_is_a_fresh_start_not_an_error() {
        let progress = Progress::parse("done x\nhints 3\nsomething else\n");
        assert_eq!(progress, Progress::default());
    }
}
