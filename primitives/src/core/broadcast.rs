//! A flag with a crowd of waiters, all woken together: the inside of `Event`, and of
//! `Queue::join` (asyncio's queue waits for "no unfinished tasks" on an internal `Event`;
//! tinyloop's queue keeps a [`Broadcast`] of its own and a future of its own around
//! [`BroadcastWait`]).
//!
//! # Set, then clear at once
//!
//! `set()` wakes every waiter, and they must all return even if the flag is lowered before
//! any of them is polled again: they were waiting for the moment the flag went up, and it
//! did. A waiter that re-checked the flag when it ran would miss it and wait forever.
//! asyncio gets this from its futures: `set()` completes each waiter's future, and
//! `clear()` cannot un-complete it. tinyloop does the same with its wait list: `set()`
//! *assigns* every entry in line (`wait_list.rs`), and an assigned entry returns at its
//! next poll, whatever the flag says by then.
//!
//! # Order
//!
//! Waiters are woken in the order they began waiting, as asyncio's `set()` walks its deque
//! (checked against CPython: a waiter that left and a newcomer that took its slot do not
//! change the order). An earlier version kept the wakers in a bare `Slab` and woke them in
//! slot order, which a reused slot could reorder.
//!
//! # Size
//!
//! A million tasks parked on one event is a real workload (the benchmark has it). A waiter
//! costs one wait-list entry (its `Waker`, two links and a tag: five words) in a `Slab`
//! that is reused from one round to the next, plus its future: a key. Nothing is allocated
//! per waiter once the slab has grown.

use std::cell::RefCell;
use std::task::{Context, Poll};

use tinyloop_runtime::trace::{WaitingOn, waiting_on, wake_as};

use super::wait_list::WaitList;

/// A flag and the line of tasks waiting to see it raised.
#[derive(Default)]
pub(crate) struct Broadcast {
    /// The flag.
    flag: bool,
    /// The tasks waiting, in the order they began; an assigned entry was woken by a `set()`
    /// and has not run yet.
    waiters: WaitList<(), ()>,
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

    /// How many tasks wait for the flag (not counting those woken that have not run yet).
    pub(crate) fn waiting(&self) -> usize {
        self.waiters.len()
    }

    /// Raise the flag and wake every waiter, longest first. `name` is who wakes them, for
    /// the tracer. Each wake happens with the borrow released: a waker is code we do not
    /// control.
    pub(crate) fn set(shared: &RefCell<Broadcast>, name: &'static str) {
        let in_line = {
            let mut state = shared.borrow_mut();
            if state.flag {
                return;
            }
            state.flag = true;
            state.waiters.len()
        };
        // Exactly those in line now: one who joined meanwhile (after a `clear()`) waits for
        // the next `set()`.
        for _ in 0..in_line {
            let waker = shared.borrow_mut().waiters.assign_front(|()| ());
            match waker {
                Some(waker) => wake_as(waker, name),
                None => break,
            }
        }
    }
}

/// Where a [`BroadcastWait`] is.
///
/// The key is kept as a `u32` (wait-list keys fit in one, `wait_list.rs`): the state is
/// then 8 bytes instead of 16, and a task parked on an `Event` 8 bytes smaller (measured in
/// the benchmark's `idle_tasks_memory`, where its future is most of the task).
#[derive(Clone, Copy, Debug)]
enum WaitState {
    /// Not polled yet.
    Idle,
    /// In the line under this key.
    Waiting(u32),
    /// Returned.
    Done,
}

/// One task's wait for a [`Broadcast`]: the state machine inside `EventWait` and
/// `QueueJoin`. Its owner polls it with the name the deadlock report shows, and drops it to
/// stop waiting.
pub(crate) struct BroadcastWait<'a> {
    /// The flag and the line.
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
                let key = shared.waiters.push_back((), cx.waker());
                self.state = WaitState::Waiting(key as u32); // fits: see `WaitState`
            }
            WaitState::Waiting(key) => {
                // Check again: woken by a `set()` (even if cleared since)?
                if shared.waiters.poll_done(key as usize, cx.waker()).is_some() {
                    drop(shared);
                    self.state = WaitState::Done;
                    return Poll::Ready(());
                }
            }
            WaitState::Done => return Poll::Ready(()),
        }
        drop(shared);
        // Wait.
        waiting_on(WaitingOn::Primitive(what));
        Poll::Pending
    }
    // ANCHOR_END: broadcast_wait
}

impl Drop for BroadcastWait<'_> {
    fn drop(&mut self) {
        if let WaitState::Waiting(key) = self.state {
            // In line or woken: either way, leave (an event has nothing to pass on).
            let _ = self.shared.borrow_mut().waiters.cancel(key as usize);
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

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use super::{Broadcast, BroadcastWait};

    #[test]
    fn a_broadcast_wait_is_two_words() {
        // Most of a task parked on an `Event` (see `WaitState`).
        let shared = RefCell::new(Broadcast::default());
        assert_eq!(std::mem::size_of_val(&BroadcastWait::new(&shared)), 16);
    }
}
