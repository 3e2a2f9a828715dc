//! # Exercise 17: to_thread, a job on another thread that wakes the loop
//!
//! The loop runs on one thread, and a task that blocks it (`std::thread::sleep`, a big
//! computation, a blocking read) stops every other task. asyncio's answer is
//! `await asyncio.to_thread(func)`: run `func` on another thread, and let the awaiting task
//! sleep until the result is there. The other thread must then *wake the loop*: it calls the
//! task's waker, from its own thread. (tinyloop's wakers are `Send` for this; the wake goes
//! through the loop's cross-thread queue and wakes a loop blocked in its wait.)
//!
//! Here each job gets its own thread (tinyloop keeps a pool; the handshake is the same). The
//! job's thread and the future share a `Slot` behind a `Mutex`: the result, once there, and
//! the waker of the task that waits. The one race to get right: the job may finish while the
//! future is being polled. Store the result and take the waker **under one lock**, and have
//! `poll` check the result and store its waker under that same lock: then either the poll sees
//! the result, or the job sees the waker. Never wake while holding the lock.
//!
//! A job that panics must not leave its awaiter waiting for ever: catch the panic
//! (`std::panic::catch_unwind`) and store `Err(JobPanicked)`.
//!
//! Given: `JobPanicked`, `Slot`, `to_thread` (which starts the thread at once) and the types.
//! Write:
//!
//! - `run_job`, on the job's thread: run the job, catching a panic; store the result and take
//!   the waker in one lock; then, with the lock released, wake the waker if there was one.
//! - `ToThread::poll`: under the lock, return the result if it is there; otherwise store (or
//!   refresh) `cx.waker()` and return `Pending`.
//!
//! Check it with `cargo run -- check 17` (or `cargo run -- watch`).

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// The job panicked; the awaiter gets this instead of hanging (asyncio re-raises the
/// function's exception from `await to_thread(f)`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPanicked;

/// What the job's thread and the awaiting future share.
#[derive(Default)]
pub struct Slot<T> {
    /// The job's result, once it has one (taken by the future's ready poll).
    result: Option<Result<T, JobPanicked>>,
    /// The waker of the task that awaits the result, refreshed at every pending poll.
    waker: Option<Waker>,
}

/// Runs `job` on a new thread and returns a future of its result (asyncio:
/// `await asyncio.to_thread(job)`). The job starts at once, not at the first poll.
pub fn to_thread<T, F>(job: F) -> ToThread<T>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let slot = Arc::new(Mutex::new(Slot {
        result: None,
        waker: None,
    }));
    let shared = slot.clone();
    std::thread::spawn(move || run_job(job, &shared));
    ToThread { slot }
}

// ANCHOR: run_job
/// The job's thread: run the job (catching a panic), store the result, wake the awaiter.
fn run_job<T, F: FnOnce() -> T>(job: F, slot: &Mutex<Slot<T>>) {
    // Your code: run the job with catch_unwind(AssertUnwindSafe(job)); store the result and
    // take the waker under one lock; wake it after the lock is released.
    todo!()
}
// ANCHOR_END: run_job

/// The future [`to_thread`] returns.
pub struct ToThread<T> {
    /// Shared with the job's thread.
    slot: Arc<Mutex<Slot<T>>>,
}

// ANCHOR: poll
impl<T> Future for ToThread<T> {
    type Output = Result<T, JobPanicked>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Your code: under the lock, the result if it is there; otherwise keep cx.waker().
        todo!()
    }
}
// ANCHOR_END: poll
