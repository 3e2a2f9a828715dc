//! A flag with a crowd of waiters, all woken together: the inside of `Event`, and of
//! `Queue::join` (asyncio's queue waits for "no unfinished tasks" on an internal `Event`;
//! tinyloop's queue keeps a [`Broadcast`] of its own and a future of its own around
//! [`BroadcastWait`]).
//!
//! # Set, then clear at once
//!
//! `set()` wakes every waiter, and they must all return even if the flag is lowered before
//! any of them is polled again: they were waiting for the moment the flag went up, and it
//! did. A waiter that re-checked the flag when it ran would miss it and wait forever. So the
//! broadcast counts its `set()`s (`epoch`), a waiter remembers the epoch it registered in,
//! and a changed epoch means "it was set while I waited": return. (asyncio gets the same
//! from its futures: `set()` completes each waiter's future, and `clear()` cannot un-complete
//! it.)
//!
//! # Size
//!
//! A million tasks parked on one event is a real workload (the benchmark has it), so a
//! waiter costs one `Waker` (two words) in a `Slab`, plus its future: a key and an epoch.
//! `set()` takes the whole slab and wakes every entry: no list to walk, no per-waiter
//! allocation.

use std::cell::RefCell;
use std::task::{Context, Poll, Waker};

use slab::Slab;
use tinyloop_runtime::trace::{WaitingOn, waiting_on, wake_as};

/// A flag and the wakers of the tasks waiting to see it raised.
#[derive(Default)]
pub(crate) struct Broadcast {
    /// The flag.
    flag: bool,
    /// How many times the flag went up. A waiter registered in an earlier epoch was woken
    /// by a `set()`, whatever the flag says now.
    epoch: u64,
    /// The wakers of the waiters of the current epoch, by key.
    waiters: Slab<Waker>,
}

impl Broadcast {
    /// A broadcast whose flag is already up (a new queue has no unfinished tasks).
    pub(crate) fn raised() -> Broadcast {
        Broadcast {
            flag: true,
            ..Broadcast::default()
        }
    }

    /// True while the flag is up.
    pub(crate) fn is_set(&self) -> bool {
        self.flag
    }

    /// Lower the flag. Waiters woken by an earlier `set()` still return.
    pub(crate) fn clear(&mut self) {
        self.flag = false;
    }

    /// How many tasks wait for the flag.
    pub(crate) fn waiting(&self) -> usize {
        self.waiters.len()
    }

    /// Raise the flag and wake every waiter (after releasing the borrow: a waker is code we
    /// do not control). `name` is who wakes them, for the tracer.
    pub(crate) fn set(shared: &RefCell<Broadcast>, name: &'static str) {
        let mut waiters = {
            let mut state = shared.borrow_mut();
            if state.flag {
                return;
            }
            state.flag = true;
            state.epoch += 1;
            std::mem::take(&mut state.waiters)
        };
        for waker in waiters.drain() {
            wake_as(waker, name);
        }
        // Give the emptied slab back, to reuse its allocation, if no one registered meanwhile.
        let mut state = shared.borrow_mut();
        if state.waiters.is_empty() && state.waiters.capacity() < waiters.capacity() {
            state.waiters = waiters;
        }
    }
}

/// Where a [`BroadcastWait`] is.
#[derive(Clone, Copy, Debug)]
enum WaitState {
    /// Not polled yet.
    Idle,
    /// Registered under `key` during `epoch`.
    Waiting {
        /// Our waker's key in the slab.
        key: usize,
        /// The epoch we registered in.
        epoch: u64,
    },
    /// Returned.
    Done,
}

/// One task's wait for a [`Broadcast`]: the state machine inside `EventWait` and
/// `QueueJoin`. Its owner polls it with the name the deadlock report shows, and drops it to
/// stop waiting.
pub(crate) struct BroadcastWait<'a> {
    /// The flag and the waiters.
    shared: &'a RefCell<Broadcast>,
    /// Where this wait is.
    state: WaitState,
}

impl<'a> BroadcastWait<'a> {
    /// A wait not yet registered.
    pub(crate) fn new(shared: &'a RefCell<Broadcast>) -> BroadcastWait<'a> {
        BroadcastWait {
            shared,
            state: WaitState::Idle,
        }
    }

    // ANCHOR: broadcast_wait
    /// Check, register, check again, wait. `what` names the wait for the deadlock report
    /// (`"Event.wait"`).
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>, what: &'static str) -> Poll<()> {
        let mut shared = self.shared.borrow_mut();
        match self.state {
            WaitState::Idle => {
                // Check: already set?
                if shared.flag {
                    drop(shared);
                    self.state = WaitState::Done;
                    return Poll::Ready(());
                }
                // Register.
                let key = shared.waiters.insert(cx.waker().clone());
                let epoch = shared.epoch;
                drop(shared);
                self.state = WaitState::Waiting { key, epoch };
            }
            WaitState::Waiting { key, epoch } => {
                // Check again: set (even if cleared since) while we waited?
                if shared.epoch != epoch {
                    drop(shared);
                    self.state = WaitState::Done;
                    return Poll::Ready(());
                }
                if !shared.waiters[key].will_wake(cx.waker()) {
                    let old = std::mem::replace(&mut shared.waiters[key], cx.waker().clone());
                    drop(shared);
                    drop(old);
                }
            }
            WaitState::Done => return Poll::Ready(()),
        }
        // Wait.
        waiting_on(WaitingOn::Primitive(what));
        Poll::Pending
    }
    // ANCHOR_END: broadcast_wait
}

impl Drop for BroadcastWait<'_> {
    fn drop(&mut self) {
        if let WaitState::Waiting { key, epoch } = self.state {
            let mut shared = self.shared.borrow_mut();
            // In a later epoch our entry was already taken by `set()`.
            if shared.epoch == epoch {
                let waker = shared.waiters.remove(key);
                drop(shared);
                drop(waker);
            }
        }
    }
}

impl std::fmt::Debug for BroadcastWait<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BroadcastWait")
            .field("state", &self.state)
            .finish()
    }
}
