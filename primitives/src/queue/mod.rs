//! `Queue`, `LifoQueue`, `PriorityQueue`: asyncio's queues, for handing work from producer
//! tasks to consumer tasks.
//!
//! ```python
//! queue = asyncio.Queue(maxsize=3)
//! await queue.put(item)     # waits while the queue is full: backpressure
//! item = await queue.get()  # waits while it is empty
//! queue.task_done()         # one item fully processed
//! await queue.join()        # until every item put has been task_done()'d
//! queue.shutdown()          # Python 3.13: puts fail; gets drain what is left, then fail
//! ```
//!
//! # Hand-off
//!
//! asyncio wakes the first waiting getter and leaves the item in the queue for it to take
//! when it runs; in between, another task can take it, or the woken getter can be cancelled
//! and the wake-up lost (the bug museum has both). tinyloop **moves** things at the moment
//! they become possible:
//!
//! * a `put` while getters wait gives the item straight to the longest-waiting getter;
//! * a `get` that frees a slot while putters wait moves the longest-waiting putter's item
//!   into the queue (the putter brought its item into the line with it), and that put is
//!   done.
//!
//! So items come out in the order their puts began, putters and getters are served FIFO,
//! and neither `put_nowait` nor `get_nowait` can jump the line.
//!
//! # Cancellation
//!
//! * A getter dropped after an item was handed to it **gives the item back**: to the next
//!   waiting getter if there is one, else to the head of the queue (the next item out;
//!   [`QueueStorage::give_back`]). The queue may then briefly hold `maxsize + 1` items;
//!   `put` still waits while it is full. The unfinished-task count does not change: the item
//!   was never taken.
//! * A putter dropped while waiting takes its item with it (dropped); dropped after its item
//!   was moved in, the put has happened and the item stays.
//!
//! # Shutdown (Python 3.13)
//!
//! `shutdown(false)`: every `put` fails with [`QueueShutDown`] (waiting putters get their
//! items back), `get` returns the items still queued and fails once the queue is empty.
//! `shutdown(true)` also discards the queued items, counting each as done for `join`, so
//! gets fail at once.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::task::Waker;

use tinyloop_runtime::trace::wake_as;

use crate::core::broadcast::{Broadcast, BroadcastWait};
use crate::core::wait_list::WaitList;

mod errors;
mod kinds;
mod storage;
mod waiting;

pub use errors::{GetNowaitError, PutNowaitError, QueueShutDown, TaskDoneError};
pub use kinds::{LifoQueue, PriorityQueue, Queue};
pub use storage::{FifoStorage, LifoStorage, PriorityStorage, QueueStorage};
pub use waiting::{QueueGet, QueueJoin, QueuePut};

/// The one queue type behind [`Queue`], [`LifoQueue`] and [`PriorityQueue`]: waiting,
/// `task_done`/`join` and shutdown written once, over a [`QueueStorage`] `S` that decides the
/// order (as asyncio's three classes share one body and override `_init`, `_put`, `_get`).
/// Cloning gives another handle to the same queue.
pub struct GenericQueue<T, S> {
    /// The queue's state, shared by every clone.
    shared: Rc<Shared<T, S>>,
}

/// What a queue's clones share.
pub(crate) struct Shared<T, S> {
    /// Items, waiters, counters.
    pub(crate) state: RefCell<State<T, S>>,
    /// Raised when no task is unfinished: what `join()` waits for. Lowered by the put that
    /// makes the count 1.
    pub(crate) finished: RefCell<Broadcast>,
}

/// Whether a queue still accepts puts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Puts and gets work.
    Open,
    /// `shutdown(false)`: puts fail; gets drain the items left, then fail.
    ShutDown,
    /// `shutdown(true)`: puts and gets fail; the items were discarded.
    ShutDownImmediately,
}

/// A queue's state.
///
/// # Invariants
///
/// * Getters wait only while `items` is empty: a put with a getter waiting hands the item
///   over instead of storing it.
/// * Putters wait only while the queue is full: a get that frees a slot moves the longest
///   putter's item in.
pub(crate) struct State<T, S> {
    /// The queued items, in the storage's order.
    items: S,
    /// The most items a put may fill the queue to; 0 for no limit.
    maxsize: usize,
    /// Getters in line; each is given `Ok(item)`, or `Err(())` at shutdown.
    pub(crate) getters: WaitList<(), Result<T, ()>>,
    /// Putters in line, each holding its item; given `Ok(())` once the item is moved in,
    /// or `Err(item)` back at shutdown.
    pub(crate) putters: WaitList<T, Result<(), T>>,
    /// Items put and not yet `task_done()`'d.
    unfinished: usize,
    /// Open or shut down.
    pub(crate) phase: Phase,
}

impl<T, S: QueueStorage<T>> State<T, S> {
    /// True when a put must wait.
    fn is_full(&self) -> bool {
        self.maxsize > 0 && self.items.len() >= self.maxsize
    }

