//! The primitive workloads (`semaphore`, `queue_1p1c`, `queue_4p4c`) written once, for any
//! single-threaded executor and any queue or semaphore, so that a row can hold the
//! *primitive* fixed while the *runtime* changes.
//!
//! tinyloop's `Queue` and `Semaphore` are single-threaded, like asyncio's; async-channel and
//! async-lock (smol's choice) are thread-safe, with atomics on every operation. A table that
//! only compares each runtime with its users' usual primitive mixes two things: the
//! scheduler's cost and the primitive's. The rows built here separate them:
//!
//! * thread-safe primitive fixed: `tinyloop+ac`, `tokio_local+ac`, `smol` (all three on
//!   async-channel and async-lock);
//! * single-threaded primitive fixed: `tinyloop`, `tokio_local+tl`, `smol+tl` (all three on
//!   tinyloop's `Queue` and `Semaphore`, which need no tinyloop loop: they only hold
//!   `Waker`s).
//!
//! tokio has no single-threaded queue or semaphore of its own; its rows with its own
//! (thread-safe) `mpsc` and `Semaphore` are `tokio` and `tokio_local`, in `tokio_impl.rs`.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use crate::workloads::*;

/// A single-threaded executor, as the primitive workloads need it.
pub trait Executor: Clone + 'static {
    /// A handle that yields the task's output.
    type Handle<T: 'static>: Future<Output = T>;
    /// Spawn a task (not `Send`) on this executor.
    fn spawn<F: Future + 'static>(&self, future: F) -> Self::Handle<F::Output>;
    /// Yield once to the other ready tasks.
    fn yield_now() -> impl Future<Output = ()>;
}

/// A bounded multi-producer, multi-consumer queue of `u64`.
pub trait BenchQueue: Clone + 'static {
    fn bounded(capacity: usize) -> Self;
    /// Put an item, waiting while the queue is full.
    fn put(&self, item: u64) -> impl Future<Output = ()>;
    /// The next item, or `None` once the queue is closed and drained.
    fn get(&self) -> impl Future<Output = Option<u64>>;
    /// Close the queue with the API's own close: gets drain what is left, then end.
    fn close(&self);
}

/// A counting semaphore.
pub trait BenchSemaphore: 'static {
    fn with_permits(permits: usize) -> Self;
    /// Run `during` while holding a permit.
    fn holding<T>(&self, during: impl Future<Output = T>) -> impl Future<Output = T>;
}

impl BenchQueue for tinyloop::Queue<u64> {
    fn bounded(capacity: usize) -> Self {
        tinyloop::Queue::new(capacity)
    }
    async fn put(&self, item: u64) {
        tinyloop::Queue::put(self, item)
            .await
            .expect("the queue is open while producers run");
    }
    async fn get(&self) -> Option<u64> {
        tinyloop::Queue::get(self).await.ok()
    }
    fn close(&self) {
        self.shutdown(false);
    }
}

/// async-channel's two ends, together.
#[derive(Clone)]
pub struct Channel(async_channel::Sender<u64>, async_channel::Receiver<u64>);

impl BenchQueue for Channel {
    fn bounded(capacity: usize) -> Self {
        let (tx, rx) = async_channel::bounded(capacity);
        Channel(tx, rx)
    }
    async fn put(&self, item: u64) {
        self.0
            .send(item)
            .await
            .expect("the channel is open while producers run");
    }
    async fn get(&self) -> Option<u64> {
        self.1.recv().await.ok()
    }
    fn close(&self) {
        self.0.close();
    }
}

impl BenchSemaphore for tinyloop::Semaphore {
    fn with_permits(permits: usize) -> Self {
        tinyloop::Semaphore::new(permits)
    }
    async fn holding<T>(&self, during: impl Future<Output = T>) -> T {
        let _permit = self.acquire().await;
        during.await
    }
}

impl BenchSemaphore for async_lock::Semaphore {
    fn with_permits(permits: usize) -> Self {
        async_lock::Semaphore::new(permits)
    }
    async fn holding<T>(&self, during: impl Future<Output = T>) -> T {
        let _permit = self.acquire().await;
        during.await
    }
}

/// `semaphore`: every task takes a permit, counts itself in, yields once, counts itself
/// out. The checksum is the permits taken plus 1 000 000 × the peak held at once.
pub async fn semaphore<E: Executor, S: BenchSemaphore>(ex: &E) -> Outcome {
    let semaphore = Rc::new(S::with_permits(SEMAPHORE_PERMITS));
    let counts = Rc::new(Counts::<Cell<u64>>::default());
    let handles: Vec<_> = (0..sizes().semaphore_tasks)
        .map(|_| {
            let (semaphore, counts) = (semaphore.clone(), counts.clone());
            ex.spawn(async move {
                semaphore
                    .holding(async {
                        counts.enter();
                        E::yield_now().await;
                        counts.leave();
                    })
                    .await
            })
        })
        .collect();
    for handle in handles {
        handle.await;
    }
    Outcome::checksum(counts.checksum())
}

/// `queue_1p1c` and `queue_4p4c`: `sides` producers and `sides` consumers on one bounded
/// queue of 64; producer `p` puts `p, p + sides, …` below `items`; once every producer is
/// done the queue is closed, and each consumer drains until its get ends. The checksum is
/// the sum of the items received.
pub async fn queue<E: Executor, Q: BenchQueue>(ex: &E, sides: u64, items: u64) -> Outcome {
    let queue = Q::bounded(QUEUE_CAPACITY);
    let producers: Vec<_> = (0..sides)
        .map(|p| {
            let queue = queue.clone();
            ex.spawn(async move {
                let mut item = p;
                while item < items {
                    queue.put(item).await;
                    item += sides;
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..sides)
        .map(|_| {
            let queue = queue.clone();
            ex.spawn(async move {
                let mut sum = 0;
                while let Some(item) = queue.get().await {
                    sum += item;
                }
                sum
            })
        })
        .collect();
    for producer in producers {
        producer.await;
    }
    queue.close();
    let mut sum = 0;
    for consumer in consumers {
        sum += consumer.await;
    }
    Outcome::checksum(sum)
}

/// One primitive workload on executor `E` with queue `Q` and semaphore `S`; `None` for a
/// workload that is not a primitive workload.
pub async fn run<E: Executor, Q: BenchQueue, S: BenchSemaphore>(
    ex: &E,
    workload: Workload,
) -> Option<Outcome> {
    let s = sizes();
    Some(match workload {
        Workload::Semaphore => semaphore::<E, S>(ex).await,
        Workload::Queue1p1c => queue::<E, Q>(ex, 1, s.queue_1p1c_items).await,
        Workload::Queue4p4c => queue::<E, Q>(ex, QUEUE_SIDES, s.queue_4p4c_items).await,
        _ => return None,
    })
}
