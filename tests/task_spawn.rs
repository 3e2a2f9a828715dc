//! `spawn` and the tick: what asyncio's `create_task` and `_run_once` promise.

use std::cell::RefCell;
use std::rc::Rc;

use tinyloop::{Runtime, current_step, run, spawn, spawn_named, yield_now};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(log: &Log, line: impl Into<String>) {
    log.borrow_mut().push(line.into());
}

#[test]
fn spawn_is_lazy_the_task_does_not_run_inside_spawn() {
    let log = log();
    run({
        let log = log.clone();
        async move {
            let handle = spawn({
                let log = log.clone();
                async move { push(&log, "task body") }
            });
            push(&log, "after spawn");
            assert!(!handle.is_finished());
            handle.await.unwrap();
            push(&log, "after await");
        }
    });
    assert_eq!(*log.borrow(), ["after spawn", "task body", "after await"]);
}

#[test]
fn first_polls_happen_in_spawn_order_one_step_after_the_spawner_yields() {
    let log = log();
    run({
        let log = log.clone();
        async move {
            let spawned_in = current_step();
            let mut handles = Vec::new();
            for name in ["a", "b", "c", "d"] {
                let log = log.clone();
                handles.push(spawn(async move {
                    push(&log, format!("{name} in step {}", current_step()))
                }));
            }
            for handle in handles {
                handle.await.unwrap();
            }
            assert_eq!(spawned_in, 1);
        }
    });
    assert_eq!(
        *log.borrow(),
        ["a in step 2", "b in step 2", "c in step 2", "d in step 2"]
    );
}

#[test]
fn a_task_yielding_in_a_loop_cannot_starve_another_ready_task() {
    let log = log();
    run({
        let log = log.clone();
        async move {
            let spinner = spawn({
                let log = log.clone();
                async move {
                    for round in 0..3 {
                        push(&log, format!("spinner {round}"));
                        yield_now().await;
                    }
                }
            });
            let other = spawn({
                let log = log.clone();
                async move {
                    for round in 0..3 {
                        push(&log, format!("other {round}"));
                        yield_now().await;
                    }
                }
            });
            spinner.await.unwrap();
            other.await.unwrap();
        }
    });
    assert_eq!(
        *log.borrow(),
        [
            "spinner 0",
            "other 0",
            "spinner 1",
            "other 1",
            "spinner 2",
            "other 2"
        ]
    );
}

#[test]
fn yield_now_resumes_exactly_one_step_later() {
    run(async {
        let before = current_step();
        yield_now().await;
        assert_eq!(current_step(), before + 1);
        yield_now().await;
        assert_eq!(current_step(), before + 2);
    });
}

#[test]
#[expect(
    clippy::async_yields_async,
    reason = "task `a` hands back the handle of the task it spawned"
)]
fn a_task_woken_during_a_step_runs_in_the_next_step_not_this_one() {
    // Task `a` spawns `b` while it runs in step 2; `b` must not run in step 2.
    let steps = Rc::new(RefCell::new(Vec::new()));
    run({
        let steps = steps.clone();
        async move {
            let a = spawn({
                let steps = steps.clone();
                async move {
                    steps.borrow_mut().push(("a", current_step()));
                    let steps = steps.clone();
                    spawn(async move { steps.borrow_mut().push(("b", current_step())) })
                }
            });
            a.await.unwrap().await.unwrap();
        }
    });
    assert_eq!(*steps.borrow(), [("a", 2), ("b", 3)]);
}

#[test]
fn unnamed_tasks_are_called_task_n_and_named_ones_keep_their_name() {
    run(async {
        let first = spawn(async {});
        let named = spawn_named("fetcher", async {});
        let third = spawn(async {});
        assert_eq!(first.name(), "task-1");
        assert_eq!(named.name(), "fetcher");
        assert_eq!(third.name(), "task-3");
        first.await.unwrap();
        named.await.unwrap();
        third.await.unwrap();
    });
}

#[test]
fn a_dropped_handle_detaches_the_task_which_keeps_running() {
    let log = log();
    run({
        let log = log.clone();
        async move {
            drop(spawn({
                let log = log.clone();
                async move {
                    yield_now().await;
                    push(&log, "detached task finished");
                }
            }));
            yield_now().await;
            yield_now().await;
            yield_now().await;
        }
    });
    assert_eq!(*log.borrow(), ["detached task finished"]);
}

#[test]
fn one_hundred_thousand_tasks_are_spawned_and_joined() {
    let total = run(async {
        let handles: Vec<_> = (0..100_000u64).map(|i| spawn(async move { i })).collect();
        let mut total = 0;
        for handle in handles {
            total += handle.await.unwrap();
        }
        total
    });
    assert_eq!(total, (0..100_000u64).sum::<u64>());
}

#[test]
#[expect(
    clippy::async_yields_async,
    reason = "the first block_on hands the handle out, to await it in the second"
)]
fn tasks_spawned_in_one_block_on_keep_running_in_the_next() {
    let runtime = Runtime::new();
    let handle = runtime.block_on(async {
        spawn(async {
            yield_now().await;
            yield_now().await;
            "done"
        })
    });
    assert_eq!(runtime.block_on(handle), Ok("done"));
}

#[test]
fn an_eager_task_that_never_waits_is_finished_when_spawn_returns() {
    let runtime = tinyloop::Builder::new()
        .virtual_clock(true)
        .eager_tasks(true)
        .build();
    runtime.block_on(async {
        let step = tinyloop::current_step();
        let done = tinyloop::spawn(async { 5 });
        assert!(done.is_finished(), "its only step ran inside spawn");
        let waits = tinyloop::spawn(async {
            tinyloop::yield_now().await;
            tinyloop::current_step()
        });
        assert!(!waits.is_finished());
        assert_eq!(done.await.unwrap(), 5);
        // The rest of the waiting task ran in a later step, as a lazy task's would.
        assert!(waits.await.unwrap() > step);
    });
}
