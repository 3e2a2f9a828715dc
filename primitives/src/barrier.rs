//! `Barrier`: asyncio's `asyncio.Barrier(parties)` (Python 3.11), a meeting point that
//! lets no one through until `parties` tasks have arrived.
//!
//! ```python
//! barrier = asyncio.Barrier(3)
//! index = await barrier.wait()   # the third arrival releases all three; index is 0, 1 or 2
//! ```
//!
//! When the last party arrives, every waiter is *assigned* its result at once (its arrival
//! index, 0 for the first), and the barrier **drains**: until every released task has run
//! and left `wait()`, a task arriving at the barrier waits for the next round to open. This
//! is asyncio's `DRAINING` state, and it is observable: a task that passes and comes
//! straight back cannot join the next round ahead of a party of the last round that has not
//! run yet, so the next round's indices come out as asyncio's do.
//!
//! A waiter cancelled before the barrier filled leaves, and the barrier needs one more
//! arrival (as in asyncio). Indices are handed out when the barrier fills, by arrival order
//! among those still there, so they are always exactly `0..parties`: asyncio numbers a
//! task by the count when it arrived, so after a cancellation two tasks can get the same
//! index (checked on 3.11 to 3.13), against its own docstring's promise of a unique index;
//! tinyloop keeps the promise. [`Barrier::abort`] breaks the barrier: every waiter, and
//! every later `wait()`, gets [`BrokenBarrierError`]. [`Barrier::reset`] breaks the current
//! round's waiters and makes the barrier usable again. Both are plain methods here (asyncio's
//! are coroutines, because they take the barrier's internal lock).

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use tinyloop_runtime::trace::{WaitingOn, waiting_on, wake_as};

use crate::core::wait_list::WaitList;

/// A meeting point for a fixed number of tasks: asyncio's `Barrier`.
///
/// ```
/// use tinyloop_primitives::Barrier;
/// use tinyloop_runtime::{run_virtual, spawn};
///
/// run_virtual(async {
///     let barrier = Barrier::new(3);
///     let mut tasks = Vec::new();
///     for _ in 0..3 {
///         let barrier = barrier.clone();
///         tasks.push(spawn(async move { barrier.wait().await }));
///     }
///     let mut indices = Vec::new();
///     for task in tasks {
///         indices.push(task.await.unwrap().unwrap());
///     }
///     assert_eq!(indices, [0, 1, 2]); // arrival order
/// });
/// ```
#[derive(Clone)]
pub struct Barrier {
    /// The round in progress, shared by every clone.
    inner: Rc<RefCell<BarrierState>>,
}

/// A barrier's state.
struct BarrierState {
    /// How many tasks must arrive to release a round. At least 1.
    parties: usize,
    /// The tasks of the current round, in arrival order (always fewer than `parties`), and
    /// the released tasks of the last round that have not run yet (assigned entries): while
    /// there are any, the barrier is draining.
    waiters: WaitList<(), Result<usize, BrokenBarrierError>>,
    /// Tasks that arrived while the barrier was draining, waiting for the next round to
    /// open; woken all at once when the last released task leaves.
    blocked: WaitList<(), ()>,
    /// Set by `abort()`: every wait fails until `reset()`.
    broken: bool,
}

/// The barrier was aborted or reset while this task waited, or was already broken
/// (asyncio's `BrokenBarrierError`).
///
/// ```
/// use tinyloop_primitives::{Barrier, BrokenBarrierError};
///
/// tinyloop_runtime::run_virtual(async {
///     let barrier = Barrier::new(2);
///     barrier.abort();
///     assert_eq!(barrier.wait().await, Err(BrokenBarrierError)); // fails at once
///     barrier.reset();
///     assert!(!barrier.broken());
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BrokenBarrierError;

impl fmt::Display for BrokenBarrierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the barrier is broken: it was aborted (or reset) while tasks waited on it; \
             call reset() or use a new Barrier"
        )
    }
}

impl std::error::Error for BrokenBarrierError {}

impl Barrier {
    /// A barrier for `parties` tasks.
    ///
    /// # Panics
    ///
    /// If `parties` is 0 (asyncio: `ValueError: parties must be > 0`).
    pub fn new(parties: usize) -> Barrier {
        assert!(parties > 0, "Barrier::new: parties must be > 0");
        Barrier {
            inner: Rc::new(RefCell::new(BarrierState {
                parties,
                waiters: WaitList::default(),
                blocked: WaitList::default(),
                broken: false,
            })),
        }
    }

