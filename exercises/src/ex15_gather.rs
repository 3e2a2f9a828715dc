//! # Exercise 15: gather, joining many futures
//!
//! `await asyncio.gather(a(), b(), c())` runs the three at once and gives back their results
//! **in the order of the arguments**, whatever order they finished in. Three one-second sleeps
//! gathered take one second, not three: their waits overlap.
//!
//! Here you write it for a `Vec` of futures, the way tinyloop's `gather_all` does it: without
//! spawning. The gather polls every unfinished child *inside the task that awaits it*, each
//! with that task's `Context`, so any child's wake wakes the gathering task, which then polls
//! the children again. Two rules:
//!
//! - A child that has finished is **never polled again** (polling a finished `async` block
//!   panics), and it is dropped at once, so its destructors run when it finishes.
//! - The outputs go back in argument order: keep each one at its child's index.
//!
//! Then the fail-fast form, asyncio's default `gather` (`return_exceptions=False`): for
//! children whose output is a `Result`, the first `Err` is returned at once, with the index of
//! the child that failed, and the other children are dropped. What dropping means depends on
//! the child: a plain future is cancelled; a `JoinHandle` detaches, and its task runs on,
//! which is exactly what asyncio's `gather` does to the other tasks.
//!
//! Given: the constructors `gather_all` and `try_gather_all` and the types. Write the two
//! `poll`s.
//!
//! Check it with `cargo run -- check 15` (or `cargo run -- watch`).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Waits for every future in `futures`; their outputs come back in the order given.
pub fn gather_all<F: Future>(futures: Vec<F>) -> GatherAll<F> {
    let outputs = futures.iter().map(|_| None).collect();
    GatherAll {
        children: futures.into_iter().map(|f| Some(Box::pin(f))).collect(),
        outputs,
    }
}

/// Like [`gather_all`] for futures that may fail: the first `Err` comes back at once, with
/// the index of the child that failed, and the other children are dropped.
pub fn try_gather_all<F, T, E>(futures: Vec<F>) -> TryGatherAll<F, T>
where
    F: Future<Output = Result<T, E>>,
{
    let outputs = futures.iter().map(|_| None).collect();
    TryGatherAll {
        children: futures.into_iter().map(|f| Some(Box::pin(f))).collect(),
        outputs,
    }
}

/// The future [`gather_all`] returns.
pub struct GatherAll<F: Future> {
    /// Each child, `Some` while it runs, `None` (dropped) once it has finished.
    children: Vec<Option<Pin<Box<F>>>>,
    /// Each child's output, at its index, once it has finished.
    outputs: Vec<Option<F::Output>>,
}

/// The future [`try_gather_all`] returns.
pub struct TryGatherAll<F, T> {
    /// Each child, `Some` while it runs, `None` (dropped) once it has finished.
    children: Vec<Option<Pin<Box<F>>>>,
    /// Each child's `Ok` value, at its index, once it has finished.
    outputs: Vec<Option<T>>,
}

// Every field is boxed or plain data, so the gathers can be moved after a poll.
impl<F: Future> Unpin for GatherAll<F> {}
impl<F, T> Unpin for TryGatherAll<F, T> {}

// ANCHOR: gather
impl<F: Future> Future for GatherAll<F> {
    type Output = Vec<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        // Your code: poll each unfinished child with `cx`; keep a finished child's output at
        // its index and drop the child; Ready with every output once none is left running.
        todo!()
    }
}
// ANCHOR_END: gather

// ANCHOR: try_gather
impl<F, T, E> Future for TryGatherAll<F, T>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Result<Vec<T>, (usize, E)>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Your code: as in `GatherAll::poll`, but the first `Err` is returned at once, with
        // its child's index, after dropping every other child.
        todo!()
    }
}
// ANCHOR_END: try_gather
