//! `watch`: check the current exercise every time a file is saved, and move on to the next one
//! when it passes.
//!
//! It polls the modification times of the `.rs` files under `src/` and `tests/` a few times a
//! second: no dependency, and a save from any editor (even one that writes a new file and
//! renames it over the old) changes a time. The same trick as a loop without a reactor: ask
//! "anything new?" on a timer. Commands come on standard input, one per line: `h` for the
//! next hint, `q` to quit, an empty line to check again.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, SystemTime};

use crate::catalog::{EXERCISES, Exercise};
use crate::progress::Progress;
use crate::report;

/// How often the files' times are looked at.
const POLL_EVERY: Duration = Duration::from_millis(200);

/// What the learner typed.
enum Command {
    Hint,
    Quit,
    Recheck,
}

pub fn watch(root: &Path, progress: &mut Progress) -> ExitCode {
    let commands = read_commands();
    let Some(mut current) = report::next(progress) else {
        println!("Every exercise passes: there is nothing left to watch.");
        return ExitCode::SUCCESS;
    };
    println!(
        "watching: save a file to check it again; type h + Enter for a hint, q + Enter to quit\n"
    );
    loop {
        // Taken before the check, so a save made while it runs is not missed.
        let before = snapshot(root);
        println!("checking {} ({})", current.label(), current.file);
        let verdict = match crate::grade(root, &[current]) {
            Ok(mut verdicts) => verdicts.remove(0),
            Err(message) => {
                println!("{message}");
                match wait_for_save(root, &before, current, &commands, progress) {
                    Some(changed) => {
                        current = saved_exercise(root, &changed).unwrap_or(current);
                        continue;
                    }
                    None => return ExitCode::SUCCESS,
                }
            }
        };
        print!("{}", report::verdict(current, &verdict));
        if !cfg!(feature = "solutions") {
            progress.record(current.number, verdict.is_done());
            progress.save(root);
        }
        if verdict.is_done() {
            match next_after(current, progress) {
                Some(next) => {
                    println!("\npassed! moving on to {}\n", next.label());
                    print!("{}", report::progress(progress));
                    println!();
                    current = next;
                    continue;
                }
                None => {
                    println!();
                    print!("{}", report::progress(progress));
                    return ExitCode::SUCCESS;
                }
            }
        }
        println!(
            "\nwaiting for you to save {} (h = hint, q = quit, Enter = check again)",
            current.file
        );
        match wait_for_save(root, &before, current, &commands, progress) {
            // Saving another exercise's file moves the watch to that exercise.
            Some(changed) => current = saved_exercise(root, &changed).unwrap_or(current),
            None => return ExitCode::SUCCESS,
        }
    }
}

/// The next exercise not done after `current` (or before it, when the end is reached).
fn next_after(current: &Exercise, progress: &Progress) -> Option<&'static Exercise> {
    let after = EXERCISES.iter().filter(|e| e.number > current.number);
    let before = EXERCISES.iter().filter(|e| e.number < current.number);
    after
        .chain(before)
        .find(|e| !progress.done.contains(&e.number))
}

/// Waits until a source file changes (`Some` with the files that changed, empty for "check
/// again") or the learner quits (`None`), showing hints asked for meanwhile.
fn wait_for_save(
    root: &Path,
    before: &BTreeMap<PathBuf, SystemTime>,
    current: &Exercise,
    commands: &Receiver<Command>,
    progress: &mut Progress,
) -> Option<Vec<PathBuf>> {
    loop {
        match commands.recv_timeout(POLL_EVERY) {
            Ok(Command::Quit) => return None,
            Ok(Command::Recheck) => return Some(Vec::new()),
            Ok(Command::Hint) => {
                println!("\n{}", report::hint(current, progress, "h + Enter"));
                progress.save(root);
            }
            // Standard input closed (no terminal): keep watching the files.
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        }
        let now = snapshot(root);
        if now != *before {
            // Let the editor finish writing (some write in several steps).
            std::thread::sleep(Duration::from_millis(50));
            let changed = now
                .into_iter()
                .filter(|(path, time)| before.get(path) != Some(time))
                .map(|(path, _)| path)
                .collect();
            return Some(changed);
        }
    }
}

/// The exercise whose own file is among `changed`, if any.
fn saved_exercise(root: &Path, changed: &[PathBuf]) -> Option<&'static Exercise> {
    EXERCISES
        .iter()
        .find(|e| changed.iter().any(|path| *path == root.join(e.file)))
}

/// The modification time of every `.rs` file under `src/` and `tests/`.
fn snapshot(root: &Path) -> BTreeMap<PathBuf, SystemTime> {
    let mut times = BTreeMap::new();
    let mut dirs = vec![root.join("src"), root.join("tests")];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && let Ok(modified) = entry.metadata().and_then(|m| m.modified())
            {
                times.insert(path, modified);
            }
        }
    }
    times
}

/// Reads commands from standard input on a thread of its own.
fn read_commands() -> Receiver<Command> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            let command = match line.trim() {
                "h" | "hint" => Command::Hint,
                "q" | "quit" => Command::Quit,
                _ => Command::Recheck,
            };
            if send.send(command).is_err() {
                break;
            }
        }
    });
    receive
}
