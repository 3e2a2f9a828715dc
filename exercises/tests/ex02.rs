//! Grades exercise 02: `block_on` with waker-fn.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex02_block_on.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex02_block_on.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex02;

use ex02::block_on;
use exercises::expect_eq;

#[test]
fn block_on_returns_the_output_of_a_ready_future() {
    expect_eq!(block_on(async { 6 * 7 }), 42);
}

#[test]
fn block_on_drives_an_async_block_through_its_awaits() {
    let out = block_on(async {
        let a = SelfWaking::new(3).await;
        let b = SelfWaking::new(2).await;
        a + b
    });
    expect_eq!(out, 5);
}

#[test]
fn a_future_woken_by_another_thread_completes() {
    let polls = Arc::new(AtomicUsize::new(0));
    let out = block_on(WokenByThread::new(polls.clone(), Duration::from_millis(50)));
    expect_eq!(out, "done");
    expect_eq!(
        polls.load(Ordering::SeqCst),
        2,
        "one poll before the wake, one after"
    );
}

#[test]
fn block_on_sleeps_instead_of_spinning_while_it_waits() {
    let polls = Arc::new(AtomicUsize::new(0));
    block_on(WokenByThread::new(
        polls.clone(),
        Duration::from_millis(200),
    ));
    let polls = polls.load(Ordering::SeqCst);
    assert!(
        polls <= 5,
        "the future was polled {polls} times while it waited for one wake: block_on spins \
         instead of parking until the waker is called"
    );
}

/// Pending `left` times, waking itself each time (exercise 01's Countdown), then `Ready(n)`.
struct SelfWaking {
    left: u32,
    n: u32,
}

impl SelfWaking {
    fn new(n: u32) -> SelfWaking {
        SelfWaking { left: n, n }
    }
}

impl Future for SelfWaking {
    type Output = u32;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        if self.left == 0 {
            return Poll::Ready(self.n);
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Pending until a helper thread, started on the first poll, sets a flag and wakes it after
/// `delay`; counts its polls.
struct WokenByThread {
    polls: Arc<AtomicUsize>,
    delay: Duration,
    done: Option<Arc<AtomicBool>>,
}

impl WokenByThread {
    fn new(polls: Arc<AtomicUsize>, delay: Duration) -> WokenByThread {
        WokenByThread {
            polls,
            delay,
            done: None,
        }
    }
}

impl Future for WokenByThread {
    type Output = &'static str;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        match &self.done {
            Some(done) if done.load(Ordering::SeqCst) => Poll::Ready("done"),
            Some(_) => Poll::Pending,
            None => {
                let done = Arc::new(AtomicBool::new(false));
                let (flag, waker, delay) = (done.clone(), cx.waker().clone(), self.delay);
                std::thread::spawn(move || {
                    std::thread::sleep(delay);
                    flag.store(true, Ordering::SeqCst);
                    waker.wake();
                });
                self.done = Some(done);
                Poll::Pending
            }
        }
    }
}
