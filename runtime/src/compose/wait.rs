//! `wait`: asyncio's `done, pending = await asyncio.wait(tasks, return_when=...)`.
//!
//! `wait` watches spawned tasks and returns when a condition holds: the first one finished
//! ([`ReturnWhen::FirstCompleted`]), the first one failed ([`ReturnWhen::FirstException`]),
//! or all finished ([`ReturnWhen::AllCompleted`]), or when an optional timeout expires. It
//! returns two lists: the tasks finished by the time the waiter resumed, and the rest.
//!
//! # What `wait` does not do
//!
//! It cancels nothing. The pending tasks go on running; cancel them, gather them, or wait
//! again, as Example 24.2 does. Even a [`wait_for`](crate::time::wait_for) that gives up on
//! a `wait` leaves its tasks running, as asyncio's `wait` does when it is cancelled. That is the difference from a race
//! ([`race`](super::race)), which keeps the winner and drops the losers.
//!
//! # Ties
//!
//! `done` holds *every* task finished when the waiter runs again, not just the one that woke
//! it. Two tasks finishing at the same loop time both wake the waiter in the same step; it
//! runs in the next step and finds both finished, so `done` has two entries. The seed says
//! "since we used `FIRST_COMPLETED` there is exactly one task in it"; that is usual, not
//! guaranteed, in asyncio as here.
//!
//! # Why `done` holds [`Finished`] values, not `JoinHandle`s
//!
//! `FirstException` must know whether a finished task failed, and the only way to learn a
//! task's outcome from its `JoinHandle` is to take it. So `wait` takes the outcome of every
//! finished task and hands it over as a [`Finished`]: the task's name, id and outcome, the
//! way asyncio's done set holds tasks whose `.result()` can be read without awaiting.
//! `pending` holds the untouched `JoinHandle`s, in argument order.
//!
//! # How it waits
//!
//! Each handle is polled with a waker of its own ([`Children`], in `children.rs`), so when
//! a task finishes, only its handle is polled again: O(1) work per finished task, as
//! asyncio's `wait` adds one done callback per task. Polling an unfinished handle never
//! takes its output; it only stores that waker in the task, to be woken when the task
//! finishes. (A later await of a pending handle replaces the waker, as it should.)

use std::cell::{Cell, OnceCell};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;

use super::children::{Children, Visit};
use super::shield::LeaveRunning;
use crate::executor::{JoinError, JoinHandle, TaskId};
use crate::time::{Sleep, sleep};

/// When [`wait`] returns (asyncio's `FIRST_COMPLETED`, `FIRST_EXCEPTION`, `ALL_COMPLETED`).
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::compose::{ReturnWhen, wait};
/// use tinyloop_runtime::time::{now, sleep};
/// use tinyloop_runtime::{run_virtual, spawn};
///
/// async fn nap(seconds: u64) -> u64 {
///     sleep(Duration::from_secs(seconds)).await;
///     seconds
/// }
///
/// run_virtual(async {
///     let (done, pending) = wait([spawn(nap(1)), spawn(nap(3))], ReturnWhen::AllCompleted, None).await;
///     assert_eq!((done.len(), pending.len()), (2, 0));
///     assert_eq!(now().to_string(), "t=3.00"); // ALL_COMPLETED waits for the slowest
///
///     let tasks = [spawn(nap(1)), spawn(nap(3))];
///     let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted, None).await;
///     assert_eq!((done.len(), pending.len()), (1, 1));
///     assert_eq!(now().to_string(), "t=4.00"); // FIRST_COMPLETED: 1 s later
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnWhen {
    /// As soon as at least one task has finished, however it finished.
    FirstCompleted,
    /// As soon as a task has panicked, or when all have finished. asyncio counts an
    /// exception raised by a task and not a cancellation; tinyloop counts a panic, the
    /// task's exception. (A task that returns `Err` returned normally.)
    FirstException,
    /// When every task has finished.
    AllCompleted,
}

