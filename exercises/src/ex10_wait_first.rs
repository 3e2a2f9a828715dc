//! # Exercise 10: `wait(FIRST_COMPLETED)`
//!
//! `done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)` returns as
//! soon as one of the tasks finishes, and leaves the others running: it does not cancel them.
//! (`asyncio.wait_for` and `TaskGroup` cancel; `wait` never does.) The caller decides: wait on
//! `pending` again, or cancel it.
//!
//! A future that waits on several futures is simple once you see the trick: poll *all* of them
//! with your own task's waker. Whichever becomes ready wakes your task, and on the next poll you
//! find it. Write `WaitFirst::poll`:
//!
//! - Poll each future in order (`Pin::new(future).poll(cx)`; they are `Unpin`, as tinyloop's
//!   `JoinHandle` and `Sleep` are).
//! - On the first that is `Ready(output)`: take the `Vec` out of `self.futures`, remove that
//!   future, and return `(index, output, rest)`. Ties go to the lowest index.
//! - If none is ready, return `Pending`: each has stored the waker, so you will be woken.
//!
//! Check it with `cargo run -- check 10`.

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
        // Your code: poll each future in order with `cx` (`Pin::new(future).poll(cx)`); on the
        // first Ready, take the Vec out of `self.futures`, remove that one, return the rest.
        todo!()
    }
}
// ANCHOR_END: poll
