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
//! # `wait_for` on a task
//!
//! [`wait_for`](crate::time::wait_for) itself now cancels a task at its deadline, through
//! the give-up scope described in `time/timeout.rs`. [`wait_for_task`] remains for the one
//! case it answers differently: a zero duration on a task that has already finished, where
//! `wait_for_task` (like asyncio) returns the result and `wait_for` never polls.

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
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::rc::Rc;
    /// use std::time::Duration;
    /// use tinyloop_runtime::compose::CancelOnDrop;
    /// use tinyloop_runtime::time::sleep;
    /// use tinyloop_runtime::{run_virtual, spawn};
    ///
    /// run_virtual(async {
    ///     let finished = Rc::new(Cell::new(false));
    ///     let flag = finished.clone();
    ///     let guard = CancelOnDrop::new(spawn(async move {
    ///         sleep(Duration::from_secs(1)).await;
    ///         flag.set(true);
    ///     }));
    ///     assert!(!guard.is_finished());
    ///     drop(guard); // cancels the task, where a dropped JoinHandle would detach it
    ///     sleep(Duration::from_secs(2)).await;
    ///     assert!(!finished.get());
    ///
    ///     let kept = CancelOnDrop::new(spawn(async { 3 })).detach(); // a plain handle again
    ///     assert_eq!(kept.await, Ok(3));
    /// });
    /// ```
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
    ///
    /// ```
    /// use tinyloop_runtime::compose::CancelOnDrop;
    /// use tinyloop_runtime::{JoinError, run, spawn};
    ///
    /// run(async {
    ///     let guard = CancelOnDrop::new(spawn(async { 1 }));
    ///     assert!(guard.cancel()); // a new request
    ///     assert!(!guard.cancel()); // already asked
    ///     assert_eq!(guard.detach().await, Err(JoinError::Cancelled));
    /// });
    /// ```
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
