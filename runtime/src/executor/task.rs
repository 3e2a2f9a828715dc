//! A task: one spawned future, its state, and the slot its result waits in.
//!
//! asyncio's `Task` wraps a coroutine, steps it with `Task.__step`, and, being a `Future`,
//! keeps the coroutine's result or exception until someone awaits the task. A tinyloop task
//! is the same three things in one allocation, `Rc<Task<F>>`:
//!
//! * a [`Header`] that the loop reads without knowing the future's type: the task's id, its
//!   name, its [`TaskState`], whether a cancel was asked for, its own waker, and the waker of
//!   whoever awaits its [`JoinHandle`](super::JoinHandle);
//! * the future itself, while it runs, then its outcome (`Ok(output)` or a [`JoinError`]),
//!   until the `JoinHandle` takes it: the [`Stage`].
//!
//! The loop keeps tasks in a `Slab` as `Rc<dyn Runnable>` (it only needs to poll or cancel
//! them); the `JoinHandle<T>` holds the same `Rc` as `Rc<dyn Joinable<T>>` (it only needs
//! the output). Two trait objects over one allocation, so neither side names the future's
//! type.
//!
//! # Ground rules
//!
//! * Everything here lives on the loop's thread: `Cell` and `RefCell`, never a lock.
//! * The loop never holds a `RefCell` borrow while user code runs, except the borrow of the
//!   task's own [`Stage`] during its own poll. A future's destructor can run arbitrary code
//!   (spawn, wake, cancel), so futures are always dropped after every borrow is released.
//! * A panic in a task's `poll` is caught here and becomes that task's outcome; the loop
//!   goes on, as asyncio's does when a task raises.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use super::join::JoinError;
use crate::trace::WaitingOn;

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

/// A task's number, unique within its loop, in spawn order from 1. Unnamed tasks are
/// called `task-N` after it, as asyncio names them `Task-N`.
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

/// The type-free part of a task: what the loop and the tracer read.
pub(crate) struct Header {
    /// Unique within the loop; also guards against stale wakes after a slab key is reused.
    pub(crate) id: TaskId,
    /// Where the task sits in the loop's slab. Valid while `state` is not finished.
    pub(crate) key: usize,
    /// The name given at spawn, if any. Kept as `Option` so unnamed spawns allocate nothing.
    pub(crate) name: Option<Box<str>>,
    /// See [`TaskState`]. Only the loop thread reads or writes it.
    pub(crate) state: Cell<TaskState>,
    /// Set once by `JoinHandle::cancel`; the loop drops the future at the task's next turn.
    pub(crate) cancel_requested: Cell<bool>,
    /// True once the `JoinHandle` was dropped: nobody can retrieve a panic any more, so
    /// the loop reports it at once.
    pub(crate) detached: Cell<bool>,
    /// True once the loop reported this task's panic at its end, so that a `JoinHandle`
    /// dropped later does not report it again.
    pub(crate) panic_reported: Cell<bool>,
    /// This task's waker, made once at spawn and lent to every poll, so a poll costs no
    /// allocation. Waking it schedules the task (see `executor::waker`).
    pub(crate) waker: Waker,
    /// The waker of the task awaiting our `JoinHandle`, woken when we finish.
    pub(crate) join_waker: RefCell<Option<Waker>>,
    /// What the task said it waits for when its last poll returned `Pending`.
    pub(crate) waiting_on: Cell<Option<WaitingOn>>,
}

impl Header {
    pub(crate) fn new(id: TaskId, key: usize, name: Option<Box<str>>, waker: Waker) -> Header {
        Header {
            id,
            key,
            name,
            state: Cell::new(TaskState::Scheduled),
            cancel_requested: Cell::new(false),
            detached: Cell::new(false),
            panic_reported: Cell::new(false),
            waker,
            join_waker: RefCell::new(None),
            waiting_on: Cell::new(None),
        }
    }

    /// The task's name: the one given at spawn, or `task-N`.
    pub(crate) fn name(&self) -> String {
        match &self.name {
            Some(name) => name.to_string(),
            None => self.id.to_string(),
        }
    }

