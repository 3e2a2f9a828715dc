//! The counter of permits with a fair line of waiters, shared by `Semaphore`,
//! `BoundedSemaphore` and `Lock` (a lock is one permit).
//!
//! asyncio's `Semaphore` (since gh-97545, 2022; checked on 3.10.13 to 3.13.0) keeps `_value` and a
//! deque of futures, and **hands the permit over at release**: `release()` increments
//! `_value`, then `_wake_up_next()` decrements it again on behalf of the first waiter it
//! wakes. tinyloop does the same, with the wake-up *assigned* to the waiter's entry
//! (`wait_list.rs`), so the permit is the woken waiter's from that moment on.
//!
//! # The rules (asyncio 3.13's `Semaphore`, observable by observable)
//!
//! * **locked** when no permit is free *or anyone is in line, woken or not*. A waiter woken
//!   but not yet run still counts (asyncio: its future is `done()` but still in the deque,
//!   and `locked()` asks `any(not w.cancelled() ...)`). So a newcomer never jumps ahead of
//!   a woken waiter, even when a second release left a permit free.
//! * **acquire** takes a permit at once unless locked; otherwise joins the back of the line.
//! * **release** gives the permit to the longest waiter still in line, or to the counter.
//! * when a woken waiter runs (collects its permit), or leaves cancelled, any permits left
//!   free go to the waiters still in line (3.13's `finally: while self._value > 0:
//!   self._wake_up_next()`): newcomers that had to wait behind a woken waiter are woken now.
//! * a woken waiter cancelled before it ran gives its permit back first.
//!
//! A `Lock` is this with one permit; it differs only in what `locked()` reports (see
//! `lock.rs`).

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
    /// asyncio's `_value`: permits nobody holds and no woken waiter was handed.
    available: usize,
    /// Permits given out with `forget()` and not yet returned with `release()`; a
    /// `BoundedSemaphore` refuses a manual release when this is zero.
    forgotten: usize,
    /// The line of `acquire` futures, longest waiter first; an assigned (`Done`) entry is a
    /// waiter that was handed a permit and has not run yet.
    waiters: WaitList<(), ()>,
}

impl PermitState {
    /// No permit free, or someone in line (woken or not).
    fn locked(&self) -> bool {
        self.available == 0 || self.waiters.len() + self.waiters.assigned() > 0
    }
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

    /// How many acquire futures are in line, not yet woken.
    pub(crate) fn waiting(&self) -> usize {
        self.state.borrow().waiters.len()
    }

    /// How many waiters were handed a permit and have not run yet.
    pub(crate) fn woken(&self) -> usize {
        self.state.borrow().waiters.assigned()
    }

    /// asyncio's `Semaphore.locked()`: no permit is free, or someone is in line (woken or
    /// not), so an acquire would wait.
    pub(crate) fn locked(&self) -> bool {
        self.state.borrow().locked()
    }

    /// Take a permit if an acquire would not wait (never ahead of anyone in line).
    pub(crate) fn try_take(&self) -> bool {
        let mut state = self.state.borrow_mut();
        if state.locked() {
            return false;
        }
        state.available -= 1;
        true
    }

    // ANCHOR: poll_acquire
    /// Check, register, check again, wait (see the module docs).
    fn poll_acquire(&self, at: &mut AcquireState, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.borrow_mut();
        match *at {
            AcquireState::Idle => {
                // Check: a free permit, and nobody in line (woken or not) ahead of us.
                if !state.locked() {
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
                    // Permits left free while we stood in front go to those behind us
                    // (rare: the common case skips the second borrow).
                    let more = state.available > 0 && state.waiters.len() > 0;
                    drop(state);
                    if more {
                        self.wake_while_free();
                    }
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
    /// An acquire future is dropped: leave the line; if a permit was already handed to us,
    /// give it back; then let free permits reach the waiters still in line, so nothing is
    /// lost.
    fn cancel(&self, at: AcquireState) {
        if let AcquireState::Waiting(key) = at {
            let mut state = self.state.borrow_mut();
            if let Slot::Done(()) = state.waiters.cancel(key) {
                state.available = state.available.saturating_add(1);
            }
            drop(state);
            self.wake_while_free();
        }
    }

    /// Give back `n` permits: each goes to the longest waiter still in line if there is
    /// one, else to the counter.
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

    /// While a permit is free and someone waits in line, hand it over (3.13's `finally:`
    /// loop in `acquire`).
    fn wake_while_free(&self) {
        loop {
            let waker = {
                let mut state = self.state.borrow_mut();
                if state.available == 0 {
                    return;
                }
                let Some(waker) = state.waiters.assign_front(|()| ()) else {
                    return;
                };
                state.available -= 1;
                waker
            };
            wake_as(waker, self.name);
        }
    }

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
