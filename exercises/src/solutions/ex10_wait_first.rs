//! Reference solution of exercise 10 (see `src/ex10_wait_first.rs` for the instructions).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Waits for the first of `futures` to finish: `asyncio.wait(aws,
/// return_when=FIRST_COMPLETED)`. Its output is the index of the one that finished, its
/// output, and the others, still pending and *not* cancelled (in their original order,
/// without the finished one), so the caller can wait on them again or drop them.
///
/// # Panics
///
/// If `futures` is empty (asyncio raises `ValueError` for an empty set).
pub fn wait_first<F: Future + Unpin>(futures: Vec<F>) -> WaitFirst<F> {
    assert!(
        !futures.is_empty(),
        "wait_first() needs at least one future to wait for"
    );
    WaitFirst {
        futures: Some(futures),
    }
}

/// The future returned by [`wait_first`].
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct WaitFirst<F> {
    /// The futures it waits on; `None` once it has returned them.
    futures: Option<Vec<F>>,
}

// ANCHOR: poll
impl<F: Future + Unpin> Future for WaitFirst<F> {
    type Output = (usize, F::Output, Vec<F>);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let futures = self
            .futures
            .as_mut()
            .expect("WaitFirst polled after it finished");
        // Poll every one, in order, each with this task's waker: whichever becomes ready
        // wakes us, and on that poll we find it. Ties go to the lowest index.
        for (index, future) in futures.iter_mut().enumerate() {
            if let Poll::Ready(output) = Pin::new(future).poll(cx) {
                let mut rest = self.futures.take().unwrap();
                rest.remove(index);
                return Poll::Ready((index, output, rest));
            }
        }
        Poll::Pending
    }
}
// ANCHOR_END: poll
