//! `Lock`: asyncio's `asyncio.Lock`, one task at a time in a critical section that may
//! `await`.
//!
//! ```python
//! async with lock:
//!     current = shared[-1] if shared else 0
//!     await asyncio.sleep(0.1)       # another task runs here...
//!     shared.append(current + 1)     # ...but cannot enter this block meanwhile
//! ```
//!
//! A single thread still needs a lock: between the read and the write above there is an
//! `await`, and at an `await` every other task may run. Code without an `await` between two
//! points cannot be interrupted; code with one can.
//!
//! tinyloop's `Lock<T>` owns the data it protects, as tokio's `Mutex<T>` does:
//! `lock.lock().await` returns a [`LockGuard`] that dereferences to the `T`, and dropping the
//! guard unlocks. `Lock::default()` (or `Lock::new(())`) is asyncio's data-less lock. Because
//! only a guard can unlock, asyncio's `RuntimeError: Lock is not acquired` (releasing a lock
//! nobody holds) cannot be written: there is no `release` to call without a guard.
//!
//! It is a `PermitCore` (`core/permits.rs`) with one permit: FIFO, no barging, not reentrant (a
//! task that locks twice waits for itself forever; the virtual clock reports it), and a
//! waiter cancelled after the lock was handed to it passes the lock on.

use std::cell::{RefCell, RefMut};
use std::fmt;
use std::future::Future;
use std::ops::{Deref, DerefMut};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::core::permits::{PermitCore, Waiter};

/// A FIFO lock around a `T`: asyncio's `Lock`, with the protected data inside.
///
/// ```
/// use tinyloop_primitives::Lock;
/// use tinyloop_runtime::run_virtual;
///
/// run_virtual(async {
///     let lock = Lock::new(Vec::new());
///     {
///         let mut list = lock.lock().await;
///         list.push(1);
///         assert!(lock.locked());
///         assert!(lock.try_lock().is_none()); // held: no second guard
///     } // the guard drops: unlocked
///     assert!(!lock.locked());
///     assert_eq!(*lock.lock().await, [1]);
/// });
/// ```
pub struct Lock<T = ()> {
    /// The permit and the data, shared by every clone.
    inner: Rc<LockInner<T>>,
}

/// What a `Lock` shares between its clones.
struct LockInner<T> {
    /// One permit: free, or held by the one live guard.
    core: PermitCore,
    /// The protected value. Borrowed mutably exactly while a guard lives, which the permit
    /// makes exclusive, so the borrow never fails.
    value: RefCell<T>,
}

impl<T> Clone for Lock<T> {
    fn clone(&self) -> Self {
        Lock {
            inner: self.inner.clone(),
        }
    }
}

impl<T: Default> Default for Lock<T> {
    fn default() -> Self {
        Lock::new(T::default())
    }
}

impl<T> Lock<T> {
    /// An unlocked lock around `value`.
    pub fn new(value: T) -> Lock<T> {
        Lock {
            inner: Rc::new(LockInner {
                core: PermitCore::new(1, "Lock", "Lock.acquire"),
                value: RefCell::new(value),
            }),
        }
    }

    /// Wait for the lock: asyncio's `async with lock:`. Tasks get the lock in the order they
    /// asked for it.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future gives up its place in line; if the lock had already been handed
    /// to it, the lock passes to the next waiter (or is unlocked), never left held by nobody.
    pub fn lock(&self) -> LockAcquire<'_, T> {
        LockAcquire {
            waiter: Waiter::new(&self.inner.core),
            inner: &self.inner,
        }
    }

    /// Take the lock if it is free and nobody is in line for it (not even a task woken to
    /// take it that has not run yet): when asyncio's `acquire()` would not wait.
    pub fn try_lock(&self) -> Option<LockGuard<'_, T>> {
        self.inner
            .core
            .try_take()
            .then(|| LockGuard::new(&self.inner))
    }

    /// True while a guard is alive (asyncio `locked()`). After the holder unlocks with a
    /// task waiting, this is false until that task runs and takes the lock, as in asyncio,
    /// yet nobody can take the lock in between: `try_lock` and `lock` see the woken task
    /// in line and wait behind it.
    pub fn locked(&self) -> bool {
        self.inner.core.available() == 0 && self.inner.core.woken() == 0
    }

    /// How many tasks are in line for the lock, not yet woken.
    pub fn waiting(&self) -> usize {
        self.inner.core.waiting()
    }

    /// True if `guard` holds this lock (for `Condition::wait`, which must unlock and
    /// relock the same lock).
    pub(crate) fn owns(&self, guard: &LockGuard<'_, T>) -> bool {
        std::ptr::eq(guard.lock, &*self.inner)
    }
}

