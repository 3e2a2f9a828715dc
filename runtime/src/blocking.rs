//! `to_thread`: running blocking work on other threads, so the loop never blocks.
//!
//! The loop runs on one thread. A task that calls `std::thread::sleep`, reads a file with
//! `std::fs`, or crunches numbers for a second holds that thread, and every other task, every
//! timer and every socket waits behind it (the demo `blocking_pitfall` shows it). asyncio's
//! answer is `await asyncio.to_thread(func, *args)`: run `func` on a thread of the loop's
//! default `ThreadPoolExecutor` and await its result. tinyloop's is the same:
//!
//! ```
//! use tinyloop_runtime::blocking::to_thread;
//! use tinyloop_runtime::run;
//!
//! let sum = run(async {
//!     // Runs on a pool thread; the loop keeps serving other tasks meanwhile.
//!     to_thread(|| (1..=100u64).sum::<u64>()).await
//! });
//! assert_eq!(sum, Ok(5050));
//! ```
//!
//! # How it works
//!
//! Each loop owns a `BlockingPool`: a `crossbeam-channel` of jobs and up to
//! `available_parallelism + 4` worker threads (at most 32: `ThreadPoolExecutor`'s default).
//! No thread exists until the first job; a new one is started only when every existing one
//! is busy. A job runs the function, stores its result (or its panic) in a slot shared with
//! the awaiting [`ToThread`] future, and calls the task's waker *from the worker thread*:
//! that wake goes through the loop's cross-thread channel and `Poller::notify()`, which is
//! what wakes a loop blocked in its wait.
//!
//! # Rules, as asyncio's
//!
//! * A panic in the function does not kill the worker: the awaiter gets
//!   `Err(ToThreadError::Panicked(message))`, as `await to_thread(f)` re-raises `f`'s
//!   exception.
//! * **Cancelling the awaiter does not stop the thread.** A thread cannot be interrupted: a
//!   job that has started runs to its end, and its result is thrown away. A job that has
//!   not started yet is skipped (asyncio cancels the `concurrent.futures.Future`, which
//!   succeeds only if it is still pending).
//! * When the loop shuts down (the end of `run`, dropping a `Runtime`), it waits for the
//!   jobs that are running, as `asyncio.run` waits in `loop.shutdown_default_executor()`.
//!   A job that never returns therefore keeps `run` from returning.
//! * On the virtual clock, a job takes no loop time: while a job's awaiter waits, the clock
//!   does not jump; the loop waits, for real, for the job to finish (for at most
//!   `VIRTUAL_THREAD_PATIENCE`, so a job that waits for the loop's timers cannot freeze it).

use std::cell::{Cell, OnceCell, RefCell};
use std::fmt;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread;

use crossbeam_channel::{Receiver, Sender};

use crate::context;
use crate::ids::panic_message;
use crate::trace::{WaitingOn, waiting_on};

/// Run the blocking function `f` on one of the loop's pool threads and await its result:
/// asyncio's `await asyncio.to_thread(f)`.
///
/// Like a coroutine object, the returned future does nothing until first polled; then the
/// job is queued. `f` and its result must be `Send`: they cross to another thread and back.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::blocking::{ToThreadError, to_thread};
/// use tinyloop_runtime::run;
///
/// run(async {
///     let slept = to_thread(|| {
///         std::thread::sleep(Duration::from_millis(10)); // blocks a pool thread, not the loop
///         "done"
///     });
///     assert_eq!(slept.await, Ok("done"));
///
///     let failed = to_thread(|| -> u32 { panic!("disk on fire") }).await;
///     assert_eq!(failed, Err(ToThreadError::Panicked("disk on fire".to_string())));
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the future before the job starts skips the job. Dropping it after the job has
/// started does **not** stop the job (threads cannot be interrupted); the job's result is
/// dropped on the pool thread when it finishes.
///
/// # Panics
///
/// When first polled outside a running loop.
pub fn to_thread<F, T>(f: F) -> ToThread<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    ToThread {
        job: Some(Box::new(f)),
        submitted: None,
    }
}

/// How many worker threads the current loop's `to_thread` pool has started. None exist
/// before the first job: the pool belongs to the loop and starts nothing on its own.
///
/// # Panics
///
/// Outside a running loop.
pub fn pool_threads() -> usize {
    context::with("tinyloop::blocking::pool_threads()", |lent| {
        lent.blocking().workers()
    })
}

