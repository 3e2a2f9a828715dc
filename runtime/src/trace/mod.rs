//! What the loop tells a tracer as it runs: the raw material for `--trace`, `--step` and
//! the timeline.
//!
//! asyncio's debug mode (`asyncio.run(main(), debug=True)`) logs slow callbacks and
//! never-retrieved exceptions; it does not show the loop's steps. tinyloop's loop reports
//! every step and every task transition to a [`Tracer`] if one is installed with
//! [`Builder::tracer`](crate::Builder::tracer). With none installed, each report point is
//! one predictable branch on a `bool`.
//!
//! # Who woke a task
//!
//! A waker does not know who calls it, so the loop keeps a "current cause" that the caller
//! of `wake()` sets: the timer wheel says [`WakeCause::Timer`], the channel from other
//! threads says [`WakeCause::Thread`], a primitive says its own name through [`wake_as`],
//! and anything else that wakes a task while another task runs is [`WakeCause::Task`].

use std::fmt;
use std::task::Waker;
use std::time::Duration;

use crate::context;
use crate::executor::TaskId;
use crate::time::Instant;

/// How long the loop may block at the start of a step, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// A task is ready: the loop does not wait.
    ReadyTask,
    /// Nothing is ready; the real clock waits this long for the next timer.
    NextTimer(Duration),
    /// Nothing is ready; the virtual clock jumps to the next timer.
    JumpTo(Instant),
    /// Nothing is ready and no timer is set: wait until I/O or another thread wakes a task.
    Forever,
}

/// What put a task back in the ready queue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WakeCause {
    /// `spawn` scheduled it for its first poll.
    Spawn,
    /// A timer it set expired.
    Timer,
    /// The reactor saw its I/O source become ready.
    Io,
    /// Another task (or the task itself, as `yield_now` does) called its waker.
    Task(TaskId),
    /// The `main` future of `block_on` called its waker.
    Main,
    /// Another thread called its waker.
    Thread,
    /// A synchronisation primitive handed it something; the primitive's name.
    Primitive(&'static str),
    /// Its `JoinHandle::cancel` was called.
    Cancel,
    /// Woken outside of any task, timer or primitive (by the loop itself).
    Loop,
}

impl fmt::Display for WakeCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WakeCause::Spawn => write!(f, "spawn"),
            WakeCause::Timer => write!(f, "a timer"),
            WakeCause::Io => write!(f, "I/O readiness"),
            WakeCause::Task(id) => write!(f, "{id}"),
            WakeCause::Main => write!(f, "main"),
            WakeCause::Thread => write!(f, "another thread"),
            WakeCause::Primitive(name) => write!(f, "a {name}"),
            WakeCause::Cancel => write!(f, "cancel"),
            WakeCause::Loop => write!(f, "the loop"),
        }
    }
}

/// One thing the loop did. `Polled` … `Cancelled` name the task by id; `Spawned` carries
/// the name once, so a tracer can remember it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A step begins: its number, the loop time, and how long it may block.
    StepStarted {
        /// The step's number, from 1.
        step: u64,
        /// The loop's clock when the step began.
        now: Instant,
        /// How long the loop may block in this step, and why.
        wait: Wait,
    },
    /// A task was spawned (it is scheduled, not yet polled).
    Spawned {
        /// The new task.
        task: TaskId,
        /// Its name.
        name: String,
    },
    /// A task is about to be polled.
    Polled {
        /// The task.
        task: TaskId,
    },
    /// A task's poll returned `Pending`.
    Pending {
        /// The task.
        task: TaskId,
    },
    /// A task was put in the ready queue.
    Woken {
        /// The task.
        task: TaskId,
        /// Who woke it.
        by: WakeCause,
    },
    /// A task's future returned its value.
    Completed {
        /// The task.
        task: TaskId,
    },
    /// A task's future was dropped because it was cancelled.
    Cancelled {
        /// The task.
        task: TaskId,
    },
    /// A task's future panicked.
    Panicked {
        /// The task.
        task: TaskId,
        /// The panic's message.
        message: String,
    },
}

/// What a task that returned `Pending` is waiting for, as the future it awaits declared it
/// with [`waiting_on`]. Shown by the deadlock report and the step snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitingOn {
    /// A timer (`sleep`, `timeout`) that fires at this instant.
    Timer(Instant),
    /// Another task's `JoinHandle`.
    Task(TaskId),
    /// A primitive, by its type and operation: `"Semaphore.acquire"`, `"Queue.get"`.
    Primitive(&'static str),
    /// An I/O source becoming readable or writable: `"TcpStream.read"`.
    Io(&'static str),
    /// A job on another thread (`to_thread`).
    Thread,
}

impl fmt::Display for WaitingOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitingOn::Timer(at) => write!(f, "a timer at {at}"),
            WaitingOn::Task(id) => write!(f, "{id}"),
            WaitingOn::Primitive(what) | WaitingOn::Io(what) => write!(f, "{what}"),
            WaitingOn::Thread => write!(f, "a job on another thread"),
        }
    }
}

/// Declare what the task being polled now is waiting for. A future calls this just before
/// it returns `Pending`; the loop records it on the task until its next poll. Outside a
/// task (or outside a loop) it does nothing.
pub fn waiting_on(what: WaitingOn) {
    context::try_with(|shared| {
        if let Some(shared) = shared {
            shared.note_waiting_on(what);
        }
    });
}

/// Receives the loop's events. Install one with [`Builder::tracer`](crate::Builder::tracer).
pub trait Tracer {
    /// Called for every event, on the loop's thread, in order.
    fn event(&mut self, event: &Event);
}

/// Wake `waker` and tell the tracer that the primitive `name` did it (`"Semaphore"`,
/// `"Queue"`, …). Primitives call this instead of `waker.wake()`.
pub fn wake_as(waker: Waker, name: &'static str) {
    context::try_with(|shared| match shared {
        Some(shared) if shared.tracing() => {
            let before = shared.set_cause(Some(WakeCause::Primitive(name)));
            waker.wake();
            shared.set_cause(before);
        }
        _ => waker.wake(),
    })
}
