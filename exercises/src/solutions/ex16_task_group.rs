//! Reference solution of exercise 16 (see `src/ex16_task_group.rs` for the instructions).

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
        let output = std::task::ready!(self.future.as_mut().poll(cx));
        if let Some(cleanup) = self.cleanup.take() {
            cleanup(Ended::Finished);
        }
        Poll::Ready(output)
    }
}

impl<F, C: FnOnce(Ended)> Drop for WithCleanup<F, C> {
    fn drop(&mut self) {
        // Still holding the cleanup means the future never finished: it was cancelled.
        if let Some(cleanup) = self.cleanup.take() {
            cleanup(Ended::Cancelled);
        }
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
        let this = &mut *self;
        let mut failed = false;
        for slot in this.children.iter_mut() {
            let Some(handle) = slot else { continue };
            let Poll::Ready(result) = Pin::new(handle).poll(cx) else {
                continue;
            };
            *slot = None;
            match result {
                Ok(Ok(())) => {}
                Ok(Err(error)) => {
                    this.errors.push(error);
                    failed = true;
                }
                // A sibling we cancelled: not an error of its own.
                Err(JoinError::Cancelled) => {}
                Err(JoinError::Panicked(message)) => panic!("a child task panicked: {message}"),
            }
        }
        if failed {
            // The first failure cancels every other child. They finish (their cleanup runs)
            // at their next turn, and wake us then: we keep waiting for them.
            for handle in this.children.iter().flatten() {
                handle.cancel();
            }
        }
        if this.children.iter().any(Option::is_some) {
            return Poll::Pending;
        }
        match std::mem::take(&mut this.errors) {
            errors if errors.is_empty() => Poll::Ready(Ok(())),
            errors => Poll::Ready(Err(errors)),
        }
    }
}

impl<E> Drop for Join<E> {
    /// A join that is itself cancelled (a timeout around it) cancels the children it waited
    /// for: the group's tasks never outlive it.
    fn drop(&mut self) {
        for handle in self.children.iter().flatten() {
            handle.cancel();
        }
    }
}
// ANCHOR_END: join
