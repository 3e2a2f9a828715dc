//! Reference solution of exercise 09 (see `src/ex09_queue.rs` for the instructions).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// An unbounded FIFO queue with asyncio's unfinished-task count. Clones share the queue.
pub struct Queue<T> {
    state: Rc<RefCell<State<T>>>,
}

impl<T> Clone for Queue<T> {
    fn clone(&self) -> Queue<T> {
        Queue {
            state: self.state.clone(),
        }
    }
}

/// The queue's shared state.
pub struct State<T> {
    /// The items, oldest first.
    items: VecDeque<T>,
    /// Wakers of `get`s that found the queue empty. A put wakes them all, and they race for
    /// the item; the losers register again. (Exercise 08 showed the exact FIFO hand-off; here
    /// the simpler scheme keeps the focus on `join`.)
    getters: Vec<Waker>,
    /// Items put and not yet marked done with `task_done`: asyncio's `_unfinished_tasks`.
    unfinished: usize,
    /// Wakers of `join`s waiting for `unfinished` to reach zero.
    joiners: Vec<Waker>,
}

/// What went wrong with a queue operation.
#[derive(Debug, PartialEq, Eq)]
pub enum QueueError {
    /// `task_done` was called more times than items were put (asyncio's ValueError).
    TaskDoneTooManyTimes,
}

impl fmt::Display for QueueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueueError::TaskDoneTooManyTimes => write!(
                f,
                "task_done() called more times than there were items put: call it once per get()"
            ),
        }
    }
}

impl<T> Default for Queue<T> {
    fn default() -> Queue<T> {
        Queue::new()
    }
}

impl<T> Queue<T> {
    /// An empty queue.
    pub fn new() -> Queue<T> {
        Queue {
            state: Rc::new(RefCell::new(State {
                items: VecDeque::new(),
                getters: Vec::new(),
                unfinished: 0,
                joiners: Vec::new(),
            })),
        }
    }

    /// How many items are in the queue.
    pub fn len(&self) -> usize {
        self.state.borrow().items.len()
    }

    /// Whether the queue holds no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Waits for an item and takes it, like `await queue.get()`.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: an item is taken only in the poll that returns it.
    pub fn get(&self) -> Get<T> {
        Get {
            queue: self.clone(),
        }
    }

    /// Waits until every item put has been marked done, like `await queue.join()`.
    pub fn join(&self) -> Join<T> {
        Join {
            queue: self.clone(),
        }
    }

    // ANCHOR: put
    /// Adds an item at the back (never waits: the queue is unbounded) and counts it as
    /// unfinished.
    pub fn put(&self, item: T) {
        let getters = {
            let mut state = self.state.borrow_mut();
            state.items.push_back(item);
            state.unfinished += 1;
            std::mem::take(&mut state.getters)
        };
        // Wake after the borrow ends.
        for waker in getters {
            waker.wake();
        }
    }
    // ANCHOR_END: put

    // ANCHOR: task_done
    /// Marks one item as processed. When every item put has been marked, wakes the `join`s.
    pub fn task_done(&self) -> Result<(), QueueError> {
        let joiners = {
            let mut state = self.state.borrow_mut();
            if state.unfinished == 0 {
                return Err(QueueError::TaskDoneTooManyTimes);
            }
            state.unfinished -= 1;
            if state.unfinished > 0 {
                return Ok(());
            }
            std::mem::take(&mut state.joiners)
        };
        for waker in joiners {
            waker.wake();
        }
        Ok(())
    }
    // ANCHOR_END: task_done
}

/// The future returned by [`Queue::get`].
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Get<T> {
    /// The queue it takes from.
    queue: Queue<T>,
}

/// The future returned by [`Queue::join`].
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Join<T> {
    /// The queue it waits on.
    queue: Queue<T>,
}

// ANCHOR: futures
impl<T> Future for Get<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = self.queue.state.borrow_mut();
        match state.items.pop_front() {
            Some(item) => Poll::Ready(item),
            None => {
                state.getters.push(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

impl<T> Future for Join<T> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.queue.state.borrow_mut();
        if state.unfinished == 0 {
            return Poll::Ready(());
        }
        state.joiners.push(cx.waker().clone());
        Poll::Pending
    }
}
// ANCHOR_END: futures
