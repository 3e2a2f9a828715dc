//! Every demo's whole output, under the virtual clock, against `demos/expected/NAME.txt`.
//!
//! The expected files were produced by running each demo and then read line by line
//! against the seed example it mirrors. To regenerate them after a deliberate change, run
//! `TINYLOOP_BLESS=1 cargo test -p tinyloop-demos` and review the diff before committing.

use std::path::PathBuf;
use std::process::Command;

fn expected_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("expected")
        .join(format!("{name}.txt"))
}

fn run_demo(args: &[&str]) -> (String, String, Option<i32>) {
    let output = Command::new(env!("CARGO_BIN_EXE_tinyloop-demos"))
        .args(args)
        .output()
        .expect("the demos runner starts");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}

#[test]
fn every_demo_prints_its_expected_output_under_the_virtual_clock() {
    let bless = std::env::var_os("TINYLOOP_BLESS").is_some();
    let mut failures = Vec::new();
    for demo in tinyloop_demos::all() {
        let (stdout, stderr, code) = run_demo(&[demo.name, "--virtual"]);
        if code != Some(0) {
            failures.push(format!("{}: exit {code:?}\n{stderr}", demo.name));
            continue;
        }
        let path = expected_path(demo.name);
        if bless {
            std::fs::write(&path, &stdout).unwrap();
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(expected) if expected == stdout => {}
            Ok(expected) => failures.push(format!(
                "{}: output differs from {}\n--- expected\n{expected}--- got\n{stdout}",
                demo.name,
                path.display()
            )),
            Err(_) => failures.push(format!(
                "{}: no expected file {} (run with TINYLOOP_BLESS=1, then review it)",
                demo.name,
                path.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn task_order_with_eager_starts_runs_each_worker_inside_spawn() {
    // asyncio 3.12's eager_task_factory prints the same lines (`--compare --eager`).
    let (stdout, stderr, code) = run_demo(&["task_order", "--virtual", "--eager"]);
    assert_eq!(code, Some(0), "{stderr}");
    let expected = std::fs::read_to_string(expected_path("task_order.eager")).unwrap();
    assert_eq!(stdout, expected);
}

#[test]
fn every_expected_file_belongs_to_a_demo() {
    let names: Vec<&str> = tinyloop_demos::all().iter().map(|demo| demo.name).collect();
    for entry in std::fs::read_dir(expected_path("x").parent().unwrap()).unwrap() {
        let file = entry.unwrap().file_name().into_string().unwrap();
        let stem = file.trim_end_matches(".txt").trim_end_matches(".eager");
        assert!(names.contains(&stem), "{file} has no demo");
    }
}

#[test]
fn list_names_every_demo_with_its_seed_and_what_it_shows() {
    let (stdout, _, code) = run_demo(&["list"]);
    assert_eq!(code, Some(0));
    for demo in tinyloop_demos::all() {
        assert!(
            stdout.contains(demo.name),
            "{} missing from list",
            demo.name
        );
        assert!(stdout.contains(demo.mirrors));
        assert!(stdout.contains(demo.shows));
    }
}

/// The titles `list` and the tour use for the asyncio texts (the introduction's table).
const TEXT_TITLES: &[&str] = &[
    "Asyncio Components",
    "Concurrency Patterns",
    "From First Principles",
    "asyncio Q&A",
    "Lecture 24",
];

#[test]
fn every_demo_names_the_text_it_mirrors_by_title_not_by_seed_number() {
    for demo in tinyloop_demos::all() {
        assert!(
            !demo.mirrors.to_lowercase().contains("seed"),
            "{}: \"{}\" names a seed; a reader knows the texts by their titles",
            demo.name,
            demo.mirrors
        );
        assert!(
            TEXT_TITLES.iter().any(|title| demo.mirrors.contains(title)),
            "{}: \"{}\" names none of the texts' titles {TEXT_TITLES:?}",
            demo.name,
            demo.mirrors
        );
    }
}

#[test]
fn an_unknown_demo_or_flag_exits_with_status_2_and_lists_what_exists() {
    for args in [
        &["no_such_demo"][..],
        &["kitchen", "--no-such-flag"][..],
        &[][..],
    ] {
        let (stdout, stderr, code) = run_demo(args);
        assert_eq!(code, Some(2), "{args:?}");
        assert!(stdout.is_empty());
        assert!(
            stderr.contains("kitchen"),
            "the message lists the demos: {stderr}"
        );
        assert!(stderr.contains("usage"));
    }
}

#[test]
fn the_tour_runs_each_stop_under_a_heading() {
    let (stdout, stderr, code) = run_demo(&["tour", "--virtual"]);
    assert_eq!(code, Some(0), "{stderr}");
    let demos = tinyloop_demos::all();
    let stops: Vec<&str> = tinyloop_demos::TOUR
        .iter()
        .copied()
        .filter(|name| demos.iter().any(|demo| demo.name == *name))
        .collect();
    for (number, name) in stops.iter().enumerate() {
        let heading = format!("=== {} / {}: {name} ===", number + 1, stops.len());
        assert!(stdout.contains(&heading), "missing {heading}");
    }
}
