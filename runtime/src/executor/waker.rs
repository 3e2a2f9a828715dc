//! Wakers: how a task that returned `Pending` gets back into the ready queue.
//!
//! asyncio needs no wakers: a future that completes calls `loop.call_soon(task.__step)`
//! itself. Rust separates the two jobs: the future stores the [`Waker`](std::task::Waker)
//! it was polled with, and calls `wake()` when it can make progress. What `wake()` does is
//! the executor's business:
//!
//! * **Same thread** (the common case: a timer, a primitive, another task): the wake goes
//!   straight onto the loop's ready queue through the thread-local current loop. No
//!   channel, no lock, no syscall.
//! * **Another thread** (the blocking pool, a user's `std::thread`): the wake is sent
//!   through a `crossbeam-channel` as the task's slab key and id, and the loop is woken
//!   from its wait by `Poller::notify()`. The loop drains the channel at every step, and
//!   ignores a wake whose id does not match the task now at that key (a stale waker must
//!   never wake the next task that reuses the key).
//!
//! A task woken many times before it runs is queued once: scheduling looks at the task's
//! state and only queues a task that is not already queued.
//!
//! A spawned task's waker is a pointer to the task itself, with a hand-written vtable
//! (`executor/task.rs`, "The waker"): it costs no allocation. The `main` future of
//! `block_on` is not a task allocation, so its waker, [`MainWaker`], is built the safe
//! way, with `std::task::Wake` and one `Arc` per `block_on`.

use std::sync::Arc;
use std::task::Wake;

use crossbeam_channel::Sender;
use polling::Poller;

use crate::context;

/// The key in the ready queue that stands for the `main` future of `block_on`, which is
/// not a spawned task (it need not be `'static`) but takes its turn in FIFO order like one.
pub(crate) const MAIN_KEY: u32 = u32::MAX;

/// A wake message from another thread: which task, by slab key and id.
pub(crate) type RemoteWake = (u32, u64);

/// The part of a loop that other threads may touch. Every task holds a clone; its address
/// also tells a waker which loop its task belongs to.
pub(crate) struct Remote {
    /// Where wakes from other threads are queued; the loop drains it every step.
    pub(crate) sender: Sender<RemoteWake>,
    /// The loop's poller, notified so that a loop blocked in `wait` wakes up.
    pub(crate) poller: Arc<Poller>,
}

impl Remote {
    /// Queue a wake and interrupt the loop's wait.
    pub(crate) fn wake(&self, key: u32, task: u64) {
        // A send fails only when the loop is gone; then nobody is left to wake.
        if self.sender.send((key, task)).is_ok() {
            // polling's notify is cheap when a notification is already pending.
            let _ = self.poller.notify();
        }
    }
}

/// The waker of `block_on`'s `main` future.
pub(crate) struct MainWaker {
    /// The loop `main` runs on.
    pub(crate) remote: Arc<Remote>,
}

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let local = context::try_with_loop(|current| match current {
            Some(this) if this.owns(&self.remote) => {
                this.schedule(MAIN_KEY, 0);
                true
            }
            _ => false,
        });
        if !local {
            self.remote.wake(MAIN_KEY, 0);
        }
    }
}
