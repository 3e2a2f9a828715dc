//! # Exercise 16: cleanup on cancel, and a task group
//!
//! In asyncio, cancelling a task throws `CancelledError` into it, and its `except` and
//! `finally` blocks run on the way out. In Rust a cancelled future is *dropped*: there is no
//! exception, and the cleanup is whatever runs in `drop`. The first half of this exercise
//! makes that visible: [`with_cleanup`] wraps a future and runs a cleanup exactly once, told
//! whether the future finished or was cancelled (dropped before it finished). It works
//! however the future is cancelled: a `timeout` that fires, a `select` that picks another
//! branch, or `JoinHandle::cancel()` on the task that runs it.
//!
//! The second half is asyncio's `TaskGroup` in small: children run as tasks; `join` (leaving
//! `async with TaskGroup() as tg:`) waits for every one; and the first child that fails
//! cancels all the others, whose cleanups run **before** `join` returns, because `join` waits
//! for the cancelled children to finish too. `join` then returns every failure it saw
//! (asyncio: an `ExceptionGroup`). And if `join` itself is cancelled, it cancels the children:
//! no task outlives its group.
//!
//! Given: `Ended`, `with_cleanup`, the types, `TaskGroup::{new, spawn, join}` and its `Drop`.
//! Write:
//!
//! - `WithCleanup::poll`: poll the inner future; when it is ready, run the cleanup with
//!   `Ended::Finished` (take it out of its `Option`), then return the output.
//! - `Drop for WithCleanup`: if the cleanup has not run, run it with `Ended::Cancelled`.
//! - `Join::poll`: poll every unfinished child handle with `cx`. A child that returns
//!   `Err(e)` adds `e` to the errors; after the first failure, `cancel()` every unfinished
//!   child (they wake the join when they end). A child that ends `Err(JoinError::Cancelled)`
//!   is a sibling you cancelled, not an error. Ready once no child is left: `Ok(())` if no
//!   error, else `Err(errors)`.
//! - `Drop for Join`: `cancel()` every child not finished.
//!
//! Check it with `cargo run -- check 16` (or `cargo run -- watch`).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tinyloop::{JoinError, JoinHandle, spawn};

/// How a future wrapped by [`with_cleanup`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// It ran to the end (Python: the `try` block finished).
    Finished,
    /// It was dropped before it finished (Python: `except CancelledError`).
    Cancelled,
}

/// Runs `cleanup` exactly once when `future` ends, saying how: finished, or cancelled
/// (dropped before it finished). Python's `try: ... except CancelledError: ... finally:`.
pub fn with_cleanup<F: Future, C: FnOnce(Ended)>(future: F, cleanup: C) -> WithCleanup<F, C> {
    WithCleanup {
        future: Box::pin(future),
        cleanup: Some(cleanup),
    }
}

/// The future [`with_cleanup`] returns.
pub struct WithCleanup<F, C: FnOnce(Ended)> {
    /// The wrapped future.
    future: Pin<Box<F>>,
    /// The cleanup, until it has run.
    cleanup: Option<C>,
}

// The wrapped future is boxed, so the wrapper can move.
impl<F, C: FnOnce(Ended)> Unpin for WithCleanup<F, C> {}

// ANCHOR: with_cleanup
impl<F: Future, C: FnOnce(Ended)> Future for WithCleanup<F, C> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // Your code: poll the inner future; once it is ready, run the cleanup with
        // Ended::Finished, then return the output.
        todo!()
    }
}

impl<F, C: FnOnce(Ended)> Drop for WithCleanup<F, C> {
    fn drop(&mut self) {
        // Your code: if the cleanup has not run, run it with Ended::Cancelled. (No `todo!()`
        // in a `drop`: a panic there while a test is failing aborts every test.)
    }
}
// ANCHOR_END: with_cleanup

/// A small task group, asyncio's `TaskGroup`: children run as tasks; `join` waits for all of
/// them; the first failure cancels the rest.
pub struct TaskGroup<E> {
    /// The children's handles, in the order they were spawned.
    children: Vec<JoinHandle<Result<(), E>>>,
}

impl<E: 'static> TaskGroup<E> {
    /// An empty group.
    pub fn new() -> TaskGroup<E> {
        TaskGroup {
            children: Vec::new(),
        }
    }

    /// Starts `future` as a child task (asyncio: `tg.create_task(coro)`).
    pub fn spawn(&mut self, future: impl Future<Output = Result<(), E>> + 'static) {
        self.children.push(spawn(future));
    }

    /// Waits for every child (asyncio: leaving `async with TaskGroup() as tg:`). `Ok` if none
    /// failed; otherwise every child's error, in the order the group saw them.
    pub fn join(mut self) -> Join<E> {
        Join {
            children: std::mem::take(&mut self.children)
                .into_iter()
                .map(Some)
                .collect(),
            errors: Vec::new(),
        }
    }
}

impl<E: 'static> Default for TaskGroup<E> {
    fn default() -> Self {
        TaskGroup::new()
    }
}

impl<E> Drop for TaskGroup<E> {
    /// A group dropped without `join` cancels its children: no task outlives its group.
    fn drop(&mut self) {
        for child in &self.children {
            child.cancel();
        }
    }
}

/// The future [`TaskGroup::join`] returns.
pub struct Join<E> {
    /// Each child's handle, `None` once it has finished.
    children: Vec<Option<JoinHandle<Result<(), E>>>>,
    /// The errors of the children that failed, in the order they were seen.
    errors: Vec<E>,
}

// Nothing in a Join is pinned in place (handles and errors move freely).
impl<E> Unpin for Join<E> {}

// ANCHOR: join
impl<E> Future for Join<E> {
    type Output = Result<(), Vec<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Your code: poll each unfinished child; collect errors; after a failure cancel the
        // rest; Ready when none is left.
        todo!()
    }
}

impl<E> Drop for Join<E> {
    /// A join that is itself cancelled (a timeout around it) cancels the children it waited
    /// for: the group's tasks never outlive it.
    fn drop(&mut self) {
        // Your code: cancel every child that has not finished.
    }
}
// ANCHOR_END: join