/// A task that [`wait`] found finished, with its outcome taken out of its handle.
///
/// Like a `JoinHandle`, a `Finished` whose task panicked reports the panic on stderr if it
/// is dropped before anyone looked at the outcome (asyncio: "Task exception was never
/// retrieved").
///
/// ```
/// use tinyloop_runtime::compose::{ReturnWhen, wait};
/// use tinyloop_runtime::{run, spawn, spawn_named};
///
/// run(async {
///     let tasks = [spawn_named("ok", async { 1 }), spawn(async { panic!("bad") })];
///     let (done, _) = wait(tasks, ReturnWhen::AllCompleted, None).await;
///     assert_eq!(done[0].name(), "ok"); // in argument order
///     assert_eq!(done[0].result(), Ok(&1));
///     assert!(done[1].is_panic() && !done[1].is_cancelled());
///     let [first, _] = <[_; 2]>::try_from(done).unwrap();
///     assert_eq!(first.into_result(), Ok(1));
/// });
/// ```
#[derive(Debug)]
pub struct Finished<T> {
    /// The name the task was given at spawn, if any.
    given_name: Option<Box<str>>,
    /// An unnamed task's `task-N`, written the first time it is asked for. Formatting it
    /// for every finished task, asked for or not, cost about 250 instructions and a malloc
    /// per task of the benchmark's `wait_first` (callgrind).
    default_name: OnceCell<String>,
    /// The task's id.
    id: TaskId,
    /// What awaiting its handle gave. `None` only after `into_result` moved it out.
    outcome: Option<Result<T, JoinError>>,
    /// True once the outcome was looked at (`result`, `into_result`, `is_panic`,
    /// `is_cancelled`), so a panic in it counts as retrieved.
    retrieved: Cell<bool>,
}

impl<T> Finished<T> {
    fn new(given_name: Option<Box<str>>, id: TaskId, outcome: Result<T, JoinError>) -> Finished<T> {
        Finished {
            given_name,
            default_name: OnceCell::new(),
            id,
            outcome: Some(outcome),
            retrieved: Cell::new(false),
        }
    }

