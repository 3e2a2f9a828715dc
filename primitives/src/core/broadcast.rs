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
//! `clear()` cannot un-complete it. tinyloop does the same with its line
//! (`ticket_line.rs`): `set()` takes the whole line and marks every ticket in it as woken,
//! and a waiter with a woken ticket returns at its next poll, whatever the flag says by then.
//!
//! # Order
//!
//! Waiters are woken in the order they began waiting, as asyncio's `set()` walks its deque
//! (checked against CPython: a waiter that left and a newcomer that came after it do not
//! change the order). An earlier version kept the wakers in a bare `Slab` and woke them in
//! slot order, which a reused slot could reorder; the ticket line never reuses a slot for a
//! newcomer.
//!
//! # Size
//!
//! A million tasks parked on one event is a real workload (the benchmark has it). A waiter
//! costs one slot of the ticket line (its `Waker`: two words) in a `Vec` that is reused from
//! one round to the next, plus its future: a reference and a ticket. Nothing is allocated
//! per waiter once the `Vec` has grown. (On the wait list the other primitives use, an
//! entry was four words: 16 bytes more per parked task.)

use std::cell::RefCell;
use std::task::{Context, Poll};

use tinyloop_runtime::trace::{WaitingOn, waiting_on, wake_as};

use super::ticket_line::{Ticket, TicketLine};

/// A flag and the line of tasks waiting to see it raised.
#[derive(Default)]
pub(crate) struct Broadcast {
    /// The flag.
    flag: bool,
    /// The tasks waiting, in the order they began, and which tickets a `set()` woke.
    waiters: TicketLine,
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
    /// the tracer. The wakes happen with the borrow released: a waker is code we do not
    /// control.
    pub(crate) fn set(shared: &RefCell<Broadcast>, name: &'static str) {
        let mut in_line = {
            let mut state = shared.borrow_mut();
            if state.flag {
                return;
            }
            state.flag = true;
            // Exactly those in line now: one who joins meanwhile (after a `clear()`) waits
            // for the next `set()`.
            state.waiters.take_all()
        };
        for waker in in_line.drain(..).flatten() {
            wake_as(waker, name);
        }
        shared.borrow_mut().waiters.give_back(in_line);
    }
}

/// Where a [`BroadcastWait`] is, in one word: `IDLE`, `DONE`, or the ticket it waits with.
///
/// An `enum { Idle, Waiting(Ticket), Done }` would take two words, the tag beside the
/// `u64`, and a task parked on an `Event` 8 bytes more: in the benchmark's
/// `idle_tasks_memory` that tips the task's allocation from malloc's 128-byte class into the
/// 144-byte one. Tickets count up from 0 and never reach the two values kept for the states.
#[derive(Clone, Copy, PartialEq, Eq)]
struct WaitState(Ticket);

impl WaitState {
    /// Not polled yet.
    const IDLE: WaitState = WaitState(Ticket::MAX);
    /// Returned.
    const DONE: WaitState = WaitState(Ticket::MAX - 1);

    /// The ticket, while in line.
    fn ticket(self) -> Option<Ticket> {
        (self != WaitState::IDLE && self != WaitState::DONE).then_some(self.0)
    }
}

impl std::fmt::Debug for WaitState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            WaitState::IDLE => f.write_str("Idle"),
            WaitState::DONE => f.write_str("Done"),
            WaitState(ticket) => write!(f, "Waiting({ticket})"),
        }
    }
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
            state: WaitState::IDLE,
        }
    }

    // ANCHOR: broadcast_wait
    /// Check, register, check again, wait. `what` names the wait for the deadlock report
    /// (`"Event.wait"`).
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>, what: &'static str) -> Poll<()> {
        if self.state == WaitState::DONE {
            return Poll::Ready(());
        }
        let mut shared = self.shared.borrow_mut();
        match self.state.ticket() {
            None => {
                // Check: already set?
                if shared.flag {
                    drop(shared);
                    self.state = WaitState::DONE;
                    return Poll::Ready(());
                }
                // Register.
                self.state = WaitState(shared.waiters.join(cx.waker()));
            }
            Some(ticket) => {
                // Check again: woken by a `set()` (even if cleared since)?
                if shared.waiters.was_woken(ticket) {
                    drop(shared);
                    self.state = WaitState::DONE;
                    return Poll::Ready(());
                }
                shared.waiters.update(ticket, cx.waker());
            }
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
        if let Some(ticket) = self.state.ticket() {
            // In line or woken: either way, leave (an event has nothing to pass on). The
            // waker is dropped after the borrow ends.
            let waker = self.shared.borrow_mut().waiters.leave(ticket);
            drop(waker);
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
