//! `gather!`, `gather_all`, `try_gather!`, `try_gather_all`: argument order, concurrency,
//! and the two ways to fail.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{
    CancelOnDrop, JoinError, gather, gather_all, now, run_virtual, sleep, spawn, try_gather,
    try_gather_all,
};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Sleeps, records when it finished in `log`, returns its name.
async fn child(name: &'static str, millis: u64, log: Rc<RefCell<Vec<String>>>) -> &'static str {
    sleep(ms(millis)).await;
    log.borrow_mut().push(format!("{} {name}", now()));
    name
}

struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn gather_returns_results_in_argument_order_when_children_finish_in_reverse() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let (results, t) = run_virtual({
        let log = log.clone();
        async move {
            let results = gather!(
                child("a", 300, log.clone()),
                child("b", 200, log.clone()),
                child("c", 100, log.clone()),
            )
            .await;
            (results, now())
        }
    });
    assert_eq!(results, ("a", "b", "c"));
    assert_eq!(*log.borrow(), ["t=0.10 c", "t=0.20 b", "t=0.30 a"]);
    assert_eq!(
        t.to_string(),
        "t=0.30",
        "the waits overlap: 0.3 s, not 0.6 s"
    );
}

#[test]
fn gather_all_returns_results_in_iterator_order_when_children_finish_in_reverse() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let (results, t) = run_virtual({
        let log = log.clone();
        async move {
            let names = ["a", "b", "c", "d"];
            let children = names
                .iter()
                .zip([400, 300, 200, 100])
                .map(|(name, millis)| child(name, millis, log.clone()));
            (gather_all(children).await, now())
        }
    });
    assert_eq!(results, ["a", "b", "c", "d"]);
    assert_eq!(
        *log.borrow(),
        ["t=0.10 d", "t=0.20 c", "t=0.30 b", "t=0.40 a"]
    );
    assert_eq!(t.to_string(), "t=0.40");
}

#[test]
fn gather_of_different_types_gives_a_tuple_of_their_outputs() {
    let (number, text, unit) = run_virtual(async {
        gather!(async { 1u8 }, async { String::from("two") }, sleep(ms(5))).await
    });
    assert_eq!((number, text, unit), (1, "two".to_string(), ()));
}

#[test]
fn gather_drops_each_child_as_soon_as_it_finishes() {
    let dropped = Rc::new(Cell::new(false));
    let seen_at_t200 = run_virtual({
        let dropped = dropped.clone();
        async move {
            let early = {
                let flag = DropFlag(dropped.clone());
                async move {
                    let _flag = flag;
                    sleep(ms(100)).await;
                }
            };
            let observer = async {
                sleep(ms(200)).await;
                dropped.get()
            };
            gather!(early, observer).await.1
        }
    });
    assert!(
        seen_at_t200,
        "the finished child was dropped at t=0.10, not at the end"
    );
}

#[test]
fn gathered_handles_give_each_task_outcome_like_return_exceptions_true() {
    let results = run_virtual(async {
        let ok = spawn(async {
            sleep(ms(200)).await;
            1
        });
        let failing = spawn(async {
            sleep(ms(100)).await;
            panic!("boom");
        });
        let cancelled = spawn(async { 3 });
        cancelled.cancel();
        gather_all([ok, failing, cancelled]).await
    });
    assert_eq!(
        results,
        [
            Ok(1),
            Err(JoinError::Panicked("boom".to_string())),
            Err(JoinError::Cancelled)
        ]
    );
}

#[test]
fn a_failing_child_does_not_stop_its_siblings_in_plain_gather() {
    let (results, t) = run_virtual(async {
        let results = gather!(
            async {
                sleep(ms(100)).await;
                Err::<u32, &str>("failed")
            },
            async {
                sleep(ms(300)).await;
                Ok::<u32, &str>(2)
            },
        )
        .await;
        (results, now())
    });
    assert_eq!(results, (Err("failed"), Ok(2)));
    assert_eq!(t.to_string(), "t=0.30");
}

#[test]
fn try_gather_returns_the_first_error_at_once_and_drops_the_other_children() {
    let dropped = Rc::new(Cell::new(false));
    let (result, t, dropped_then) = run_virtual({
        let dropped = dropped.clone();
        async move {
            let slow = {
                let flag = DropFlag(dropped.clone());
                async move {
                    let _flag = flag;
                    sleep(ms(500)).await;
                    Ok::<u32, String>(1)
                }
            };
            let failing = async {
                sleep(ms(100)).await;
                Err::<&str, String>("bad".to_string())
            };
            let result = try_gather!(slow, failing).await;
            (result, now(), dropped.get())
        }
    });
    assert_eq!(result, Err("bad".to_string()));
    assert_eq!(t.to_string(), "t=0.10");
    assert!(
        dropped_then,
        "the slow child was dropped (cancelled) by t=0.10"
    );
}

#[test]
fn try_gather_all_succeeds_with_every_value_in_order() {
    let result = run_virtual(async {
        let children = [300u64, 100, 200].map(|millis| async move {
            sleep(ms(millis)).await;
            Ok::<u64, ()>(millis)
        });
        try_gather_all(children).await
    });
    assert_eq!(result, Ok(vec![300, 100, 200]));
}

#[test]
fn try_gather_all_over_handles_leaves_the_other_tasks_running_like_asyncio_gather() {
    // asyncio's default gather: the first exception reaches the awaiter, the other
    // tasks are NOT cancelled.
    let finished = Rc::new(Cell::new(false));
    let (result, finished_later) = run_virtual({
        let finished = finished.clone();
        async move {
            let slow = spawn({
                let finished = finished.clone();
                async move {
                    sleep(ms(500)).await;
                    finished.set(true);
                }
            });
            let failing = spawn(async {
                sleep(ms(100)).await;
                panic!("fails at t=0.10");
            });
            let result = try_gather_all([slow, failing]).await;
            assert_eq!(now().to_string(), "t=0.10");
            sleep(ms(600)).await;
            (result, finished.get())
        }
    });
    assert!(matches!(result, Err(JoinError::Panicked(_))));
    assert!(
        finished_later,
        "the detached sibling kept running and finished"
    );
}

#[test]
fn try_gather_all_over_cancel_on_drop_guards_cancels_the_other_tasks() {
    let cleaned = Rc::new(Cell::new(false));
    let (result, cleaned_at) = run_virtual({
        let cleaned = cleaned.clone();
        async move {
            let slow = spawn({
                let flag = DropFlag(cleaned.clone());
                async move {
                    let _flag = flag;
                    sleep(ms(500)).await;
                }
            });
            let failing = spawn(async {
                sleep(ms(100)).await;
                panic!("fails at t=0.10");
            });
            let guards = [slow, failing].map(CancelOnDrop::new);
            let result = try_gather_all(guards).await;
            sleep(ms(1)).await;
            let cleaned_at = cleaned.get().then(now);
            (result, cleaned_at)
        }
    });
    assert!(matches!(result, Err(JoinError::Panicked(_))));
    assert_eq!(
        cleaned_at.map(|t| t.to_string()),
        Some("t=0.10".to_string())
    );
}

#[test]
fn a_gathered_future_does_not_run_while_the_gatherer_is_not_polled() {
    // A task would run on its own; a future inside gather only runs when gather is polled.
    let ran = Rc::new(Cell::new(false));
    run_virtual({
        let ran = ran.clone();
        async move {
            let gathered = gather!(async {
                ran.set(true);
            });
            sleep(ms(100)).await;
            assert!(!ran.get(), "built, never polled: nothing ran");
            gathered.await;
            assert!(ran.get());
        }
    });
}
