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
//! # asyncio's model, kept exactly
//!
//! The items live in one buffer, and only the buffer hands them out. A waiter is woken, and
//! takes (or stores) when it runs:
//!
//! * `put_nowait` stores the item and **wakes** the longest-waiting getter, which leaves the
//!   line. The item stays in the buffer: until that getter runs, `qsize()` counts it.
//! * a getter that runs takes the *next item of the buffer*, whichever it is; if the buffer
//!   is empty again (a `get_nowait` took the item first, which asyncio allows), it joins the
//!   back of the line again, as asyncio's `while self.empty():` loop does.
//! * `get_nowait` takes an item and wakes the longest-waiting putter, which stores its item
//!   when it runs (or waits again if the queue filled up meanwhile).
//!
//! Because every item leaves through the buffer, items come out in the storage's order (put
//! order, for `Queue`) under any cancellation: nothing is ever given to a waiter that could
//! then be cancelled holding it. `qsize()`, `empty()` and `full()` read the buffer, so they
//! are asyncio's at every moment.
//!
//! # Cancellation: a woken waiter passes its wake-up on
//!
//! A getter or putter dropped while in line just leaves it. One dropped after it was woken
//! but before it ran would swallow the wake-up, so its `Drop` does what asyncio's `except:`
//! block does (3.10 to 3.13): if the item (or the room) it was woken for is still there, it
//! wakes the next waiter in line. A dropped putter drops the item it had not stored.
//!
//! # Shutdown (Python 3.13)
//!
//! `shutdown(false)`: every `put` fails with [`QueueShutDown`] (waiting putters are woken and
//! get their items back), `get` returns the items still queued and fails once the queue is
//! empty. `shutdown(true)` also discards the queued items, counting each as done for `join`,
//! so gets fail at once.
//!
//! The checks against CPython are listed in the book's Queue chapter ("What you can observe").

use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;
use std::rc::Rc;

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
struct Shared<T, S> {
    /// Items, waiters, counters.
    state: RefCell<State<S>>,
    /// Raised when no task is unfinished: what `join()` waits for (asyncio's
    /// `self._finished` Event). Lowered by every put, raised when the count reaches zero.
    finished: RefCell<Broadcast>,
    /// The item type, which only the storage `S` holds.
    items: PhantomData<T>,
}

/// A queue's state.
///
/// # Invariants
///
/// * A getter is in line only while the buffer was empty when it last looked; a putter only
///   while the queue was full. A woken waiter has left the line (asyncio pops its future).
/// * `finished` is raised exactly when `unfinished` is zero.
struct State<S> {
    /// The queued items, in the storage's order.
    items: S,
    /// The most items a put may fill the queue to; 0 for no limit.
    maxsize: usize,
    /// Getters in line. An entry that is `Done` was woken and has not run yet.
    getters: WaitList<(), ()>,
    /// Putters in line (each future keeps its own item). `Done`: woken, not run yet.
    putters: WaitList<(), ()>,
    /// Items put and not yet `task_done()`'d.
    unfinished: usize,
    /// True after `shutdown()` (asyncio's `_is_shutdown`).
    shut_down: bool,
}

impl<S> State<S> {
    /// True when a put must wait (asyncio `full()`).
    fn is_full<T>(&self) -> bool
    where
        S: QueueStorage<T>,
    {
        self.maxsize > 0 && self.items.len() >= self.maxsize
    }
}

impl<T, S: QueueStorage<T>> Shared<T, S> {
    // ANCHOR: put_nowait
    /// asyncio's `put_nowait`: store the item, count it unfinished, wake the first getter.
    fn put_nowait(&self, item: T) -> Result<(), PutNowaitError<T>> {
        let mut state = self.state.borrow_mut();
        if state.shut_down {
            return Err(PutNowaitError::QueueShutDown(item));
        }
        if state.is_full() {
            return Err(PutNowaitError::QueueFull(item));
        }
        state.items.push(item);
        state.unfinished += 1;
        // The item stays in the buffer; the getter takes the next item when it runs.
        let getter = state.getters.assign_front(|()| ());
        drop(state);
        self.finished.borrow_mut().clear();
        if let Some(waker) = getter {
            wake_as(waker, "Queue");
        }
        Ok(())
    }
    // ANCHOR_END: put_nowait

    // ANCHOR: get_nowait
    /// asyncio's `get_nowait`: take the next item, wake the first putter.
    fn get_nowait(&self) -> Result<T, GetNowaitError> {
        let mut state = self.state.borrow_mut();
        let Some(item) = state.items.pop() else {
            return Err(if state.shut_down {
                GetNowaitError::QueueShutDown
            } else {
                GetNowaitError::QueueEmpty
            });
        };
        // A slot is free; the putter stores its item when it runs.
        let putter = state.putters.assign_front(|()| ());
        drop(state);
        if let Some(waker) = putter {
            wake_as(waker, "Queue");
        }
        Ok(item)
    }
    // ANCHOR_END: get_nowait

