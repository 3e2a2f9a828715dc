//! The runtime's layering rule, checked on the sources: drivers never call up.
//!
//! The crate docs (`src/lib.rs`, "The layers, and the one rule") say which modules sit
//! below the executor. This test reads every source file of those modules and fails if one
//! of them imports the executor, if the leaf `ids.rs` imports anything of the loop, or if a
//! source file of the runtime or the primitives grows past 500 lines (a learner reads each
//! file as a page).

use std::fs;
use std::path::{Path, PathBuf};

/// The modules below the executor, as paths under `runtime/src`.
const BELOW_THE_EXECUTOR: &[&str] = &["time", "reactor", "blocking.rs", "trace", "ids.rs"];

/// The longest a source file may be.
const MAX_LINES: usize = 500;

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)
            .unwrap_or_else(|error| panic!("cannot list {}: {error}", path.display()))
            .map(|entry| entry.expect("a directory entry").path())
            .collect();
        entries.sort();
        for entry in entries {
            rust_files(&entry, out);
        }
    } else if path.extension().is_some_and(|ext| ext == "rs") {
        out.push(path.to_path_buf());
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The lines of `text` that are code, not comments (a doc comment may name the executor).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(index, line)| (index + 1, line.trim_start()))
        .filter(|(_, line)| !line.starts_with("//"))
}

/// The code lines of `text` that name the executor.
fn naming_the_executor(text: &str) -> Vec<(usize, &str)> {
    code_lines(text)
        .filter(|(_, line)| line.contains("executor::"))
        .collect()
}

/// Every place in the modules below the executor that names it.
fn upward_imports() -> Vec<String> {
    let mut files = Vec::new();
    for module in BELOW_THE_EXECUTOR {
        rust_files(&src().join(module), &mut files);
    }
    assert!(
        files.len() > 10,
        "found only {} files below the executor",
        files.len()
    );
    let mut found = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("a readable source file");
        for (number, line) in naming_the_executor(&text) {
            found.push(format!("{}:{number}: {line}", file.display()));
        }
    }
    found
}

#[test]
fn no_module_below_the_executor_imports_it() {
    let found = upward_imports();
    assert!(
        found.is_empty(),
        "a module below the executor reaches up into it (drivers never call up: take what \
         you need as an argument, or from `context`):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_leaf_ids_module_imports_nothing_of_the_loop() {
    let text = fs::read_to_string(src().join("ids.rs")).expect("runtime/src/ids.rs");
    let imports: Vec<&str> = code_lines(&text)
        .map(|(_, line)| line)
        .filter(|line| line.starts_with("use crate") || line.starts_with("use super"))
        .collect();
    assert!(
        imports.is_empty(),
        "ids.rs must stay a leaf, but has: {imports:?}"
    );
}

#[test]
fn no_source_file_is_longer_than_a_few_pages() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../primitives/src"),
        &mut files,
    );
    let long: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let lines = fs::read_to_string(file)
                .expect("a readable source file")
                .lines()
                .count();
            (lines > MAX_LINES).then(|| format!("{}: {lines} lines", file.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "files over {MAX_LINES} lines (split them by concept):\n{}",
        long.join("\n")
    );
}

#[test]
fn the_rule_catches_an_upward_import() {
    // The check itself must be able to fail: a line as a driver would write it is caught.
    let sample = "use crate::executor::Loop;\n/// [`crate::executor::run`] in a doc is fine\n\
                  let x = 1;\n    use super::super::executor::TaskId;\n";
    let caught: Vec<usize> = naming_the_executor(sample)
        .into_iter()
        .map(|(number, _)| number)
        .collect();
    assert_eq!(caught, [1, 4]);
}