    /// Wake whoever awaits this task's `JoinHandle`.
    pub(crate) fn wake_joiner(&self) {
        let waker = self.join_waker.borrow_mut().take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Where a task's future is in its life, from the `JoinHandle`'s point of view.
///
/// # Invariant
///
/// The future in `Running` is pinned from its first poll on: it lives inside the task's
/// `Rc` allocation, which never moves, and it is never moved out of the `Stage`. It leaves
/// only by being dropped in place, when the whole `Stage` is overwritten by assignment
/// (`Task::set_stage`). That is what makes the `Pin::new_unchecked` in `poll` sound.
enum Stage<F: Future> {
    /// The future, still to be polled. Stored inline, not boxed: one allocation per task
    /// fewer (see `poll` for the measurement).
    Running(F),
    /// The outcome, waiting to be taken by the `JoinHandle`.
    Finished(Result<F::Output, JoinError>),
    /// The `JoinHandle` took the outcome (or the task is being torn down).
    Consumed,
}

/// One spawned future with its header. Lives in an `Rc`, shared by the loop's slab and
/// the `JoinHandle`.
pub(crate) struct Task<F: Future> {
    header: Header,
    stage: RefCell<Stage<F>>,
}

impl<F: Future> Task<F> {
    pub(crate) fn new(header: Header, future: F) -> Task<F> {
        Task {
            header,
            stage: RefCell::new(Stage::Running(future)),
        }
    }

    /// Overwrite the stage, dropping the old one *in place*, as `Stage`'s pinning invariant
    /// requires (a `mem::replace` would move the pinned future out before dropping it).
    /// A panicking destructor is caught: the new stage is still written (assignment
    /// writes it on the unwinding path too), and the loop goes on.
    fn set_stage(stage: &mut Stage<F>, new: Stage<F>) {
        let _ = catch_unwind(AssertUnwindSafe(move || *stage = new));
    }
}

/// What the loop needs from a task: poll it, or drop its future to cancel it.
pub(crate) trait Runnable {
    fn header(&self) -> &Header;

    /// Poll the future once with the task's own waker. Returns `true` when the task is
    /// finished (returned a value or panicked); the outcome is stored for the handle.
    fn poll(&self) -> bool;

    /// Drop the future without polling it (asyncio's cancellation, Rust style) and store
    /// `Err(JoinError::Cancelled)`. The future's destructors run here.
    fn cancel(&self);

    /// The panic message if the task panicked and nobody has taken the outcome yet.
    fn unretrieved_panic(&self) -> Option<String>;
}

/// What a `JoinHandle<T>` needs from a task: its header and its output.
pub(crate) trait Joinable<T> {
    fn header(&self) -> &Header;

    /// Take the outcome of a finished task. Panics if it was already taken.
    fn take_output(&self) -> Result<T, JoinError>;
}

impl<F: Future> Runnable for Task<F> {
    fn header(&self) -> &Header {
        &self.header
    }

    fn poll(&self) -> bool {
        let mut stage = self.stage.borrow_mut();
        let Stage::Running(future) = &mut *stage else {
            return true;
        };
        // The future lives inline in the task (no `Box::pin`), so pinning it is our job.
        // Measured on `spawn_join` (a million trivial tasks): the box was one of three
        // allocations per task, and malloc plus free were half of all instructions.
        #[allow(unsafe_code)]
        // SAFETY: `Stage`'s invariant: the future sits in the task's `Rc` allocation,
        // which never moves, and it is never moved out of the `Stage`, only dropped in
        // place by `set_stage`. So once pinned here it stays put until it is dropped.
        let future = unsafe { Pin::new_unchecked(future) };
        let mut cx = Context::from_waker(&self.header.waker);
        let outcome = match catch_unwind(AssertUnwindSafe(|| future.poll(&mut cx))) {
            Ok(Poll::Pending) => return false,
            Ok(Poll::Ready(output)) => Ok(output),
            Err(payload) => {
                let message = panic_message(payload.as_ref());
                drop_quietly(payload);
                Err(JoinError::Panicked(message))
            }
        };
        Task::<F>::set_stage(&mut stage, Stage::Finished(outcome));
        true
    }

    fn cancel(&self) {
        let finished = Stage::Finished(Err(JoinError::Cancelled));
        Task::<F>::set_stage(&mut self.stage.borrow_mut(), finished);
    }

    fn unretrieved_panic(&self) -> Option<String> {
        match &*self.stage.borrow() {
            Stage::Finished(Err(JoinError::Panicked(message))) => Some(message.clone()),
            _ => None,
        }
    }
}

impl<F: Future> Joinable<F::Output> for Task<F> {
    fn header(&self) -> &Header {
        &self.header
    }

    fn take_output(&self) -> Result<F::Output, JoinError> {
        let mut stage = self.stage.borrow_mut();
        // Only a finished stage may be moved out: a `Running` future is pinned.
        if !matches!(*stage, Stage::Finished(_)) {
            panic!("a JoinHandle was polled again after it returned its task's result");
        }
        match std::mem::replace(&mut *stage, Stage::Consumed) {
            Stage::Finished(outcome) => outcome,
            Stage::Running(_) | Stage::Consumed => unreachable!("checked above"),
        }
    }
}

/// Drop a value whose destructor is user code, outside every borrow, and keep the loop
/// alive if that destructor panics (the panic hook has already printed it).
fn drop_quietly<T>(value: T) {
    let _ = catch_unwind(AssertUnwindSafe(move || drop(value)));
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
