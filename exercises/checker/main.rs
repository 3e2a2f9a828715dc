//! The checker, run from `exercises/`:
//!
//! ```text
//! cargo run -- watch        # check the current exercise on every save; move on when it passes
//! cargo run -- check        # every exercise, one status line each, then what to do next
//! cargo run -- check 3      # exercise 03 only
//! cargo run -- hint 3       # the next hint for exercise 03 (again: a stronger one)
//! cargo run -- hint         # the next hint for the first exercise not done
//! ```
//!
//! Each exercise is compiled on its own (its own test binary, see `build.rs`), so a compile
//! error is charged to its own exercise only. Each is then run with a watchdog (`run.rs`) and
//! its output read into a verdict (`judge.rs`): done, not yet (a `todo!()` was reached),
//! failing (the first failing test's own message), hangs (and which kind), or does not compile
//! (the first error, briefly).
//!
//! Built with `--features solutions` (`cargo run --features solutions -- check`), it passes the
//! feature on and so grades the reference solutions instead of your files.

mod build;
mod catalog;
mod judge;
mod progress;
mod report;
mod run;
mod watch;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use build::Built;
use catalog::{EXERCISES, Exercise};
use judge::Verdict;
use progress::Progress;

const USAGE: &str = "\
usage (from the exercises/ directory):
  cargo run -- watch        check the current exercise on every save; move on when it passes
  cargo run -- check        check every exercise
  cargo run -- check N      check exercise N only
  cargo run -- hint N       the next hint for exercise N (ask again for a stronger one)
  cargo run -- hint         the next hint for the first exercise not done";

fn main() -> ExitCode {
    quiet_on_a_closed_pipe();
    let root = root();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut progress = Progress::load(&root);
    match args[..] {
        ["check"] => check(&root, EXERCISES.iter().collect(), &mut progress),
        ["check", n] => match exercise(n) {
            Ok(exercise) => check(&root, vec![exercise], &mut progress),
            Err(code) => code,
        },
        ["hint"] => match report::next(&progress) {
            Some(exercise) => hint(&root, exercise, &mut progress),
            None => {
                println!("Every exercise passes: there is nothing left to hint at.");
                ExitCode::SUCCESS
            }
        },
        ["hint", n] => match exercise(n) {
            Ok(exercise) => hint(&root, exercise, &mut progress),
            Err(code) => code,
        },
        ["watch"] => watch::watch(&root, &mut progress),
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `cargo run -- check | head` closes our stdout early, and `print!` then panics with
/// "failed printing to stdout: Broken pipe". Exit quietly instead, with the status a shell
/// gives a program stopped by SIGPIPE (128 + 13), as other command-line tools do.
fn quiet_on_a_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info
            .payload_as_str()
            .is_some_and(|m| m.contains("Broken pipe"))
        {
            std::process::exit(141);
        }
        default(info);
    }));
}

/// The exercises directory: the current one if it holds the exercises (so a copy of them can
/// be checked), otherwise the one this checker was built from.
fn root() -> PathBuf {
    match std::env::current_dir() {
        Ok(dir) if dir.join("tests/ex01.rs").is_file() => dir,
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")),
    }
}

/// The exercise numbered `n`, or the usage error.
fn exercise(n: &str) -> Result<&'static Exercise, ExitCode> {
    match n.parse().ok().and_then(catalog::find) {
        Some(exercise) => Ok(exercise),
        None => {
            eprintln!(
                "no exercise {n:?}: the exercises are numbered 1 to {}",
                EXERCISES.len()
            );
            Err(ExitCode::from(2))
        }
    }
}

/// Builds `exercises` side by side, then runs each one's tests: their verdicts, in order.
pub fn grade(root: &Path, exercises: &[&'static Exercise]) -> Result<Vec<Verdict>, String> {
    let built = build::build(root, exercises)?;
    let mut verdicts = Vec::new();
    for exercise in exercises {
        let verdict = match &built[&exercise.number] {
            Built::Broken(error) => Verdict::DoesNotCompile(error.clone()),
            Built::Binary(binary) => match run::run(root, binary) {
                Ok(outcome) => Verdict::of(outcome),
                Err(e) => return Err(format!("could not run {}: {e}", binary.display())),
            },
        };
        verdicts.push(verdict);
    }
    Ok(verdicts)
}

fn check(root: &Path, exercises: Vec<&'static Exercise>, progress: &mut Progress) -> ExitCode {
    if cfg!(feature = "solutions") {
        println!("checking the reference solutions (src/solutions/), not your files\n");
    }
    // On stderr, so scripts reading the verdicts do not see it. The first build compiles
    // tinyloop too: a minute or two on a small machine; later ones take seconds.
    eprintln!(
        "building {} exercise{} (the first time takes a while)...",
        exercises.len(),
        if exercises.len() == 1 { "" } else { "s" }
    );
    let verdicts = match grade(root, &exercises) {
        Ok(verdicts) => verdicts,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let mut all_done = true;
    for (exercise, verdict) in exercises.iter().zip(&verdicts) {
        print!("{}", report::verdict(exercise, verdict));
        all_done &= verdict.is_done();
        if !cfg!(feature = "solutions") {
            progress.record(exercise.number, verdict.is_done());
        }
    }
    if !cfg!(feature = "solutions") {
        progress.save(root);
        println!();
        print!("{}", report::progress(progress));
    }
    if all_done {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn hint(root: &Path, exercise: &Exercise, progress: &mut Progress) -> ExitCode {
    let again = format!("`cargo run -- hint {}`", exercise.number);
    print!("{}", report::hint(exercise, progress, &again));
    progress.save(root);
    ExitCode::SUCCESS
}
