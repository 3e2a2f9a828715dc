//! Grades exercise 03: a ready queue and `spawn`.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex03_spawn.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex03_spawn.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex03;

use ex03::Executor;
use exercises::expect_eq;

type Log = Rc<RefCell<Vec<String>>>;

/// Pending once (waking itself, like asyncio's `await asyncio.sleep(0)`), then ready.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn yield_once() -> YieldOnce {
    YieldOnce(false)
}

/// Pending until someone calls the waker it stores in `slot`.
struct Parked {
    slot: Rc<RefCell<Option<Waker>>>,
    polled: bool,
}

impl Future for Parked {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.polled {
            return Poll::Ready(());
        }
        self.polled = true;
        *self.slot.borrow_mut() = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[test]
fn spawn_only_schedules_and_run_runs_tasks_in_spawn_order() {
    let log: Log = Rc::default();
    let ex = Executor::new();
    for name in ["a", "b", "c"] {
        let log = log.clone();
        ex.spawn(async move { log.borrow_mut().push(name.to_string()) });
    }
    assert!(
        log.borrow().is_empty(),
        "spawn must not poll: tasks run in run()"
    );
    ex.run();
    expect_eq!(*log.borrow(), ["a", "b", "c"]);
    expect_eq!(ex.live_tasks(), 0);
}

#[test]
fn tasks_that_yield_take_turns() {
    let log: Log = Rc::default();
    let ex = Executor::new();
    for name in ["a", "b"] {
        let log = log.clone();
        ex.spawn(async move {
            for i in 0..3 {
                log.borrow_mut().push(format!("{name}{i}"));
                yield_once().await;
            }
        });
    }
    ex.run();
    expect_eq!(*log.borrow(), ["a0", "b0", "a1", "b1", "a2", "b2"]);
}

#[test]
fn a_task_can_spawn_a_task_that_runs_in_the_same_run() {
    let log: Log = Rc::default();
    let ex = Executor::new();
    let (inner_ex, inner_log) = (ex.clone(), log.clone());
    ex.spawn(async move {
        let child_log = inner_log.clone();
        inner_ex.spawn(async move { child_log.borrow_mut().push("child".into()) });
        inner_log.borrow_mut().push("parent".into());
    });
    ex.run();
    expect_eq!(*log.borrow(), ["parent", "child"]);
}

#[test]
fn run_returns_when_nothing_is_ready_and_a_wake_brings_the_task_back() {
    let slot = Rc::new(RefCell::new(None));
    let finished = Rc::new(Cell::new(false));
    let ex = Executor::new();
    let (task_slot, task_finished) = (slot.clone(), finished.clone());
    ex.spawn(async move {
        Parked {
            slot: task_slot,
            polled: false,
        }
        .await;
        task_finished.set(true);
    });
    ex.run();
    assert!(!finished.get());
    expect_eq!(
        ex.live_tasks(),
        1,
        "a pending task stays alive until it finishes"
    );
    let waker: Waker = slot
        .borrow_mut()
        .take()
        .expect("the task was polled with a waker");
    waker.wake();
    ex.run();
    assert!(
        finished.get(),
        "waking the task must make run() poll it again"
    );
    expect_eq!(ex.live_tasks(), 0);
}

#[test]
fn a_finished_task_is_dropped_and_a_stale_wake_is_ignored() {
    struct DropFlag(Rc<Cell<bool>>);
    impl Drop for DropFlag {
        fn drop(&mut self) {
            self.0.set(true);
        }
    }
    let dropped = Rc::new(Cell::new(false));
    let slot = Rc::new(RefCell::new(None));
    let ex = Executor::new();
    let (flag, task_slot) = (DropFlag(dropped.clone()), slot.clone());
    ex.spawn(async move {
        let _flag = flag;
        Parked {
            slot: task_slot,
            polled: false,
        }
        .await;
    });
    ex.run();
    let waker: Waker = slot.borrow_mut().take().unwrap();
    waker.wake_by_ref();
    ex.run();
    assert!(
        dropped.get(),
        "a finished task's future (and what it owns) must be dropped"
    );
    waker.wake();
    ex.run(); // the task is gone: this wake must be ignored, not panic
    expect_eq!(ex.live_tasks(), 0);
}
