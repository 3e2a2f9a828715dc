//! Grades exercise 10: `wait(FIRST_COMPLETED)`, on tinyloop's virtual clock.

use std::time::Duration;

use exercises::ex10::wait_first;
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
        assert_eq!((index, output.unwrap()), (1, 100));
        assert_eq!(now().to_string(), "t=0.10");
        assert_eq!(pending.len(), 2, "the two others are still pending");
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
        assert_eq!((index, output.unwrap()), (1, 200), "index 1 of [300, 200]");
        assert_eq!(now().to_string(), "t=0.20");
        let (_, output, pending) = wait_first(pending).await;
        assert_eq!(output.unwrap(), 300);
        assert!(pending.is_empty());
        assert_eq!(now().to_string(), "t=0.30");
    });
}

#[test]
fn when_several_are_ready_at_once_the_lowest_index_wins() {
    run_virtual(async {
        let sleeps = vec![sleep(ms(50)), sleep(ms(10)), sleep(ms(10))];
        let (index, (), rest) = wait_first(sleeps).await;
        assert_eq!(index, 1);
        assert_eq!(rest.len(), 2);
        assert_eq!(now().to_string(), "t=0.01");
    });
}

#[test]
fn a_ready_future_returns_without_waiting() {
    run_virtual(async {
        let ready = vec![std::future::ready("now")];
        let (index, output, rest) = wait_first(ready).await;
        assert_eq!((index, output, rest.len()), (0, "now", 0));
        assert_eq!(now().to_string(), "t=0.00");
    });
}
