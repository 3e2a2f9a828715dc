//! A snapshot: the loop's whole state at one moment, as `--step` prints it before each step.
//!
//! asyncio has no such view; the nearest are `asyncio.all_tasks()` and a task's `repr`
//! (`<Task pending name='Task-2' coro=<…> wait_for=<Future pending>>`). A [`Snapshot`] shows
//! what the loop itself holds: the ready queue in the order stage 4 will poll it, the
//! timers in the wheel with their deadlines and the task that set each one, the I/O sources
//! and who waits on them, and every task with its state and what it waits for.
//!
//! The loop builds it (`Shared::snapshot` in `executor/snapshot.rs`, which may read the
//! loop's private fields); this file holds the plain data and how it prints.

use std::fmt;

use super::{MAIN, WaitingOn};
use crate::ids::{TaskId, TaskState};
use crate::time::Instant;

/// The loop's state at one moment. Get one with [`snapshot`](super::snapshot) from inside
/// the loop (a task, or a tracer at `StepStarted`).
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::trace::{MAIN, WaitingOn, snapshot};
/// use tinyloop_runtime::executor::TaskState;
/// use tinyloop_runtime::time::{Instant, sleep};
/// use tinyloop_runtime::{run_virtual, spawn_named};
///
/// run_virtual(async {
///     let sleeper = spawn_named("sleeper", sleep(Duration::from_secs(2)));
///     tinyloop_runtime::yield_now().await; // the sleeper runs once and sets its timer
///     let now = snapshot().unwrap();
///     assert!(now.ready.is_empty()); // main left the queue: it is the one being polled
///     assert_eq!(now.task(MAIN).unwrap().state, TaskState::Running);
///     let deadline = Instant::from_start(Duration::from_secs(2));
///     assert_eq!(now.timers[0].deadline, deadline);
///     assert_eq!(now.timers[0].owner, Some(sleeper.id()));
///     let task = now.task(sleeper.id()).unwrap();
///     assert_eq!(task.name, "sleeper");
///     assert_eq!(task.state, TaskState::Idle);
///     assert_eq!(task.waiting_on, Some(WaitingOn::Timer(deadline)));
/// });
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Snapshot {
    /// The step in progress (0 before the first).
    pub step: u64,
    /// The loop's clock.
    pub now: Instant,
    /// The ready queue, front first: the order stage 4 polls it. [`MAIN`] is `main`.
    pub ready: Vec<TaskId>,
    /// Every pending timer, earliest deadline first (ties by owner, in spawn order).
    pub timers: Vec<TimerSnapshot>,
    /// How many I/O sources (sockets) the reactor has registered.
    pub io_registered: usize,
    /// How many tasks are parked on them (one per source and direction).
    pub io_waiters: usize,
    /// Every registered I/O source and who waits on it. Empty until the reactor describes
    /// its sources (the extension point: `Shared::snapshot` fills it); until then the two
    /// counts above are all the snapshot knows about I/O.
    pub io: Vec<IoSnapshot>,
    /// How many things outside the loop (I/O waiters, jobs on other threads) may still wake
    /// a task.
    pub outside_wakers: usize,
    /// `main` first (as [`MAIN`]), then every unfinished task in spawn order.
    pub tasks: Vec<TaskSnapshot>,
}

/// One pending timer.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::time::sleep;
/// use tinyloop_runtime::trace::{MAIN, snapshot};
/// use tinyloop_runtime::{run_virtual, spawn_named, yield_now};
///
/// run_virtual(async {
///     let napper = spawn_named("napper", sleep(Duration::from_micros(2_500)));
///     yield_now().await; // the napper files its timer
///     let timer = snapshot().unwrap().timers[0];
///     assert_eq!(timer.deadline.since_start(), Duration::from_millis(3)); // rounded up to a ms
///     assert_eq!(timer.owner, Some(napper.id()));
///     assert_ne!(timer.owner, Some(MAIN));
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimerSnapshot {
    /// When it fires (the wheel's millisecond tick, so rounded up to a whole ms).
    pub deadline: Instant,
    /// The task that was running when the timer was set, if any.
    pub owner: Option<TaskId>,
}

/// One registered I/O source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IoSnapshot {
    /// Which source: its file descriptor, `"fd 7"`.
    pub source: String,
    /// The task waiting for it to become readable, if any.
    pub reader: Option<TaskId>,
    /// The task waiting for it to become writable, if any.
    pub writer: Option<TaskId>,
}

/// One task (or `main`).
///
/// ```
/// use tinyloop_runtime::executor::TaskState;
/// use tinyloop_runtime::trace::{MAIN, snapshot};
/// use tinyloop_runtime::{run, spawn_named};
///
/// run(async {
///     let worker = spawn_named("worker-1", async {});
///     let state = snapshot().unwrap();
///     let seen = state.task(worker.id()).unwrap();
///     assert_eq!(seen.label(), format!("worker-1 ({})", worker.id()));
///     assert_eq!(seen.state, TaskState::Scheduled); // spawned, not yet polled
///     assert_eq!(state.task(MAIN).unwrap().state, TaskState::Running); // we are main
///     assert_eq!(state.describe(seen), "ready");
/// });
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TaskSnapshot {
    /// Its id; [`MAIN`] for `main`.
    pub id: TaskId,
    /// Its name: the one given to `spawn_named`, or `task-N`, or `main`.
    pub name: String,
    /// Scheduled (in the ready queue), Running (being polled: the snapshot was taken from
    /// inside it) or Idle (waiting).
    pub state: TaskState,
    /// What it said it waits for at its last `Pending`, if it said.
    pub waiting_on: Option<WaitingOn>,
    /// `JoinHandle::cancel` was called: at its next turn its future is dropped.
    pub cancel_requested: bool,
}