    // ANCHOR: take
    /// Take the next item, and refill the freed slot from the longest-waiting putter.
    /// Returns the item, the putter's waker to wake, and whether that put made the
    /// unfinished count 1 (then `join()` must wait again: the caller lowers `finished`).
    pub(crate) fn take(&mut self) -> Option<(T, Option<Waker>, bool)> {
        let item = self.items.pop()?;
        let mut waker = None;
        let mut first_unfinished = false;
        if !self.putters.is_empty() && !self.is_full() {
            let (items, unfinished) = (&mut self.items, &mut self.unfinished);
            waker = self.putters.assign_front(|brought| {
                items.push(brought);
                *unfinished += 1;
                first_unfinished = *unfinished == 1;
                Ok(())
            });
        }
        Some((item, waker, first_unfinished))
    }
    // ANCHOR_END: take
}

/// What `put_nowait` (and the first poll of `put`) did with an item.
pub(crate) enum PutOutcome<T> {
    /// Stored, or handed to a getter whose waker is here.
    Done(Option<Waker>),
    /// The queue is full; here is the item back.
    Full(T),
    /// The queue is shut down; here is the item back.
    ShutDown(T),
}

impl<T, S: QueueStorage<T>> Shared<T, S> {
    // ANCHOR: try_put
    /// Put without waiting; a getter in line gets the item directly.
    pub(crate) fn try_put(&self, item: T) -> PutOutcome<T> {
        let mut state = self.state.borrow_mut();
        if state.phase != Phase::Open {
            return PutOutcome::ShutDown(item);
        }
        let waker = if !state.getters.is_empty() {
            state.getters.assign_front(|()| Ok(item))
        } else if state.is_full() {
            return PutOutcome::Full(item);
        } else {
            state.items.push(item);
            None
        };
        state.unfinished += 1;
        let first_unfinished = state.unfinished == 1;
        drop(state);
        if first_unfinished {
            self.finished.borrow_mut().clear();
        }
        PutOutcome::Done(waker)
    }
    // ANCHOR_END: try_put

    /// A getter was cancelled holding `item`: give it to the next getter, or back to the
    /// head of the queue (after an immediate shutdown: discard it, counting it done).
    pub(crate) fn give_back(&self, item: T) {
        let mut state = self.state.borrow_mut();
        if state.phase == Phase::ShutDownImmediately {
            drop(state);
            drop(item);
            self.finish_tasks(1);
            return;
        }
        let waker = if state.getters.is_empty() {
            state.items.give_back(item);
            None
        } else {
            state.getters.assign_front(|()| Ok(item))
        };
        drop(state);
        if let Some(waker) = waker {
            wake_as(waker, "Queue");
        }
    }

    /// Count `n` tasks done (at most as many as are unfinished); raise `finished` at zero.
    fn finish_tasks(&self, n: usize) {
        let mut state = self.state.borrow_mut();
        state.unfinished = state.unfinished.saturating_sub(n);
        let all_done = state.unfinished == 0;
        drop(state);
        if all_done {
            Broadcast::set(&self.finished, "Queue");
        }
    }
}

impl<T, S> Clone for GenericQueue<T, S> {
    fn clone(&self) -> Self {
        GenericQueue {
            shared: self.shared.clone(),
        }
    }
}

impl<T, S: QueueStorage<T>> GenericQueue<T, S> {
    /// A queue over any [`QueueStorage`] (the three named queues call this).
    pub fn with_storage(maxsize: usize) -> GenericQueue<T, S> {
        GenericQueue {
            shared: Rc::new(Shared {
                state: RefCell::new(State {
                    items: S::default(),
                    maxsize,
                    getters: WaitList::default(),
                    putters: WaitList::default(),
                    unfinished: 0,
                    phase: Phase::Open,
                }),
                finished: RefCell::new(Broadcast::raised()),
            }),
        }
    }

    /// The most items `put` fills the queue to; 0 for no limit.
    pub fn maxsize(&self) -> usize {
        self.shared.state.borrow().maxsize
    }

    /// How many items are queued (items already handed to a getter are not).
    pub fn qsize(&self) -> usize {
        self.shared.state.borrow().items.len()
    }

    /// True when no item is queued.
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// True when `put` would wait (never for `maxsize` 0).
    pub fn full(&self) -> bool {
        self.shared.state.borrow().is_full()
    }

    /// True after `shutdown()`.
    pub fn is_shut_down(&self) -> bool {
        self.shared.state.borrow().phase != Phase::Open
    }

