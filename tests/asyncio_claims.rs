//! The book's claims about asyncio are checked against asyncio itself.
//!
//! Every sentence of the book that says what Python's asyncio does has a small program in
//! `book/python/` that shows it (`NN_name.py`), and the output that program prints on CPython
//! (`NN_name.out`, for 3.13; `NN_name.3.X.out` where an older version prints something else).
//! `book/python/README.md` lists each claim, the chapter that makes it, whether it is right, and
//! the CPython source that decides it.
//!
//! This test runs every program on every Python it finds: the pyenv interpreters
//! `~/.pyenv/versions/{3.10.13,3.11.7,3.12.1,3.13.0}` and `python3` on the `PATH`, and compares
//! what each prints with the expected output for its version. A Python that is not installed, or
//! whose version the programs were not checked on, is skipped with a printed reason, so the test
//! passes on a machine without Python and fails only when a Python that is there disagrees.
//!
//! The checks of the folder itself (every program documents its claim, has an expected output,
//! and is listed in the README) run everywhere.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The versions the expected outputs were generated and read on (major.minor).
const CHECKED_VERSIONS: [&str; 4] = ["3.10", "3.11", "3.12", "3.13"];

/// The pyenv interpreters this machine is meant to have, by full version.
const PYENV_VERSIONS: [&str; 4] = ["3.10.13", "3.11.7", "3.12.1", "3.13.0"];

/// How long one program may run before it counts as hung (the slowest takes about two seconds).
const PROGRAM_TIMEOUT: Duration = Duration::from_secs(60);

fn claims_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("book")
        .join("python")
}

/// The claim programs, `NN_name.py`, sorted by name (a helper module, whose name would start
/// with no number, is not a program).
fn programs() -> Vec<PathBuf> {
    let mut programs: Vec<PathBuf> = fs::read_dir(claims_dir())
        .expect("book/python/ exists")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.len() > 3 && name[..2].bytes().all(|b| b.is_ascii_digit()) && &name[2..3] == "_"
        })
        .collect();
    programs.sort();
    programs
}

