//! Grades exercise 01: a future that counts down and wakes itself.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll, Wake, Waker};

use exercises::ex01::Countdown;

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
    assert_eq!(future.as_mut().poll(&mut cx), Poll::Ready(0));
    assert_eq!(
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
        assert_eq!(
            future.as_mut().poll(&mut cx),
            Poll::Pending,
            "poll {poll} of Countdown::new(3) should be Pending"
        );
    }
    assert_eq!(future.as_mut().poll(&mut cx), Poll::Ready(3));
}

#[test]
fn every_pending_poll_wakes_the_task_once() {
    let (counter, waker) = counting_waker();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(Countdown::new(2));
    assert!(future.as_mut().poll(&mut cx).is_pending());
    assert_eq!(
        counter.0.load(Ordering::SeqCst),
        1,
        "a Pending poll must wake its task, or nobody polls it again"
    );
    assert!(future.as_mut().poll(&mut cx).is_pending());
    assert_eq!(counter.0.load(Ordering::SeqCst), 2);
    assert!(future.as_mut().poll(&mut cx).is_ready());
    assert_eq!(
        counter.0.load(Ordering::SeqCst),
        2,
        "a ready poll must not wake"
    );
}

#[test]
fn a_countdown_runs_to_the_end_under_a_real_executor() {
    assert_eq!(block_on(Countdown::new(5)), 5);
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
