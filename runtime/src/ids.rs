//! The loop's shared vocabulary: the names every layer uses and none owns.
//!
//! A task's number ([`TaskId`]) and its place in its life ([`TaskState`]) are read by the
//! executor, which hands them out, and by the drivers below it: a timer remembers which task
//! set it, the reactor which task waits on a socket, the tracer which task woke which. Kept
//! here, in a module that imports nothing of the loop, so that a driver can name a task
//! without importing the executor (the layering rule in the crate docs).
//!
//! asyncio's counterparts are a `Task`'s name (`Task-1`, `Task-2`, …) and the states of its
//! `Future` (`PENDING`, `CANCELLED`, `FINISHED`); tinyloop splits `PENDING` into the three
//! places a pending task can be (queued, running, idle) because its loop shows all three.

use std::any::Any;
use std::fmt;

/// A task's number, unique within its loop, in spawn order from 1. Unnamed tasks are
/// called `task-N` after it, as asyncio names them `Task-N`.
///
/// ```
/// use tinyloop_runtime::{run, spawn};
///
/// run(async {
///     let first = spawn(async {});
///     let second = spawn(async {});
///     assert_eq!(first.id().as_u64(), 1);
///     assert_eq!(second.id().to_string(), "task-2");
///     assert!(first.id() < second.id()); // spawn order
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TaskId(pub(crate) u64);

impl TaskId {
    /// The number itself.
    pub fn as_u64(self) -> u64 {
        self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "task-{}", self.0)
    }
}

/// The id under which events and snapshots show the `main` future of `run`/`block_on`.
/// Spawned tasks are numbered from 1.
pub const MAIN: TaskId = TaskId(0);

/// A task's place in its life, read by the loop, the tracer and `JoinHandle::is_finished`.
///
/// ```text
///   spawn ──> Scheduled ──(its turn)──> Running ──Pending──> Idle ──(woken)──> Scheduled
///                                          │  └──(woken while running)──> Scheduled
///                                          └──Ready or panic──> Completed
///   cancel: Scheduled/Idle ──(its turn)──> Cancelled
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    /// In the ready queue, waiting for its turn in a step. Set by `spawn` and by a wake.
    Scheduled,
    /// Being polled right now. Only one task at a time is `Running`.
    Running,
    /// Returned `Poll::Pending` and sits until something wakes it.
    Idle,
    /// Its future returned a value or panicked; the outcome waits in the task for the
    /// `JoinHandle`.
    Completed,
    /// Dropped at its turn after `JoinHandle::cancel`; awaiting it gives
    /// `Err(JoinError::Cancelled)`.
    Cancelled,
}

impl TaskState {
    /// `Completed` or `Cancelled`: the future is gone and will never be polled again.
    pub fn is_finished(self) -> bool {
        matches!(self, TaskState::Completed | TaskState::Cancelled)
    }
}

/// The text of a panic: the `&str` or `String` given to `panic!`, or a placeholder.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic with a non-string payload".to_string()
    }
}