impl<T> fmt::Debug for Lock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Lock")
            .field("locked", &self.locked())
            .field("waiting", &self.waiting())
            .finish()
    }
}

/// Proof that the task holds the [`Lock`]; dereferences to the protected value and unlocks
/// when dropped (the end of `async with lock:`).
///
/// ```
/// use tinyloop_primitives::Lock;
///
/// tinyloop_runtime::run_virtual(async {
///     let lock = Lock::new(0);
///     let mut guard = lock.lock().await;
///     *guard += 1;
///     drop(guard); // unlocks
///     assert!(!lock.locked());
///     assert_eq!(*lock.try_lock().unwrap(), 1);
/// });
/// ```
#[must_use = "dropping the guard unlocks the lock at once"]
pub struct LockGuard<'a, T> {
    /// The lock, to unlock on drop.
    lock: &'a LockInner<T>,
    /// The value, borrowed for as long as the guard lives. `Option` only so that `Drop`
    /// can end the borrow *before* unlocking.
    value: Option<RefMut<'a, T>>,
}

impl<'a, T> LockGuard<'a, T> {
    fn new(lock: &'a LockInner<T>) -> LockGuard<'a, T> {
        LockGuard {
            lock,
            value: Some(lock.value.borrow_mut()),
        }
    }
}

impl<T> Deref for LockGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        self.value.as_deref().expect("present until drop")
    }
}

impl<T> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        self.value.as_deref_mut().expect("present until drop")
    }
}

// ANCHOR: guard_drop
impl<T> Drop for LockGuard<'_, T> {
    fn drop(&mut self) {
        // End the borrow first: the next holder borrows as soon as it runs.
        self.value = None;
        self.lock.core.release(1);
    }
}
// ANCHOR_END: guard_drop

impl<T: fmt::Debug> fmt::Debug for LockGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LockGuard").field(&**self).finish()
    }
}

/// The future of [`Lock::lock`].
///
/// Tasks get the lock in the order they asked; a waiter dropped while in line gives up its
/// place and leaves the lock free:
///
/// ```
/// use std::time::Duration;
/// use tinyloop_primitives::Lock;
/// use tinyloop_runtime::time::{now, timeout};
///
/// tinyloop_runtime::run_virtual(async {
///     let lock = Lock::new(());
///     let guard = lock.lock().await;
///     assert!(timeout(Duration::from_secs(1), lock.lock()).await.is_err());
///     assert_eq!(now().to_string(), "t=1.00");
///     drop(guard);
///     assert!(!lock.locked() && lock.waiting() == 0);
/// });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct LockAcquire<'a, T> {
    /// Its place in the lock's line.
    waiter: Waiter<'a>,
    /// The lock, to build the guard.
    inner: &'a LockInner<T>,
}

impl<'a, T> Future for LockAcquire<'a, T> {
    type Output = LockGuard<'a, T>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<LockGuard<'a, T>> {
        let inner = self.inner;
        self.waiter.poll(cx).map(|()| LockGuard::new(inner))
    }
}

impl<T> fmt::Debug for LockAcquire<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LockAcquire")
            .field("waiter", &self.waiter)
            .finish()
    }
}
