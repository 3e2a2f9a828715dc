//! `TaskGroup`: children finish together; the first failure cancels the siblings; every
//! failure is returned together.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{ChildFailure, Failure, TaskGroup, now, run_virtual, sleep, spawn, yield_now};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

type Log = Rc<RefCell<Vec<String>>>;

/// Prints its cleanup (into `log`) when dropped, like a `finally` block.
struct Cleanup(&'static str, Log);

impl Drop for Cleanup {
    fn drop(&mut self) {
        self.1
            .borrow_mut()
            .push(format!("{} {} cleanup", now(), self.0));
    }
}

async fn worker(name: &'static str, millis: u64, ok: bool, log: Log) -> Result<u64, String> {
    let _cleanup = Cleanup(name, log);
    sleep(ms(millis)).await;
    if ok {
        Ok(millis)
    } else {
        Err(format!("{name} failed"))
    }
}

#[test]
fn join_returns_every_value_in_spawn_order_when_all_succeed() {
    let log = Log::default();
    let (values, t) = run_virtual({
        let log = log.clone();
        async move {
            let group = TaskGroup::new();
            group.spawn(worker("a", 300, true, log.clone()));
            group.spawn(worker("b", 100, true, log.clone()));
            group.spawn(worker("c", 200, true, log.clone()));
            (group.join().await, now())
        }
    });
    assert_eq!(values, Ok(vec![300, 100, 200]));
    assert_eq!(t.to_string(), "t=0.30");
}

#[test]
fn the_first_failure_cancels_the_siblings_and_join_returns_at_once() {
    let log = Log::default();
    let (result, t) = run_virtual({
        let log = log.clone();
        async move {
            let group = TaskGroup::new();
            group.spawn_named("slow", worker("slow", 5000, true, log.clone()));
            group.spawn_named("failing", worker("failing", 200, false, log.clone()));
            group.spawn_named("slower", worker("slower", 9000, true, log.clone()));
            (group.join().await, now())
        }
    });
    let error = result.unwrap_err();
    assert_eq!(error.failures.len(), 1);
    assert_eq!(error.failures[0].name, "failing");
    assert_eq!(
        error.failures[0].failure,
        Failure::Error("failing failed".to_string())
    );
    assert_eq!(t.to_string(), "t=0.20");
    assert_eq!(
        *log.borrow(),
        [
            "t=0.20 failing cleanup",
            "t=0.20 slow cleanup",
            "t=0.20 slower cleanup"
        ]
    );
}

#[test]
fn children_failing_in_the_same_step_are_all_returned_together() {
    let log = Log::default();
    let result = run_virtual({
        let log = log.clone();
        async move {
            let group = TaskGroup::new();
            group.spawn_named("one", worker("one", 100, false, log.clone()));
            group.spawn_named("ok", worker("ok", 1000, true, log.clone()));
            group.spawn_named("two", worker("two", 100, false, log.clone()));
            let result = group.join().await;
            assert_eq!(now().to_string(), "t=0.10");
            result
        }
    });
    let failures: Vec<(String, Failure<String>)> = result
        .unwrap_err()
        .failures
        .into_iter()
        .map(|ChildFailure { name, failure, .. }| (name, failure))
        .collect();
    assert_eq!(
        failures,
        [
            ("one".to_string(), Failure::Error("one failed".to_string())),
            ("two".to_string(), Failure::Error("two failed".to_string())),
        ]
    );
}

#[test]
fn a_panicking_child_is_a_failure_too() {
    let result = run_virtual(async {
        let group: TaskGroup<u32, String> = TaskGroup::new();
        group.spawn_named("panics", async {
            sleep(ms(100)).await;
            panic!("child panicked");
        });
        group.spawn(async {
            sleep(ms(1000)).await;
            Ok(1)
        });
        group.join().await
    });
    let error = result.unwrap_err();
    assert_eq!(
        error.failures[0].failure,
        Failure::Panicked("child panicked".to_string())
    );
    assert!(
        error
            .to_string()
            .contains("panics panicked: child panicked")
    );
}

#[test]
fn dropping_the_group_cancels_its_children() {
    let log = Log::default();
    run_virtual({
        let log = log.clone();
        async move {
            let group = TaskGroup::new();
            group.spawn(worker("child", 1000, true, log.clone()));
            sleep(ms(100)).await;
            drop(group);
            sleep(ms(10)).await;
        }
    });
    assert_eq!(*log.borrow(), ["t=0.10 child cleanup"]);
}

#[test]
fn cancelling_the_task_that_awaits_join_cancels_the_children() {
    let log = Log::default();
    run_virtual({
        let log = log.clone();
        async move {
            let owner = spawn({
                let log = log.clone();
                async move {
                    let group = TaskGroup::new();
                    group.spawn(worker("child", 1000, true, log.clone()));
                    group.join().await
                }
            });
            sleep(ms(300)).await;
            owner.cancel();
            assert!(owner.await.is_err());
            yield_now().await;
        }
    });
    assert_eq!(*log.borrow(), ["t=0.30 child cleanup"]);
}

#[test]
fn an_empty_group_joins_at_once() {
    let values = run_virtual(async { TaskGroup::<(), ()>::new().join().await });
    assert_eq!(values, Ok(vec![]));
}
