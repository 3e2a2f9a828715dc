//! The thread's current loop: the one place that knows which loop is running, and lends
//! its parts to the code that needs them.
//!
//! asyncio keeps the running loop in a thread-local too (`asyncio.get_running_loop()`
//! reads `_running_loop`), and raises when there is none. Here a `Runtime` enters its loop
//! into this thread-local for as long as `block_on` runs, and the free functions of the
//! crate (`spawn`, `sleep`, `now`, `to_thread`) look it up.
//!
//! Code below the executor never sees the loop itself. A `Sleep` asks for the time driver,
//! a socket for the reactor, `to_thread` for the thread pool, a future for the trace sink:
//! [`with`] lends exactly those ([`Lent`]), and the task being polled, which is all a
//! driver needs to know about the scheduler. Only the executor's own code (`spawn`, a
//! task's waker) asks for the whole loop, with [`with_loop`].
//!
//! Only one loop can be running on a thread: starting another inside it is the error
//! asyncio reports as "asyncio.run() cannot be called from a running event loop".

use std::cell::RefCell;
use std::rc::Rc;

use crate::blocking::BlockingPool;
use crate::executor::Loop;
use crate::ids::TaskId;
use crate::reactor::Reactor;
use crate::time::driver::TimeDriver;
use crate::trace::TraceSink;

thread_local! {
    /// The loop running on this thread, if any. Set by [`enter`], cleared by its guard.
    static CURRENT: RefCell<Option<Rc<Loop>>> = const { RefCell::new(None) };
}

/// What code below the executor may use of the running loop: each driver's handle, the
/// trace sink, and which task is being polled. A view (one pointer), so lending costs
/// nothing; only these methods can be reached through it.
#[derive(Clone, Copy)]
pub(crate) struct Lent<'a> {
    /// The loop lent.
    this: &'a Loop,
}

impl<'a> Lent<'a> {
    /// The clock and the timers.
    #[inline]
    pub(crate) fn time(self) -> &'a Rc<TimeDriver> {
        &self.this.time
    }

    /// Sockets and the poller.
    #[inline]
    pub(crate) fn reactor(self) -> &'a Rc<Reactor> {
        &self.this.reactor
    }

    /// The `to_thread` pool.
    #[inline]
    pub(crate) fn blocking(self) -> &'a Rc<BlockingPool> {
        &self.this.blocking
    }

    /// The tracer, the current wake cause, the waiting-on note.
    #[inline]
    pub(crate) fn trace(self) -> &'a TraceSink {
        &self.this.trace
    }

    /// The task being polled right now (`main` is `trace::MAIN`), if any.
    #[inline]
    pub(crate) fn running(self) -> Option<TaskId> {
        self.this.running_task()
    }
}

/// Proof that a loop is entered on this thread; leaving happens on drop, even when a
/// panic unwinds out of `block_on`.
pub(crate) struct EnterGuard {
    _private: (),
}

/// Make `this` the thread's current loop.
///
/// # Panics
///
/// If a loop is already running on this thread.
pub(crate) fn enter(this: Rc<Loop>) -> EnterGuard {
    try_enter(this).unwrap_or_else(|| {
        panic!(
            "tinyloop cannot start a loop on a thread that is exiting (its thread-locals \
             are already gone)"
        )
    })
}

/// [`enter`], or `None` when the thread is exiting and its thread-locals are gone (a
/// `Runtime` kept in a `thread_local!` is dropped then: it must still be able to close).
///
/// # Panics
///
/// If a loop is already running on this thread.
pub(crate) fn try_enter(this: Rc<Loop>) -> Option<EnterGuard> {
    CURRENT
        .try_with(|current| {
            let mut current = current.borrow_mut();
            if current.is_some() {
                refuse_nested_loop();
            }
            *current = Some(this);
        })
        .ok()?;
    Some(EnterGuard { _private: () })
}

/// Panic if a loop runs on this thread: starting another loop there (`run`, `block_on`)
/// would block the running one, and every task on it, until it returned.
pub(crate) fn assert_no_running_loop() {
    if try_with_loop(|current| current.is_some()) {
        refuse_nested_loop();
    }
}

/// The error for a loop started inside a running loop, in asyncio's words.
fn refuse_nested_loop() -> ! {
    panic!(
        "cannot start a loop from inside a running loop (asyncio: \"asyncio.run() \
         cannot be called from a running event loop\"): inside a task, `.await` the \
         future or `spawn` it instead of calling `run` or `block_on`"
    )
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        // Take the loop out first and drop it after the borrow ends: dropping it may run
        // destructors that look at CURRENT again.
        let this = CURRENT
            .try_with(|current| current.borrow_mut().take())
            .ok()
            .flatten();
        drop(this);
    }
}

/// Run `f` with the whole current loop, or `None` when no loop runs on this thread. For
/// the executor's own code; everything else uses [`try_with`].
///
/// The loop is lent, not cloned (an `Rc` clone and drop on every `sleep` poll and every
/// wake add up), so `f` must not start or leave a loop; nothing in the crate does.
pub(crate) fn try_with_loop<R>(f: impl FnOnce(Option<&Rc<Loop>>) -> R) -> R {
    let mut f = Some(f);
    let lent = CURRENT.try_with(|current| {
        let f = f.take().expect("called once");
        f(current.borrow().as_ref())
    });
    match lent {
        Ok(result) => result,
        // The thread is exiting and its thread-locals are gone: no loop runs here.
        Err(_) => (f.take().expect("not called yet"))(None),
    }
}

/// Run `f` with the whole current loop.
///
/// # Panics
///
/// With a message naming `what` when no loop is running on this thread.
pub(crate) fn with_loop<R>(what: &str, f: impl FnOnce(&Rc<Loop>) -> R) -> R {
    try_with_loop(|this| match this {
        Some(this) => f(this),
        None => no_running_loop(what),
    })
}

/// Run `f` with the current loop's parts (see [`Lent`]), or `None` outside a loop.
pub(crate) fn try_with<R>(f: impl FnOnce(Option<Lent<'_>>) -> R) -> R {
    try_with_loop(|this| f(this.map(|this| Lent { this })))
}

/// Run `f` with the current loop's parts.
///
/// # Panics
///
/// With a message naming `what` when no loop is running on this thread.
pub(crate) fn with<R>(what: &str, f: impl FnOnce(Lent<'_>) -> R) -> R {
    try_with_loop(|this| match this {
        Some(this) => f(Lent { this }),
        None => no_running_loop(what),
    })
}

/// The error every loop-only function gives outside a loop, in asyncio's words.
fn no_running_loop(what: &str) -> ! {
    panic!(
        "{what} called outside a running loop (asyncio: \"no running event loop\"): \
         call it from inside `tinyloop::run(async {{ ... }})` or a task spawned there"
    )
}

/// The state of the loop running on this thread, for `trace::snapshot`: the one question
/// about the scheduler that code below it may ask, and it only reads.
pub(crate) fn snapshot() -> Option<crate::trace::Snapshot> {
    try_with_loop(|this| this.and_then(|this| this.snapshot()))
}
