//! Reference solution of exercise 08 (see `src/ex08_semaphore.rs` for the instructions).

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
        while let Some(id) = self.queue.pop_front() {
            if let Some(waiter) = self.waiters.get_mut(&id) {
                waiter.granted = true;
                waiter.waker.wake_by_ref();
                return;
            }
        }
        self.permits += 1;
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
        let semaphore = self.semaphore.clone();
        let mut state = semaphore.state.borrow_mut();
        match self.waiter {
            Some(id) => {
                let waiter = state
                    .waiters
                    .get_mut(&id)
                    .expect("a queued waiter is registered");
                if waiter.granted {
                    state.waiters.remove(&id);
                    self.waiter = None;
                    return Poll::Ready(Permit {
                        semaphore: self.semaphore.clone(),
                    });
                }
                waiter.waker.clone_from(cx.waker());
                Poll::Pending
            }
            None => {
                // FIFO: a newcomer may take a free permit only if nobody is waiting for one.
                if state.permits > 0 && state.queue.is_empty() {
                    state.permits -= 1;
                    return Poll::Ready(Permit {
                        semaphore: self.semaphore.clone(),
                    });
                }
                let id = state.next_id;
                state.next_id += 1;
                state.queue.push_back(id);
                let waker = cx.waker().clone();
                state.waiters.insert(
                    id,
                    Waiter {
                        waker,
                        granted: false,
                    },
                );
                self.waiter = Some(id);
                Poll::Pending
            }
        }
    }
}

impl Drop for Acquire {
    fn drop(&mut self) {
        let Some(id) = self.waiter else {
            return; // never queued, or already returned its permit
        };
        let mut state = self.semaphore.state.borrow_mut();
        let waiter = state
            .waiters
            .remove(&id)
            .expect("a queued waiter is registered");
        if waiter.granted {
            // Handed a permit it will never use: pass it on, so nobody waits forever.
            state.release();
        } else {
            state.queue.retain(|&queued| queued != id);
        }
    }
}
// ANCHOR_END: acquire
