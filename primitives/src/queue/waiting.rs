//! The futures of a queue's waits: [`QueuePut`], [`QueueGet`] and [`QueueJoin`]. Each
//! follows "check, register, check again, wait" (`core/permits.rs` explains it), and each
//! `Drop` is its cancellation path.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tinyloop_runtime::trace::{WaitingOn, waiting_on, wake_as};

use super::errors::QueueShutDown;
use super::storage::QueueStorage;
use super::{Phase, PutOutcome, Shared};
use crate::core::broadcast::BroadcastWait;
use crate::core::wait_list::Slot;

/// Where a [`QueuePut`] is.
pub(super) enum PutState<T> {
    /// Not polled yet; holds the item.
    Start(Option<T>),
    /// In the putters' line (the item is in the line's entry) under this key.
    Waiting(usize),
    /// Returned.
    Done,
}

/// The future of [`GenericQueue::put`](super::GenericQueue::put).
#[must_use = "futures do nothing unless you `.await` or poll them: the item is not put"]
pub struct QueuePut<'a, T, S> {
    /// The queue.
    pub(super) shared: &'a Shared<T, S>,
    /// Where this put is.
    pub(super) state: PutState<T>,
}

// The item is only ever moved, never pinned (no `Pin<&mut T>` is made), so the future can
// be `Unpin` whatever `T` is, and `poll` can reach its fields through `&mut Self`.
impl<T, S> Unpin for QueuePut<'_, T, S> {}

impl<T, S: QueueStorage<T>> Future for QueuePut<'_, T, S> {
    type Output = Result<(), QueueShutDown<T>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        match &mut this.state {
            PutState::Start(item) => {
                let item = item.take().expect("present until the first poll");
                match this.shared.try_put(item) {
                    PutOutcome::Done(waker) => {
                        this.state = PutState::Done;
                        if let Some(waker) = waker {
                            wake_as(waker, "Queue");
                        }
                        return Poll::Ready(Ok(()));
                    }
                    PutOutcome::ShutDown(item) => {
                        this.state = PutState::Done;
                        return Poll::Ready(Err(QueueShutDown(item)));
                    }
                    PutOutcome::Full(item) => {
                        let mut state = this.shared.state.borrow_mut();
                        let key = state.putters.push_back(item, cx.waker());
                        this.state = PutState::Waiting(key);
                    }
                }
            }
            PutState::Waiting(key) => {
                let done = this
                    .shared
                    .state
                    .borrow_mut()
                    .putters
                    .poll_done(*key, cx.waker());
                if let Some(result) = done {
                    this.state = PutState::Done;
                    return Poll::Ready(result.map_err(QueueShutDown));
                }
            }
            PutState::Done => panic!("QueuePut polled after it completed"),
        }
        waiting_on(WaitingOn::Primitive("Queue.put"));
        Poll::Pending
    }
}

impl<T, S> Drop for QueuePut<'_, T, S> {
    fn drop(&mut self) {
        if let PutState::Waiting(key) = self.state {
            // Waiting: our item comes back and is dropped (outside the borrow). Done: the
            // item is queued already, or was handed back and is dropped here.
            let slot = self.shared.state.borrow_mut().putters.cancel(key);
            drop(slot);
        }
    }
}

/// The future of [`GenericQueue::get`](super::GenericQueue::get).
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct QueueGet<'a, T, S: QueueStorage<T>> {
    /// The queue.
    pub(super) shared: &'a Shared<T, S>,
    /// Our key in the getters' line while waiting.
    pub(super) key: Option<usize>,
}

impl<T, S: QueueStorage<T>> Future for QueueGet<'_, T, S> {
    type Output = Result<T, QueueShutDown>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.shared.state.borrow_mut();
        if let Some(key) = self.key {
            // Check again: was an item (or the shutdown) handed to us?
            if let Some(given) = state.getters.poll_done(key, cx.waker()) {
                drop(state);
                self.key = None;
                return Poll::Ready(given.map_err(|()| QueueShutDown(())));
            }
        } else {
            // Check: an item queued?
            if let Some((item, waker, first_unfinished)) = state.take() {
                drop(state);
                if first_unfinished {
                    self.shared.finished.borrow_mut().clear();
                }
                if let Some(waker) = waker {
                    wake_as(waker, "Queue");
                }
                return Poll::Ready(Ok(item));
            }
            if state.phase != Phase::Open {
                return Poll::Ready(Err(QueueShutDown(())));
            }
            // Register.
            let key = state.getters.push_back((), cx.waker());
            drop(state);
            self.key = Some(key);
        }
        // Wait.
        waiting_on(WaitingOn::Primitive("Queue.get"));
        Poll::Pending
    }
}

// ANCHOR: get_drop
impl<T, S: QueueStorage<T>> Drop for QueueGet<'_, T, S> {
    fn drop(&mut self) {
        if let Some(key) = self.key {
            let slot = self.shared.state.borrow_mut().getters.cancel(key);
            if let Slot::Done(Ok(item)) = slot {
                // Handed an item we will never return: give it back.
                self.shared.give_back(item);
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
