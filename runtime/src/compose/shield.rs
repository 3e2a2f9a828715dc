//! `shield`: stop waiting for a task without cancelling it (asyncio's `asyncio.shield`).
//!
//! `asyncio.wait_for(task, t)` cancels the task at the deadline; the asyncio docs' way to
//! only stop *waiting* is `wait_for(shield(task), t)`: the shield is cancelled, the task is
//! not. tinyloop's [`wait_for`](crate::time::wait_for) cancels, at its deadline, every task
//! whose handle the future it gives up on owns (see `time/timeout.rs`, "the give-up scope").
//! A [`Shielded`] handle is the exception: when it is dropped, its task is detached and runs
//! on, which is tokio's `timeout(d, handle)` under a name that says what it does.
//!
//! asyncio's `shield` also takes a coroutine, which it wraps in a task first. A Rust future
//! that is not a task cannot outlive whoever polls it, so `shield` takes a `JoinHandle`:
//! `shield(spawn(future))` is asyncio's `shield(coro)`.

use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::executor::{JoinError, JoinHandle};
use crate::time::outside_give_up;

/// Await `handle`'s task; if this wait is given up (by a [`wait_for`](crate::time::wait_for)
/// deadline, or any drop), the task keeps running (asyncio `asyncio.shield(task)`).
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::time::Duration;
/// use tinyloop_runtime::compose::shield;
/// use tinyloop_runtime::time::{Elapsed, now, sleep, wait_for};
/// use tinyloop_runtime::{run_virtual, spawn};
///
/// run_virtual(async {
///     let finished = Rc::new(Cell::new(false));
///     let flag = finished.clone();
///     let task = spawn(async move {
///         sleep(Duration::from_secs(2)).await;
///         flag.set(true);
///     });
///     // Stop waiting after 1 s; the shielded task is not cancelled (a bare handle would be).
///     assert_eq!(wait_for(shield(task), Duration::from_secs(1)).await, Err(Elapsed));
///     sleep(Duration::from_secs(5)).await;
///     assert!(finished.get()); // it ran on to its end at t=2
///     assert_eq!(now().to_string(), "t=6.00");
/// });
/// ```
pub fn shield<T>(handle: JoinHandle<T>) -> Shielded<T> {
    Shielded {
        handle: Some(handle),
    }
}

/// A [`JoinHandle`] whose drop always detaches its task; made by [`shield`].
///
/// ```
/// use tinyloop_runtime::compose::shield;
/// use tinyloop_runtime::{run, spawn};
///
/// run(async {
///     assert_eq!(shield(spawn(async { 5 })).await, Ok(5)); // awaits like the handle
///     let handle = shield(spawn(async { 6 })).into_inner(); // the plain handle back
///     assert_eq!(handle.await, Ok(6));
/// });
/// ```
#[must_use = "dropping a Shielded handle detaches its task: it keeps running"]
#[derive(Debug)]
pub struct Shielded<T> {
    /// The handle; `None` only after [`Shielded::into_inner`] took it, or while dropping.
    handle: Option<JoinHandle<T>>,
}

impl<T> Shielded<T> {
    /// The plain handle back.
    pub fn into_inner(mut self) -> JoinHandle<T> {
        self.handle
            .take()
            .expect("the handle is present until taken")
    }
}

impl<T> Future for Shielded<T> {
    type Output = Result<T, JoinError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let handle = self
            .handle
            .as_mut()
            .expect("the handle is present until taken");
        Pin::new(handle).poll(cx)
    }
}

impl<T> Drop for Shielded<T> {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            outside_give_up(|| drop(handle)); // detached, whoever is giving up
        }
    }
}

/// Owns something that holds `JoinHandle`s, and drops it outside any give-up scope, so its
/// tasks are detached even when a `wait_for` gives up on the future that owns this. For
/// [`wait`](super::wait), which never cancels the tasks it watches, as asyncio's.
pub(crate) struct LeaveRunning<X>(Option<X>);

impl<X> LeaveRunning<X> {
    pub(crate) fn new(inner: X) -> LeaveRunning<X> {
        LeaveRunning(Some(inner))
    }

    /// The inner value back; dropping it later follows the usual rules.
    pub(crate) fn into_inner(mut self) -> X {
        self.0.take().expect("present until taken")
    }
}

impl<X> Deref for LeaveRunning<X> {
    type Target = X;

    fn deref(&self) -> &X {
        self.0.as_ref().expect("present until taken")
    }
}

impl<X> DerefMut for LeaveRunning<X> {
    fn deref_mut(&mut self) -> &mut X {
        self.0.as_mut().expect("present until taken")
    }
}

impl<X> Drop for LeaveRunning<X> {
    fn drop(&mut self) {
        if let Some(inner) = self.0.take() {
            outside_give_up(|| drop(inner));
        }
    }
}