/// Why a [`to_thread`] job gave no value.
///
/// ```
/// use tinyloop_runtime::blocking::{ToThreadError, to_thread};
///
/// let outcome = tinyloop_runtime::run(to_thread(|| -> u8 { panic!("disk on fire") }));
/// assert_eq!(outcome, Err(ToThreadError::Panicked("disk on fire".to_string())));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ToThreadError {
    /// The function panicked on its thread; the message is the panic's.
    Panicked(String),
}

impl fmt::Display for ToThreadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ToThreadError::Panicked(message) => {
                write!(f, "the function given to to_thread panicked: {message}")
            }
        }
    }
}

impl std::error::Error for ToThreadError {}

/// The future returned by [`to_thread`].
///
/// ```
/// use tinyloop_runtime::blocking::{pool_threads, to_thread};
///
/// tinyloop_runtime::run(async {
///     let job = to_thread(|| 2 + 2); // nothing is queued until it is awaited
///     assert_eq!(pool_threads(), 0);
///     assert_eq!(job.await, Ok(4));
///     assert_eq!(pool_threads(), 1); // the pool started one worker for it
/// });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them: the job is not even queued"]
pub struct ToThread<T> {
    /// The function, until the first poll queues it.
    job: Option<Box<dyn FnOnce() -> T + Send>>,
    /// After the first poll: the slot the worker fills, and the pool whose count of
    /// awaited jobs this future is in (until it has its result or is dropped).
    submitted: Option<(Arc<Slot<T>>, Rc<BlockingPool>)>,
}

/// What a job and its awaiter share.
struct Slot<T> {
    /// Guarded by a `Mutex` because the worker thread writes it; held only for a moment.
    state: Mutex<SlotState<T>>,
}

/// The slot's contents.
struct SlotState<T> {
    /// The job's outcome, once it has finished.
    result: Option<Result<T, ToThreadError>>,
    /// The awaiting task's waker, from its last `Pending`.
    waker: Option<Waker>,
    /// Set when the awaiter is dropped; a job not yet started is then skipped.
    abandoned: bool,
}

impl<T> Slot<T> {
    fn lock(&self) -> std::sync::MutexGuard<'_, SlotState<T>> {
        // A panic while holding this lock is impossible (no user code runs under it), but
        // recovering from poison costs nothing.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T: Send + 'static> Future for ToThread<T> {
    type Output = Result<T, ToThreadError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let Some(function) = this.job.take() {
            let slot = Arc::new(Slot {
                state: Mutex::new(SlotState {
                    result: None,
                    waker: Some(cx.waker().clone()),
                    abandoned: false,
                }),
            });
            let pool = context::with("tinyloop::to_thread()", |lent| Rc::clone(lent.blocking()));
            pool.submit(job_for(function, slot.clone()));
            this.submitted = Some((slot, pool));
            waiting_on(WaitingOn::Thread);
            return Poll::Pending;
        }
        let Some((slot, _)) = &this.submitted else {
            panic!("ToThread polled after it completed");
        };
        let mut state = slot.lock();
        if let Some(result) = state.result.take() {
            drop(state);
            let (_, pool) = this.submitted.take().expect("checked above");
            pool.job_done();
            return Poll::Ready(result);
        }
        match &state.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => state.waker = Some(cx.waker().clone()),
        }
        drop(state);
        waiting_on(WaitingOn::Thread);
        Poll::Pending
    }
}

impl<T> Drop for ToThread<T> {
    fn drop(&mut self) {
        if let Some((slot, pool)) = self.submitted.take() {
            let mut state = slot.lock();
            state.abandoned = true;
            state.waker = None;
            let result = state.result.take();
            drop(state);
            drop(result); // outside the lock: it is user data with a destructor
            // Nobody awaits this job any more: it can no longer wake a task.
            pool.job_done();
        }
    }
}

/// A job as the pool sees it.
type Job = Box<dyn FnOnce() + Send>;

/// Wrap `function` so that it fills `slot` and wakes the awaiter, or does nothing if the
/// awaiter is gone before it starts.
// ANCHOR: job
fn job_for<T: Send + 'static>(function: Box<dyn FnOnce() -> T + Send>, slot: Arc<Slot<T>>) -> Job {
    Box::new(move || {
        if slot.lock().abandoned {
            return; // cancelled before it started: skip, as asyncio does
        }
        let result = catch_unwind(AssertUnwindSafe(function))
            .map_err(|payload| ToThreadError::Panicked(panic_message(payload.as_ref())));
        let mut state = slot.lock();
        if state.abandoned {
            drop(state);
            drop(result); // the awaiter is gone; the result dies here, on the pool thread
            return;
        }
        state.result = Some(result);
        let waker = state.waker.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake(); // from this thread: through the loop's channel and Poller::notify
        }
    })
}
// ANCHOR_END: job

