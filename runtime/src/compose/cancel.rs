//! Cancelling a task when whoever waits for it gives up: [`CancelOnDrop`] and
//! [`wait_for_task`].
//!
//! A [`JoinHandle`] is a permission to await a task, not the task itself: dropping it
//! *detaches* the task, which keeps running (tokio's rule, and asyncio's too when you simply
//! forget a task). So `timeout(d, handle)` gives up waiting at the deadline, but the task
//! goes on.
//!
//! asyncio's `wait_for(task, timeout)` does more: at the deadline it cancels the task, waits
//! until the task has finished being cancelled (its `except CancelledError` and `finally`
//! blocks have run), and only then raises `TimeoutError`. The seed examples rely on that, so
//! tinyloop offers it in one call, [`wait_for_task`], built on a guard,
//! [`CancelOnDrop`], that turns "drop the handle" into "cancel the task". The guard is also
//! what makes [`try_gather_all`](super::try_gather_all) and [`race`](super::race) cancel the
//! tasks they drop, where plain handles would be detached.
//!
//! # The give-up scope: how `wait_for` cancels the tasks it gave up on
//!
//! [`wait_for`](crate::time::wait_for) takes any future, and Rust cannot ask a generic
//! future "are you a `JoinHandle`?". So the rule is carried by a scope instead of a type:
//! while `wait_for` drops the future it gave up on, a thread-local counter says "giving
//! up", and a `JoinHandle` dropped unfinished inside asks [`cancel_dropped_task`], which
//! answers yes: the handle cancels its task instead of detaching it. That covers
//! `wait_for(handle, t)` and a future awaiting a handle alike, as asyncio's cancellation
//! travels from a task to the task it awaits. `wait_for` then waits one turn of the loop,
//! in which those tasks' futures are dropped. [`shield`](super::shield) and `wait` drop
//! their handles with the scope closed ([`outside_give_up`]), so their tasks run on.
//!
//! The scope is per thread and only open during a drop, which runs no `await`: no other
//! task can run while it is open, so it cannot leak into one.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use crate::executor::{JoinError, JoinHandle, TaskId};
use crate::time::{Elapsed, timeout};

/// A [`JoinHandle`] that cancels its task when dropped (tokio-util's `AbortOnDropHandle`).
///
/// Await it like the handle itself. If the guard is dropped before the task finished, the
/// task is cancelled: its future is dropped at its next turn in the loop, running its
/// destructors. [`CancelOnDrop::detach`] gives the plain handle back.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::time::Duration;
/// use tinyloop_runtime::compose::CancelOnDrop;
/// use tinyloop_runtime::time::{sleep, timeout};
/// use tinyloop_runtime::{run_virtual, spawn};
///
/// run_virtual(async {
///     let finished = Rc::new(Cell::new(false));
///     let flag = finished.clone();
///     let task = spawn(async move {
///         sleep(Duration::from_secs(5)).await;
///         flag.set(true);
///     });
///     // The guard is dropped at the deadline: the task is cancelled, not detached.
///     assert!(timeout(Duration::from_secs(1), CancelOnDrop::new(task)).await.is_err());
///     sleep(Duration::from_secs(10)).await;
///     assert!(!finished.get());
/// });
/// ```
#[must_use = "dropping a CancelOnDrop cancels its task at once"]
#[derive(Debug)]
pub struct CancelOnDrop<T> {
    /// The handle; `None` only after [`CancelOnDrop::detach`] took it out.
    handle: Option<JoinHandle<T>>,
}

impl<T> CancelOnDrop<T> {
    /// Guard `handle`: from now on, dropping the guard cancels the task.
    pub fn new(handle: JoinHandle<T>) -> CancelOnDrop<T> {
        CancelOnDrop {
            handle: Some(handle),
        }
    }

    /// Take the plain handle back; dropping it will detach the task again.
    pub fn detach(mut self) -> JoinHandle<T> {
        self.handle
            .take()
            .expect("the handle is present until detach")
    }

    /// Cancel the task now (see [`JoinHandle::cancel`]).
    pub fn cancel(&self) -> bool {
        self.handle().cancel()
    }

    /// True once the task has finished (see [`JoinHandle::is_finished`]).
    pub fn is_finished(&self) -> bool {
        self.handle().is_finished()
    }

    /// The task's id.
    pub fn id(&self) -> TaskId {
        self.handle().id()
    }

    /// The task's name.
    pub fn name(&self) -> String {
        self.handle().name()
    }

    fn handle(&self) -> &JoinHandle<T> {
        self.handle
            .as_ref()
            .expect("the handle is present until detach")
    }
}

impl<T> From<JoinHandle<T>> for CancelOnDrop<T> {
    fn from(handle: JoinHandle<T>) -> CancelOnDrop<T> {
        CancelOnDrop::new(handle)
    }
}

impl<T> Future for CancelOnDrop<T> {
    type Output = Result<T, JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let handle = self
            .handle
            .as_mut()
            .expect("the handle is present until detach");
        Pin::new(handle).poll(cx)
    }
}

impl<T> Drop for CancelOnDrop<T> {
    fn drop(&mut self) {
        if let Some(handle) = &self.handle {
            handle.cancel(); // false, and nothing happens, if it already finished
        }
    }
}

