//! Reference solution of exercise 17 (see `src/ex17_to_thread.rs` for the instructions).

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
    let result = catch_unwind(AssertUnwindSafe(job)).map_err(|_| JobPanicked);
    // Store the result and take the waker under one lock: a poll that runs meanwhile either
    // sees the result, or stores its waker before we look for it. No wake is lost.
    let waker = {
        let mut slot = slot.lock().unwrap();
        slot.result = Some(result);
        slot.waker.take()
    };
    // Wake outside the lock: the waker may run code (a loop's wake path) that takes locks.
    if let Some(waker) = waker {
        waker.wake();
    }
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
        let mut slot = self.slot.lock().unwrap();
        if let Some(result) = slot.result.take() {
            return Poll::Ready(result);
        }
        // Keep the newest waker: the task may have moved, or be polled by a wrapper.
        match &mut slot.waker {
            Some(waker) => waker.clone_from(cx.waker()),
            none => *none = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}
// ANCHOR_END: poll
