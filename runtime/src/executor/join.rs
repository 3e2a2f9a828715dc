//! `JoinHandle`: what `spawn` gives back, and how you await a task's result.
//!
//! In asyncio, `asyncio.create_task(coro)` returns the `Task` itself: you can `await` it,
//! `cancel()` it, ask `done()`. Rust splits that object in two: the loop owns the running
//! task, and you hold a [`JoinHandle`], a small future that resolves to the task's outcome.
//!
//! Three rules differ from asyncio, and the book's chapter "Tasks and JoinHandles" shows each:
//!
//! * **Dropping the handle detaches the task; it keeps running.** asyncio keeps only a weak
//!   reference to running tasks, so a task whose `Task` object you drop can be garbage
//!   collected mid-flight (the docs warn: "save a reference to the result of this
//!   function"). tinyloop's loop owns every task strongly until it finishes, as tokio's does.
//! * **Cancellation is a drop, not an exception.** [`JoinHandle::cancel`] asks the loop to
//!   drop the task's future at its next turn; its destructors are its `finally` blocks.
//!   Awaiting the handle then gives `Err(JoinError::Cancelled)`.
//! * **A panic is the task's exception.** It is caught, the loop goes on, and awaiting the
//!   handle gives `Err(JoinError::Panicked(message))`. A panic that nobody retrieves is
//!   reported on stderr, as asyncio logs "Task exception was never retrieved".

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::task::{Joinable, TaskId, TaskState};

/// Why awaiting a [`JoinHandle`] gave no value.
///
/// ```
/// use tinyloop_runtime::{JoinError, run, spawn};
///
/// run(async {
///     let cancelled = spawn(async {});
///     cancelled.cancel();
///     let error = cancelled.await.unwrap_err();
///     assert!(error.is_cancelled() && !error.is_panic());
///     assert_eq!(error.to_string(), "task was cancelled");
///
///     let panicked = spawn(async { panic!("boom") });
///     assert_eq!(panicked.await, Err(JoinError::Panicked("boom".to_string())));
/// });
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JoinError {
    /// The task was cancelled with [`JoinHandle::cancel`] (or by the loop shutting down)
    /// before it finished. asyncio: awaiting a cancelled task raises `CancelledError`.
    Cancelled,
    /// The task's future panicked; the message is the panic's. asyncio: awaiting the task
    /// re-raises its exception.
    Panicked(String),
}

impl JoinError {
    /// True for [`JoinError::Cancelled`].
    pub fn is_cancelled(&self) -> bool {
        matches!(self, JoinError::Cancelled)
    }

    /// True for [`JoinError::Panicked`].
    pub fn is_panic(&self) -> bool {
        matches!(self, JoinError::Panicked(_))
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Cancelled => write!(f, "task was cancelled"),
            JoinError::Panicked(message) => write!(f, "task panicked: {message}"),
        }
    }
}

impl std::error::Error for JoinError {}

/// An owned permission to await a spawned task's result, returned by
/// [`spawn`](crate::spawn).
///
/// Awaiting it gives `Ok(output)`, or `Err(JoinError)` if the task was cancelled or
/// panicked. Dropping it detaches the task, which keeps running.
///
/// ```
/// let answer = tinyloop_runtime::run(async {
///     let handle = tinyloop_runtime::spawn(async { 6 * 7 });
///     assert!(!handle.is_finished()); // spawn only schedules: nothing ran yet
///     handle.await
/// });
/// assert_eq!(answer, Ok(42));
/// ```
#[must_use = "dropping a JoinHandle detaches the task: it keeps running, but its result and any panic are lost"]
pub struct JoinHandle<T> {
    /// The task, seen only through what a handle may do with it. (An `Arc` because the
    /// task's wakers share its count; `dyn Joinable` is neither `Send` nor `Sync`, so the
    /// handle stays on the loop's thread.)
    task: Arc<dyn Joinable<T>>,
}

impl<T> JoinHandle<T> {
    pub(crate) fn new(task: Arc<dyn Joinable<T>>) -> JoinHandle<T> {
        JoinHandle { task }
    }

