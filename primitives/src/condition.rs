//! `Condition`: asyncio's `asyncio.Condition`, a lock plus a line of tasks waiting to be
//! told "something changed, look again".
//!
//! ```python
//! async with cond:                          # hold the lock
//!     await cond.wait_for(lambda: items)    # release it, sleep until notified, relock, re-check
//!     item = items.pop()
//! ...
//! async with cond:
//!     items.append(x)
//!     cond.notify()                         # wake one waiter
//! ```
//!
//! In Rust the lock is the guard: `cond.lock().await` returns a [`LockGuard`], and
//! [`Condition::wait`] *takes* that guard (it unlocks), and gives a new one back when it has
//! been notified and has relocked, as `std::sync::Condvar::wait` does. So "wait without
//! holding the lock" (asyncio's `RuntimeError: cannot wait on un-acquired lock`) cannot be
//! written. `notify` does not ask for the guard: on one thread nothing can slip in between a
//! waiter's check and its registration, so the lock is not needed to avoid lost wake-ups.
//!
//! A notification is *assigned* to the waiter it wakes. A `wait()` cancelled before it
//! returns, whether still in the condition's line or already waiting to relock, notifies the
//! next waiter in its `Drop`, as asyncio 3.13's `wait()` does (`except BaseException:
//! self._notify(1)`): so `notify(1)` always reaches a live waiter when one exists, and a
//! cancelled waiter that had not been notified causes a spurious wake-up, which the
//! condition-variable protocol allows (`wait_for` re-checks its predicate). 3.10 to 3.12 lose
//! a notification whose waiter is cancelled while relocking, and do not wake anyone for an
//! un-notified one (see the book's "The bug museum").

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use tinyloop_runtime::trace::{WaitingOn, waiting_on, wake_as};

use crate::core::wait_list::WaitList;
use crate::lock::{Lock, LockAcquire, LockGuard};

/// A lock and a line of tasks waiting to be notified: asyncio's `Condition`.
///
/// ```
/// use tinyloop_primitives::Condition;
/// use tinyloop_runtime::{run_virtual, spawn, yield_now};
///
/// run_virtual(async {
///     let cond = Condition::new(Vec::new());
///     let consumer = spawn({
///         let cond = cond.clone();
///         async move {
///             let guard = cond.lock().await;
///             let mut items = cond.wait_for(guard, |items: &Vec<i32>| !items.is_empty()).await;
///             items.pop()
///         }
///     });
///     yield_now().await; // the consumer waits
///     cond.lock().await.push(7);
///     cond.notify(1);
///     assert_eq!(consumer.await, Ok(Some(7)));
/// });
/// ```
pub struct Condition<T = ()> {
    /// The lock the waiters release and retake.
    lock: Lock<T>,
    /// The line of waiting tasks; a notification is assigned to the front one.
    waiters: Rc<RefCell<WaitList<(), ()>>>,
}

impl<T> Clone for Condition<T> {
    fn clone(&self) -> Self {
        Condition {
            lock: self.lock.clone(),
            waiters: self.waiters.clone(),
        }
    }
}

impl<T: Default> Default for Condition<T> {
    fn default() -> Self {
        Condition::new(T::default())
    }
}

impl<T> Condition<T> {
    /// A condition with its own lock around `value` (asyncio `Condition()`).
    pub fn new(value: T) -> Condition<T> {
        Condition::with_lock(Lock::new(value))
    }

    /// A condition on an existing lock (asyncio `Condition(lock)`).
    pub fn with_lock(lock: Lock<T>) -> Condition<T> {
        Condition {
            lock,
            waiters: Rc::default(),
        }
    }

    /// Wait for the lock (asyncio `async with cond:`).
    ///
    /// # Cancel safety
    ///
    /// As [`Lock::lock`].
    pub fn lock(&self) -> LockAcquire<'_, T> {
        self.lock.lock()
    }

    /// Release the lock, wait until notified, take the lock again, and return the new guard
    /// (asyncio `await cond.wait()`).
    ///
    /// # Panics
    ///
    /// If `guard` belongs to another lock.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future while it waits gives up its place and notifies the next waiter,
    /// as asyncio 3.13 does: a notification it had received is passed on, and one it had not
    /// makes a spurious wake-up. Dropped while relocking, it gives up its place in the lock's line (passing on
    /// the lock if it was handed over). Either way the lock is not held afterwards: unlike
    /// asyncio, whose `wait()` relocks before letting the `CancelledError` out, a dropped
    /// Rust future cannot await anything in its destructor.
    pub fn wait<'a>(&'a self, guard: LockGuard<'a, T>) -> ConditionWait<'a, T> {
        assert!(
            self.lock.owns(&guard),
            "Condition::wait was given the guard of a different lock"
        );
        ConditionWait {
            waiters: &self.waiters,
            lock: &self.lock,
            state: WaitState::Start(Some(guard)),
        }
    }

    /// Wait until `predicate` holds for the protected value, then return the guard (asyncio
    /// `await cond.wait_for(predicate)`). The predicate is checked first, and again after
    /// every notification, with the lock held.
    ///
    /// # Cancel safety
    ///
    /// As [`Condition::wait`].
    pub async fn wait_for<'a>(
        &'a self,
        mut guard: LockGuard<'a, T>,
        mut predicate: impl FnMut(&T) -> bool,
    ) -> LockGuard<'a, T> {
        while !predicate(&guard) {
            guard = self.wait(guard).await;
        }
        guard
    }

    /// Wake up to `n` waiters, longest waiting first (asyncio `notify(n)`). Returns how many
    /// were woken.
    pub fn notify(&self, n: usize) -> usize {
        let mut woken = 0;
        while woken < n {
            let waker = self.waiters.borrow_mut().assign_front(|()| ());
            let Some(waker) = waker else { break };
            wake_as(waker, "Condition");
            woken += 1;
        }
        woken
    }

    /// Wake every waiter (asyncio `notify_all()`). Returns how many were woken.
    pub fn notify_all(&self) -> usize {
        self.notify(usize::MAX)
    }

    /// How many tasks wait for a notification.
    pub fn waiting(&self) -> usize {
        self.waiters.borrow().len()
    }

    /// True while the lock is held (asyncio `locked()`).
    pub fn locked(&self) -> bool {
        self.lock.locked()
    }
}

