//! `Semaphore` and `BoundedSemaphore`: asyncio's `asyncio.Semaphore(n)`, for limiting how
//! many tasks do something at once.
//!
//! ```python
//! semaphore = asyncio.Semaphore(3)
//! async with semaphore:      # acquire: wait while three others are inside
//!     await fetch(url)       # at most three tasks are here at any moment
//!                            # leaving the block releases
//! ```
//!
//! In Rust, `async with` is a value: `acquire().await` returns a [`SemaphorePermit`], and
//! the permit's `Drop` is the end of the block. Whatever way the task leaves the block
//! (returns, panics, or is cancelled while holding the permit) the permit goes back.
//!
//! Both types sit on `PermitCore` (`core/permits.rs`), which hands each released permit to
//! the longest waiter at release time: strict FIFO, no barging, and a waiter cancelled after
//! it was handed a permit passes it on in its `Drop`. The chapter "Semaphore: limiting
//! concurrency" walks through it; "The bug museum" shows the asyncio bugs this rules out.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::core::permits::{PermitCore, Waiter};

/// A counter of permits with a fair line of waiters: asyncio's `Semaphore`.
///
/// Cloning a `Semaphore` gives another handle to the same permits, as passing a Python
/// object to several tasks shares it.
///
/// ```
/// use tinyloop_primitives::Semaphore;
/// use tinyloop_runtime::run_virtual;
///
/// run_virtual(async {
///     let semaphore = Semaphore::new(2);
///     let first = semaphore.acquire().await;
///     let second = semaphore.try_acquire().expect("one permit was left");
///     assert_eq!(semaphore.available(), 0);
///     assert!(semaphore.try_acquire().is_none()); // both are out
///     drop(first); // leaving `async with`
///     assert_eq!(semaphore.available(), 1);
///     drop(second);
/// });
/// ```
#[derive(Clone)]
pub struct Semaphore {
    /// The permits and the line, shared by every clone.
    core: Rc<PermitCore>,
}

impl Semaphore {
    /// A semaphore with `permits` permits (asyncio `Semaphore(value)`).
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            core: Rc::new(PermitCore::new(permits, "Semaphore", "Semaphore.acquire")),
        }
    }

    /// Wait for a permit: asyncio's `async with semaphore:` / `await semaphore.acquire()`.
    ///
    /// Waiters are served strictly in the order they first polled this future.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future gives up its place in line. If a permit had already been handed
    /// to it (released while it waited, before it ran again), the permit goes to the next
    /// waiter, so no permit is ever lost.
    pub fn acquire(&self) -> SemaphoreAcquire<'_> {
        SemaphoreAcquire {
            waiter: Waiter::new(&self.core),
        }
    }

    /// Take a permit if one is free now. A newcomer never jumps the line: while anyone is
    /// waiting, this returns `None`.
    pub fn try_acquire(&self) -> Option<SemaphorePermit<'_>> {
        self.core
            .try_take()
            .then(|| SemaphorePermit { core: &self.core })
    }

    /// Permits free right now (asyncio's private `_value`): a permit handed to a woken
    /// waiter that has not run yet is not free. It can be above zero while tasks wait: they
    /// queued behind a woken waiter, and get the permits when it runs.
    pub fn available(&self) -> usize {
        self.core.available()
    }

    /// True when `acquire` would wait (asyncio `locked()`): no permit is free, or a task is
    /// in line (even one already woken that has not run yet).
    pub fn locked(&self) -> bool {
        self.core.locked()
    }

    /// How many tasks are in line in `acquire`, not yet woken.
    pub fn waiting(&self) -> usize {
        self.core.waiting()
    }

    /// Add one permit (asyncio `release()` called by hand). It goes to the longest waiter
    /// if there is one. Used after [`SemaphorePermit::forget`], or to raise the limit.
    /// The count saturates at `usize::MAX` free permits (the same in debug and release
    /// builds) instead of wrapping to zero.
    pub fn release(&self) {
        self.core.return_forgotten();
        self.core.release(1);
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("available", &self.available())
            .field("waiting", &self.waiting())
            .finish()
    }
}

/// A `Semaphore` that refuses to be released more times than it was acquired: asyncio's
/// `BoundedSemaphore`, which raises `ValueError` when released above its initial value.
///
/// With an RAII permit, releasing too often cannot happen by accident: every permit
/// releases exactly once, when dropped. It can only happen by hand, so the manual path is
/// explicit: [`SemaphorePermit::forget`] keeps the permit taken without a guard (asyncio's
/// bare `await sem.acquire()`), and [`BoundedSemaphore::release`] gives one forgotten permit
/// back, or returns [`BoundedReleaseError`] if none is out. The error comes from the wrong
/// `release()` call itself, not (as in asyncio) from whichever release happens to come later.
///
/// ```
/// use tinyloop_primitives::{BoundedSemaphore, BoundedReleaseError};
/// use tinyloop_runtime::run_virtual;
///
/// run_virtual(async {
///     let semaphore = BoundedSemaphore::new(1);
///     semaphore.acquire().await.forget(); // asyncio: await sem.acquire()
///     assert_eq!(semaphore.available(), 0);
///     assert_eq!(semaphore.release(), Ok(())); // asyncio: sem.release()
///     assert_eq!(semaphore.release(), Err(BoundedReleaseError)); // asyncio: ValueError
///     assert_eq!(semaphore.available(), 1);
/// });
/// ```
#[derive(Clone)]
pub struct BoundedSemaphore {
    /// The permits and the line, shared by every clone.
    core: Rc<PermitCore>,
    /// The initial number of permits, for `Debug`.
    bound: usize,
}

