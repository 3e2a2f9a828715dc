//! # Exercise 14: a Lock with asyncio's semantics
//!
//! Exercise 08's Semaphore *hands* a released permit to the oldest waiter. asyncio's `Lock`
//! works differently, and the difference is worth knowing: `release()` only sets
//! `_locked = False` and wakes the first waiter (`_wake_up_first`); the woken task takes the
//! lock itself, `_locked = True`, when it runs. Between the wake and that run, the lock is
//! free, and yet a newcomer must not take it. What keeps it out is the queue: the woken
//! waiter's future stays in `_waiters` until its own task runs, and `acquire`'s fast path
//! takes the lock only if nobody is queued.
//!
//! And cancellation: a woken waiter may be cancelled before it runs (a `timeout` that fires,
//! a `select` that picks another branch: in Rust, its `Acquire` is dropped). It will never
//! take the lock, so it must pass the wake on: asyncio's `acquire` catches `CancelledError`
//! and, if the lock is free, calls `_wake_up_first()` again. Forget that and the lock is free
//! with a queue of waiters that nobody will ever wake.
//!
//! Given: the types, `new`, `locked`, `waiting`, `acquire`, `wake_up_first` (which wakes the
//! first waiter unless it was woken already) and `Guard`'s `Drop`, which calls `release`.
//! Write:
//!
//! - `State::release`: unlock, then wake the first waiter.
//! - `Acquire::poll`: the first time, take the lock if it is free **and nobody queues**;
//!   otherwise queue a `Waiter` (a fresh id, your waker, `woken: false`) and return `Pending`.
//!   Polled again while queued: if your waiter was woken (and the lock is free), leave the
//!   queue, take the lock, return a `Guard`; if not, refresh your waker and stay `Pending`.
//! - `Drop for Acquire`: if queued, leave the queue; then, if the lock is free, wake the first
//!   waiter (it may have been you that was woken).
//!
//! Check it with `cargo run -- check 14` (or `cargo run -- watch`).

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
        // Your code: unlock, then wake the first waiter. (No `todo!()` here: this runs inside
        // `Guard`'s `drop`, and a panic in a `drop` during a failing test aborts every test.)
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
        // Your code: the fast path (free, nobody queued), or queue a Waiter; when polled again,
        // take the lock if you were woken, or refresh your waker.
        todo!()
    }
}
// ANCHOR_END: poll

// ANCHOR: drop
impl Drop for Acquire {
    /// A waiter cancelled while it waits (asyncio: `CancelledError` in `acquire`) leaves the
    /// queue; and if the lock is free, the new first waiter is woken, or nobody would be.
    fn drop(&mut self) {
        // Your code: leave the queue if queued; if the lock is free, wake the first waiter.
        // (No `todo!()` here either: see `release`.)
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
