//! `--compare NAME`: a demo beside its asyncio twin, every difference explained or flagged.
//!
//! tinyloop promises asyncio's event loop, rebuilt; this is where a reader checks the
//! promise. For a demo with a Python twin (`demos/python/NAME.py`, the seed's program changed
//! only as the demo changed it), the runner runs
//!
//! * the demo itself, as `NAME --virtual`, on tinyloop's virtual clock, and
//! * the twin under a chosen CPython (`python3`, or `--python PATH`), on asyncio's own event
//!   loop with a virtual clock (`demos/python/vloop.py`: asyncio's `SelectorEventLoop` whose
//!   selector jumps time to the next timer instead of sleeping),
//!
//! so that both print exact loop times, then diffs the two outputs line by line. Each line
//! only one side printed is looked up in the list of known differences
//! (`demos/python/DIFFERENCES.md`, which the book includes too): it is *expected*, with the
//! entry's name and reason, or *unexpected*. Any unexpected line, or a side that fails, makes
//! the exit status 1; a missing twin or an unusable Python makes it 2. Only stdout is
//! compared (asyncio's warnings and tinyloop's slow-poll notes go to stderr).

mod diff;
mod differences;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use diff::Line;
use differences::Entry;

/// The list of known differences, compiled in so that it always matches this binary.
const LIST: &str = include_str!("../../python/DIFFERENCES.md");

/// The oldest CPython the twins are written for.
const OLDEST_PYTHON: (u32, u32) = (3, 10);

/// Where the twins live.
fn twins_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("python")
}

/// The twin of `demo`, whether or not it exists.
pub fn twin_path(demo: &str) -> PathBuf {
    twins_dir().join(format!("{demo}.py"))
}

