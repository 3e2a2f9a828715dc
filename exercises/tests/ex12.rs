//! Grades exercise 12: counting polls per task through tinyloop's tracer.

use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex12_poll_counter.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex12_poll_counter.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex12;

use ex12::PollCounter;
use exercises::expect_eq;
use tinyloop::{Builder, sleep, spawn_named, yield_now};

/// Runs `main` on a virtual-clock loop with a fresh counter installed; returns the counter.
fn traced(main: impl std::future::Future<Output = ()>) -> PollCounter {
    let counter = PollCounter::new();
    Builder::new()
        .virtual_clock(true)
        .tracer(counter.clone())
        .build()
        .block_on(main);
    counter
}

#[test]
fn a_task_that_yields_three_times_is_polled_four_times() {
    let counter = traced(async {
        spawn_named("yielder", async {
            for _ in 0..3 {
                yield_now().await;
            }
        })
        .await
        .unwrap();
    });
    expect_eq!(counter.polls("yielder"), 4);
}

#[test]
fn a_sleeping_task_is_polled_once_to_start_and_once_when_its_timer_fires() {
    let counter = traced(async {
        spawn_named("sleeper", sleep(Duration::from_secs(3600)))
            .await
            .unwrap();
    });
    expect_eq!(
        counter.polls("sleeper"),
        2,
        "an hour of sleep costs two polls, not more"
    );
}

#[test]
fn main_counts_as_a_task_and_tasks_with_one_name_add_up() {
    let counter = traced(async {
        let a = spawn_named("worker", async {});
        let b = spawn_named("worker", async { yield_now().await });
        a.await.unwrap();
        b.await.unwrap();
    });
    expect_eq!(counter.polls("worker"), 3, "1 poll + 2 polls");
    assert!(counter.polls("main") >= 1);
    expect_eq!(counter.polls("nobody"), 0);
}

#[test]
fn the_report_lists_every_polled_task_most_polled_first() {
    let counter = traced(async {
        let busy = spawn_named("busy", async {
            for _ in 0..9 {
                yield_now().await;
            }
        });
        let idle = spawn_named("idle", async {});
        busy.await.unwrap();
        idle.await.unwrap();
    });
    let report = counter.report();
    expect_eq!(report[0], ("busy".to_string(), 10));
    assert!(report.contains(&("idle".to_string(), 1)));
    assert!(report.iter().any(|(name, _)| name == "main"));
}
