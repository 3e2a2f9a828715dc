//! Reference solution of exercise 14 (see `src/ex14_lock.rs` for the instructions).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// A lock with asyncio's semantics. Clones share the same lock.
#[derive(Clone, Default)]
pub struct Lock {
    state: Rc<RefCell<State>>,
}

/// The lock's shared state: asyncio's `_locked` and `_waiters`.
#[derive(Default)]
pub struct State {
    /// Whether a task holds the lock.
    locked: bool,
    /// Waiting `Acquire`s, oldest first. A waiter stays here until its own poll takes the
    /// lock (or it is dropped), even after it was woken: that is what keeps newcomers out.
    waiters: VecDeque<Waiter>,
    /// The id the next waiter gets.
    next_id: u64,
}

/// One waiting `Acquire`: asyncio's future in `_waiters`.
pub struct Waiter {
    /// Which `Acquire` it is.
    id: u64,
    /// Its task's waker, refreshed on every poll.
    waker: Waker,
    /// Whether `release` has woken it (asyncio: `fut.done()`), so it is not woken twice.
    woken: bool,
}

impl Lock {
    /// An unlocked lock.
    pub fn new() -> Lock {
        Lock::default()
    }

    /// Whether a task holds the lock (asyncio: `lock.locked()`).
    pub fn locked(&self) -> bool {
        self.state.borrow().locked
    }

    /// How many `Acquire`s are queued.
    pub fn waiting(&self) -> usize {
        self.state.borrow().waiters.len()
    }

    /// Waits for the lock (asyncio: `await lock.acquire()`, or `async with lock:`).
    pub fn acquire(&self) -> Acquire {
        Acquire {
            lock: self.clone(),
            id: None,
        }
    }
}

impl State {
    // ANCHOR: wake_up_first
    /// asyncio's `_wake_up_first`: wake the oldest waiter, unless it was woken already.
    fn wake_up_first(&mut self) {
        if let Some(first) = self.waiters.front_mut()
            && !first.woken
        {
            first.woken = true;
            first.waker.wake_by_ref();
        }
    }
    // ANCHOR_END: wake_up_first

    // ANCHOR: release
    /// asyncio's `release`: unlock, and wake the first waiter (who will take the lock when it
    /// runs). Called by `Guard`'s `Drop`.
    fn release(&mut self) {
        assert!(self.locked, "Lock is not acquired.");
        self.locked = false;
        self.wake_up_first();
    }
    // ANCHOR_END: release
}

/// The future `Lock::acquire` returns.
pub struct Acquire {
    /// The lock it waits for.
    lock: Lock,
    /// Its waiter's id once it has queued.
    id: Option<u64>,
}

// ANCHOR: poll
impl Future for Acquire {
    type Output = Guard;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Guard> {
        let lock = self.lock.clone();
        let mut state = lock.state.borrow_mut();
        match self.id {
            None => {
                // Fast path: only when nobody queues, so a newcomer never jumps the queue.
                if !state.locked && state.waiters.is_empty() {
                    state.locked = true;
                    return Poll::Ready(Guard { lock: lock.clone() });
                }
                let id = state.next_id;
                state.next_id += 1;
                state.waiters.push_back(Waiter {
                    id,
                    waker: cx.waker().clone(),
                    woken: false,
                });
                drop(state);
                self.id = Some(id);
                Poll::Pending
            }
            Some(id) => {
                let at = state
                    .waiters
                    .iter()
                    .position(|w| w.id == id)
                    .expect("a queued Acquire stays queued until it takes the lock");
                if state.waiters[at].woken && !state.locked {
                    state.waiters.remove(at);
                    state.locked = true;
                    drop(state);
                    self.id = None;
                    return Poll::Ready(Guard { lock: lock.clone() });
                }
                state.waiters[at].waker.clone_from(cx.waker());
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: poll

// ANCHOR: drop
impl Drop for Acquire {
    /// A waiter cancelled while it waits (asyncio: `CancelledError` in `acquire`) leaves the
    /// queue; and if the lock is free, the new first waiter is woken, or nobody would be.
    fn drop(&mut self) {
        let Some(id) = self.id else { return };
        let mut state = self.lock.state.borrow_mut();
        state.waiters.retain(|w| w.id != id);
        if !state.locked {
            state.wake_up_first();
        }
    }
}
// ANCHOR_END: drop

/// Holding the lock; dropping it releases the lock (asyncio: leaving `async with lock:`).
pub struct Guard {
    /// The lock it holds.
    lock: Lock,
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.lock.state.borrow_mut().release();
    }
}
