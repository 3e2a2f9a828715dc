//! # Exercise 11: a timeout
//!
//! `async with asyncio.timeout(1.0): await fetch()` gives `fetch` one second. If it is not done
//! by then, asyncio *cancels* it (throws `CancelledError` into it) and raises `TimeoutError`.
//! In Rust, cancelling a future is dropping it: the work stops at the `await` where it was
//! waiting, and its destructors run (a held permit is released, a socket is closed).
//!
//! A timeout is a future that polls two others, the work and a timer, with the same waker
//! (exercise 10's trick), and returns whichever finishes first. Write `Timeout::poll`:
//!
//! - Poll the work first: if it is `Ready(output)`, set `self.future = None` and return
//!   `Ok(output)`. (Work ready at the very instant of the deadline counts as in time.)
//! - Otherwise poll the sleep (`Pin::new(&mut self.sleep).poll(cx)`; tinyloop's `Sleep` is
//!   `Unpin`). If it is ready, **drop the work now** (`self.future = None`) and return
//!   `Err(Elapsed)`.
//! - Otherwise `Pending`: both have the waker.
//!
//! Check it with `cargo run -- check 11`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tinyloop::Sleep;

/// The error of a [`timeout`] whose deadline passed first (asyncio's `TimeoutError`).
#[derive(Debug, PartialEq, Eq)]
pub struct Elapsed;

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the deadline passed before the future finished; it was cancelled (dropped)"
        )
    }
}

/// Runs `future` for at most `duration`: `asyncio.timeout(duration)` around an `await`.
/// `Ok(output)` if it finished in time; `Err(Elapsed)` if not, and then the future is dropped,
/// which cancels it.
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Some(Box::pin(future)),
        sleep: tinyloop::sleep(duration),
    }
}

/// The future returned by [`timeout`].
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Timeout<F> {
    /// The future it runs; `None` once it has finished or been cancelled.
    future: Option<Pin<Box<F>>>,
    /// The deadline, as one of tinyloop's sleeps (its clock starts at the first poll).
    sleep: Sleep,
}

// ANCHOR: poll
impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Your code: poll the future; Ready -> Ok. Else poll the sleep; Ready -> drop the
        // future (set it to None) and return Err(Elapsed). Else Pending.
        todo!()
    }
}
// ANCHOR_END: poll
