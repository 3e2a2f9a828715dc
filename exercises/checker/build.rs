//! Compiling exercises, each on its own.
//!
//! Every exercise is its own test binary (`tests/exNN.rs` mounts `src/exNN_*.rs` as a module),
//! so one `cargo build --keep-going --test ex01 --test ex02 ...` builds them side by side and
//! keeps going past a broken one. Cargo's `--message-format=json` says, per test target, which
//! executable was built and which errors the compiler reported, so a compile error is charged
//! to its own exercise and to no other.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::catalog::Exercise;

/// The first compile error of one exercise, cut down to what a learner needs first.
#[derive(Debug, Clone)]
pub struct CompileError {
    /// The compiler's message, with its code: `error[E0308]: mismatched types`.
    pub headline: String,
    /// `file:line:column` of the error's primary span, relative to `exercises/`.
    pub location: String,
    /// The source line the error points at, with its number (when the compiler gave one).
    pub source: Option<(usize, String)>,
    /// A line of `^` under the offending part of `source`, and the compiler's label for it.
    pub pointer: String,
    /// Whether the error is in the tests (`tests/exNN.rs`) rather than the exercise: the
    /// learner changed a signature the tests call.
    pub in_tests: bool,
    /// How many errors the compiler reported for this exercise in all.
    pub count: usize,
}

/// What building one exercise gave.
#[derive(Debug, Clone)]
pub enum Built {
    /// Its test binary.
    Binary(PathBuf),
    /// It does not compile.
    Broken(CompileError),
}

/// `cargo` with the `solutions` feature passed on when the checker was built with it, so
/// `cargo run --features solutions -- check` grades the reference solutions.
pub fn cargo(root: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(root).args(args);
    if cfg!(feature = "solutions") {
        command.args(["--features", "solutions"]);
    }
    command
}

/// Builds the test binaries of `exercises`, keeping going past any that do not compile.
/// Fails (with cargo's own words) only when something other than an exercise broke.
pub fn build(root: &Path, exercises: &[&Exercise]) -> Result<HashMap<u32, Built>, String> {
    let mut command = cargo(
        root,
        &["build", "--keep-going", "--message-format=json", "--quiet"],
    );
    for exercise in exercises {
        command.args(["--test", &exercise.test_name()]);
    }
    let output = command
        .output()
        .map_err(|e| format!("could not run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);

    let mut binaries: HashMap<String, PathBuf> = HashMap::new();
    let mut errors: HashMap<String, (CompileError, usize)> = HashMap::new();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let target = message["target"]["name"].as_str().unwrap_or_default();
        match message["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(executable) = message["executable"].as_str() {
                    binaries.insert(target.to_string(), PathBuf::from(executable));
                }
            }
            Some("compiler-message") => {
                if let Some(error) = compile_error(&message["message"]) {
                    errors
                        .entry(target.to_string())
                        .and_modify(|(_, count)| *count += 1)
                        .or_insert((error, 1));
                }
            }
            _ => {}
        }
    }

    let mut built = HashMap::new();
    for exercise in exercises {
        let name = exercise.test_name();
        if let Some((mut error, count)) = errors.remove(&name) {
            error.count = count;
            built.insert(exercise.number, Built::Broken(error));
        } else if let Some(binary) = binaries.remove(&name) {
            built.insert(exercise.number, Built::Binary(binary));
        }
    }
    if built.len() < exercises.len() {
        // Neither a binary nor an error of its own: something shared broke (the support
        // library, the manifest, a dependency that could not be fetched).
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "cargo could not build the exercises; it says:\n{}",
            tail.join("\n")
        ));
    }
    Ok(built)
}

/// A path as the learner knows it: the tests mount `../src/exNN.rs`, so the compiler and the
/// harness name it `tests/../src/exNN.rs`.
pub fn tidy_path(path: &str) -> String {
    path.replace("tests/../", "")
}

/// Reads one rustc diagnostic (cargo's `message` object); `None` unless it is an error with a
/// place in the source ("aborting due to 2 previous errors" has none).
fn compile_error(diagnostic: &Value) -> Option<CompileError> {
    if diagnostic["level"].as_str() != Some("error") {
        return None;
    }
    let spans = diagnostic["spans"].as_array()?;
    let span = spans
        .iter()
        .find(|s| s["is_primary"].as_bool() == Some(true))
        .or_else(|| spans.first())?;
    let file = tidy_path(span["file_name"].as_str().unwrap_or("?"));
    let line = span["line_start"].as_u64().unwrap_or(0) as usize;
    let column = span["column_start"].as_u64().unwrap_or(0) as usize;
    let headline = match diagnostic["code"]["code"].as_str() {
        Some(code) => format!("error[{code}]: {}", diagnostic["message"].as_str()?),
        None => format!("error: {}", diagnostic["message"].as_str()?),
    };
    let source_text = span["text"][0]["text"].as_str().map(str::to_string);
    let (start, end) = (
        span["text"][0]["highlight_start"].as_u64().unwrap_or(1) as usize,
        span["text"][0]["highlight_end"].as_u64().unwrap_or(2) as usize,
    );
    let mut pointer = format!(
        "{}{}",
        " ".repeat(start.saturating_sub(1)),
        "^".repeat(end.saturating_sub(start).max(1))
    );
    if let Some(label) = span["label"].as_str() {
        pointer.push(' ');
        pointer.push_str(label);
    }
    Some(CompileError {
        headline,
        location: format!("{file}:{line}:{column}"),
        source: source_text.map(|text| (line, text)),
        pointer,
        in_tests: file.starts_with("tests/"),
        count: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rustc_error_becomes_its_headline_place_and_pointer() {
        let diagnostic: Value = serde_json::from_str(
            r#"{"level":"error","message":"mismatched types","code":{"code":"E0308"},
            "spans":[{"is_primary":true,"file_name":"src/ex01_countdown.rs","line_start":40,
            "column_start":9,"label":"expected `u32`, found `&str`",
            "text":[{"text":"        \"three\"","highlight_start":9,"highlight_end":16}]}]}"#,
        )
        .unwrap();
        let error = compile_error(&diagnostic).expect("an error with a span");
        assert_eq!(error.headline, "error[E0308]: mismatched types");
        assert_eq!(error.location, "src/ex01_countdown.rs:40:9");
        assert_eq!(error.source, Some((40, "        \"three\"".to_string())));
        assert_eq!(
            error.pointer,
            "        ^^^^^^^ expected `u32`, found `&str`"
        );
        assert!(!error.in_tests);
    }

    #[test]
    fn warnings_and_summaries_are_not_compile_errors() {
        let warning: Value =
            serde_json::from_str(r#"{"level":"warning","message":"unused","spans":[]}"#).unwrap();
        let summary: Value = serde_json::from_str(
            r#"{"level":"error","message":"aborting due to 2 previous errors","spans":[]}"#,
        )
        .unwrap();
        assert!(compile_error(&warning).is_none());
        assert!(compile_error(&summary).is_none());
    }
}
