//! `timeout`: asyncio's `wait_for(aw, timeout)` and `async with asyncio.timeout(delay)`.
//!
//! Race the future against a [`Sleep`]. If the future finishes first, its output is
//! returned; if the deadline comes first, the future is **dropped** (that is how Rust
//! cancels: its destructors run, nothing more of it ever runs) and `Err(Elapsed)` is
//! returned. asyncio instead throws `CancelledError` into the coroutine and, once it has
//! unwound, raises `TimeoutError`.
//!
//! # Zero and past deadlines
//!
//! asyncio 3.11's `wait_for` with `timeout <= 0` cancelled the awaitable without ever
//! starting it; 3.12 (which rebuilt `wait_for` on `asyncio.timeout`) and tokio poll the
//! future once first. tinyloop does the latter: the inner future is always polled once,
//! and a future that is ready at once wins even against a zero timeout.
//!
//! # Why an `async fn` and not a `Timeout<F>` struct
//!
//! A struct that holds the inner future and polls it needs to project its own pinning onto
//! that field, which takes either `unsafe` code or the `pin-project-lite` crate (tokio's
//! choice, outside our five dependencies). An `async fn` gets the pinning for free, and the
//! poll logic is still written by hand in the `poll_fn` below.
//!
//! # Speed
//!
//! The timer is filed only once the inner future has returned `Pending`: a timeout around
//! a future that is ready at once costs no timer at all.

use std::fmt;
use std::future::{Future, IntoFuture, poll_fn};
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Duration;

use super::{Instant, Sleep, sleep_until};

/// The error of a [`timeout`] whose deadline came first (asyncio: `TimeoutError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed;

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "deadline has elapsed (asyncio: TimeoutError)")
    }
}

impl std::error::Error for Elapsed {}

/// Run `future`, giving up after `duration`: then the future is dropped and
/// `Err(Elapsed)` returned.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{Elapsed, now, sleep, timeout};
///
/// run_virtual(async {
///     let slow = timeout(Duration::from_millis(500), sleep(Duration::from_secs(2)));
///     assert_eq!(slow.await, Err(Elapsed));
///     assert_eq!(now().to_string(), "t=0.50");
///     let fast = timeout(Duration::from_secs(1), async { 7 });
///     assert_eq!(fast.await, Ok(7));
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the returned future drops the inner future and cancels the timer.
pub async fn timeout<F: IntoFuture>(duration: Duration, future: F) -> Result<F::Output, Elapsed> {
    let future = future.into_future();
    // The deadline counts from the first poll, like `sleep`.
    race_deadline(Deadline::After(duration), future).await
}

/// [`timeout`] with an absolute deadline (asyncio `asyncio.timeout_at(when)`).
pub async fn timeout_at<F: IntoFuture>(deadline: Instant, future: F) -> Result<F::Output, Elapsed> {
    race_deadline(Deadline::At(deadline), future.into_future()).await
}

/// [`timeout`] with asyncio's argument order: `wait_for(future, timeout)`.
pub async fn wait_for<F: IntoFuture>(future: F, duration: Duration) -> Result<F::Output, Elapsed> {
    timeout(duration, future).await
}

enum Deadline {
    After(Duration),
    At(Instant),
}

async fn race_deadline<F: Future>(deadline: Deadline, future: F) -> Result<F::Output, Elapsed> {
    let mut future = pin!(future);
    let mut deadline_at: Option<Instant> = match deadline {
        Deadline::At(at) => Some(at),
        Deadline::After(_) => None,
    };
    let mut timer: Option<Sleep> = None;
    poll_fn(|cx| {
        let at = *deadline_at.get_or_insert_with(|| match deadline {
            Deadline::After(duration) => super::now().saturating_add(duration),
            Deadline::At(at) => at,
        });
        // The future first: if it is ready, it wins, even against an expired deadline.
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        if super::now() >= at {
            return Poll::Ready(Err(Elapsed));
        }
        // Pending: only now file the timer.
        let timer = timer.get_or_insert_with(|| sleep_until(at));
        match Pin::new(timer).poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed)),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}
