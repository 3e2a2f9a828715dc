//! Tests of `block_on`, the smallest executor (`runtime/src/block_on.rs`).
//!
//! The futures here are written by hand, so that every test shows which waker is called, when,
//! and from which thread. None of them needs the real event loop.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use tinyloop_runtime::block_on;

/// A future that becomes ready when a helper thread, started at its first poll, has slept for
/// `delay`. This is how a timer or a network reply wakes a future in a real program: from
/// somewhere else, later, by calling the waker it was given.
struct WokenByThread {
    delay: Duration,
    shared: Arc<Mutex<Shared>>,
    started: bool,
}

/// What the future and its helper thread share. One lock guards both fields, so "check the flag,
/// then store the waker" cannot interleave with "set the flag, then take the waker".
#[derive(Default)]
struct Shared {
    done: bool,
    waker: Option<Waker>,
}

impl WokenByThread {
    fn after(delay: Duration) -> Self {
        WokenByThread {
            delay,
            shared: Arc::default(),
            started: false,
        }
    }
}

impl Future for WokenByThread {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut shared = self.shared.lock().unwrap();
        if shared.done {
            return Poll::Ready(());
        }
        // Store the waker of *this* poll: an executor may hand a different one each time.
        shared.waker = Some(cx.waker().clone());
        drop(shared);

        if !self.started {
            self.started = true;
            let (delay, shared) = (self.delay, Arc::clone(&self.shared));
            thread::spawn(move || {
                thread::sleep(delay);
                let mut shared = shared.lock().unwrap();
                shared.done = true;
                if let Some(waker) = shared.waker.take() {
                    waker.wake();
                }
            });
        }
        Poll::Pending
    }
}

/// Counts how often it is polled, and is ready on the first poll.
struct ReadyAtOnce<'a> {
    polls: &'a Cell<u32>,
}

impl Future for ReadyAtOnce<'_> {
    type Output = &'static str;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<&'static str> {
        self.polls.set(self.polls.get() + 1);
        Poll::Ready("ready")
    }
}

/// Returns `Pending` `left` times, waking its own waker each time before it does: the
/// wake-up arrives before `block_on` parks, which is the race the thread's token exists for.
struct WakesItself {
    left: u32,
    polls: u32,
}

impl Future for WakesItself {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        self.polls += 1;
        if self.left == 0 {
            return Poll::Ready(self.polls);
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[test]
fn future_woken_from_another_thread_completes() {
    let start = Instant::now();
    block_on(WokenByThread::after(Duration::from_millis(50)));
    assert!(
        start.elapsed() >= Duration::from_millis(50),
        "block_on returned before the helper thread woke the future"
    );
}

#[test]
fn ready_future_is_polled_exactly_once() {
    let polls = Cell::new(0);
    assert_eq!(block_on(ReadyAtOnce { polls: &polls }), "ready");
    assert_eq!(polls.get(), 1);
}

#[test]
fn ready_future_returns_without_parking() {
    // Make this thread's unpark token available. If `block_on` parked, it would consume it.
    thread::current().unpark();
    let polls = Cell::new(0);
    block_on(ReadyAtOnce { polls: &polls });

    // The token must still be here, so this park returns at once instead of waiting 10 s.
    let start = Instant::now();
    thread::park_timeout(Duration::from_secs(10));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "block_on parked (and used up the token) although the future was ready"
    );
}

#[test]
fn wake_before_park_is_not_lost() {
    // Each wake happens inside `poll`, before `block_on` reaches `park`. Without the token this
    // would hang on the first `Pending`.
    let polls = block_on(WakesItself {
        left: 1000,
        polls: 0,
    });
    assert_eq!(polls, 1001);
}

#[test]
fn spurious_unpark_polls_again_but_does_not_finish_early() {
    let polls = Arc::new(Mutex::new(0));
    let blocked_thread = thread::current();
    // Unpark the blocked thread while its future is still waiting: `block_on` must poll again,
    // see `Pending`, and go back to sleep until the real wake-up.
    let nuisance = thread::spawn(move || {
        for _ in 0..5 {
            thread::sleep(Duration::from_millis(5));
            blocked_thread.unpark();
        }
    });

    let counted = {
        let polls = Arc::clone(&polls);
        let mut inner = WokenByThread::after(Duration::from_millis(100));
        std::future::poll_fn(move |cx| {
            *polls.lock().unwrap() += 1;
            Pin::new(&mut inner).poll(cx)
        })
    };
    let start = Instant::now();
    block_on(counted);
    assert!(start.elapsed() >= Duration::from_millis(100));
    nuisance.join().unwrap();
    assert!(*polls.lock().unwrap() >= 2);
}

#[test]
fn nested_futures_complete_in_order() {
    async fn step(log: &Mutex<Vec<&'static str>>, name: &'static str, ms: u64) -> u64 {
        log.lock().unwrap().push(name);
        WokenByThread::after(Duration::from_millis(ms)).await;
        ms
    }

    async fn recipe(log: &Mutex<Vec<&'static str>>) -> u64 {
        let a = step(log, "boil", 20).await;
        let b = async { step(log, "simmer", 10).await + step(log, "chop", 5).await }.await;
        a + b
    }

    let log = Mutex::new(Vec::new());
    assert_eq!(block_on(recipe(&log)), 35);
    // One future, one thread: the steps ran one after another, in the order they were awaited.
    assert_eq!(*log.lock().unwrap(), ["boil", "simmer", "chop"]);
}

#[test]
fn zip_runs_two_futures_concurrently_inside_one() {
    // No tasks, but concurrency inside one future still works: `zip` polls both, so both waits
    // overlap and the short one finishes first although it comes second.
    let finished = Mutex::new(Vec::new());
    let wait = |name, ms| {
        let finished = &finished;
        async move {
            WokenByThread::after(Duration::from_millis(ms)).await;
            finished.lock().unwrap().push(name);
        }
    };
    block_on(futures_lite::future::zip(
        wait("long", 200),
        wait("short", 10),
    ));
    assert_eq!(*finished.lock().unwrap(), ["short", "long"]);
}

#[test]
fn waker_called_after_block_on_returned_is_harmless() {
    let mut kept = None;
    block_on(std::future::poll_fn(|cx| {
        kept = Some(cx.waker().clone());
        Poll::Ready(())
    }));
    // The waker outlives the call; waking it only leaves a token on this thread.
    kept.unwrap().wake();
    thread::park_timeout(Duration::from_millis(1));
}

#[test]
#[should_panic(expected = "boom inside the future")]
fn panic_inside_the_future_reaches_the_caller() {
    block_on(async { panic!("boom inside the future") });
}
