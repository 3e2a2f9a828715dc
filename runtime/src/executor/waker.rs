//! Wakers: how a task that returned `Pending` gets back into the ready queue.
//!
//! asyncio needs no wakers: a future that completes calls `loop.call_soon(task.__step)`
//! itself. Rust separates the two jobs: the future stores the [`Waker`](std::task::Waker)
//! it was polled with, and calls `wake()` when it can make progress. What `wake()` does is
//! the executor's business, and this file is all of it for tinyloop.
//!
//! Each task gets one [`TaskWaker`] at spawn, shared by every clone of its `Waker`. It
//! names the task by its slab key *and* its id, so a waker that outlives its task (kept by
//! a timer, say) can never wake the next task that reuses the key.
//!
//! * **Same thread** (the common case: a timer, a primitive, another task): the wake goes
//!   straight onto the loop's ready queue through the thread-local current loop. No
//!   channel, no lock, no syscall.
//! * **Another thread** (the blocking pool, a user's `std::thread`): the wake is sent
//!   through a `crossbeam-channel` and the loop is woken from its wait by
//!   `Poller::notify()`. The loop drains the channel at every step.
//!
//! A task woken many times before it runs is queued once: scheduling looks at the task's
//! state and only queues a task that is not already queued.
//!
//! The waker is built with `std::task::Wake`, which is safe: the price is one `Arc`
//! allocation per task. A hand-made `RawWakerVTable` could avoid it, at the cost of unsafe
//! code; the benchmarks decide whether that is worth it.

use std::sync::Arc;
use std::task::Wake;

use crossbeam_channel::Sender;
use polling::Poller;

use crate::context;

/// The key in the ready queue that stands for the `main` future of `block_on`, which is
/// not a spawned task (it need not be `'static`) but takes its turn in FIFO order like one.
pub(crate) const MAIN_KEY: usize = usize::MAX;

/// A wake message from another thread: which task, by slab key and id.
pub(crate) type RemoteWake = (usize, u64);

/// The part of a loop that other threads may touch.
pub(crate) struct Remote {
    /// Where wakes from other threads are queued; the loop drains it every step.
    pub(crate) sender: Sender<RemoteWake>,
    /// The loop's poller, notified so that a loop blocked in `wait` wakes up.
    pub(crate) poller: Arc<Poller>,
}

impl Remote {
    /// Queue a wake and interrupt the loop's wait.
    pub(crate) fn wake(&self, key: usize, task: u64) {
        // A send fails only when the loop is gone; then nobody is left to wake.
        if self.sender.send((key, task)).is_ok() {
            // polling's notify is cheap when a notification is already pending.
            let _ = self.poller.notify();
        }
    }
}

/// One task's waker: which loop, which task.
pub(crate) struct TaskWaker {
    /// The loop the task belongs to, to tell its thread-local context from another loop's.
    pub(crate) loop_id: u64,
    /// The task's slab key, or [`MAIN_KEY`].
    pub(crate) key: usize,
    /// The task's id: a wake whose id does not match the task at `key` is stale and ignored.
    pub(crate) task: u64,
    /// The way in from other threads.
    pub(crate) remote: Arc<Remote>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if !context::schedule_local(self.loop_id, self.key, self.task) {
            self.remote.wake(self.key, self.task);
        }
    }
}
