//! `TaskGroup`: Python 3.11's `async with asyncio.TaskGroup() as tg:`, structured concurrency.
//!
//! ```python
//! async with asyncio.TaskGroup() as tg:
//!     a = tg.create_task(fetch("a"))
//!     b = tg.create_task(fetch("b"))
//! # here both have finished; if one raised, the other was cancelled,
//! # and every exception is raised together in an ExceptionGroup
//! ```
//!
//! A group owns its children: they are spawned into it ([`TaskGroup::spawn`]), and
//! [`TaskGroup::join`] (the end of the `async with` block) returns only when every child
//! has finished. A child *fails* by returning `Err` or by panicking. The first failure
//! cancels every sibling still running, and `join` returns all the failures together in a
//! [`TaskGroupError`], Python's `ExceptionGroup`. Cancelled siblings are not failures.
//!
//! # When the siblings are cancelled
//!
//! In asyncio the group learns of a failure from a done callback, which runs a step after
//! the child failed (`call_soon`). Children that fail in that same step have already failed
//! by then, so the group reports every one of them. tinyloop keeps that order: a failing
//! child spawns a small task that cancels its siblings, and that task runs in the next step.
//! Two children that fail at the same loop time are both reported; a child that would have
//! finished later is cancelled.
//!
//! # Dropping the group
//!
//! A group dropped before `join` finished (its owner was cancelled, or `join` was never
//! awaited) cancels every child still running: the children never outlive the group.
//! Children are `spawn`ed, so they run while the owner awaits something else; they must be
//! `'static`. (A group that children could spawn more children into, as Python's `tg` passed
//! down allows, is left out; a child can open its own nested group.)

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::{Future, poll_fn};
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::rc::{Rc, Weak};
use std::task::{Context, Poll};

use futures_lite::FutureExt;

use super::wake_list::WakeList;
use crate::executor::{JoinHandle, TaskId, spawn, spawn_named};

/// How one child of a [`TaskGroup`] failed.
///
/// ```
/// use tinyloop_runtime::compose::{Failure, TaskGroup};
/// use tinyloop_runtime::run;
///
/// async fn boom() -> Result<(), String> {
///     panic!("boom")
/// }
///
/// run(async {
///     let group = TaskGroup::new();
///     group.spawn(boom());
///     let error = group.join().await.unwrap_err();
///     assert_eq!(error.failures[0].failure, Failure::Panicked("boom".to_string()));
/// });
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure<E> {
    /// It returned `Err(error)`.
    Error(E),
    /// It panicked; the panic's message.
    Panicked(String),
}

/// One failed child: which task, and how.
///
/// ```
/// use tinyloop_runtime::compose::{ChildFailure, Failure, TaskGroup};
/// use tinyloop_runtime::run;
///
/// run(async {
///     let group = TaskGroup::<u8, String>::new();
///     let id = group.spawn_named("parser", async { Err("bad input".to_string()) });
///     let error = group.join().await.unwrap_err();
///     let expected = ChildFailure {
///         task: id,
///         name: "parser".to_string(),
///         failure: Failure::Error("bad input".to_string()),
///     };
///     assert_eq!(error.failures, [expected]);
/// });
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChildFailure<E> {
    /// The child's id.
    pub task: TaskId,
    /// The child's name (`task-N` unless spawned with a name).
    pub name: String,
    /// What went wrong.
    pub failure: Failure<E>,
}

/// Every failure of a [`TaskGroup`]'s children, in the order they happened (Python's
/// `ExceptionGroup`). Never empty.
///
/// ```
/// use tinyloop_runtime::compose::TaskGroup;
/// use tinyloop_runtime::run;
///
/// run(async {
///     let group = TaskGroup::<(), &str>::new();
///     group.spawn_named("a", async { Err("no") });
///     let error = group.join().await.unwrap_err();
///     assert_eq!(
///         error.to_string(),
///         "1 child task(s) of a TaskGroup failed, and their siblings were cancelled \
///          (asyncio: ExceptionGroup): a returned Err(\"no\");"
///     );
/// });
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskGroupError<E> {
    /// The failures, first one first.
    pub failures: Vec<ChildFailure<E>>,
}

impl<E: fmt::Debug> fmt::Display for TaskGroupError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} child task(s) of a TaskGroup failed, and their siblings were cancelled \
             (asyncio: ExceptionGroup):",
            self.failures.len()
        )?;
        for child in &self.failures {
            match &child.failure {
                Failure::Error(error) => write!(f, " {} returned Err({error:?});", child.name)?,
                Failure::Panicked(message) => write!(f, " {} panicked: {message};", child.name)?,
            }
        }
        Ok(())
    }
}

