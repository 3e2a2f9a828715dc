//! Grades exercise 01: a future that counts down and wakes itself.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex01_countdown.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex01_countdown.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex01;

use ex01::Countdown;
use exercises::expect_eq;

/// A waker that counts how often it is called.
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn counting_waker() -> (Arc<CountingWaker>, Waker) {
    let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
    (counter.clone(), Waker::from(counter))
}

#[test]
fn countdown_from_zero_is_ready_on_the_first_poll() {
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(Countdown::new(0));
    expect_eq!(future.as_mut().poll(&mut cx), Poll::Ready(0));
    expect_eq!(
        counter.0.load(Ordering::SeqCst),
        0,
        "a ready poll must not wake"
    );
}

#[test]
fn countdown_from_three_is_pending_three_times_then_ready() {
    let (_counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(Countdown::new(3));
    for poll in 1..=3 {
        expect_eq!(
            future.as_mut().poll(&mut cx),
            Poll::Pending,
            "poll {poll} of Countdown::new(3) should be Pending"
        );
    }
    expect_eq!(future.as_mut().poll(&mut cx), Poll::Ready(3));
}

#[test]
fn every_pending_poll_wakes_the_task_once() {
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(Countdown::new(2));
    assert!(future.as_mut().poll(&mut cx).is_pending());
    expect_eq!(
        counter.0.load(Ordering::SeqCst),
        1,
        "a Pending poll must wake its task, or nobody polls it again"
    );
    assert!(future.as_mut().poll(&mut cx).is_pending());
    expect_eq!(counter.0.load(Ordering::SeqCst), 2);
    assert!(future.as_mut().poll(&mut cx).is_ready());
    expect_eq!(
        counter.0.load(Ordering::SeqCst),
        2,
        "a ready poll must not wake"
    );
}

#[test]
fn a_countdown_runs_to_the_end_under_a_real_executor() {
    expect_eq!(block_on(Countdown::new(5)), 5);
}

/// The smallest executor: poll, and poll again only after a wake.
fn block_on<F: Future>(future: F) -> F::Output {
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    let mut seen = 0;
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        let now = counter.0.load(Ordering::SeqCst);
        assert!(
            now > seen,
            "the future returned Pending without waking: it would hang"
        );
        seen = now;
    }
}