/// A loop's pool of worker threads. Threads start lazily, on demand, and stop when the
/// loop shuts down ([`BlockingPool::shutdown`]).
pub(crate) struct BlockingPool {
    /// Where jobs are queued; `None` after shutdown. Workers hold clones of the receiver.
    sender: RefCell<Option<Sender<Job>>>,
    /// The other end, cloned for each new worker.
    receiver: Receiver<Job>,
    /// The workers started so far, joined at shutdown.
    workers: RefCell<Vec<thread::JoinHandle<()>>>,
    /// Jobs queued or running, decremented by the worker when a job ends. A new worker is
    /// started when this exceeds the number of workers (all are busy).
    unfinished: Arc<AtomicUsize>,
    /// The most workers this pool starts: `available_parallelism + 4`, at most 32. Asked
    /// of the OS at the first job (it reads cgroup files), not when the loop is built.
    max_workers: OnceCell<usize>,
    /// How many jobs a `ToThread` still awaits: each may wake a task from another thread.
    /// The loop reads it (with the reactor's I/O waiters) to know whether anything outside
    /// it can still wake a task; the virtual clock never jumps while it is not zero.
    awaited: Cell<usize>,
}

impl BlockingPool {
    /// A pool with no threads yet.
    pub(crate) fn new() -> BlockingPool {
        let (sender, receiver) = crossbeam_channel::unbounded();
        BlockingPool {
            sender: RefCell::new(Some(sender)),
            receiver,
            workers: RefCell::new(Vec::new()),
            unfinished: Arc::new(AtomicUsize::new(0)),
            max_workers: OnceCell::new(),
            awaited: Cell::new(0),
        }
    }

    /// How many worker threads exist.
    pub(crate) fn workers(&self) -> usize {
        self.workers.borrow().len()
    }

    /// How many jobs are awaited: queued or running, with a `ToThread` waiting for them.
    pub(crate) fn awaited(&self) -> usize {
        self.awaited.get()
    }

    /// A `ToThread` got its result or was dropped: its job can no longer wake a task.
    fn job_done(&self) {
        self.awaited.set(self.awaited.get() - 1);
    }

    /// Queue `job`, starting a worker if all are busy and the pool is not full. The job is
    /// awaited until [`job_done`](BlockingPool::job_done).
    fn submit(&self, job: Job) {
        let unfinished = self.unfinished.fetch_add(1, Ordering::SeqCst) + 1;
        let mut workers = self.workers.borrow_mut();
        let max_workers = *self.max_workers.get_or_init(|| {
            let cpus = thread::available_parallelism().map_or(1, |n| n.get());
            (cpus + 4).min(32)
        });
        if unfinished > workers.len() && workers.len() < max_workers {
            let receiver = self.receiver.clone();
            let counter = self.unfinished.clone();
            let name = format!("tinyloop-blocking-{}", workers.len() + 1);
            let worker = thread::Builder::new()
                .name(name)
                .spawn(move || {
                    for job in receiver {
                        // The function's own panic is caught inside the job; what can still
                        // panic here is the awaiter's waker. The worker must outlive it:
                        // a dead worker would stay counted, and the pool would run dry.
                        if let Err(payload) = catch_unwind(AssertUnwindSafe(job)) {
                            eprintln!(
                                "tinyloop: a waker called by a to_thread job panicked (the \
                                 job's result is kept for its awaiter): {}",
                                panic_message(payload.as_ref())
                            );
                        }
                        counter.fetch_sub(1, Ordering::SeqCst);
                    }
                })
                .unwrap_or_else(|error| {
                    panic!("tinyloop could not start a to_thread worker thread: {error}")
                });
            workers.push(worker);
        }
        drop(workers);
        let sender = self.sender.borrow();
        let sender = sender
            .as_ref()
            .expect("to_thread called on a loop that has shut down");
        // The receiver lives in `self`, so the channel cannot be disconnected here.
        let _ = sender.send(job);
        self.awaited.set(self.awaited.get() + 1);
    }

    /// The loop is shutting down: close the queue and wait for every worker to finish its
    /// running job (jobs still queued have been abandoned by their cancelled awaiters and
    /// are skipped).
    pub(crate) fn shutdown(&self) {
        drop(self.sender.borrow_mut().take());
        let workers = std::mem::take(&mut *self.workers.borrow_mut());
        for worker in workers {
            let _ = worker.join();
        }
    }
}
