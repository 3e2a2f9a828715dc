//! The futures of a queue's waits: [`QueuePut`], [`QueueGet`] and [`QueueJoin`]. Each is
//! asyncio's coroutine of the same name written as a state machine: "while the queue is
//! full (empty): join the line and wait; then do the `_nowait` operation". Each `Drop` is
//! the `except:` block that runs when the waiting task is cancelled.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tinyloop_runtime::trace::{WaitingOn, waiting_on};

use super::errors::{PutNowaitError, QueueShutDown};
use super::storage::QueueStorage;
use super::{Line, Shared};
use crate::core::broadcast::BroadcastWait;
use crate::core::wait_list::Slot;

/// The future of [`GenericQueue::put`](super::GenericQueue::put).
///
/// Dropped while it waits for room, it drops its item: nothing was put.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_primitives::Queue;
/// use tinyloop_runtime::time::{now, timeout};
///
/// tinyloop_runtime::run_virtual(async {
///     let queue = Queue::new(1);
///     queue.put(1).await.unwrap();
///     assert!(timeout(Duration::from_secs(1), queue.put(2)).await.is_err()); // full
///     assert_eq!(now().to_string(), "t=1.00");
///     assert_eq!((queue.qsize(), queue.get_nowait()), (1, Ok(1)));
/// });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them: the item is not put"]
pub struct QueuePut<'a, T, S: QueueStorage<T>> {
    /// The queue.
    shared: &'a Shared<T, S>,
    /// The item, until it is stored or handed back.
    item: Option<T>,
    /// Our key in the putters' line while we wait (woken or not).
    key: Option<usize>,
}

impl<'a, T, S: QueueStorage<T>> QueuePut<'a, T, S> {
    /// A put of `item`, not yet polled.
    pub(super) fn new(shared: &'a Shared<T, S>, item: T) -> QueuePut<'a, T, S> {
        QueuePut {
            shared,
            item: Some(item),
            key: None,
        }
    }
}

// The item is only ever moved, never pinned (no `Pin<&mut T>` is made), so the future can
// be `Unpin` whatever `T` is, and `poll` can reach its fields through `&mut Self`.
impl<T, S: QueueStorage<T>> Unpin for QueuePut<'_, T, S> {}

// ANCHOR: put_poll
impl<T, S: QueueStorage<T>> Future for QueuePut<'_, T, S> {
    type Output = Result<(), QueueShutDown<T>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let mut state = this.shared.state.borrow_mut();
        // Check again: were we woken? (Not yet: keep waiting.)
        if let Some(key) = this.key {
            if state.putters.poll_done(key, cx.waker()).is_none() {
                drop(state);
                waiting_on(WaitingOn::Primitive("Queue.put"));
                return Poll::Pending;
            }
            this.key = None;
        }
        // Check: `while self.full()`; the queue may have filled again since we were woken.
        if state.is_full() {
            if state.shut_down {
                drop(state);
                let item = this.item.take().expect("present until the put returns");
                return Poll::Ready(Err(QueueShutDown(item)));
            }
            // Register at the back of the line, and wait.
            this.key = Some(state.putters.push_back((), cx.waker()));
            drop(state);
            waiting_on(WaitingOn::Primitive("Queue.put"));
            return Poll::Pending;
        }
        drop(state);
        let item = this.item.take().expect("present until the put returns");
        Poll::Ready(this.shared.put_nowait(item).map_err(|error| match error {
            PutNowaitError::QueueShutDown(item) | PutNowaitError::QueueFull(item) => {
                QueueShutDown(item)
            }
        }))
    }
}
// ANCHOR_END: put_poll

impl<T, S: QueueStorage<T>> Drop for QueuePut<'_, T, S> {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            let slot = self.shared.state.borrow_mut().putters.cancel(key);
            if let Slot::Done(()) = slot {
                // Woken for a free slot we will never fill: wake the next putter.
                self.shared.wake_next(Line::Putters);
            }
        }
        // An item not stored is dropped with the future, outside any borrow.
    }
}

/// The future of [`GenericQueue::get`](super::GenericQueue::get).
///
/// Cancel-safe: a getter woken for an item and dropped before it ran loses no item.
///
/// ```
/// use tinyloop_primitives::Queue;
/// use tinyloop_runtime::{JoinError, run_virtual, spawn, yield_now};
///
/// run_virtual(async {
///     let queue = Queue::new(0);
///     let getter = spawn({
///         let queue = queue.clone();
///         async move { queue.get().await }
///     });
///     yield_now().await; // the getter waits
///     queue.put_nowait(7).unwrap(); // wakes it...
///     getter.cancel(); // ...and it is cancelled before it runs
///     assert_eq!(getter.await, Err(JoinError::Cancelled));
///     assert_eq!(queue.get().await, Ok(7)); // still there
/// });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct QueueGet<'a, T, S: QueueStorage<T>> {
    /// The queue.
    shared: &'a Shared<T, S>,
    /// Our key in the getters' line while we wait (woken or not).
    key: Option<usize>,
}

impl<'a, T, S: QueueStorage<T>> QueueGet<'a, T, S> {
    /// A get, not yet polled.
    pub(super) fn new(shared: &'a Shared<T, S>) -> QueueGet<'a, T, S> {
        QueueGet { shared, key: None }
    }
}

// ANCHOR: get_poll
impl<T, S: QueueStorage<T>> Future for QueueGet<'_, T, S> {
    type Output = Result<T, QueueShutDown>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.shared.state.borrow_mut();
        // Check again: were we woken? (Not yet: keep waiting.)
        if let Some(key) = self.key {
            if state.getters.poll_done(key, cx.waker()).is_none() {
                drop(state);
                waiting_on(WaitingOn::Primitive("Queue.get"));
                return Poll::Pending;
            }
            self.key = None;
        }
        // Check: `while self.empty()`; a get_nowait may have taken the item we were woken
        // for, and then we wait again, at the back.
        if state.items.is_empty() {
            if state.shut_down {
                return Poll::Ready(Err(QueueShutDown(())));
            }
            let key = state.getters.push_back((), cx.waker());
            drop(state);
            self.key = Some(key);
            waiting_on(WaitingOn::Primitive("Queue.get"));
            return Poll::Pending;
        }
        drop(state);
        let item = self.shared.get_nowait().expect("the queue is not empty");
        Poll::Ready(Ok(item))
    }
}
// ANCHOR_END: get_poll

// ANCHOR: get_drop
impl<T, S: QueueStorage<T>> Drop for QueueGet<'_, T, S> {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            let slot = self.shared.state.borrow_mut().getters.cancel(key);
            if let Slot::Done(()) = slot {
                // Woken for an item we will never take: it is still in the buffer, so
                // wake the next getter for it (asyncio's `_wakeup_next(self._getters)`).
                self.shared.wake_next(Line::Getters);
            }
        }
    }
}
// ANCHOR_END: get_drop

/// The future of [`GenericQueue::join`](super::GenericQueue::join).
#[must_use = "futures do nothing unless you `.await` or poll them"]
#[derive(Debug)]
pub struct QueueJoin<'a> {
    /// The wait on the queue's "no unfinished tasks" flag.
    wait: BroadcastWait<'a>,
}

impl<'a> QueueJoin<'a> {
    /// A join future waiting on `wait`.
    pub(super) fn new(wait: BroadcastWait<'a>) -> QueueJoin<'a> {
        QueueJoin { wait }
    }
}

impl Future for QueueJoin<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.wait.poll(cx, "Queue.join")
    }
}
