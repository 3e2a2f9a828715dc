//! # Exercise 20: a bounded Queue with asyncio's buffer-and-wake-up model
//!
//! Exercise 09's queue wakes *every* getter on a put. asyncio's `Queue` is more careful, and
//! its model is worth knowing exactly, because it is not a hand-off:
//!
//! - Items live in a buffer (`_queue`), at most `maxsize` of them (0: no limit).
//! - A `get` that finds the buffer empty queues a waiter in `_getters` and sleeps; a `put`
//!   that finds it full queues in `_putters`.
//! - A `put` adds its item to the buffer and then wakes **one** getter: `_wakeup_next` pops
//!   the oldest waiter off the line and wakes it. A `get` takes an item and wakes one putter.
//! - The woken getter is now *out of the line*. When it runs, it looks at the buffer again
//!   (`while self.empty():`): another task may have taken the item in between (`get_nowait`,
//!   or a `get` that found the buffer non-empty and never queued). Then it waits again, at the
//!   **back** of the line. That is asyncio's behaviour (checked on CPython 3.10 to 3.13), and
//!   the tests check it.
//! - A woken getter that is cancelled before it runs passes the wake on, if an item is there
//!   (asyncio: `if not self.empty() and not getter.cancelled(): self._wakeup_next(...)`).
//!   Putters the same, with room instead of an item.
//!
//! Given: the types, `new`, `qsize`, the `waiting_*` counts, `get_nowait`, `get`, `put`, and
//! `wait_in` (which refreshes a waiter's waker if it is still in line, or queues it again at
//! the back). Write:
//!
//! - `wakeup_next`: pop the oldest waiter of a line and wake it.
//! - `Get::poll`: an item in the buffer? Take it (if this getter is still in line, leave the
//!   line), wake the next putter, return it. Otherwise get an id (once) and `wait_in` the
//!   getters' line; `Pending`.
//! - `Put::poll`: room in the buffer (`!full()`)? Leave the line if in it, push the item, wake
//!   the next getter, `Ready`. Otherwise `wait_in` the putters' line; `Pending`.
//! - The two `Drop`s: leave the line; if this waiter had been woken (it has an id but is no
//!   longer in line) and there is an item (for a getter) or room (for a putter), wake the next.
//!
//! Check it with `cargo run -- check 20` (or `cargo run -- watch`).

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
    // Your code: pop the oldest waiter and wake it.
    todo!()
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
        // Your code: take an item if there is one (leave the line, wake a putter); otherwise
        // wait in the getters' line.
        todo!()
    }
}

impl<T> Drop for Get<T> {
    /// A getter cancelled while it waits leaves the line; one that had been woken (taken out
    /// of the line) passes the wake on if an item is there, as asyncio's `get` does.
    fn drop(&mut self) {
        // Your code: leave the line; if woken already and an item is there, wake the next
        // getter. (No `todo!()` in a `drop`: a panic there during a failing test aborts all.)
    }
}
// ANCHOR_END: get

// ANCHOR: put
impl<T> Future for Put<T> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Your code: room? leave the line, push the item, wake a getter; otherwise wait in
        // the putters' line.
        todo!()
    }
}

impl<T> Drop for Put<T> {
    /// The same for putters: leave the line, or pass a wake on if there is room.
    fn drop(&mut self) {
        // Your code: leave the line; if woken already and there is room, wake the next putter.
    }
}
// ANCHOR_END: put
