//! Where a queue keeps its items, and in which order they come out: the one thing that
//! differs between `Queue`, `LifoQueue` and `PriorityQueue`.
//!
//! asyncio's three queues share all their code and differ in three overridable methods,
//! `_init`, `_put` and `_get`. tinyloop does the same with a small trait: the queue's
//! waiting, wake-ups, `task_done` and shutdown logic is written once, over any
//! [`QueueStorage`]. This file knows nothing of the queue: `queue/mod.rs` builds
//! `Queue`, `LifoQueue` and `PriorityQueue` from it, each a `GenericQueue` over one of
//! these storages.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// How a queue stores its items. Implement it to make a queue with another order.
///
/// ```
/// use std::collections::BinaryHeap;
/// use tinyloop_primitives::{GenericQueue, QueueStorage};
///
/// #[derive(Default)]
/// struct LargestFirst(BinaryHeap<u32>);
///
/// impl QueueStorage<u32> for LargestFirst {
///     fn push(&mut self, item: u32) { self.0.push(item) }
///     fn pop(&mut self) -> Option<u32> { self.0.pop() }
///     fn len(&self) -> usize { self.0.len() }
/// }
///
/// let queue = GenericQueue::<u32, LargestFirst>::with_storage(0);
/// for n in [2, 9, 4] { queue.put_nowait(n).unwrap(); }
/// assert_eq!(queue.get_nowait(), Ok(9));
/// ```
pub trait QueueStorage<T>: Default {
    /// Store an item that was put.
    fn push(&mut self, item: T);
    /// Take the next item out, if any.
    fn pop(&mut self) -> Option<T>;
    /// How many items are stored.
    fn len(&self) -> usize;
    /// True when no item is stored.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// First in, first out: `Queue`'s storage (asyncio's `collections.deque`).
///
/// ```
/// use tinyloop_primitives::{FifoStorage, QueueStorage};
///
/// let mut storage = FifoStorage::default();
/// storage.push('a');
/// storage.push('b');
/// assert_eq!(storage.pop(), Some('a'));
/// ```
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
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Last in, first out: `LifoQueue`'s storage (a stack).
///
/// ```
/// use tinyloop_primitives::{LifoStorage, QueueStorage};
///
/// let mut storage = LifoStorage::default();
/// storage.push('a');
/// storage.push('b');
/// assert_eq!(storage.pop(), Some('b'));
/// ```
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
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Smallest first: `PriorityQueue`'s storage (asyncio uses `heapq`, a min-heap; Rust's
/// `BinaryHeap` is a max-heap, so items are stored `Reverse`d).
///
/// ```
/// use tinyloop_primitives::{PriorityStorage, QueueStorage};
///
/// let mut storage = PriorityStorage::default();
/// storage.push((2, "later"));
/// storage.push((1, "first"));
/// assert_eq!(storage.pop(), Some((1, "first"))); // smallest first
/// ```
///
/// The items' `Ord` runs while the queue's state is borrowed (inside `put` and `get`), so
/// a comparison must not call the same queue's methods: that would panic with "already
/// borrowed". (asyncio's `heapq` would let `__lt__` call `qsize()`; no real program does.)
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
    fn len(&self) -> usize {
        self.0.len()
    }
}
