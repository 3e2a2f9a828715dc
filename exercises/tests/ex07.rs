//! Grades exercise 07: `yield_now` and fairness.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex07_yield_now.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex07_yield_now.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex07;

use ex07::{Executor, yield_now};
use exercises::expect_eq;

#[test]
fn yield_now_is_pending_once_and_wakes_its_task() {
    let wakes = Arc::new(AtomicUsize::new(0));
    let seen = wakes.clone();
    let waker: Waker = waker_fn::waker_fn(move || {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(yield_now());
    expect_eq!(future.as_mut().poll(&mut cx), Poll::Pending);
    expect_eq!(wakes.load(Ordering::SeqCst), 1, "it must wake itself");
    expect_eq!(future.as_mut().poll(&mut cx), Poll::Ready(()));
    expect_eq!(wakes.load(Ordering::SeqCst), 1);
}

#[test]
fn tasks_that_yield_take_turns() {
    let ex = Executor::new();
    let log = Rc::new(RefCell::new(Vec::new()));
    for name in ["a", "b", "c"] {
        let log = log.clone();
        ex.spawn(async move {
            for i in 0..2 {
                log.borrow_mut().push(format!("{name}{i}"));
                yield_now().await;
            }
        });
    }
    ex.run();
    expect_eq!(*log.borrow(), ["a0", "b0", "c0", "a1", "b1", "c1"]);
    expect_eq!(ex.live_tasks(), 0);
}

#[test]
fn a_step_polls_only_the_tasks_ready_when_it_began() {
    let ex = Executor::new();
    for _ in 0..3 {
        ex.spawn(async {
            yield_now().await;
        });
    }
    expect_eq!(ex.run_step(), 3, "three tasks were ready");
    expect_eq!(
        ex.live_tasks(),
        3,
        "each yielded, so none finished in step 1"
    );
    expect_eq!(
        ex.run_step(),
        3,
        "the three yielded tasks run again in step 2"
    );
    expect_eq!(ex.live_tasks(), 0);
    expect_eq!(ex.run_step(), 0);
}

#[test]
fn a_task_that_yields_forever_does_not_hold_a_step() {
    let ex = Executor::new();
    let spins = Rc::new(Cell::new(0u32));
    let spin_count = spins.clone();
    ex.spawn(async move {
        loop {
            spin_count.set(spin_count.get() + 1);
            yield_now().await;
        }
    });
    let done = Rc::new(Cell::new(false));
    let flag = done.clone();
    ex.spawn(async move {
        for _ in 0..3 {
            yield_now().await;
        }
        flag.set(true);
    });
    for _ in 0..4 {
        ex.run_step();
    }
    assert!(done.get(), "the other task finished in its 4th step");
    expect_eq!(
        spins.get(),
        4,
        "the spinner ran once per step, not until the queue emptied"
    );
}

#[test]
fn a_task_spawned_during_a_step_runs_in_the_next_step() {
    let ex = Executor::new();
    let child_ran = Rc::new(Cell::new(false));
    let (inner_ex, flag) = (ex.clone(), child_ran.clone());
    ex.spawn(async move {
        inner_ex.spawn(async move { flag.set(true) });
    });
    expect_eq!(ex.run_step(), 1);
    assert!(
        !child_ran.get(),
        "spawned during step 1: it waits for step 2"
    );
    expect_eq!(ex.run_step(), 1);
    assert!(child_ran.get());
}
