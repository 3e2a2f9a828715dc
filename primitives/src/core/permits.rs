//! The counter of permits with a fair line of waiters, shared by `Semaphore`,
//! `BoundedSemaphore` and `Lock` (a lock is one permit).
//!
//! asyncio's `Semaphore` keeps `_value` and a deque of futures; `release()` increments
//! `_value` and wakes the first future, and the woken task decrements `_value` when it runs.
//! Here a release **hands the permit to the longest waiter directly** (strict FIFO, no
//! barging), so the count only ever holds permits that nobody waits for.
//!
//! # Invariant
//!
//! `available > 0` only when nobody waits. Acquiring with `available > 0` takes a permit at
//! once; releasing while someone waits assigns the permit to them instead of counting it.
//! So `try_acquire` needs to look at `available` only: if anyone waits, it is zero, and a
//! newcomer gets nothing.
//!
//! # Check, register, check again, wait
//!
//! [`PermitCore::poll_acquire`] is the pattern every waiting future in this crate follows.
//! **Check**: is a permit free (and nobody ahead of us)? Take it. **Register**: join the line
//! with our waker. **Check again**: on a multi-threaded runtime a release could slip in
//! between the check and the registration, so a future must look once more after it
//! registered (the event-listener crate teaches it by this name). On tinyloop's one thread
//! nothing runs between our check and our registration, so the second check is the one the
//! next poll makes: "was a permit assigned to me?". **Wait**: return `Pending`.

use std::cell::RefCell;
use std::task::{Context, Poll};

use tinyloop_runtime::trace::{WaitingOn, waiting_on, wake_as};

use super::wait_list::{Slot, WaitList};

/// The state behind one semaphore or lock.
#[derive(Debug)]
pub(crate) struct PermitState {
    /// Permits nobody holds and nobody waits for (see the module's invariant).
    available: usize,
    /// Permits given out with `forget()` and not yet returned with `release()`; a
    /// `BoundedSemaphore` refuses a manual release when this is zero.
    forgotten: usize,
    /// The line of `acquire` futures, longest waiter first.
    waiters: WaitList<(), ()>,
}

/// A [`PermitState`] in its `RefCell`, with the names the tracer shows.
#[derive(Debug)]
pub(crate) struct PermitCore {
    /// The state; borrowed only inside this file's methods, never across a wake.
    state: RefCell<PermitState>,
    /// Who wakes a waiter, for the tracer: `"Semaphore"`, `"Lock"`.
    name: &'static str,
    /// What a waiter waits on, for the deadlock report: `"Semaphore.acquire"`.
    waiting_on: &'static str,
}

/// Where an acquire future is: not yet polled, or in line under a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AcquireState {
    /// Not polled yet, or finished.
    Idle,
    /// In line; the key of its entry.
    Waiting(usize),
}

impl PermitCore {
    /// A core with `permits` free permits.
    pub(crate) fn new(permits: usize, name: &'static str, waiting_on: &'static str) -> Self {
        PermitCore {
            state: RefCell::new(PermitState {
                available: permits,
                forgotten: 0,
                waiters: WaitList::default(),
            }),
            name,
            waiting_on,
        }
    }

    /// Permits free right now.
    pub(crate) fn available(&self) -> usize {
        self.state.borrow().available
    }

    /// How many acquire futures are in line.
    pub(crate) fn waiting(&self) -> usize {
        self.state.borrow().waiters.len()
    }

    /// Take a permit if one is free; nobody waits when one is (the invariant), so this
    /// never jumps the line.
    pub(crate) fn try_take(&self) -> bool {
        let mut state = self.state.borrow_mut();
        if state.available > 0 {
            state.available -= 1;
            true
        } else {
            false
        }
    }

    // ANCHOR: poll_acquire
    /// Check, register, check again, wait (see the module docs).
    fn poll_acquire(&self, at: &mut AcquireState, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.borrow_mut();
        match *at {
            AcquireState::Idle => {
                // Check: a free permit means nobody is in line; take it.
                if state.available > 0 {
                    state.available -= 1;
                    return Poll::Ready(());
                }
                // Register: join the back of the line.
                *at = AcquireState::Waiting(state.waiters.push_back((), cx.waker()));
            }
            AcquireState::Waiting(key) => {
                // Check again: was a permit assigned to us since the last poll?
                if state.waiters.poll_done(key, cx.waker()).is_some() {
                    *at = AcquireState::Idle;
                    return Poll::Ready(());
                }
            }
        }
        drop(state);
        // Wait.
        waiting_on(WaitingOn::Primitive(self.waiting_on));
        Poll::Pending
    }
    // ANCHOR_END: poll_acquire

    // ANCHOR: release
    /// An acquire future is dropped: leave the line, and if a permit was already assigned
    /// to us, pass it on, so nothing is lost.
    fn cancel(&self, at: AcquireState) {
        if let AcquireState::Waiting(key) = at {
            let slot = self.state.borrow_mut().waiters.cancel(key);
            if let Slot::Done(()) = slot {
                self.release(1);
            }
        }
    }

    /// Give back `n` permits: each goes to the longest waiter if there is one, else to the
    /// counter.
    pub(crate) fn release(&self, n: usize) {
        for given in 0..n {
            let waker = {
                let mut state = self.state.borrow_mut();
                let waker = state.waiters.assign_front(|()| ());
                if waker.is_none() {
                    // Nobody waits: the rest go to the counter in one step. It saturates:
                    // a semaphore counts at most `usize::MAX` free permits (asyncio's
                    // Python int has no ceiling; wrapping to 0 would lose them all).
                    state.available = state.available.saturating_add(n - given);
                    return;
                }
                waker
            };
            if let Some(waker) = waker {
                wake_as(waker, self.name);
            }
        }
    }
    // ANCHOR_END: release

    /// A permit is forgotten: it will not come back by itself.
    pub(crate) fn forget(&self) {
        self.state.borrow_mut().forgotten += 1;
    }

    /// A manual release returns a forgotten permit if there is one. Returns false when no
    /// permit is out by `forget()` (what a `BoundedSemaphore` refuses).
    pub(crate) fn return_forgotten(&self) -> bool {
        let mut state = self.state.borrow_mut();
        if state.forgotten == 0 {
            return false;
        }
        state.forgotten -= 1;
        true
    }
}

/// A place in a [`PermitCore`]'s line, shared by the acquire futures of `Semaphore` and
/// `Lock`. Its `Drop` is the cancellation path: leave the line, pass on a permit handed to
/// us.
#[derive(Debug)]
pub(crate) struct Waiter<'a> {
    /// The permits we wait for.
    pub(crate) core: &'a PermitCore,
    /// Idle, or in line under a key.
    state: AcquireState,
}

impl<'a> Waiter<'a> {
    /// A place not yet taken: the line is joined at the first poll.
    pub(crate) fn new(core: &'a PermitCore) -> Waiter<'a> {
        Waiter {
            core,
            state: AcquireState::Idle,
        }
    }

    /// Poll for a permit; `Ready` means the caller now owns one.
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.core.poll_acquire(&mut self.state, cx)
    }
}

impl Drop for Waiter<'_> {
    fn drop(&mut self) {
        self.core.cancel(self.state);
    }
}