impl TaskSnapshot {
    /// `worker-1 (task-2)` for a named task, `task-2` for an unnamed one, `main` for main.
    pub fn label(&self) -> String {
        label(self.id, &self.name)
    }
}

/// How every tracer names a task: its given name with its id, or just the id.
pub(crate) fn label(id: TaskId, name: &str) -> String {
    if id == MAIN || name == id.to_string() {
        name.to_string()
    } else {
        format!("{name} ({id})")
    }
}

impl Snapshot {
    /// The task with this id, if it is unfinished (or `main`).
    pub fn task(&self, id: TaskId) -> Option<&TaskSnapshot> {
        self.tasks.iter().find(|task| task.id == id)
    }

    /// The label of task `id`, or its bare id if it has finished.
    pub fn label_of(&self, id: TaskId) -> String {
        match self.task(id) {
            Some(task) => task.label(),
            None if id == MAIN => "main".to_string(),
            None => id.to_string(),
        }
    }

    /// A task's state in words, naming the task it waits on: `waiting on bob (task-2)`.
    pub fn describe(&self, task: &TaskSnapshot) -> String {
        if task.cancel_requested && !task.state.is_finished() {
            return "cancel requested: its future is dropped at its next turn".to_string();
        }
        match (task.state, task.waiting_on) {
            (TaskState::Idle, Some(WaitingOn::Task(other))) => {
                format!("waiting on {}", self.label_of(other))
            }
            (state, waiting_on) => describe_state(state, waiting_on),
        }
    }

    fn labels(&self, ids: impl Iterator<Item = TaskId>) -> String {
        let labels: Vec<String> = ids.map(|id| self.label_of(id)).collect();
        if labels.is_empty() {
            "(empty)".to_string()
        } else {
            labels.join(", ")
        }
    }
}

impl fmt::Display for Snapshot {
    /// The `--step` view:
    ///
    /// ```text
    ///   ready queue: worker-2 (task-3), main
    ///   timers:      t=3.00 worker-1 (task-2)
    ///   I/O:         (none registered)
    ///   tasks:       main               idle       waiting on task-2
    ///                worker-1 (task-2)  idle       waiting on a timer at t=3.00
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "  ready queue: {}",
            self.labels(self.ready.iter().copied())
        )?;
        if self.timers.is_empty() {
            writeln!(f, "  timers:      (none)")?;
        }
        for (i, timer) in self.timers.iter().enumerate() {
            let owner = match timer.owner {
                Some(owner) => self.label_of(owner),
                None => "(set outside any task)".to_string(),
            };
            let head = if i == 0 {
                "  timers:     "
            } else {
                "              "
            };
            writeln!(f, "{head} {} {owner}", timer.deadline)?;
        }
        if self.io.is_empty() {
            match (self.io_registered, self.io_waiters) {
                (0, _) => writeln!(f, "  I/O:         (none registered)")?,
                (sources, waiters) => writeln!(
                    f,
                    "  I/O:         {sources} source(s) registered, {waiters} waiting direction(s)"
                )?,
            }
        }
        for (i, io) in self.io.iter().enumerate() {
            let head = if i == 0 {
                "  I/O:        "
            } else {
                "              "
            };
            let who = |side: &str, task: Option<TaskId>| match task {
                Some(task) => format!(", {side}: {}", self.label_of(task)),
                None => String::new(),
            };
            writeln!(
                f,
                "{head} {}{}{}",
                io.source,
                who("reader", io.reader),
                who("writer", io.writer)
            )?;
        }
        if self.outside_wakers > 0 {
            writeln!(
                f,
                "  outside:     {} waker(s) held outside the loop (I/O, threads)",
                self.outside_wakers
            )?;
        }
        let width = self
            .tasks
            .iter()
            .map(|t| t.label().len())
            .max()
            .unwrap_or(0);
        for (i, task) in self.tasks.iter().enumerate() {
            let head = if i == 0 {
                "  tasks:      "
            } else {
                "              "
            };
            writeln!(f, "{head} {:width$}  {}", task.label(), self.describe(task))?;
        }
        Ok(())
    }
}

/// `idle, waiting on a timer at t=1.00`, `ready`, `running`: a task's state in words.
pub(crate) fn describe_state(state: TaskState, waiting_on: Option<WaitingOn>) -> String {
    match (state, waiting_on) {
        (TaskState::Scheduled, _) => "ready".to_string(),
        (TaskState::Running, _) => "running".to_string(),
        (TaskState::Idle, Some(what)) => format!("waiting on {what}"),
        (TaskState::Idle, None) => "waiting on something that did not say what".to_string(),
        (TaskState::Completed, _) => "completed".to_string(),
        (TaskState::Cancelled, _) => "cancelled".to_string(),
    }
}
