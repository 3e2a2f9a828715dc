//! Reference solution of exercise 11 (see `src/ex11_timeout.rs` for the instructions).

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
        let future = self
            .future
            .as_mut()
            .expect("Timeout polled after it finished");
        // The work first: a future that is ready at the deadline still counts as in time.
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            self.future = None;
            return Poll::Ready(Ok(output));
        }
        if Pin::new(&mut self.sleep).poll(cx).is_ready() {
            // Cancel now, not when the Timeout itself is dropped: in Rust, dropping is cancelling.
            self.future = None;
            return Poll::Ready(Err(Elapsed));
        }
        Poll::Pending
    }
}
// ANCHOR_END: poll