impl<T> fmt::Debug for Condition<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Condition")
            .field("locked", &self.locked())
            .field("waiting", &self.waiting())
            .finish()
    }
}

/// Where a [`ConditionWait`] is.
enum WaitState<'a, T> {
    /// Not polled yet: still holding the guard it was given.
    Start(Option<LockGuard<'a, T>>),
    /// Unlocked, in the condition's line under this key.
    Waiting(usize),
    /// Notified; waiting for the lock again.
    Relocking(LockAcquire<'a, T>),
    /// Returned its guard.
    Done,
}

/// The future of [`Condition::wait`].
///
/// It unlocks the lock while it waits, and returns the guard relocked once notified:
///
/// ```
/// use tinyloop_primitives::Condition;
/// use tinyloop_runtime::{run_virtual, spawn, yield_now};
///
/// run_virtual(async {
///     let cond = Condition::new(0);
///     let waiter = spawn({
///         let cond = cond.clone();
///         async move { *cond.wait(cond.lock().await).await }
///     });
///     yield_now().await;
///     assert!(!cond.locked()); // the waiter let go of the lock to wait
///     *cond.lock().await = 5;
///     cond.notify(1);
///     assert_eq!(waiter.await, Ok(5));
/// });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ConditionWait<'a, T> {
    /// The condition's line.
    waiters: &'a RefCell<WaitList<(), ()>>,
    /// The lock to release and retake.
    lock: &'a Lock<T>,
    /// Where this wait is.
    state: WaitState<'a, T>,
}

impl<'a, T> Future for ConditionWait<'a, T> {
    type Output = LockGuard<'a, T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard<'a, T>> {
        let this = &mut *self;
        loop {
            match &mut this.state {
                WaitState::Start(guard) => {
                    // Register first, then unlock: nobody can notify in between anyway.
                    let guard = guard.take();
                    let key = this.waiters.borrow_mut().push_back((), cx.waker());
                    this.state = WaitState::Waiting(key);
                    drop(guard); // unlocks, and may hand the lock to a waiting task
                }
                WaitState::Waiting(key) => {
                    let key = *key;
                    if this
                        .waiters
                        .borrow_mut()
                        .poll_done(key, cx.waker())
                        .is_none()
                    {
                        waiting_on(WaitingOn::Primitive("Condition.wait"));
                        return Poll::Pending;
                    }
                    this.state = WaitState::Relocking(this.lock.lock());
                }
                WaitState::Relocking(acquire) => {
                    let guard = std::task::ready!(Pin::new(acquire).poll(cx));
                    this.state = WaitState::Done;
                    return Poll::Ready(guard);
                }
                WaitState::Done => panic!("ConditionWait polled after it returned its guard"),
            }
        }
    }
}

// ANCHOR: wait_drop
impl<T> Drop for ConditionWait<'_, T> {
    fn drop(&mut self) {
        let pass_on = match std::mem::replace(&mut self.state, WaitState::Done) {
            // In the condition's line, notified or not: leave it.
            WaitState::Waiting(key) => {
                let _ = self.waiters.borrow_mut().cancel(key);
                true
            }
            // Notified, and waiting for the lock: the lock future is dropped here (passing
            // the lock on if it was handed to us).
            WaitState::Relocking(acquire) => {
                drop(acquire);
                true
            }
            // Never polled (the guard it holds unlocks as it drops), or already returned.
            WaitState::Start(_) | WaitState::Done => false,
        };
        if pass_on {
            // asyncio 3.13 ends `wait()` with `except BaseException: self._notify(1)`: a
            // cancelled wait notifies the next waiter, so a notification it received is
            // never lost (and one it had not received makes a spurious wake-up, which the
            // condition-variable protocol allows).
            let waker = self.waiters.borrow_mut().assign_front(|()| ());
            if let Some(waker) = waker {
                wake_as(waker, "Condition");
            }
        }
    }
}
// ANCHOR_END: wait_drop

impl<T> fmt::Debug for ConditionWait<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            WaitState::Start(_) => "start",
            WaitState::Waiting(_) => "waiting for a notification",
            WaitState::Relocking(_) => "relocking",
            WaitState::Done => "done",
        };
        f.debug_struct("ConditionWait")
            .field("state", &state)
            .finish()
    }
}