/// Run `demo` and its twin under `python` (default `python3`) and print the comparison.
pub fn run(demo: &str, python: Option<&str>, eager: bool) -> ExitCode {
    if !tinyloop_demos::all().iter().any(|d| d.name == demo) {
        eprintln!("tinyloop-demos: no demo named '{demo}' (see `list`)");
        return ExitCode::from(2);
    }
    let twin = twin_path(demo);
    if !twin.exists() {
        let with_twins: Vec<&str> = tinyloop_demos::all()
            .iter()
            .map(|d| d.name)
            .filter(|name| twin_path(name).exists())
            .collect();
        eprintln!(
            "tinyloop-demos: `{demo}` has no Python twin ({} does not exist), so there is \
             nothing to compare it with.\ndemos with a twin: {}",
            twin.display(),
            with_twins.join(", ")
        );
        return ExitCode::from(2);
    }
    let python = python.unwrap_or("python3");
    let version = match python_version(python) {
        Ok(version) => version,
        Err(problem) => {
            eprintln!("tinyloop-demos: --compare needs CPython 3.10 or newer: {problem}");
            return ExitCode::from(2);
        }
    };
    let entries = match differences::parse(LIST) {
        Ok(entries) => entries,
        Err(problem) => {
            eprintln!("tinyloop-demos: the list of known differences is broken: {problem}");
            return ExitCode::from(2);
        }
    };
    // `--eager` runs both sides with eager task starts (asyncio 3.12's eager_task_factory).
    let eager: &[&str] = if eager { &["--eager"] } else { &[] };
    let tinyloop = capture(
        Command::new(std::env::current_exe().expect("the running binary has a path"))
            .args([demo, "--virtual"])
            .args(eager),
    );
    let asyncio = capture(
        Command::new(python)
            .arg(&twin)
            .args(eager)
            .env("PYTHONIOENCODING", "utf-8")
            .env("PYTHONDONTWRITEBYTECODE", "1"),
    );
    let (tinyloop, asyncio) = match (tinyloop, asyncio) {
        (Ok(tinyloop), Ok(asyncio)) => (tinyloop, asyncio),
        (Err(problem), _) => {
            eprintln!("tinyloop-demos: the demo `{demo} --virtual` failed: {problem}");
            return ExitCode::FAILURE;
        }
        (_, Err(problem)) => {
            eprintln!(
                "tinyloop-demos: the twin {} failed: {problem}",
                twin.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let applying: Vec<&Entry> = entries
        .iter()
        .filter(|entry| entry.applies(demo, (version.0, version.1)))
        .collect();
    let left: Vec<&str> = tinyloop.lines().collect();
    let right: Vec<&str> = asyncio.lines().collect();
    let lines = diff::diff(&left, &right);
    let why = differences::explain(&applying, &lines);
    println!(
        "{demo}: tinyloop (`{demo} --virtual`) beside its asyncio twin (demos/python/{demo}.py \
         on CPython {}.{}.{}, virtual clock)\n",
        version.0, version.1, version.2
    );
    print_lines(&lines, &why, &applying);
    print_summary(&lines, &why, &applying)
}

/// Each line with the side that printed it, and for a differing line, why.
fn print_lines(lines: &[Line], why: &[Option<usize>], entries: &[&Entry]) {
    for (line, why) in lines.iter().zip(why) {
        let (side, text) = match *line {
            Line::Same(text) => ("", text),
            Line::Tinyloop(text) => ("tinyloop", text),
            Line::Asyncio(text) => ("asyncio", text),
        };
        let note = match (line, why) {
            (Line::Same(_), _) => String::new(),
            (_, Some(entry)) => format!("   <- expected: {}", entries[*entry].id),
            (_, None) => "   <- UNEXPECTED".to_string(),
        };
        println!("{side:>8} | {text}{note}");
    }
}

/// The counts, the reasons of the entries used, and the exit status.
fn print_summary(lines: &[Line], why: &[Option<usize>], entries: &[&Entry]) -> ExitCode {
    let same = lines.iter().filter(|l| matches!(l, Line::Same(_))).count();
    let differing = lines.len() - same;
    let unexpected = lines
        .iter()
        .zip(why)
        .filter(|(line, why)| !matches!(line, Line::Same(_)) && why.is_none())
        .count();
    println!();
    if differing == 0 {
        println!("the same {same} lines, in the same order");
        return ExitCode::SUCCESS;
    }
    println!(
        "{same} lines the same; {differing} printed by one side only: {} expected, {unexpected} \
         unexpected",
        differing - unexpected
    );
    let mut used: Vec<usize> = why.iter().flatten().copied().collect();
    used.sort_unstable();
    used.dedup();
    for entry in used.iter().map(|&i| entries[i]) {
        println!("\n{} ({}): {}", entry.id, entry.kind, entry.title);
        println!("  tinyloop: {}", entry.tinyloop);
        println!("  asyncio:  {}", entry.asyncio);
        println!("  why:      {}", entry.why);
    }
    if unexpected > 0 {
        println!(
            "\n{unexpected} unexpected: a change in tinyloop or in the twin, or a difference \
             the list (demos/python/DIFFERENCES.md) does not know yet"
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `python`'s version, if it runs and is new enough.
fn python_version(python: &str) -> Result<(u32, u32, u32), String> {
    let output = Command::new(python)
        .args(["-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"])
        .output()
        .map_err(|error| {
            format!("`{python}` could not be started ({error}); install it or pass --python PATH")
        })?;
    let text = String::from_utf8_lossy(&output.stdout);
    let mut parts = text.trim().split('.').map(|part| part.parse::<u32>());
    let version = match (parts.next(), parts.next(), parts.next()) {
        (Some(Ok(major)), Some(Ok(minor)), Some(Ok(patch))) => (major, minor, patch),
        _ => {
            return Err(format!(
                "`{python}` did not say its version; is it CPython?"
            ));
        }
    };
    if (version.0, version.1) < OLDEST_PYTHON {
        return Err(format!(
            "`{python}` is {}.{}.{}; pass --python PATH to a newer one",
            version.0, version.1, version.2
        ));
    }
    Ok(version)
}

/// Run `command` and return its stdout, or what went wrong (with its stderr).
fn capture(command: &mut Command) -> Result<String, String> {
    let output = command
        .output()
        .map_err(|error| format!("could not start it: {error}"))?;
    if !output.status.success() {
        return Err(format!(
            "{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