    /// The task's name.
    pub fn name(&self) -> &str {
        match &self.given_name {
            Some(name) => name,
            None => self.default_name.get_or_init(|| self.id.to_string()),
        }
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// The task's outcome, borrowed (asyncio `task.result()` / `task.exception()`).
    pub fn result(&self) -> Result<&T, &JoinError> {
        self.retrieved.set(true);
        self.outcome().as_ref()
    }

    /// The task's outcome.
    pub fn into_result(mut self) -> Result<T, JoinError> {
        self.outcome
            .take()
            .expect("the outcome is present until into_result")
    }

    /// True if the task panicked (asyncio: `task.exception()` is not `None`).
    pub fn is_panic(&self) -> bool {
        self.retrieved.set(true);
        self.panicked()
    }

    /// True if the task was cancelled (asyncio `task.cancelled()`).
    pub fn is_cancelled(&self) -> bool {
        self.retrieved.set(true);
        matches!(self.outcome(), Err(JoinError::Cancelled))
    }

    /// `is_panic` for `wait` itself, which does not count as looking.
    fn panicked(&self) -> bool {
        matches!(self.outcome(), Err(JoinError::Panicked(_)))
    }

    fn outcome(&self) -> &Result<T, JoinError> {
        self.outcome
            .as_ref()
            .expect("the outcome is present until into_result")
    }
}

impl<T> Drop for Finished<T> {
    fn drop(&mut self) {
        if let Some(Err(JoinError::Panicked(message))) = &self.outcome
            && !self.retrieved.get()
        {
            crate::executor::report_unretrieved_panic(self.name(), message);
        }
    }
}

/// Wait for tasks until `return_when` holds or `timeout` expires; return the finished ones
/// and the pending ones, each in argument order. Nothing is cancelled.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::compose::{ReturnWhen, wait};
/// use tinyloop_runtime::time::{now, sleep};
/// use tinyloop_runtime::{run_virtual, spawn_named};
///
/// run_virtual(async {
///     let tasks = [("slow", 3), ("fast", 1)].map(|(name, seconds)| {
///         spawn_named(name, async move {
///             sleep(Duration::from_secs(seconds)).await;
///             seconds
///         })
///     });
///     let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted, None).await;
///     assert_eq!(now().to_string(), "t=1.00");
///     assert_eq!(done.len(), 1);
///     assert_eq!(done[0].name(), "fast");
///     assert_eq!(done[0].result(), Ok(&1));
///     assert_eq!(pending.len(), 1); // still running: wait cancels nothing
///     for task in pending {
///         assert_eq!(task.await, Ok(3));
///     }
/// });
/// ```
///
/// With a timeout, `wait` returns at the deadline whatever has finished; a zero timeout
/// checks once without waiting (as a zero [`timeout`](crate::time::timeout) polls once).
/// An empty list returns at once with two empty lists (asyncio raises `ValueError`: a
/// `FIRST_COMPLETED` wait for nothing would never end).
///
/// # Cancel safety
///
/// Dropping the future drops the handles it holds, which detaches their tasks. Outcomes
/// already taken are lost with it.
pub async fn wait<T, I>(
    tasks: I,
    return_when: ReturnWhen,
    timeout: Option<Duration>,
) -> (Vec<Finished<T>>, Vec<JoinHandle<T>>)
where
    I: IntoIterator<Item = JoinHandle<T>>,
{
    // Like asyncio's `wait`, this never cancels the tasks, not even when a `wait_for` gives
    // up on it: their handles are dropped outside its give-up scope, so they detach.
    let mut tasks = LeaveRunning::new(Children::new(tasks));
    // Argument order is kept by index: a finished task's `Finished` goes in its own slot.
    let mut done: Vec<Option<Finished<T>>> = (0..tasks.len()).map(|_| None).collect();
    let mut panicked_any = false;
    let mut timer: Option<Sleep> = timeout.map(sleep);
    let zero_timeout = timeout == Some(Duration::ZERO);
    poll_fn(|cx| {
        // Only the handles whose tasks woke us are polled (see `children.rs`): O(1) work per
        // task that finishes. Polling an unfinished handle only stores the waker.
        tasks.poll_woken(cx, |index, mut handle, cx| match handle.as_mut().poll(cx) {
            Poll::Ready(outcome) => {
                let finished = Finished::new(handle.given_name(), handle.id(), outcome);
                panicked_any |= finished.panicked();
                done[index] = Some(finished);
                Visit::Finished
            }
            Poll::Pending => Visit::Running,
        });
        let finished_any = tasks.running() < tasks.len();
        let satisfied = tasks.running() == 0
            || match return_when {
                ReturnWhen::FirstCompleted => finished_any,
                ReturnWhen::FirstException => panicked_any,
                ReturnWhen::AllCompleted => false,
            };
        if satisfied || zero_timeout {
            return Poll::Ready(());
        }
        match timer.as_mut().map(|timer| Pin::new(timer).poll(cx)) {
            Some(Poll::Ready(())) => Poll::Ready(()), // the timeout expired
            _ => Poll::Pending,
        }
    })
    .await;
    // Both lists sized up front: collected from filtering iterators they grew by doubling,
    // a copy of every entry and a realloc per doubling (part of the 295 instructions per
    // child saved on the benchmark's `wait_first`, see `WakeList::wakers`).
    let tasks = LeaveRunning::into_inner(tasks);
    let mut pending = Vec::with_capacity(tasks.running());
    let mut finished = Vec::with_capacity(tasks.len() - tasks.running());
    pending.extend(tasks.into_running().map(|(_, handle)| handle));
    finished.extend(done.into_iter().flatten());
    (finished, pending)
}