impl BoundedSemaphore {
    /// A bounded semaphore with `permits` permits, which is also its bound.
    pub fn new(permits: usize) -> BoundedSemaphore {
        BoundedSemaphore {
            core: Rc::new(PermitCore::new(
                permits,
                "BoundedSemaphore",
                "BoundedSemaphore.acquire",
            )),
            bound: permits,
        }
    }

    /// Wait for a permit, as [`Semaphore::acquire`].
    ///
    /// # Cancel safety
    ///
    /// As [`Semaphore::acquire`]: a dropped waiter passes on a permit it was handed.
    pub fn acquire(&self) -> SemaphoreAcquire<'_> {
        SemaphoreAcquire {
            waiter: Waiter::new(&self.core),
        }
    }

    /// Take a permit if one is free and nobody waits.
    pub fn try_acquire(&self) -> Option<SemaphorePermit<'_>> {
        self.core
            .try_take()
            .then(|| SemaphorePermit { core: &self.core })
    }

    /// Permits free right now.
    pub fn available(&self) -> usize {
        self.core.available()
    }

    /// True when `acquire` would wait (as [`Semaphore::locked`]).
    pub fn locked(&self) -> bool {
        self.core.locked()
    }

    /// How many tasks are in line in `acquire`, not yet woken.
    pub fn waiting(&self) -> usize {
        self.core.waiting()
    }

    /// Give back one permit taken with [`SemaphorePermit::forget`].
    ///
    /// # Errors
    ///
    /// [`BoundedReleaseError`] when no forgotten permit is out: the release would take the
    /// semaphore above its initial value.
    pub fn release(&self) -> Result<(), BoundedReleaseError> {
        if !self.core.return_forgotten() {
            return Err(BoundedReleaseError);
        }
        self.core.release(1);
        Ok(())
    }
}

impl fmt::Debug for BoundedSemaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BoundedSemaphore")
            .field("bound", &self.bound)
            .field("available", &self.available())
            .field("waiting", &self.waiting())
            .finish()
    }
}

/// A `BoundedSemaphore` was released more times than permits were forgotten: asyncio's
/// `ValueError("BoundedSemaphore released too many times")`.
///
/// A permit still held does not count: only a forgotten one can be released by hand.
///
/// ```
/// use tinyloop_primitives::{BoundedReleaseError, BoundedSemaphore};
///
/// tinyloop_runtime::run_virtual(async {
///     let semaphore = BoundedSemaphore::new(1);
///     let permit = semaphore.acquire().await;
///     assert_eq!(semaphore.release(), Err(BoundedReleaseError));
///     drop(permit); // the one way to give a held permit back
///     assert_eq!(semaphore.available(), 1);
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BoundedReleaseError;

impl fmt::Display for BoundedReleaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "BoundedSemaphore released too many times: release() only gives back a permit \
             taken with `permit.forget()`; a permit you still hold is released when dropped"
        )
    }
}

impl std::error::Error for BoundedReleaseError {}

/// One permit of a [`Semaphore`] or [`BoundedSemaphore`]; dropping it releases it (the end
/// of `async with semaphore:`).
///
/// ```
/// use tinyloop_primitives::Semaphore;
///
/// tinyloop_runtime::run_virtual(async {
///     let semaphore = Semaphore::new(2);
///     let permit = semaphore.acquire().await;
///     semaphore.try_acquire().unwrap().forget(); // stays taken, with no guard
///     assert_eq!(semaphore.available(), 0);
///     drop(permit); // released
///     assert_eq!(semaphore.available(), 1);
///     semaphore.release(); // gives the forgotten one back
///     assert_eq!(semaphore.available(), 2);
/// });
/// ```
#[must_use = "dropping the permit releases it at once"]
pub struct SemaphorePermit<'a> {
    /// The semaphore it came from.
    core: &'a PermitCore,
}

impl SemaphorePermit<'_> {
    /// Keep the permit taken without a guard (asyncio's bare `await sem.acquire()`); give it
    /// back later with the semaphore's `release()`.
    pub fn forget(self) {
        self.core.forget();
        std::mem::forget(self);
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        self.core.release(1);
    }
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SemaphorePermit")
    }
}

/// The future of [`Semaphore::acquire`] and [`BoundedSemaphore::acquire`].
///
/// A released permit is handed to the longest waiter; nobody can take it in between:
///
/// ```
/// use std::time::Duration;
/// use tinyloop_primitives::Semaphore;
/// use tinyloop_runtime::time::{now, sleep};
///
/// tinyloop_runtime::run_virtual(async {
///     let semaphore = Semaphore::new(1);
///     let permit = semaphore.acquire().await;
///     let waiter = tinyloop_runtime::spawn({
///         let semaphore = semaphore.clone();
///         async move { semaphore.acquire().await.forget(); now().to_string() }
///     });
///     sleep(Duration::from_secs(1)).await;
///     drop(permit); // handed to the waiter, which has not run yet
///     assert!(semaphore.try_acquire().is_none());
///     assert_eq!(waiter.await.unwrap(), "t=1.00");
/// });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
#[derive(Debug)]
pub struct SemaphoreAcquire<'a> {
    /// Its place in line.
    waiter: Waiter<'a>,
}

impl<'a> Future for SemaphoreAcquire<'a> {
    type Output = SemaphorePermit<'a>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<SemaphorePermit<'a>> {
        let core = self.waiter.core;
        self.waiter.poll(cx).map(|()| SemaphorePermit { core })
    }
}
