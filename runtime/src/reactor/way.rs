//! One direction of a source (reading or writing): whether it may be ready, and every task
//! waiting for it.
//!
//! # Several waiters, all woken
//!
//! Two tasks may wait on one socket in one direction: two readers of a cloned `TcpStream`,
//! two acceptors sharing a listener, two receivers on one UDP socket. A `Way` keeps them
//! all, in the order they parked, each task once, and when the poller reports the direction
//! it wakes them **all**, first parked first. The first to run takes the data (or the
//! connection, or the datagram); the others try, hear `WouldBlock`, and park again. That is
//! what async-io does with its readable/writable futures, and it cannot lose a wake-up: a
//! waiter that has gone away (its future was dropped by a `timeout`) costs a spurious wake,
//! never a hang of the others. Waking only the first would hand the event to a task that
//! may no longer want it.
//!
//! asyncio does not support this at all. Its selector loop keeps one callback per fd and
//! direction: a second `loop.sock_recv` or `loop.sock_accept` on the same socket replaces
//! the first one's callback, and the first waits for ever (run on CPython 3.10 to 3.13: the
//! second waiter gets the data, the first times out); a second concurrent
//! `StreamReader.read` raises `RuntimeError: read() called while another coroutine is
//! already waiting for incoming data`. tinyloop serves both waiters instead.
//!
//! # Ground rules
//!
//! The list is a `RefCell`, borrowed only for a lookup or a push, never while a waker is
//! cloned, woken or dropped (that is user code, which may come back to the reactor).

use std::cell::{Cell, RefCell};
use std::task::Waker;

use crate::ids::TaskId;

/// One direction of a source.
pub(crate) struct Way {
    /// The tasks waiting for this direction, in the order they parked. A task is listed at
    /// most once (`Waker::will_wake`), so the list is never longer than the number of tasks
    /// that waited since the direction last fired.
    waiting: RefCell<Vec<Waiter>>,
    /// False once an operation returned `WouldBlock` (or a short read or write showed the
    /// kernel buffer drained or full); true again when the poller reports the direction.
    /// Starts true: tinyloop tries the operation first and asks the poller only if it must.
    pub(super) ready: Cell<bool>,
    /// Oneshot mode only: true while the poller is armed for this direction.
    pub(super) armed: Cell<bool>,
}

/// One parked task.
struct Waiter {
    /// What wakes it.
    waker: Waker,
    /// Which task it is, for the loop's snapshot (`None` outside a task: `block_on`).
    task: Option<TaskId>,
}

impl Default for Way {
    fn default() -> Way {
        Way {
            waiting: RefCell::new(Vec::new()),
            ready: Cell::new(true),
            armed: Cell::new(false),
        }
    }
}

impl Way {
    /// List `waker` (of `task`) unless its task is listed already. Returns true when it
    /// was added: one more waiter for the reactor to count.
    pub(super) fn park(&self, waker: &Waker, task: Option<TaskId>) -> bool {
        if self
            .waiting
            .borrow()
            .iter()
            .any(|w| w.waker.will_wake(waker))
        {
            return false;
        }
        // Cloned outside any borrow: a waker's clone is code we do not control.
        let waker = waker.clone();
        self.waiting.borrow_mut().push(Waiter { waker, task });
        true
    }

    /// True while some task waits this way.
    pub(super) fn is_waited(&self) -> bool {
        !self.waiting.borrow().is_empty()
    }

    /// The waiting tasks, first parked first, for the snapshot.
    pub(super) fn tasks(&self) -> Vec<Option<TaskId>> {
        self.waiting.borrow().iter().map(|w| w.task).collect()
    }

    // ANCHOR: wake_all
    /// Wake every waiting task, first parked first, and empty the list. Returns how many
    /// were woken.
    pub(super) fn wake_all(&self) -> usize {
        let mut woken = self.waiting.take();
        let count = woken.len();
        for waiter in woken.drain(..) {
            waiter.waker.wake();
        }
        // Hand the emptied list back, keeping its memory for the next waits, unless a
        // waker parked someone again meanwhile.
        let mut waiting = self.waiting.borrow_mut();
        if waiting.is_empty() {
            *waiting = woken;
        }
        count
    }
    // ANCHOR_END: wake_all
}
