//! # Exercise 08: a fair, cancel-safe Semaphore
//!
//! `asyncio.Semaphore(n)` lets at most `n` tasks into a section at once: `async with sem:`.
//! A task that finds no permit waits in a queue (`sem._waiters`, a deque) and is woken when a
//! permit comes back. Two properties make it correct, and both are easy to get wrong:
//!
//! - **FIFO, no barging.** A released permit goes straight to the oldest waiter. A newcomer
//!   that arrives in between must not grab it: it queues behind the others.
//! - **Cancel safety.** In Python a waiting task is cancelled by an exception; in Rust by
//!   *dropping* its `Acquire` future (a `timeout` that fires, a `select` that picks another
//!   branch). A dropped waiter must leave the queue; and if a permit had already been handed to
//!   it, that permit must go to the next waiter, or it is lost and the semaphore shrinks for ever.
//!   (CPython had this very bug: bpo-45997, and more since.)
//!
//! This exercise uses tinyloop's own loop in its tests (`tinyloop::run_virtual`, `spawn`,
//! `sleep`, `timeout`), so your primitive runs on the real thing. Given: the types, `new`,
//! `acquire`, and `Permit`'s `Drop`, which calls `State::release`. Write:
//!
//! - `State::release`: pop waiter ids from the front of `queue`; hand the permit to the first
//!   one still in `waiters` (set `granted`, wake it) and return; if none, `permits += 1`.
//! - `Acquire::poll`: if it has a waiter id and was granted, remove its waiter and return a
//!   `Permit`; if not yet granted, refresh its waker and stay `Pending`. The first time, take a
//!   free permit only if `queue` is empty; otherwise queue a new `Waiter` and return `Pending`.
//! - `Drop for Acquire`: if it is queued, remove its waiter; if that waiter had been granted
//!   a permit, release it (`State::release`); otherwise take its id out of `queue`.
//!
//! Check it with `cargo run -- check 8`.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// A counting semaphore with FIFO waiters. Clones share the same permits.
#[derive(Clone)]
pub struct Semaphore {
    state: Rc<RefCell<State>>,
}

/// The semaphore's shared state.
pub struct State {
    /// Permits nobody holds and nobody has been handed. Invariant: if `queue` is not empty,
    /// `permits` is 0 (a released permit goes to the first waiter, never back to the pool
    /// while someone waits).
    permits: usize,
    /// Ids of waiting `Acquire`s, oldest first.
    queue: VecDeque<u64>,
    /// Each waiter by id: its waker, and whether a permit has been handed to it. A waiter is
    /// in `queue` exactly while it is here and not granted.
    waiters: HashMap<u64, Waiter>,
    /// The id the next waiter gets.
    next_id: u64,
}

/// One waiting `Acquire`.
pub struct Waiter {
    /// Woken when a permit is handed to it.
    waker: Waker,
    /// Whether a permit has been handed to it (it now owns that permit).
    granted: bool,
}

impl Semaphore {
    /// A semaphore with `permits` permits.
    pub fn new(permits: usize) -> Semaphore {
        Semaphore {
            state: Rc::new(RefCell::new(State {
                permits,
                queue: VecDeque::new(),
                waiters: HashMap::new(),
                next_id: 0,
            })),
        }
    }

    /// Permits free right now.
    pub fn available_permits(&self) -> usize {
        self.state.borrow().permits
    }

    /// How many `acquire`s are waiting.
    pub fn waiting(&self) -> usize {
        self.state.borrow().queue.len()
    }

    /// Waits for a permit: `async with sem:` in asyncio. The permit is returned when the
    /// [`Permit`] is dropped.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future gives up its place in the queue; if a permit had already been
    /// handed to it, the permit goes to the next waiter (or back to the pool).
    pub fn acquire(&self) -> Acquire {
        Acquire {
            semaphore: self.clone(),
            waiter: None,
        }
    }
}

impl State {
    // ANCHOR: release
    /// Gives one permit back: to the oldest waiter if there is one (and wakes it), else to
    /// the pool.
    fn release(&mut self) {
        // Your code: hand the permit to the oldest waiter still registered (mark it granted,
        // wake it), or put it back in `permits` if nobody waits.
        todo!()
    }
    // ANCHOR_END: release
}

/// A held permit; dropping it releases it.
#[must_use = "the permit is released as soon as it is dropped"]
pub struct Permit {
    /// The semaphore it came from.
    semaphore: Semaphore,
}

impl Drop for Permit {
    fn drop(&mut self) {
        self.semaphore.state.borrow_mut().release();
    }
}

/// The future returned by [`Semaphore::acquire`].
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Acquire {
    /// The semaphore it waits on.
    semaphore: Semaphore,
    /// Its waiter id, once it has queued.
    waiter: Option<u64>,
}

// ANCHOR: acquire
impl Future for Acquire {
    type Output = Permit;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Permit> {
        // Your code: queued already? Ready if granted, else refresh the waker. New? Take a free
        // permit if nobody waits, else queue a Waiter and return Pending.
        todo!()
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        // Your code: if queued, unregister; if it had been granted a permit, release it.
        // (No `todo!()` here: a panic in `drop` while a panic unwinds would abort the tests.)
    }
}
// ANCHOR_END: acquire