impl<E: fmt::Debug> std::error::Error for TaskGroupError<E> {}

/// What the group and its children's wrappers share.
struct Shared<T, E> {
    /// Every child's handle, in spawn order; `None` once `join` took its output. The
    /// wrappers' output is `Some(value)` on success and `None` on failure (the failure is
    /// in `failures`).
    children: RefCell<Vec<Option<JoinHandle<Option<T>>>>>,
    /// The failures so far, in the order they happened.
    failures: RefCell<Vec<ChildFailure<E>>>,
    /// True once the first failure has been seen: siblings are (being) cancelled, and a
    /// child spawned from now on is cancelled at once.
    aborting: Cell<bool>,
}

impl<T, E> Shared<T, E> {
    /// Cancel every child that has not finished. `cancel` only marks and wakes; no user
    /// code runs under the borrow.
    fn cancel_all(&self) {
        for handle in self.children.borrow().iter().flatten() {
            handle.cancel();
        }
    }
}

/// A scope of tasks that finish together: Python's `asyncio.TaskGroup`.
///
/// Children return `Result<T, E>`; [`join`](TaskGroup::join) gives their `Ok` values in spawn
/// order, or every failure if any child failed.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::compose::{Failure, TaskGroup};
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{now, sleep};
///
/// async fn work(seconds: u64, ok: bool) -> Result<u64, String> {
///     sleep(Duration::from_secs(seconds)).await;
///     if ok { Ok(seconds) } else { Err(format!("broke after {seconds} s")) }
/// }
///
/// run_virtual(async {
///     let group = TaskGroup::new();
///     group.spawn(work(2, true));
///     group.spawn(work(1, true));
///     assert_eq!(group.join().await, Ok(vec![2, 1]));
///     assert_eq!(now().to_string(), "t=2.00");
///
///     let group = TaskGroup::new();
///     group.spawn(work(10, true)); // cancelled when its sibling fails
///     group.spawn(work(1, false));
///     let error = group.join().await.unwrap_err();
///     assert_eq!(error.failures.len(), 1);
///     assert_eq!(error.failures[0].failure, Failure::Error("broke after 1 s".to_string()));
///     assert_eq!(now().to_string(), "t=3.00"); // 2 + 1: the 10 s child did not hold us up
/// });
/// ```
pub struct TaskGroup<T, E> {
    /// Shared with the children's wrappers, which hold it weakly: a group that is gone
    /// cannot be told of failures, and its children are cancelled anyway.
    shared: Rc<Shared<T, E>>,
}

impl<T: 'static, E: 'static> Default for TaskGroup<T, E> {
    fn default() -> TaskGroup<T, E> {
        TaskGroup::new()
    }
}

impl<T: 'static, E: 'static> TaskGroup<T, E> {
    /// An empty group (entering `async with asyncio.TaskGroup()`).
    pub fn new() -> TaskGroup<T, E> {
        TaskGroup {
            shared: Rc::new(Shared {
                children: RefCell::new(Vec::new()),
                failures: RefCell::new(Vec::new()),
                aborting: Cell::new(false),
            }),
        }
    }

    /// Spawn `future` as a child of the group (asyncio `tg.create_task(coro)`); returns its
    /// id. If the group is already cancelling its children after a failure, the child is
    /// cancelled before it ever runs (asyncio refuses with "TaskGroup is shutting down").
    ///
    /// # Panics
    ///
    /// Outside a running loop, as [`spawn`] does.
    pub fn spawn<F>(&self, future: F) -> TaskId
    where
        F: Future<Output = Result<T, E>> + 'static,
    {
        self.spawn_inner(None, future)
    }

    /// [`spawn`](TaskGroup::spawn) with a name, reported in [`ChildFailure::name`].
    pub fn spawn_named<F>(&self, name: impl Into<String>, future: F) -> TaskId
    where
        F: Future<Output = Result<T, E>> + 'static,
    {
        self.spawn_inner(Some(name.into()), future)
    }

    fn spawn_inner<F>(&self, name: Option<String>, future: F) -> TaskId
    where
        F: Future<Output = Result<T, E>> + 'static,
    {
        let group = Rc::downgrade(&self.shared);
        let index = self.shared.children.borrow().len();
        let wrapper = child(group, index, future);
        let handle = match name {
            Some(name) => spawn_named(name, wrapper),
            None => spawn(wrapper),
        };
        if self.shared.aborting.get() {
            handle.cancel();
        }
        let id = handle.id();
        self.shared.children.borrow_mut().push(Some(handle));
        id
    }

