//! Reference solution of exercise 20 (see `src/ex20_bounded_queue.rs` for the instructions).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// A FIFO queue with asyncio's model: a buffer, and two lines of waiters woken one at a time.
/// Clones share the same queue.
pub struct Queue<T> {
    state: Rc<RefCell<State<T>>>,
}

impl<T> Clone for Queue<T> {
    fn clone(&self) -> Self {
        Queue {
            state: self.state.clone(),
        }
    }
}

/// The queue's shared state: asyncio's `_queue`, `_maxsize`, `_getters` and `_putters`.
pub struct State<T> {
    /// The items, oldest first.
    buffer: VecDeque<T>,
    /// Most items the buffer may hold; 0 means no limit.
    maxsize: usize,
    /// Waiting getters, oldest first: their ids and wakers.
    getters: VecDeque<(u64, Waker)>,
    /// Waiting putters, oldest first.
    putters: VecDeque<(u64, Waker)>,
    /// The id the next waiter gets.
    next_id: u64,
}

impl<T> State<T> {
    fn full(&self) -> bool {
        self.maxsize > 0 && self.buffer.len() >= self.maxsize
    }

    fn new_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }
}

// ANCHOR: wakeup_next
/// asyncio's `_wakeup_next`: take the oldest waiter out of its line and wake it. It is out of
/// the line from now on: if it finds nothing when it runs, it queues again, at the back.
fn wakeup_next(waiters: &mut VecDeque<(u64, Waker)>) {
    if let Some((_, waker)) = waiters.pop_front() {
        waker.wake();
    }
}
// ANCHOR_END: wakeup_next

impl<T> Queue<T> {
    /// A queue of at most `maxsize` items (0: no limit), as `asyncio.Queue(maxsize)`.
    pub fn new(maxsize: usize) -> Queue<T> {
        Queue {
            state: Rc::new(RefCell::new(State {
                buffer: VecDeque::new(),
                maxsize,
                getters: VecDeque::new(),
                putters: VecDeque::new(),
                next_id: 0,
            })),
        }
    }

    /// Items in the buffer.
    pub fn qsize(&self) -> usize {
        self.state.borrow().buffer.len()
    }

    /// Getters waiting in line.
    pub fn waiting_getters(&self) -> usize {
        self.state.borrow().getters.len()
    }

    /// Putters waiting in line.
    pub fn waiting_putters(&self) -> usize {
        self.state.borrow().putters.len()
    }

    /// Takes an item if there is one (asyncio `get_nowait`): it does not look at the line of
    /// getters, so it may take an item a woken getter was about to take.
    pub fn get_nowait(&self) -> Option<T> {
        let mut state = self.state.borrow_mut();
        let item = state.buffer.pop_front()?;
        wakeup_next(&mut state.putters);
        Some(item)
    }

    /// Waits for an item (asyncio `await queue.get()`).
    pub fn get(&self) -> Get<T> {
        Get {
            queue: self.clone(),
            id: None,
        }
    }

    /// Waits for room, then puts `item` (asyncio `await queue.put(item)`).
    pub fn put(&self, item: T) -> Put<T> {
        Put {
            queue: self.clone(),
            item: Some(item),
            id: None,
        }
    }
}

/// The future [`Queue::get`] returns.
pub struct Get<T> {
    /// The queue.
    queue: Queue<T>,
    /// Its id once it has queued in `getters` (it may have been woken and taken out since).
    id: Option<u64>,
}

/// The future [`Queue::put`] returns.
pub struct Put<T> {
    /// The queue.
    queue: Queue<T>,
    /// The item, until it is in the buffer.
    item: Option<T>,
    /// Its id once it has queued in `putters`.
    id: Option<u64>,
}

// Nothing here is pinned in place.
impl<T> Unpin for Get<T> {}
impl<T> Unpin for Put<T> {}

/// Puts `id` (with a fresh waker) in `line`: refreshes its waker if it is still there, or
/// queues it again at the back if it was woken and taken out.
fn wait_in(line: &mut VecDeque<(u64, Waker)>, id: u64, waker: &Waker) {
    match line.iter_mut().find(|(i, _)| *i == id) {
        Some((_, stored)) => stored.clone_from(waker),
        None => line.push_back((id, waker.clone())),
    }
}

// ANCHOR: get
impl<T> Future for Get<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let queue = self.queue.clone();
        let mut state = queue.state.borrow_mut();
        if let Some(item) = state.buffer.pop_front() {
            if let Some(id) = self.id.take() {
                // Polled while still in line (a spurious wake): leave it.
                state.getters.retain(|(i, _)| *i != id);
            }
            wakeup_next(&mut state.putters);
            return Poll::Ready(item);
        }
        let id = match self.id {
            Some(id) => id,
            None => state.new_id(),
        };
        self.id = Some(id);
        wait_in(&mut state.getters, id, cx.waker());
        Poll::Pending
    }
}

impl<T> Drop for Get<T> {
    /// A getter cancelled while it waits leaves the line; one that had been woken (taken out
    /// of the line) passes the wake on if an item is there, as asyncio's `get` does.
    fn drop(&mut self) {
        let Some(id) = self.id else { return };
        let mut state = self.queue.state.borrow_mut();
        let before = state.getters.len();
        state.getters.retain(|(i, _)| *i != id);
        let was_woken = state.getters.len() == before;
        if was_woken && !state.buffer.is_empty() {
            wakeup_next(&mut state.getters);
        }
    }
}
// ANCHOR_END: get

// ANCHOR: put
impl<T> Future for Put<T> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let queue = self.queue.clone();
        let mut state = queue.state.borrow_mut();
        if !state.full() {
            if let Some(id) = self.id.take() {
                state.putters.retain(|(i, _)| *i != id);
            }
            let item = self
                .item
                .take()
                .expect("a Put is not polled after it finished");
            state.buffer.push_back(item);
            wakeup_next(&mut state.getters);
            return Poll::Ready(());
        }
        let id = match self.id {
            Some(id) => id,
            None => state.new_id(),
        };
        self.id = Some(id);
        wait_in(&mut state.putters, id, cx.waker());
        Poll::Pending
    }
}

impl<T> Drop for Put<T> {
    /// The same for putters: leave the line, or pass a wake on if there is room.
    fn drop(&mut self) {
        let Some(id) = self.id else { return };
        let mut state = self.queue.state.borrow_mut();
        let before = state.putters.len();
        state.putters.retain(|(i, _)| *i != id);
        let was_woken = state.putters.len() == before;
        if was_woken && !state.full() {
            wakeup_next(&mut state.putters);
        }
    }
}
// ANCHOR_END: put
