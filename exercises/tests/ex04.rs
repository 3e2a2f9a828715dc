//! Grades exercise 04: a JoinHandle.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex04_join_handle.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex04_join_handle.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex04;

use ex04::Executor;
use exercises::expect_eq;

/// Pending `n` times (waking itself each time), then ready.
struct YieldTimes(u32);

impl Future for YieldTimes {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 == 0 {
            return Poll::Ready(());
        }
        self.0 -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Wraps a future and counts how often it is polled.
struct CountPolls<F> {
    inner: Pin<Box<F>>,
    polls: Rc<Cell<u32>>,
}

impl<F: Future> Future for CountPolls<F> {
    type Output = F::Output;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.set(self.polls.get() + 1);
        self.inner.as_mut().poll(cx)
    }
}

#[test]
fn awaiting_a_handle_returns_the_tasks_output() {
    let ex = Executor::new();
    let handle = ex.spawn(async { 6 * 7 });
    let out = Rc::new(Cell::new(0));
    let seen = out.clone();
    ex.spawn_detached(async move { seen.set(handle.await) });
    ex.run();
    expect_eq!(out.get(), 42);
}

#[test]
fn a_handle_awaited_early_sleeps_until_the_task_finishes_and_is_woken_once() {
    let ex = Executor::new();
    let slow = ex.spawn(async {
        YieldTimes(5).await;
        "late"
    });
    let out = Rc::new(Cell::new(""));
    let polls = Rc::new(Cell::new(0));
    let seen = out.clone();
    ex.spawn_detached(CountPolls {
        inner: Box::pin(async move { seen.set(slow.await) }),
        polls: polls.clone(),
    });
    ex.run();
    expect_eq!(out.get(), "late");
    expect_eq!(
        polls.get(),
        2,
        "the awaiting task should be polled once (Pending, waker stored) and once more when \
         the task finishes and wakes it; more polls mean the handle wakes itself"
    );
}

#[test]
fn is_finished_says_whether_the_task_has_returned() {
    let ex = Executor::new();
    let handle = ex.spawn(async {
        YieldTimes(1).await;
        "x"
    });
    assert!(!handle.is_finished(), "spawned but not run yet");
    ex.run();
    assert!(handle.is_finished());
}

#[test]
fn dropping_the_handle_does_not_stop_the_task() {
    let ex = Executor::new();
    let ran = Rc::new(Cell::new(false));
    let flag = ran.clone();
    drop(ex.spawn(async move {
        YieldTimes(2).await;
        flag.set(true);
    }));
    ex.run();
    assert!(
        ran.get(),
        "a dropped JoinHandle detaches its task; the task still runs"
    );
}

#[test]
fn handles_carry_any_output_type_and_chain() {
    let ex = Executor::new();
    let inner_ex = ex.clone();
    let outer = ex.spawn(async move {
        let a = inner_ex.spawn(async { vec![1, 2] });
        let b = inner_ex.spawn(async { String::from("three") });
        let mut v = a.await;
        v.push(b.await.len());
        v
    });
    let out = Rc::new(Cell::new(Vec::new()));
    let seen = out.clone();
    ex.spawn_detached(async move { seen.set(outer.await) });
    ex.run();
    expect_eq!(out.take(), [1, 2, 5]);
}