    /// Ask the loop to cancel the task, like asyncio's `Task.cancel()`.
    ///
    /// Returns `true` if this request is new: the task had not finished and had not been
    /// cancelled before. The task's future is dropped at its next turn in the loop (never
    /// inside this call), running its destructors; a task cancelled before its first poll
    /// never runs its body at all.
    ///
    /// ```
    /// use tinyloop_runtime::{JoinError, run, spawn};
    /// run(async {
    ///     let handle = spawn(async { unreachable!("cancelled before its first poll") });
    ///     assert!(handle.cancel());
    ///     assert!(!handle.cancel()); // already asked
    ///     assert_eq!(handle.await, Err(JoinError::Cancelled));
    /// });
    /// ```
    pub fn cancel(&self) -> bool {
        let header = self.task.header();
        if header.state.get().is_finished() || header.cancel_requested.get() {
            return false;
        }
        header.cancel_requested.set(true);
        // Wake the task, so it gets a turn; at its turn the loop sees the request and drops
        // the future instead of polling it. The tracer hears "woken by cancel".
        crate::trace::wake_with_cause(crate::trace::WakeCause::Cancel, || self.task.wake());
        true
    }

    /// True once the task has completed, panicked or been cancelled (asyncio `Task.done()`).
    pub fn is_finished(&self) -> bool {
        self.task.header().state.get().is_finished()
    }

    /// The task's name: the one given to [`spawn_named`](crate::spawn_named), or `task-N`.
    pub fn name(&self) -> String {
        self.task.header().name()
    }

    /// The name given at spawn, if any (no `task-N` is formatted).
    pub(crate) fn given_name(&self) -> Option<Box<str>> {
        self.task.header().origin.name.clone()
    }

    /// The task's id, unique within its loop.
    ///
    /// ```
    /// use tinyloop_runtime::{run, spawn};
    ///
    /// run(async {
    ///     let (a, b) = (spawn(async {}), spawn(async {}));
    ///     assert_ne!(a.id(), b.id()); // unique within the loop
    /// });
    /// ```
    pub fn id(&self) -> TaskId {
        self.task.header().id
    }

    /// The task's current [`TaskState`].
    ///
    /// ```
    /// use tinyloop_runtime::executor::TaskState;
    /// use tinyloop_runtime::{run, spawn_named, yield_now};
    ///
    /// run(async {
    ///     let handle = spawn_named("worker", async {});
    ///     assert_eq!(handle.name(), "worker");
    ///     assert_eq!(handle.state(), TaskState::Scheduled);
    ///     yield_now().await; // the worker runs to its end in this turn
    ///     assert!(handle.is_finished());
    ///     assert_eq!(handle.state(), TaskState::Completed);
    /// });
    /// ```
    pub fn state(&self) -> TaskState {
        self.task.header().state.get()
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, super::JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let header = self.task.header();
        if header.state.get().is_finished() {
            return Poll::Ready(self.task.take_output());
        }
        crate::trace::waiting_on(crate::trace::WaitingOn::Task(header.id));
        // Register, then wait: the task wakes us when it finishes. Only one task can await
        // a handle (it is not Clone), so one slot is enough; keep the newest waker.
        let old = header.join_waker.take();
        match old {
            Some(waker) if waker.will_wake(cx.waker()) => header.join_waker.set(Some(waker)),
            _ => header.join_waker.set(Some(cx.waker().clone())),
        }
        Poll::Pending
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        let header = self.task.header();
        if !header.state.get().is_finished() {
            // A `wait_for` giving up on the future that held this handle cancels the task,
            // as asyncio's does (`time/timeout.rs`, "the give-up scope"); otherwise the
            // task runs on, detached.
            if crate::time::cancel_dropped_task() {
                self.cancel();
            }
            header.detached.set(true);
            return;
        }
        // Finished. An outcome nobody took is dropped here, on the loop's thread (the rule
        // in `task.rs`); if it was a panic the loop did not report at its end, this is the
        // last chance to hear of it.
        if let Some(message) = self.task.release() {
            super::report_unretrieved_panic(&header.name(), &message);
        }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header = self.task.header();
        f.debug_struct("JoinHandle")
            .field("name", &header.name())
            .field("state", &header.state.get())
            .finish()
    }
}
