//! Grades exercise 16: cleanup on cancellation (`with_cleanup`) and a small task group, on
//! tinyloop's virtual clock.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex16_task_group.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex16_task_group.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex16;

use ex16::{TaskGroup, with_cleanup};
use exercises::expect_eq;
use tinyloop::{JoinError, now, run_virtual, sleep, spawn, timeout};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

/// Pushes "TEXT at t=..." to `log`.
fn note(log: &Log, text: impl std::fmt::Display) {
    log.borrow_mut().push(format!("{text} at {}", now()));
}

/// A job that sleeps `ms_` then returns `result`, with a cleanup that logs how it ended.
async fn job(
    log: Log,
    name: &'static str,
    ms_: u64,
    result: Result<(), String>,
) -> Result<(), String> {
    let cleanup_log = log.clone();
    with_cleanup(
        async move {
            sleep(ms(ms_)).await;
            if result.is_err() {
                note(&log, format_args!("{name} failed"));
            }
            result
        },
        move |ended| note(&cleanup_log, format_args!("{name} cleanup {ended:?}")),
    )
    .await
}

#[test]
fn a_future_that_finishes_runs_its_cleanup_once_as_finished() {
    let log = run_virtual(async {
        let log = log();
        let out = job(log.clone(), "a", 10, Ok(())).await;
        expect_eq!(out, Ok(()));
        log.take()
    });
    expect_eq!(log, ["a cleanup Finished at t=0.01"]);
}

#[test]
fn a_future_dropped_by_a_timeout_runs_its_cleanup_as_cancelled() {
    let log = run_virtual(async {
        let log = log();
        let out = timeout(ms(30), job(log.clone(), "slow", 1000, Ok(()))).await;
        expect_eq!(out.is_err(), true, "the timeout fired");
        sleep(ms(100)).await;
        log.take()
    });
    expect_eq!(log, ["slow cleanup Cancelled at t=0.03"]);
}

#[test]
fn a_cancelled_task_runs_its_cleanup_as_cancelled() {
    let (log, out) = run_virtual(async {
        let log = log();
        let handle = spawn(job(log.clone(), "task", 1000, Ok(())));
        sleep(ms(20)).await;
        handle.cancel();
        let out = handle.await;
        (log.take(), out)
    });
    expect_eq!(out, Err(JoinError::Cancelled));
    expect_eq!(log, ["task cleanup Cancelled at t=0.02"]);
}

#[test]
fn join_waits_for_every_child() {
    let (out, log) = run_virtual(async {
        let log = log();
        let mut group = TaskGroup::new();
        group.spawn(job(log.clone(), "a", 30, Ok(())));
        group.spawn(job(log.clone(), "b", 10, Ok(())));
        let out = group.join().await;
        note(&log, "join returned");
        (out, log.take())
    });
    expect_eq!(out, Ok(()));
    expect_eq!(
        log,
        [
            "b cleanup Finished at t=0.01",
            "a cleanup Finished at t=0.03",
            "join returned at t=0.03",
        ]
    );
}

#[test]
fn the_first_failure_cancels_the_others_and_their_cleanup_runs_before_join_returns() {
    let (out, log) = run_virtual(async {
        let log = log();
        let mut group = TaskGroup::new();
        group.spawn(job(log.clone(), "slow", 1000, Ok(())));
        group.spawn(job(log.clone(), "bad", 20, Err("bad broke".into())));
        group.spawn(job(log.clone(), "later", 500, Ok(())));
        let out = group.join().await;
        note(&log, "join returned");
        (out, log.take())
    });
    expect_eq!(out, Err(vec!["bad broke".to_string()]));
    expect_eq!(
        log,
        [
            "bad failed at t=0.02",
            "bad cleanup Finished at t=0.02",
            "slow cleanup Cancelled at t=0.02",
            "later cleanup Cancelled at t=0.02",
            "join returned at t=0.02",
        ]
    );
}

#[test]
fn failures_in_the_same_step_are_all_reported() {
    let out = run_virtual(async {
        let log = log();
        let mut group = TaskGroup::new();
        group.spawn(job(log.clone(), "one", 10, Err("one".into())));
        group.spawn(job(log.clone(), "two", 10, Err("two".into())));
        group.spawn(job(log.clone(), "slow", 1000, Ok(())));
        group.join().await
    });
    expect_eq!(out, Err(vec!["one".to_string(), "two".to_string()]));
}

#[test]
fn a_join_that_is_cancelled_cancels_its_children() {
    let log = run_virtual(async {
        let log = log();
        let mut group = TaskGroup::new();
        group.spawn(job(log.clone(), "a", 1000, Ok(())));
        group.spawn(job(log.clone(), "b", 2000, Ok(())));
        let out = timeout(ms(50), group.join()).await;
        expect_eq!(out.is_err(), true, "the timeout around join fired");
        sleep(ms(10)).await;
        log.take()
    });
    expect_eq!(
        log,
        [
            "a cleanup Cancelled at t=0.05",
            "b cleanup Cancelled at t=0.05"
        ]
    );
}