/// Await a task for at most `duration`; at the deadline, cancel it, wait until it has been
/// cancelled (its destructors have run), and return `Err(Elapsed)`. asyncio's
/// `await asyncio.wait_for(task, timeout)`.
///
/// The output has the shape of `timeout(duration, handle)`: `Ok(Ok(value))`, `Ok(Err(join
/// error))` if the task panicked or was cancelled by someone else, or `Err(Elapsed)`. The
/// difference is what happens to the task at the deadline: `timeout` drops the handle,
/// which detaches the task (tokio's rule); `wait_for_task` cancels it (asyncio's).
///
/// Like [`timeout`], the task is checked once before the deadline is: a task already
/// finished wins even against a zero duration.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::time::Duration;
/// use tinyloop_runtime::compose::wait_for_task;
/// use tinyloop_runtime::time::{Elapsed, now, sleep};
/// use tinyloop_runtime::{run_virtual, spawn};
///
/// struct Cleanup(Rc<Cell<bool>>);
/// impl Drop for Cleanup {
///     fn drop(&mut self) { self.0.set(true); }
/// }
///
/// run_virtual(async {
///     let cleaned = Rc::new(Cell::new(false));
///     let guard = Cleanup(cleaned.clone());
///     let task = spawn(async move {
///         let _guard = guard;
///         sleep(Duration::from_secs(5)).await;
///     });
///     assert_eq!(wait_for_task(task, Duration::from_secs(3)).await, Err(Elapsed));
///     assert!(cleaned.get()); // the task was cancelled and its cleanup ran before we resumed
///     assert_eq!(now().to_string(), "t=3.00");
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the returned future cancels the task too.
pub async fn wait_for_task<T>(
    handle: JoinHandle<T>,
    duration: Duration,
) -> Result<Result<T, JoinError>, Elapsed> {
    let mut guard = CancelOnDrop::new(handle);
    match timeout(duration, &mut guard).await {
        Ok(outcome) => Ok(outcome),
        Err(Elapsed) => {
            guard.cancel();
            // Like asyncio, wait until the cancellation has happened: the task's future is
            // dropped at its next turn, and then its handle resolves.
            let _cancelled = (&mut guard).await;
            Err(Elapsed)
        }
    }
}

thread_local! {
    /// How many give-up scopes are open on this thread (a task dropped inside one may drop
    /// another `wait_for` that is giving up too; a [`shield`](crate::compose::shield) closes
    /// them all for the handle it drops). Zero almost always.
    static GIVING_UP: Cell<u32> = const { Cell::new(0) };
    /// How many tasks were cancelled by [`cancel_dropped_task`] on this thread, ever; a
    /// `wait_for` compares it before and after its give-up.
    static CANCELLED: Cell<u64> = const { Cell::new(0) };
}

/// Asked by a [`JoinHandle`](crate::JoinHandle) dropped while its task is unfinished: true
/// if a `wait_for` is dropping, right now, the future that held the handle, which means
/// the task must be cancelled rather than detached (asyncio cancels the task a cancelled
/// `wait_for` was waiting for). Counts the task, so that the `wait_for` waits for it.
#[allow(
    dead_code,
    reason = "called from JoinHandle's Drop (executor/join.rs) once that hook is merged"
)]
pub(crate) fn cancel_dropped_task() -> bool {
    let giving_up = GIVING_UP.with(Cell::get) > 0;
    if giving_up {
        CANCELLED.with(|cancelled| cancelled.set(cancelled.get() + 1));
    }
    giving_up
}

/// Run `f` with every give-up scope closed: handles dropped in it detach their tasks. For
/// [`shield`](crate::compose::shield), and for `wait`, which (like asyncio's) never
/// cancels the tasks it watches.
pub(crate) fn outside_give_up<R>(f: impl FnOnce() -> R) -> R {
    let open = GIVING_UP.with(|giving_up| giving_up.replace(0));
    let _restore = RestoreGivingUp(open);
    f()
}

/// Restores the give-up depth when dropped, so that a panic inside a destructor cannot
/// leave a scope open (which would turn later detaches into cancels).
struct RestoreGivingUp(u32);

impl Drop for RestoreGivingUp {
    fn drop(&mut self) {
        GIVING_UP.with(|giving_up| giving_up.set(self.0));
    }
}

/// Drop `future` inside a give-up scope (for [`wait_for`](crate::time::wait_for)); if that cancelled any task, let the loop take one
/// turn, in which each cancelled task's future is dropped: a cancel is carried out at the
/// task's next turn, and the tasks it cancelled were woken before we yield, so in the
/// loop's FIFO order their turns come before ours.
pub(crate) async fn give_up<F>(mut future: Pin<&mut Option<F>>) {
    let before = CANCELLED.with(Cell::get);
    {
        let depth = GIVING_UP.with(|giving_up| giving_up.replace(giving_up.get() + 1));
        let _restore = RestoreGivingUp(depth);
        future.set(None);
    }
    if CANCELLED.with(Cell::get) != before {
        crate::executor::yield_now().await;
    }
}