fn stem(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// The expected output of `program` on Python `version` (major.minor): `NAME.VERSION.out` if the
/// version prints something of its own, else `NAME.out`.
fn expected_output_path(program: &Path, version: &str) -> PathBuf {
    let specific = claims_dir().join(format!("{}.{version}.out", stem(program)));
    if specific.exists() {
        specific
    } else {
        claims_dir().join(format!("{}.out", stem(program)))
    }
}

/// A Python to run the programs on: how the report names it, and the command.
struct Python {
    label: String,
    command: PathBuf,
}

/// The Pythons present, each with its major.minor version; prints why any other is skipped.
fn pythons_present() -> Vec<(Python, String)> {
    let mut candidates = Vec::new();
    match std::env::var_os("HOME") {
        Some(home) => {
            for version in PYENV_VERSIONS {
                let command = Path::new(&home)
                    .join(".pyenv/versions")
                    .join(version)
                    .join("bin/python");
                if command.exists() {
                    candidates.push(Python {
                        label: format!("pyenv {version}"),
                        command,
                    });
                } else {
                    println!(
                        "skipped: Python {version} is not installed ({})",
                        command.display()
                    );
                }
            }
        }
        None => println!("skipped: the pyenv Pythons (HOME is not set)"),
    }
    candidates.push(Python {
        label: "python3".to_string(),
        command: PathBuf::from("python3"),
    });

    let mut present = Vec::new();
    for python in candidates {
        let output = Command::new(&python.command)
            .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
            .output();
        let version = match output {
            Ok(output) if output.status.success() => {
                String::from_utf8_lossy(&output.stdout).trim().to_string()
            }
            _ => {
                println!("skipped: {} does not run", python.label);
                continue;
            }
        };
        if !CHECKED_VERSIONS.contains(&version.as_str()) {
            println!(
                "skipped: {} is Python {version}; the expected outputs were checked on {} only",
                python.label,
                CHECKED_VERSIONS.join(", ")
            );
            continue;
        }
        present.push((python, version));
    }
    present
}

/// Runs `program` on `python`, returning its stdout and stderr, or why it could not finish.
fn run_program(python: &Python, program: &Path) -> Result<(String, String), String> {
    let mut child = Command::new(&python.command)
        .arg(program)
        .current_dir(claims_dir())
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env_remove("PYTHONWARNINGS")
        .env_remove("PYTHONASYNCIODEBUG")
        .env_remove("PYTHONDEVMODE")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start: {e}"))?;
    let started = Instant::now();
    // The programs print a few lines, far less than a pipe holds, so waiting before reading
    // cannot deadlock; polling lets a hung program be killed instead of hanging the test.
    loop {
        if child.try_wait().map_err(|e| e.to_string())?.is_some() {
            break;
        }
        if started.elapsed() > PROGRAM_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("still running after {PROGRAM_TIMEOUT:?}; killed"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    Ok((
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// How many Pythons run their programs at once. Two keep the run short on a two-core machine
/// without crowding the few programs that measure time (their thresholds are wide, see the
/// README).
const PARALLEL_PYTHONS: usize = 2;

/// Runs every program on `python` and returns one message per disagreement.
fn check_python(python: &Python, version: &str) -> Vec<String> {
    let mut failures = Vec::new();
    for program in programs() {
        let name = stem(&program);
        let expected_path = expected_output_path(&program, version);
        let expected = fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        match run_program(python, &program) {
            Err(why) => failures.push(format!("{name} on {}: {why}", python.label)),
            Ok((stdout, stderr)) => {
                if stdout != expected {
                    failures.push(format!(
                        "{name} on {} (Python {version}) printed\n{stdout}\
                         but {} expects\n{expected}",
                        python.label,
                        expected_path.file_name().unwrap().to_string_lossy()
                    ));
                }
                if !stderr.is_empty() {
                    failures.push(format!(
                        "{name} on {} wrote to stderr:\n{stderr}",
                        python.label
                    ));
                }
            }
        }
    }
    println!("checked on {} (Python {version})", python.label);
    failures
}

/// Every claim program prints, on every Python present, exactly its expected output for that
/// version, and nothing on stderr (a stray warning or traceback is a failure too).
#[test]
fn every_claim_program_prints_its_expected_output_on_every_python_present() {
    let pythons = pythons_present();
    if pythons.is_empty() {
        println!("skipped: no Python to run book/python/ on");
        return;
    }
    let runs = pythons.len() * programs().len();
    let queue = std::sync::Mutex::new(pythons.iter());
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..PARALLEL_PYTHONS)
            .map(|_| {
                scope.spawn(|| {
                    let mut failures = Vec::new();
                    // The lock is held only inside `next`, not while a Python runs.
                    let next = || queue.lock().unwrap().next();
                    while let Some((python, version)) = next() {
                        failures.extend(check_python(python, version));
                    }
                    failures
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {runs} runs disagree with book/python/'s expected outputs \
         (if asyncio's behaviour really changed, fix the book and the README first, then the \
         .out file):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Each program says, in its docstring, which chapter makes the claim, the verdict, and the
/// CPython source that decides it; and the README lists it.
#[test]
fn every_claim_program_names_its_chapter_verdict_and_cpython_source_and_is_in_the_readme() {
    let readme = fs::read_to_string(claims_dir().join("README.md")).expect("book/python/README.md");
    let programs = programs();
    assert!(
        programs.len() >= 20,
        "expected the claim programs in book/python/, found {}",
        programs.len()
    );
    for program in programs {
        let name = stem(&program);
        let text = fs::read_to_string(&program).unwrap();
        let docstring = text
            .split("\"\"\"")
            .nth(1)
            .unwrap_or_else(|| panic!("{name}.py starts with no docstring"));
        for field in ["Book:", "Verdict:", "CPython:"] {
            assert!(
                docstring.contains(field),
                "{name}.py: its docstring has no `{field}` line"
            );
        }
        assert!(
            readme.contains(&format!("{name}.py")),
            "{name}.py is not listed in book/python/README.md"
        );
        assert!(
            claims_dir().join(format!("{name}.out")).exists(),
            "{name}.py has no expected output {name}.out"
        );
    }
}

/// Every expected-output file belongs to a program and to a checked version, so a renamed
/// program cannot leave a stale expectation behind.
#[test]
fn every_expected_output_belongs_to_a_program_and_a_checked_version() {
    for entry in fs::read_dir(claims_dir()).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(base) = file.strip_suffix(".out") else {
            continue;
        };
        let (program, version) = match base.split_once('.') {
            Some((program, version)) => (program, Some(version)),
            None => (base, None),
        };
        assert!(
            claims_dir().join(format!("{program}.py")).exists(),
            "{file}: there is no {program}.py"
        );
        if let Some(version) = version {
            assert!(
                CHECKED_VERSIONS.contains(&version),
                "{file}: {version} is not one of the checked versions {CHECKED_VERSIONS:?}"
            );
        }
    }
}
