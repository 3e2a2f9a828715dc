//! Where a queue keeps its items, and in which order they come out: the one thing that
//! differs between `Queue`, `LifoQueue` and `PriorityQueue`.
//!
//! asyncio's three queues share all their code and differ in three overridable methods,
//! `_init`, `_put` and `_get`. tinyloop does the same with a small trait: the queue's
//! waiting, hand-off, `task_done` and shutdown logic is written once, over any
//! [`QueueStorage`]. `LifoQueue` and `PriorityQueue` are defined here too: each is a `Queue`
//! with another storage.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::ops::Deref;

use crate::queue::Queue;

/// How a queue stores its items. Implement it to make a queue with another order.
pub trait QueueStorage<T>: Default {
    /// Store an item that was put.
    fn push(&mut self, item: T);
    /// Take the next item out, if any.
    fn pop(&mut self) -> Option<T>;
    /// Store an item that was handed to a getter which was cancelled before it could take
    /// it: it must be the next item out (for a priority order, it takes its place by
    /// priority).
    fn give_back(&mut self, item: T);
    /// How many items are stored.
    fn len(&self) -> usize;
    /// True when no item is stored.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// First in, first out: `Queue`'s storage (asyncio's `collections.deque`).
#[derive(Debug)]
pub struct FifoStorage<T>(VecDeque<T>);

impl<T> Default for FifoStorage<T> {
    fn default() -> Self {
        FifoStorage(VecDeque::new())
    }
}

impl<T> QueueStorage<T> for FifoStorage<T> {
    fn push(&mut self, item: T) {
        self.0.push_back(item);
    }
    fn pop(&mut self) -> Option<T> {
        self.0.pop_front()
    }
    fn give_back(&mut self, item: T) {
        self.0.push_front(item);
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Last in, first out: `LifoQueue`'s storage (a stack).
#[derive(Debug)]
pub struct LifoStorage<T>(Vec<T>);

impl<T> Default for LifoStorage<T> {
    fn default() -> Self {
        LifoStorage(Vec::new())
    }
}

impl<T> QueueStorage<T> for LifoStorage<T> {
    fn push(&mut self, item: T) {
        self.0.push(item);
    }
    fn pop(&mut self) -> Option<T> {
        self.0.pop()
    }
    fn give_back(&mut self, item: T) {
        self.0.push(item);
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Smallest first: `PriorityQueue`'s storage (asyncio uses `heapq`, a min-heap; Rust's
/// `BinaryHeap` is a max-heap, so items are stored `Reverse`d).
#[derive(Debug)]
pub struct PriorityStorage<T: Ord>(BinaryHeap<Reverse<T>>);

impl<T: Ord> Default for PriorityStorage<T> {
    fn default() -> Self {
        PriorityStorage(BinaryHeap::new())
    }
}

impl<T: Ord> QueueStorage<T> for PriorityStorage<T> {
    fn push(&mut self, item: T) {
        self.0.push(Reverse(item));
    }
    fn pop(&mut self) -> Option<T> {
        self.0.pop().map(|Reverse(item)| item)
    }
    fn give_back(&mut self, item: T) {
        self.0.push(Reverse(item));
    }
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// A queue that returns the most recently put item first: asyncio's `LifoQueue`.
///
/// asyncio's `LifoQueue` is a subclass of `Queue` that overrides how items are stored;
/// here it is a [`Queue`] with [`LifoStorage`], and it dereferences to that queue, so every
/// method of `Queue` works on it.
///
/// ```
/// use tinyloop_primitives::LifoQueue;
/// let stack = LifoQueue::new(0);
/// for n in [1, 2, 3] {
///     stack.put_nowait(n).unwrap();
/// }
/// assert_eq!(stack.get_nowait(), Ok(3));
/// ```
pub struct LifoQueue<T>(Queue<T, LifoStorage<T>>);

/// A queue that returns the smallest item first, like `heapq`: asyncio's `PriorityQueue`.
/// Put `(priority, data)` tuples to order by priority. Dereferences to a [`Queue`] with
/// [`PriorityStorage`].
///
/// ```
/// use tinyloop_primitives::PriorityQueue;
/// let queue = PriorityQueue::new(0);
/// for job in [(2, "later"), (1, "first"), (3, "last")] {
///     queue.put_nowait(job).unwrap();
/// }
/// assert_eq!(queue.get_nowait(), Ok((1, "first")));
/// ```
pub struct PriorityQueue<T: Ord>(Queue<T, PriorityStorage<T>>);

impl<T> LifoQueue<T> {
    /// A LIFO queue holding at most `maxsize` items; `0` means no limit.
    pub fn new(maxsize: usize) -> LifoQueue<T> {
        LifoQueue(Queue::with_storage(maxsize))
    }
}

impl<T: Ord> PriorityQueue<T> {
    /// A smallest-first queue holding at most `maxsize` items; `0` means no limit.
    pub fn new(maxsize: usize) -> PriorityQueue<T> {
        PriorityQueue(Queue::with_storage(maxsize))
    }
}

impl<T> Deref for LifoQueue<T> {
    type Target = Queue<T, LifoStorage<T>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T: Ord> Deref for PriorityQueue<T> {
    type Target = Queue<T, PriorityStorage<T>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T> Clone for LifoQueue<T> {
    fn clone(&self) -> Self {
        LifoQueue(self.0.clone())
    }
}

impl<T: Ord> Clone for PriorityQueue<T> {
    fn clone(&self) -> Self {
        PriorityQueue(self.0.clone())
    }
}

impl<T> fmt::Debug for LifoQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("LifoQueue").field(&self.0).finish()
    }
}

impl<T: Ord> fmt::Debug for PriorityQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PriorityQueue").field(&self.0).finish()
    }
}
