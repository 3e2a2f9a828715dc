//! The three queues asyncio offers, each named for its order: [`Queue`] (first in, first
//! out), [`LifoQueue`] (last in, first out) and [`PriorityQueue`] (smallest first). In asyncio
//! the last two are subclasses that override `_init`, `_put` and `_get`; here each is the one
//! [`GenericQueue`] over a different [`QueueStorage`](super::QueueStorage), named by a type
//! alias, so every method is the same method and nothing is inherited through `Deref`.

use super::GenericQueue;
use super::storage::{FifoStorage, LifoStorage, PriorityStorage};

/// A first-in, first-out queue for producer and consumer tasks: asyncio's `Queue`.
///
/// A [`GenericQueue`] over [`FifoStorage`]; its methods are documented there.
///
/// ```
/// use tinyloop_primitives::Queue;
/// use tinyloop_runtime::{run_virtual, spawn};
///
/// run_virtual(async {
///     let queue = Queue::new(2);
///     let consumer = spawn({
///         let queue = queue.clone();
///         async move {
///             let mut got = Vec::new();
///             while let Some(n) = queue.get().await.unwrap() {
///                 got.push(n);
///                 queue.task_done().unwrap();
///             }
///             queue.task_done().unwrap(); // the None sentinel counts too
///             got
///         }
///     });
///     for n in 1..=5 {
///         queue.put(Some(n)).await.unwrap(); // waits while two items are queued
///     }
///     queue.put(None).await.unwrap();
///     queue.join().await; // every item was task_done()'d
///     assert_eq!(consumer.await.unwrap(), [1, 2, 3, 4, 5]);
/// });
/// ```
pub type Queue<T> = GenericQueue<T, FifoStorage<T>>;

/// A queue that returns the most recently put item first: asyncio's `LifoQueue`.
///
/// asyncio's `LifoQueue` is a subclass of `Queue` that overrides how items are stored;
/// here it is the same [`GenericQueue`] over [`LifoStorage`], so it has every method of
/// `Queue`.
///
/// ```
/// use tinyloop_primitives::LifoQueue;
/// let stack = LifoQueue::new(0);
/// for n in [1, 2, 3] {
///     stack.put_nowait(n).unwrap();
/// }
/// assert_eq!(stack.get_nowait(), Ok(3));
/// ```
pub type LifoQueue<T> = GenericQueue<T, LifoStorage<T>>;

/// A queue that returns the smallest item first, like `heapq`: asyncio's `PriorityQueue`.
/// Put `(priority, data)` tuples to order by priority. A [`GenericQueue`] over
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
pub type PriorityQueue<T> = GenericQueue<T, PriorityStorage<T>>;

impl<T> Queue<T> {
    /// A FIFO queue holding at most `maxsize` items; `0` means no limit (asyncio
    /// `Queue(maxsize)`).
    pub fn new(maxsize: usize) -> Queue<T> {
        GenericQueue::with_storage(maxsize)
    }
}

impl<T> LifoQueue<T> {
    /// A LIFO queue holding at most `maxsize` items; `0` means no limit.
    pub fn new(maxsize: usize) -> LifoQueue<T> {
        GenericQueue::with_storage(maxsize)
    }
}

impl<T: Ord> PriorityQueue<T> {
    /// A smallest-first queue holding at most `maxsize` items; `0` means no limit.
    pub fn new(maxsize: usize) -> PriorityQueue<T> {
        GenericQueue::with_storage(maxsize)
    }
}