    /// Arrive and wait for the others (asyncio `await barrier.wait()`). Returns this task's
    /// arrival index in its round, `0..parties`.
    ///
    /// # Errors
    ///
    /// [`BrokenBarrierError`] if the barrier is broken, or is aborted or reset while this
    /// task waits.
    ///
    /// # Cancel safety
    ///
    /// Dropped before the round fills, the task leaves and the round needs one more arrival.
    /// Dropped after it was released, nothing changes for the others.
    pub fn wait(&self) -> BarrierWait<'_> {
        BarrierWait {
            barrier: &self.inner,
            state: WaitState::Start,
        }
    }

    /// Break the barrier: every waiting task and every later `wait()` gets
    /// [`BrokenBarrierError`] (asyncio `abort()`).
    pub fn abort(&self) {
        self.inner.borrow_mut().broken = true;
        self.fail_waiters();
        wake_blocked(self.inner.as_ref());
    }

    /// Return to the empty, unbroken state; the tasks waiting now get
    /// [`BrokenBarrierError`] (asyncio `reset()`).
    pub fn reset(&self) {
        self.fail_waiters();
        self.inner.borrow_mut().broken = false;
        wake_blocked(self.inner.as_ref());
    }

    /// How many tasks must arrive to pass.
    pub fn parties(&self) -> usize {
        self.inner.borrow().parties
    }

    /// How many tasks are waiting in the current round (asyncio `n_waiting`; 0 while the
    /// barrier drains).
    pub fn n_waiting(&self) -> usize {
        self.inner.borrow().waiters.len()
    }

    /// True after `abort()` and until `reset()` (asyncio `broken`).
    pub fn broken(&self) -> bool {
        self.inner.borrow().broken
    }

    fn fail_waiters(&self) {
        loop {
            let waker = self
                .inner
                .borrow_mut()
                .waiters
                .assign_front(|()| Err(BrokenBarrierError));
            match waker {
                Some(waker) => wake_as(waker, "Barrier"),
                None => break,
            }
        }
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("parties", &self.parties())
            .field("n_waiting", &self.n_waiting())
            .field("broken", &self.broken())
            .finish()
    }
}

/// Wake every task blocked while the barrier drained, once it no longer does (or it was
/// broken or reset): they come back and arrive, in the order they were woken.
fn wake_blocked(barrier: &RefCell<BarrierState>) {
    let in_line = {
        let state = barrier.borrow();
        if !state.broken && state.waiters.assigned() > 0 {
            return; // still draining
        }
        state.blocked.len()
    };
    for _ in 0..in_line {
        let waker = barrier.borrow_mut().blocked.assign_front(|()| ());
        match waker {
            Some(waker) => wake_as(waker, "Barrier"),
            None => break,
        }
    }
}

/// Where a [`BarrierWait`] is.
#[derive(Clone, Copy, Debug)]
enum WaitState {
    /// Not arrived yet.
    Start,
    /// Arrived while the barrier drained; in the blocked line under this key.
    Blocked(usize),
    /// Arrived; in the round's line under this key (or released and not yet run).
    Waiting(usize),
}

/// The future of [`Barrier::wait`].
///
/// Dropped before the round fills, it leaves the round, which then needs one more arrival:
///
/// ```
/// use std::time::Duration;
/// use tinyloop_primitives::Barrier;
/// use tinyloop_runtime::time::{now, timeout};
///
/// tinyloop_runtime::run_virtual(async {
///     let barrier = Barrier::new(2);
///     assert!(timeout(Duration::from_secs(1), barrier.wait()).await.is_err());
///     assert_eq!(now().to_string(), "t=1.00");
///     assert_eq!(barrier.n_waiting(), 0); // the timed-out wait left
/// });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct BarrierWait<'a> {
    /// The barrier.
    barrier: &'a RefCell<BarrierState>,
    /// Where this wait is.
    state: WaitState,
}

impl Future for BarrierWait<'_> {
    type Output = Result<usize, BrokenBarrierError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.barrier.borrow_mut();
        match self.state {
            WaitState::Waiting(key) => {
                let Some(result) = state.waiters.poll_done(key, cx.waker()) else {
                    drop(state);
                    waiting_on(WaitingOn::Primitive("Barrier.wait"));
                    return Poll::Pending;
                };
                drop(state);
                self.state = WaitState::Start;
                // The last of its round to leave ends the draining.
                wake_blocked(self.barrier);
                return Poll::Ready(result);
            }
            WaitState::Blocked(key) => {
                if state.blocked.poll_done(key, cx.waker()).is_none() {
                    drop(state);
                    waiting_on(WaitingOn::Primitive("Barrier.wait"));
                    return Poll::Pending;
                }
                // Woken: the next round is open; arrive now.
                self.state = WaitState::Start;
            }
            WaitState::Start => {}
        }
        if state.broken {
            return Poll::Ready(Err(BrokenBarrierError));
        }
        if state.waiters.assigned() > 0 {
            // Draining: wait for the next round to open.
            self.state = WaitState::Blocked(state.blocked.push_back((), cx.waker()));
            drop(state);
            waiting_on(WaitingOn::Primitive("Barrier.wait"));
            return Poll::Pending;
        }
        let index = state.waiters.len();
        if index + 1 < state.parties {
            self.state = WaitState::Waiting(state.waiters.push_back((), cx.waker()));
            drop(state);
            waiting_on(WaitingOn::Primitive("Barrier.wait"));
            return Poll::Pending;
        }
        // The last arrival: hand every waiter its index, in arrival order, and wake them
        // after the borrow is released. The barrier drains until they have all run.
        let mut wakers: Vec<Waker> = Vec::with_capacity(index);
        for arrival in 0..index {
            let waker = state.waiters.assign_front(|()| Ok(arrival));
            wakers.extend(waker);
        }
        drop(state);
        for waker in wakers {
            wake_as(waker, "Barrier");
        }
        Poll::Ready(Ok(index))
    }
}

impl Drop for BarrierWait<'_> {
    fn drop(&mut self) {
        match self.state {
            WaitState::Waiting(key) => {
                // In the round: leave it. Released: our index is not collected, and if we
                // were the last of the round to leave, the draining ends.
                let _ = self.barrier.borrow_mut().waiters.cancel(key);
                wake_blocked(self.barrier);
            }
            WaitState::Blocked(key) => {
                let _ = self.barrier.borrow_mut().blocked.cancel(key);
            }
            WaitState::Start => {}
        }
    }
}

impl fmt::Debug for BarrierWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BarrierWait")
            .field("state", &self.state)
            .finish()
    }
}