    /// How many children were spawned into the group.
    pub fn len(&self) -> usize {
        self.shared.children.borrow().len()
    }

    /// True if no child was spawned yet.
    ///
    /// ```
    /// use tinyloop_runtime::compose::TaskGroup;
    /// use tinyloop_runtime::run;
    ///
    /// run(async {
    ///     let group = TaskGroup::<u8, ()>::new();
    ///     assert!(group.is_empty());
    ///     group.spawn(async { Ok(1) });
    ///     group.spawn(async { Ok(2) });
    ///     assert_eq!(group.len(), 2);
    ///     assert_eq!(group.join().await, Ok(vec![1, 2]));
    /// });
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Wait until every child has finished (the end of the `async with` block). `Ok` with
    /// every child's value in spawn order, or `Err` with every failure.
    ///
    /// Each child's handle is polled with a waker of its own (`children.rs`), so a child
    /// that finishes costs one poll of its own handle, not a poll of every sibling's: O(1)
    /// per child, as asyncio's done callback per child.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future drops the group, which cancels the children still running.
    pub async fn join(self) -> Result<Vec<T>, TaskGroupError<E>> {
        // The set of children is fixed now: `join` took the group, and children cannot
        // spawn into it.
        let count = self.shared.children.borrow().len();
        let wake_list = WakeList::new(count);
        let mut values: Vec<Option<T>> = (0..count).map(|_| None).collect();
        let mut running = count;
        let mut batch = Vec::new();
        poll_fn(|cx| {
            let mut finished = Vec::new();
            {
                let mut children = self.shared.children.borrow_mut();
                wake_list.take_woken(cx, &mut batch);
                for &index in &batch {
                    let Some(handle) = children[index].as_mut() else {
                        continue; // a stale wake of a child already taken
                    };
                    let waker = wake_list.waker(index);
                    // Polling a JoinHandle runs no user code: it takes a finished task's
                    // output or stores our waker.
                    if let Poll::Ready(outcome) =
                        Pin::new(handle).poll(&mut Context::from_waker(&waker))
                    {
                        // Err(Cancelled) is a cancelled sibling; Ok(None) a failure already
                        // recorded; a panic was caught by the wrapper.
                        values[index] = outcome.ok().flatten();
                        finished.extend(children[index].take());
                        running -= 1;
                    }
                }
            }
            drop(finished); // the finished handles, dropped with no borrow held
            if running > 0 {
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        })
        .await;
        let failures = std::mem::take(&mut *self.shared.failures.borrow_mut());
        if failures.is_empty() {
            Ok(values
                .into_iter()
                .map(|value| value.expect("no failure, so every child returned a value"))
                .collect())
        } else {
            Err(TaskGroupError { failures })
        }
    }
}

/// A child's body: run `future`, catch its failure, and if it failed, record it and have
/// the siblings cancelled in the next step.
///
/// `index` is the child's place in `Shared::children`, where its handle stays until `join`
/// takes its output, which is after this body has finished.
async fn child<T: 'static, E: 'static>(
    group: Weak<Shared<T, E>>,
    index: usize,
    future: impl Future<Output = Result<T, E>>,
) -> Option<T> {
    let failure = match AssertUnwindSafe(future).catch_unwind().await {
        Ok(Ok(value)) => return Some(value),
        Ok(Err(error)) => Failure::Error(error),
        Err(payload) => Failure::Panicked(crate::ids::panic_message(payload.as_ref())),
    };
    let Some(shared) = group.upgrade() else {
        return None; // the group is gone
    };
    let (task, name) = match &shared.children.borrow()[index] {
        Some(handle) => (handle.id(), handle.name()),
        None => unreachable!("join takes a child's handle only after the child finished"),
    };
    shared.failures.borrow_mut().push(ChildFailure {
        task,
        name,
        failure,
    });
    if !shared.aborting.replace(true) {
        // Cancel the siblings a step later, as asyncio's done callback does, so that
        // children failing in this same step are reported too.
        let group = group.clone();
        drop(spawn_named("taskgroup abort", async move {
            if let Some(shared) = group.upgrade() {
                shared.cancel_all();
            }
        }));
    }
    None
}

impl<T, E> Drop for TaskGroup<T, E> {
    fn drop(&mut self) {
        // Children never outlive their group.
        self.shared.cancel_all();
    }
}

impl<T, E> fmt::Debug for TaskGroup<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskGroup")
            .field("children", &self.shared.children.borrow().len())
            .field("failures", &self.shared.failures.borrow().len())
            .finish()
    }
}
