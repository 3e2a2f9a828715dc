//! Grades exercise 07: `yield_now` and fairness.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Waker};

use exercises::ex07::{Executor, yield_now};

#[test]
fn yield_now_is_pending_once_and_wakes_its_task() {
    let wakes = Arc::new(AtomicUsize::new(0));
    let seen = wakes.clone();
    let waker: Waker = waker_fn::waker_fn(move || {
        seen.fetch_add(1, Ordering::SeqCst);
    });
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(yield_now());
    assert_eq!(future.as_mut().poll(&mut cx), Poll::Pending);
    assert_eq!(wakes.load(Ordering::SeqCst), 1, "it must wake itself");
    assert_eq!(future.as_mut().poll(&mut cx), Poll::Ready(()));
    assert_eq!(wakes.load(Ordering::SeqCst), 1);
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
    assert_eq!(*log.borrow(), ["a0", "b0", "c0", "a1", "b1", "c1"]);
    assert_eq!(ex.live_tasks(), 0);
}

#[test]
fn a_step_polls_only_the_tasks_ready_when_it_began() {
    let ex = Executor::new();
    for _ in 0..3 {
        ex.spawn(async {
            yield_now().await;
        });
    }
    assert_eq!(ex.run_step(), 3, "three tasks were ready");
    assert_eq!(
        ex.live_tasks(),
        3,
        "each yielded, so none finished in step 1"
    );
    assert_eq!(
        ex.run_step(),
        3,
        "the three yielded tasks run again in step 2"
    );
    assert_eq!(ex.live_tasks(), 0);
    assert_eq!(ex.run_step(), 0);
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
    assert_eq!(
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
    assert_eq!(ex.run_step(), 1);
    assert!(
        !child_ran.get(),
        "spawned during step 1: it waits for step 2"
    );
    assert_eq!(ex.run_step(), 1);
    assert!(child_ran.get());
}
