//! Grades exercise 10: `wait(FIRST_COMPLETED)`, on tinyloop's virtual clock.

use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex10_wait_first.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex10_wait_first.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex10;

use ex10::wait_first;
use exercises::expect_eq;
use tinyloop::{now, run_virtual, sleep, spawn};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn returns_the_first_task_to_finish_when_it_finishes() {
    run_virtual(async {
        let tasks: Vec<_> = [300, 100, 200]
            .into_iter()
            .map(|after| {
                spawn(async move {
                    sleep(ms(after)).await;
                    after
                })
            })
            .collect();
        let (index, output, pending) = wait_first(tasks).await;
        expect_eq!((index, output.unwrap()), (1, 100));
        expect_eq!(now().to_string(), "t=0.10");
        expect_eq!(pending.len(), 2, "the two others are still pending");
    });
}

#[test]
fn the_others_are_not_cancelled_and_can_be_awaited_after() {
    run_virtual(async {
        let tasks: Vec<_> = [300, 100, 200]
            .into_iter()
            .map(|after| {
                spawn(async move {
                    sleep(ms(after)).await;
                    after
                })
            })
            .collect();
        let (_, _, pending) = wait_first(tasks).await;
        let (index, output, pending) = wait_first(pending).await;
        expect_eq!((index, output.unwrap()), (1, 200), "index 1 of [300, 200]");
        expect_eq!(now().to_string(), "t=0.20");
        let (_, output, pending) = wait_first(pending).await;
        expect_eq!(output.unwrap(), 300);
        assert!(pending.is_empty());
        expect_eq!(now().to_string(), "t=0.30");
    });
}

#[test]
fn when_several_are_ready_at_once_the_lowest_index_wins() {
    run_virtual(async {
        let sleeps = vec![sleep(ms(50)), sleep(ms(10)), sleep(ms(10))];
        let (index, (), rest) = wait_first(sleeps).await;
        expect_eq!(index, 1);
        expect_eq!(rest.len(), 2);
        expect_eq!(now().to_string(), "t=0.01");
    });
}

#[test]
fn a_ready_future_returns_without_waiting() {
    run_virtual(async {
        let ready = vec![std::future::ready("now")];
        let (index, output, rest) = wait_first(ready).await;
        expect_eq!((index, output, rest.len()), (0, "now", 0));
        expect_eq!(now().to_string(), "t=0.00");
    });
}