    /// asyncio's `_wakeup_next(self._getters)` (or `_putters`): wake the longest waiter of
    /// `line`, if the queue still has what it would wait for.
    fn wake_next(&self, line: Line) {
        let mut state = self.state.borrow_mut();
        let waker = match line {
            Line::Getters if !state.items.is_empty() => state.getters.assign_front(|()| ()),
            Line::Putters if !state.is_full() => state.putters.assign_front(|()| ()),
            _ => None,
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

/// Which of a queue's two lines.
#[derive(Clone, Copy, Debug)]
enum Line {
    /// The `get` futures.
    Getters,
    /// The `put` futures.
    Putters,
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
                    shut_down: false,
                }),
                finished: RefCell::new(Broadcast::raised()),
                items: PhantomData,
            }),
        }
    }

    /// The most items `put` fills the queue to; 0 for no limit.
    pub fn maxsize(&self) -> usize {
        self.shared.state.borrow().maxsize
    }

    /// How many items are in the queue (asyncio `qsize()`). An item put while a getter
    /// waited is counted until that getter runs and takes it.
    pub fn qsize(&self) -> usize {
        self.shared.state.borrow().items.len()
    }

    /// True when no item is in the queue (asyncio `empty()`).
    pub fn empty(&self) -> bool {
        self.qsize() == 0
    }

    /// True when the queue holds `maxsize` items (asyncio `full()`; never for `maxsize` 0).
    pub fn full(&self) -> bool {
        self.shared.state.borrow().is_full()
    }

    /// True after `shutdown()`.
    pub fn is_shut_down(&self) -> bool {
        self.shared.state.borrow().shut_down
    }

    /// Put an item, waiting while the queue is full (asyncio `await queue.put(item)`).
    ///
    /// # Errors
    ///
    /// [`QueueShutDown`] with the item, if the queue is shut down before the item got in.
    ///
    /// # Cancel safety
    ///
    /// Dropped while waiting, the future drops its item and leaves the line: nothing was
    /// put. Dropped after it was woken and before it ran, it also wakes the next putter if
    /// there is room, so the wake-up is not lost (asyncio does the same).
    pub fn put(&self, item: T) -> QueuePut<'_, T, S> {
        QueuePut::new(&self.shared, item)
    }

    /// Put an item if there is room now (asyncio `put_nowait`), and wake the longest-waiting
    /// getter. Like asyncio's, it does not wait behind putters already in line: if there is
    /// room, the item goes in.
    ///
    /// # Errors
    ///
    /// [`PutNowaitError::QueueFull`] or [`PutNowaitError::QueueShutDown`], each handing the
    /// item back.
    pub fn put_nowait(&self, item: T) -> Result<(), PutNowaitError<T>> {
        self.shared.put_nowait(item)
    }

    /// Take the next item, waiting while the queue is empty (asyncio `await queue.get()`).
    ///
    /// # Errors
    ///
    /// [`QueueShutDown`] once the queue is shut down and empty.
    ///
    /// # Cancel safety
    ///
    /// Dropped while waiting, the future just leaves the line; no item is ever given to a
    /// getter before it runs, so none can be lost. Dropped after it was woken and before it
    /// ran, it wakes the next getter if an item is there (asyncio does the same).
    pub fn get(&self) -> QueueGet<'_, T, S> {
        QueueGet::new(&self.shared)
    }

    /// Take the next item if one is queued (asyncio `get_nowait`), and wake the
    /// longest-waiting putter. Like asyncio's, it takes the item even if a getter was woken
    /// for it and has not run yet (that getter then waits again).
    ///
    /// # Errors
    ///
    /// [`GetNowaitError::QueueEmpty`], or [`GetNowaitError::QueueShutDown`] when the queue is
    /// empty and shut down.
    pub fn get_nowait(&self) -> Result<T, GetNowaitError> {
        self.shared.get_nowait()
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
    /// waiting putters are woken to get their items back. With `immediate` false, gets
    /// return what is queued and then fail; with `immediate` true, the queued items are
    /// dropped (each counted done for `join`) and gets fail at once.
    pub fn shutdown(&self, immediate: bool) {
        let mut state = self.shared.state.borrow_mut();
        state.shut_down = true;
        let mut discarded = Vec::new();
        if immediate {
            while let Some(item) = state.items.pop() {
                discarded.push(item);
            }
        }
        let mut wakers = Vec::with_capacity(state.getters.len() + state.putters.len());
        while let Some(waker) = state.getters.assign_front(|()| ()) {
            wakers.push(waker);
        }
        while let Some(waker) = state.putters.assign_front(|()| ()) {
            wakers.push(waker);
        }
        drop(state);
        if immediate {
            // Items are user values: dropped outside the borrow, then counted done.
            let count = discarded.len();
            drop(discarded);
            self.shared.finish_tasks(count);
        }
        for waker in wakers {
            wake_as(waker, "Queue");
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
            .field("shut_down", &state.shut_down)
            .finish()
    }
}