    /// Put an item, waiting while the queue is full (asyncio `await queue.put(item)`).
    /// Putters are served in the order they started waiting.
    ///
    /// # Errors
    ///
    /// [`QueueShutDown`] with the item, if the queue is shut down before the item got in.
    ///
    /// # Cancel safety
    ///
    /// Dropped while waiting, the future drops its item and leaves the line: nothing was
    /// put. Once the item has been moved into the queue (the put is done, even if the task
    /// has not run since), dropping the future changes nothing: the item stays queued.
    pub fn put(&self, item: T) -> QueuePut<'_, T, S> {
        QueuePut {
            shared: &self.shared,
            state: waiting::PutState::Start(Some(item)),
        }
    }

    /// Put an item if there is room now (asyncio `put_nowait`); a getter in line receives
    /// it directly.
    ///
    /// # Errors
    ///
    /// [`PutNowaitError::QueueFull`] or [`PutNowaitError::QueueShutDown`], each handing the
    /// item back.
    pub fn put_nowait(&self, item: T) -> Result<(), PutNowaitError<T>> {
        match self.shared.try_put(item) {
            PutOutcome::Done(waker) => {
                if let Some(waker) = waker {
                    wake_as(waker, "Queue");
                }
                Ok(())
            }
            PutOutcome::Full(item) => Err(PutNowaitError::QueueFull(item)),
            PutOutcome::ShutDown(item) => Err(PutNowaitError::QueueShutDown(item)),
        }
    }

    /// Take the next item, waiting while the queue is empty (asyncio `await queue.get()`).
    /// Getters are served in the order they started waiting.
    ///
    /// # Errors
    ///
    /// [`QueueShutDown`] once the queue is shut down and empty.
    ///
    /// # Cancel safety
    ///
    /// Dropped while waiting, the future just leaves the line. Dropped after an item was
    /// handed to it, it gives the item back: to the next waiting getter, or to the head of
    /// the queue. No item is lost.
    pub fn get(&self) -> QueueGet<'_, T, S> {
        QueueGet {
            shared: &self.shared,
            key: None,
        }
    }

    /// Take the next item if one is queued (asyncio `get_nowait`).
    ///
    /// # Errors
    ///
    /// [`GetNowaitError::QueueEmpty`], or [`GetNowaitError::QueueShutDown`] when the queue is
    /// empty and shut down.
    pub fn get_nowait(&self) -> Result<T, GetNowaitError> {
        let mut state = self.shared.state.borrow_mut();
        match state.take() {
            Some((item, waker, first_unfinished)) => {
                drop(state);
                if first_unfinished {
                    self.shared.finished.borrow_mut().clear();
                }
                if let Some(waker) = waker {
                    wake_as(waker, "Queue");
                }
                Ok(item)
            }
            None if state.phase != Phase::Open => Err(GetNowaitError::QueueShutDown),
            None => Err(GetNowaitError::QueueEmpty),
        }
    }

    /// Say that one item taken from the queue is fully processed (asyncio `task_done()`).
    /// `join()` returns when every item put has been marked done.
    ///
    /// # Errors
    ///
    /// [`TaskDoneError`] when called more times than items were put (asyncio's
    /// `ValueError('task_done() called too many times')`).
    pub fn task_done(&self) -> Result<(), TaskDoneError> {
        if self.shared.state.borrow().unfinished == 0 {
            return Err(TaskDoneError);
        }
        self.shared.finish_tasks(1);
        Ok(())
    }

    /// How many items were put and not yet marked done.
    pub fn unfinished_tasks(&self) -> usize {
        self.shared.state.borrow().unfinished
    }

    /// Wait until every item put has been marked done with `task_done()` (asyncio
    /// `await queue.join()`). Counts `task_done` calls, not gets.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future only stops waiting.
    pub fn join(&self) -> QueueJoin<'_> {
        QueueJoin::new(BroadcastWait::new(&self.shared.finished))
    }

    /// Shut the queue down (Python 3.13 `shutdown(immediate)`): puts fail from now on and
    /// waiting putters get their items back. With `immediate` false, gets return what is
    /// queued and then fail; with `immediate` true, the queued items are dropped (each
    /// counted done for `join`) and gets fail at once.
    pub fn shutdown(&self, immediate: bool) {
        let mut state = self.shared.state.borrow_mut();
        if immediate {
            state.phase = Phase::ShutDownImmediately;
        } else if state.phase == Phase::Open {
            state.phase = Phase::ShutDown;
        }
        let mut discarded = Vec::new();
        if immediate {
            while let Some(item) = state.items.pop() {
                discarded.push(item);
            }
        }
        let mut wakers = Vec::with_capacity(state.getters.len() + state.putters.len());
        while let Some(waker) = state.getters.assign_front(|()| Err(())) {
            wakers.push(waker);
        }
        while let Some(waker) = state.putters.assign_front(Err) {
            wakers.push(waker);
        }
        drop(state);
        for waker in wakers {
            wake_as(waker, "Queue");
        }
        if immediate {
            let count = discarded.len();
            drop(discarded);
            self.shared.finish_tasks(count);
        }
    }
}

impl<T, S: QueueStorage<T>> fmt::Debug for GenericQueue<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.shared.state.borrow();
        f.debug_struct("Queue")
            .field("maxsize", &state.maxsize)
            .field("qsize", &state.items.len())
            .field("getters", &state.getters.len())
            .field("putters", &state.putters.len())
            .field("unfinished_tasks", &state.unfinished)
            .field("shut_down", &(state.phase != Phase::Open))
            .finish()
    }
}
