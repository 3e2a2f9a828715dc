//! The smallest executor: run one future to completion on the current thread.
//!
//! This is the book's first runtime, and the whole of it fits on one screen. It does for a single
//! future what `asyncio.run(main())` does for a single coroutine that starts no other tasks: it
//! drives that one computation until it has a result, then hands the result back.
//!
//! ```python
//! result = asyncio.run(main())     # Python
//! ```
//!
//! ```text
//! let result = block_on(main());   // Rust, this file
//! ```
//!
//! # How it works
//!
//! A Rust future is passive: it does nothing until someone calls its `poll` method, and `poll`
//! either finishes (`Poll::Ready(value)`) or says "not yet" (`Poll::Pending`). A future that says
//! "not yet" promises to call the [`Waker`](std::task::Waker) it was handed once it is worth
//! polling again. So an executor needs two things: a loop that polls, and a way to sleep until the
//! waker is called. Here they are:
//!
//! 1. pin the future on this function's stack frame (a future may point into itself, so it must
//!    not move once polled);
//! 2. make a waker whose only job is to unpark *this* thread;
//! 3. poll; on `Ready`, return the value; on `Pending`, park the thread until the waker unparks it,
//!    then poll again.
//!
//! # What it cannot do
//!
//! - No `spawn`: there is one future and no ready queue. Concurrency *inside* that future still
//!   works (`futures_lite::future::zip` polls two futures in one), but there are no tasks.
//! - No timers and no I/O of its own: `tinyloop::sleep` and sockets need the real event loop. Any
//!   future that arranges for its waker to be called works here, for example one that hands the
//!   waker to a thread which sleeps and then wakes it (the tests do exactly that).
//! - Do not call `block_on` from inside a future that `block_on` is running. Both calls would share
//!   this thread's one unpark token, and the inner call can consume a wake-up meant for the outer
//!   one, which then parks forever. (`futures_lite::future::block_on` gives each call its own
//!   parker for this reason; making this one safe to nest is an exercise.)
//!
//! The real loop, with a ready queue, tasks, timers and I/O, lives in `executor/`.
//!
//! # The race between unpark and park
//!
//! The waker may be called at any moment: from another thread after `poll` has returned `Pending`
//! but *before* this thread reaches `park`, or even from inside `poll` itself. If unparking a
//! thread that is not parked did nothing, that wake-up would be lost and the thread would sleep
//! forever. `std::thread::park` is built for this: every thread has one *token*. `unpark` makes the
//! token available; `park` consumes it and returns at once if it is there, and blocks only if it is
//! not. So a wake-up that arrives early is kept until the park, and the loop polls again.
//!
//! `park` may also return for no reason at all (a "spurious" wake-up). That costs one extra poll,
//! nothing more: polling a future that is not ready is always allowed, it just answers `Pending`.
//!
//! # Example
//!
//! A future woken from another thread, as a network reply or a timer would wake it. The helper
//! thread sets the answer and calls the waker; the future checks for the answer and, if it is not
//! there yet, stores the waker. Both happen under one lock, so the answer cannot slip in between
//! the check and the registration.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//! use std::task::{Poll, Waker};
//! use std::thread;
//! use std::time::Duration;
//! use tinyloop_runtime::block_on;
//!
//! #[derive(Default)]
//! struct Shared {
//!     answer: Option<u32>,
//!     waker: Option<Waker>,
//! }
//!
//! let shared = Arc::new(Mutex::new(Shared::default()));
//! let helper = {
//!     let shared = Arc::clone(&shared);
//!     thread::spawn(move || {
//!         thread::sleep(Duration::from_millis(10));
//!         let mut shared = shared.lock().unwrap();
//!         shared.answer = Some(42);
//!         if let Some(waker) = shared.waker.take() {
//!             waker.wake(); // unparks the thread waiting inside `block_on`
//!         }
//!     })
//! };
//!
//! // `std::future::poll_fn` turns a closure into a future: the closure is its `poll`.
//! let answer = block_on(std::future::poll_fn(|cx| {
//!     let mut shared = shared.lock().unwrap();
//!     match shared.answer.take() {
//!         Some(answer) => Poll::Ready(answer),
//!         None => {
//!             shared.waker = Some(cx.waker().clone());
//!             Poll::Pending
//!         }
//!     }
//! }));
//! assert_eq!(answer, 42);
//! helper.join().unwrap();
//! ```

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};
use std::thread;

use waker_fn::waker_fn;

/// Runs `future` to completion on the current thread and returns its output.
///
/// The thread sleeps (parks) whenever the future is waiting, and wakes when the future's waker is
/// called, from this thread or any other. A future that is ready at once is polled exactly once
/// and the thread never parks.
///
/// A panic inside the future unwinds out of `block_on`, as an exception inside the coroutine
/// propagates out of `asyncio.run`.
///
/// # Examples
///
/// ```
/// use tinyloop_runtime::block_on;
///
/// async fn add(a: u32, b: u32) -> u32 {
///     a + b
/// }
///
/// // `add(1, 2)` only builds a future; `block_on` is what runs it.
/// let future = add(1, 2);
/// assert_eq!(block_on(future), 3);
///
/// // Futures nest: awaiting one inside another polls it from the outer one's `poll`.
/// let total = block_on(async { add(1, 2).await + add(3, 4).await });
/// assert_eq!(total, 10);
/// ```
///
/// # Panics
///
/// When called on a thread that runs a tinyloop loop (inside a task): parking that thread
/// would freeze the loop. The message is the one `run` gives (asyncio: "asyncio.run() cannot
/// be called from a running event loop").
// ANCHOR: block_on
pub fn block_on<F: Future>(future: F) -> F::Output {
    // Parking a thread that runs a tinyloop loop would freeze every task on it: refuse.
    crate::context::assert_no_running_loop();

    // ANCHOR: pin
    // Pin the future to this stack frame: from here on it never moves, so it may safely
    // hold references into itself (what an `async` block does across an `.await`).
    let mut future = pin!(future);
    // ANCHOR_END: pin

    // ANCHOR: waker
    // The waker is a closure that unparks the thread we are running on now. It is `Send` and
    // `Sync`, so any thread may call it, any number of times, even after we have returned.
    let this_thread = thread::current();
    let waker = waker_fn(move || this_thread.unpark());
    let mut cx = Context::from_waker(&waker);
    // ANCHOR_END: waker

    // ANCHOR: poll_loop
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(output) => return output,
            // Sleep until the waker unparks us. If it already did (during `poll`, or from another
            // thread just now), the thread's token is set and `park` returns at once.
            Poll::Pending => thread::park(),
        }
    }
    // ANCHOR_END: poll_loop
}
// ANCHOR_END: block_on
