//! The runner's `--trace`, `--step` and `--timeline` flags, and the diagnostics demos, run
//! as a user runs them: the real binary, stdin through a pipe.

use std::io::Write;
use std::process::{Command, Stdio};

/// Run the runner with `args`, feeding `input` on stdin; (stdout, stderr, exit code).
fn run(args: &[&str], input: &str) -> (String, String, Option<i32>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tinyloop-demos"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the demos runner starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code(),
    )
}

#[test]
fn trace_interleaves_event_lines_with_the_demos_own_lines() {
    let (stdout, _, code) = run(&["workers", "--virtual", "--trace"], "");
    assert_eq!(code, Some(0));
    let lines: Vec<&str> = stdout.lines().collect();
    let poll = lines
        .iter()
        .position(|l| *l == "t=0.00 step 2   poll     task-1")
        .expect("the first worker's poll is logged");
    assert_eq!(lines[poll + 1], "t=0.00 Worker-1: Starting work");
    assert_eq!(
        lines[poll + 2],
        "t=0.00 step 2   pending  task-1: waiting on a timer at t=3.00"
    );
    assert!(lines.contains(&"t=1.00 step 3   wake     task-2 by a timer"));
    // The text timeline at the end.
    assert!(stdout.contains("timeline: 6 steps"));
    assert!(stdout.contains("\nmain    #...-=\n"), "{stdout}");
}

#[test]
fn step_stops_before_each_step_and_continues_on_c_through_a_pipe() {
    let (stdout, _, code) = run(&["task_order", "--virtual", "--step"], "\n\nc\n");
    assert_eq!(code, Some(0));
    // Three stops (steps 1, 2, 3), then `c` runs to the end without stopping again.
    assert_eq!(stdout.matches("[Enter] next step").count(), 3, "{stdout}");
    assert!(stdout.contains("t=0.00 before step 1: a task is ready: no waiting"));
    assert!(stdout.contains("t=0.00 before step 3: a task is ready: no waiting"));
    assert!(!stdout.contains("before step 4"));
    // Before step 2 the snapshot shows the three workers ready, in spawn order.
    let step2 = stdout.split("before step 2").nth(1).unwrap();
    assert!(
        step2.contains("ready queue: task-1, task-2, task-3"),
        "{step2}"
    );
    assert!(step2.contains("main    waiting on task-1"), "{step2}");
    // The demo ran to its end.
    assert!(stdout.contains("joined worker-3"));
}

#[test]
fn step_treats_the_end_of_its_input_as_c() {
    let (stdout, _, code) = run(&["countasync", "--virtual", "--step"], "\n");
    assert_eq!(code, Some(0));
    assert_eq!(stdout.matches("[Enter] next step").count(), 2);
    assert!(stdout.contains("(end of input: running to the end)"));
}

#[test]
fn step_quits_cleanly_on_q() {
    let (stdout, _, code) = run(&["workers", "--virtual", "--step"], "\nq\n");
    assert_eq!(code, Some(0));
    assert!(stdout.contains("quit at step 2"), "{stdout}");
    assert!(!stdout.contains("All workers finished"));
}

#[test]
fn timeline_writes_an_svg_with_one_lane_per_task() {
    let path = std::env::temp_dir().join(format!("tinyloop-kitchen-{}.svg", std::process::id()));
    let path_arg = path.to_str().unwrap();
    let (_, stderr, code) = run(&["workers", "--virtual", "--timeline", path_arg], "");
    assert_eq!(code, Some(0), "{stderr}");
    let svg = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<g class=\"lane\"").count(), 4); // main and three workers
}

#[test]
fn slow_poll_warns_on_stderr_naming_the_task() {
    let (_, stderr, code) = run(&["slow_poll", "--virtual"], "");
    assert_eq!(code, Some(0));
    assert!(
        stderr.contains("tinyloop: executing blocker (task-2) took 0.150 seconds"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("took").count(), 2); // one warning (it quotes asyncio once)
}

#[test]
fn a_deadlock_is_reported_once_as_output_not_as_a_crash() {
    let (stdout, stderr, code) = run(&["deadlock", "--virtual"], "");
    assert_eq!(code, Some(0));
    // The report is the demo's outcome: printed once, with the demo's output, and neither
    // a panic message nor a second report of leftover tasks while the loop unwinds.
    assert_eq!(
        stdout.matches("the loop can never make progress").count(),
        1
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("still pending"), "{stderr}");
}

#[test]
fn unknown_timeline_use_is_a_usage_error() {
    let (_, stderr, code) = run(&["workers", "--timeline"], "");
    assert_eq!(code, Some(2));
    assert!(stderr.contains("--timeline needs a file name"));
}
