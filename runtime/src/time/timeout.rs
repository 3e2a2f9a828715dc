//! `timeout` and `wait_for`: `async with asyncio.timeout(delay)` and `asyncio.wait_for(aw,
//! timeout)`.
//!
//! Race the future against a [`Sleep`]. If the future finishes first, its output is
//! returned; if the deadline comes first, the future is **dropped** (that is how Rust
//! cancels: its destructors run, nothing more of it ever runs) and `Err(Elapsed)` is
//! returned. asyncio instead throws `CancelledError` into the coroutine and, once it has
//! unwound, raises `TimeoutError`.
//!
//! # Zero and past deadlines: the scope and the call differ
//!
//! * [`timeout`] is asyncio's `timeout` scope: a deadline already reached is noticed at the
//!   body's first `await` (asyncio schedules the cancel with `call_soon`), so the inner future
//!   is always polled once, and one that is ready at once wins even against a zero timeout.
//! * [`wait_for`] is asyncio's `wait_for`, which since 3.10 (and still in 3.13) treats
//!   `timeout <= 0` apart: it wraps the coroutine in a task and cancels the task before its
//!   first step. So `wait_for(future, Duration::ZERO)` never polls the future, not even one
//!   that would be ready at once; it is dropped unstarted and the answer is `Err(Elapsed)`.
//!
//! # What `wait_for` does to a task at the deadline
//!
//! `asyncio.wait_for(task, t)` cancels the task at the deadline, and returns (raises
//! `TimeoutError`) only once the task has finished being cancelled. So does a `wait_for`
//! around a coroutine that is awaiting a task: cancelling a task cancels the task it awaits.
//! In tinyloop, dropping a [`JoinHandle`](crate::JoinHandle) normally *detaches* its task
//! (it keeps running). While `wait_for` drops the future it gave up on, it opens a
//! **give-up scope** (below): every unfinished task whose handle is dropped in that scope
//! is cancelled instead, and `wait_for` then lets the loop take one turn, in which those
//! tasks' futures are dropped (their destructors are their `finally` blocks), before it
//! returns. To stop waiting but leave the task running, asyncio writes
//! `wait_for(shield(task), t)`, and so does tinyloop ([`shield`](crate::compose::shield)).
//!
//! [`timeout`] opens no give-up scope: a handle it drops detaches its task, tokio's rule.
//!
//! # The give-up scope: how `wait_for` cancels the tasks it gave up on
//!
//! [`wait_for`](crate::time::wait_for) takes any future, and Rust cannot ask a generic
//! future "are you a `JoinHandle`?". So the rule is carried by a scope instead of a type:
//! while `wait_for` drops the future it gave up on, a thread-local counter says "giving
//! up", and a `JoinHandle` dropped unfinished inside asks `cancel_dropped_task`, which
//! answers yes: the handle cancels its task instead of detaching it. That covers
//! `wait_for(handle, t)` and a future awaiting a handle alike, as asyncio's cancellation
//! travels from a task to the task it awaits. `wait_for` then waits one turn of the loop,
//! in which those tasks' futures are dropped. [`shield`](crate::compose::shield) and `wait`
//! drop their handles with the scope closed (`outside_give_up`), so their tasks run on.
//! The scope lives here, in the time driver, and names no task: the executor's
//! `JoinHandle` asks it, so the arrow points down, as the layering rule wants.
//!
//! The scope is per thread and only open during a drop, which runs no `await`: no other
//! task can run while it is open, so it cannot leak into one.
//!
//! # Why an `async fn` and not a `Timeout<F>` struct
//!
//! A struct that holds the inner future and polls it needs to project its own pinning onto
//! that field, which takes either `unsafe` code or the `pin-project-lite` crate (tokio's
//! choice, outside our five dependencies). An `async fn` gets the pinning for free, and the
//! poll logic is still written by hand in the `poll_fn` below.
//!
//! # Speed
//!
//! The timer is filed only once the inner future has returned `Pending`: a timeout around
//! a future that is ready at once costs no timer at all.

use std::cell::Cell;
use std::fmt;
use std::future::{Future, IntoFuture, poll_fn};
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Duration;

use super::{Instant, Sleep, sleep_until};

/// The error of a [`timeout`] whose deadline came first (asyncio: `TimeoutError`).
///
/// ```
/// use std::future::pending;
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{Elapsed, timeout};
///
/// let outcome = run_virtual(timeout(Duration::from_secs(1), pending::<()>()));
/// assert_eq!(outcome, Err(Elapsed));
/// assert_eq!(Elapsed.to_string(), "deadline has elapsed (asyncio: TimeoutError)");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Elapsed;

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "deadline has elapsed (asyncio: TimeoutError)")
    }
}

impl std::error::Error for Elapsed {}

/// Run `future`, giving up after `duration`: then the future is dropped and
/// `Err(Elapsed)` returned.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{Elapsed, now, sleep, timeout};
///
/// run_virtual(async {
///     let slow = timeout(Duration::from_millis(500), sleep(Duration::from_secs(2)));
///     assert_eq!(slow.await, Err(Elapsed));
///     assert_eq!(now().to_string(), "t=0.50");
///     let fast = timeout(Duration::from_secs(1), async { 7 });
///     assert_eq!(fast.await, Ok(7));
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the returned future drops the inner future and cancels the timer.
pub async fn timeout<F: IntoFuture>(duration: Duration, future: F) -> Result<F::Output, Elapsed> {
    let future = future.into_future();
    // The deadline counts from the first poll, like `sleep`.
    race_deadline(Deadline::After(duration), future).await
}

/// [`timeout`] with an absolute deadline (asyncio `asyncio.timeout_at(when)`).
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{Elapsed, Instant, now, sleep, timeout_at};
///
/// run_virtual(async {
///     let deadline = Instant::from_start(Duration::from_secs(1));
///     let slow = timeout_at(deadline, sleep(Duration::from_secs(5)));
///     assert_eq!(slow.await, Err(Elapsed));
///     assert_eq!(now().to_string(), "t=1.00");
/// });
/// ```
pub async fn timeout_at<F: IntoFuture>(deadline: Instant, future: F) -> Result<F::Output, Elapsed> {
    race_deadline(Deadline::At(deadline), future.into_future()).await
}

/// Wait for `future` for at most `duration`, as `asyncio.wait_for(aw, timeout)`: its output,
/// or `Err(Elapsed)` at the deadline, when the future is dropped, and every task whose
/// [`JoinHandle`](crate::JoinHandle) it held is cancelled and waited for.
///
/// Two things differ from [`timeout`] (see the module docs for why):
///
/// * **A zero duration never starts the future**: it is dropped unpolled, and the answer is
///   `Err(Elapsed)`, as asyncio's `wait_for(coro, 0)` cancels the coroutine's task before its
///   first step.
/// * **A task is cancelled, not detached**: `wait_for(handle, d)` cancels the task at the
///   deadline and returns once its future has been dropped, as `asyncio.wait_for(task, t)`.
///   The same holds for tasks awaited inside `future`. `wait_for(shield(handle), d)` stops
///   waiting and leaves the task running.
///
/// ```
/// use std::cell::Cell;
/// use std::rc::Rc;
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{Elapsed, now, sleep, wait_for};
///
/// run_virtual(async {
///     let slow = wait_for(sleep(Duration::from_secs(2)), Duration::from_millis(500));
///     assert_eq!(slow.await, Err(Elapsed));
///     assert_eq!(now().to_string(), "t=0.50");
///
///     let started = Rc::new(Cell::new(false));
///     let flag = started.clone();
///     let quick = async move { flag.set(true); 7 };
///     assert_eq!(wait_for(quick, Duration::ZERO).await, Err(Elapsed));
///     assert!(!started.get()); // never started, even though it was ready at once
/// });
/// ```
///
/// One case differs from asyncio: `wait_for(handle, Duration::ZERO)` on a task that has
/// *already finished* drops the handle unpolled and answers `Err(Elapsed)`, where asyncio
/// returns the finished task's result (`wait_for` cannot tell a handle from any other
/// future without polling it). [`wait_for_task`](crate::compose::wait_for_task) checks the
/// task once first.
///
/// # Cancel safety
///
/// Dropping the returned future drops the inner future (detaching, not cancelling, the
/// tasks whose handles it held: only a deadline opens the give-up scope).
pub async fn wait_for<F: IntoFuture>(future: F, duration: Duration) -> Result<F::Output, Elapsed> {
    let mut future = pin!(Some(future.into_future()));
    if duration.is_zero() {
        give_up(future).await;
        return Err(Elapsed);
    }
    let inner = poll_fn(|cx| match future.as_mut().as_pin_mut() {
        Some(inner) => inner.poll(cx),
        None => unreachable!("the future is dropped only after the race"),
    });
    let result = race_deadline(Deadline::After(duration), inner).await;
    if result.is_err() {
        give_up(future).await;
    }
    result
}

thread_local! {
    /// How many give-up scopes are open on this thread (a task dropped inside one may drop
    /// another `wait_for` that is giving up too; a [`shield`](crate::compose::shield) closes
    /// them all for the handle it drops). Zero almost always.
    static GIVING_UP: Cell<u32> = const { Cell::new(0) };
    /// How many tasks were cancelled by [`cancel_dropped_task`] on this thread, ever; a
    /// `wait_for` compares it before and after its give-up.
    static CANCELLED: Cell<u64> = const { Cell::new(0) };
}

/// Asked by a [`JoinHandle`](crate::JoinHandle) dropped while its task is unfinished: true
/// if a `wait_for` is dropping, right now, the future that held the handle, which means
/// the task must be cancelled rather than detached (asyncio cancels the task a cancelled
/// `wait_for` was waiting for). Counts the task, so that the `wait_for` waits for it.
pub(crate) fn cancel_dropped_task() -> bool {
    let giving_up = GIVING_UP.with(Cell::get) > 0;
    if giving_up {
        CANCELLED.with(|cancelled| cancelled.set(cancelled.get() + 1));
    }
    giving_up
}

/// Run `f` with every give-up scope closed: handles dropped in it detach their tasks. For
/// [`shield`](crate::compose::shield), and for `wait`, which (like asyncio's) never
/// cancels the tasks it watches.
pub(crate) fn outside_give_up<R>(f: impl FnOnce() -> R) -> R {
    let open = GIVING_UP.with(|giving_up| giving_up.replace(0));
    let _restore = RestoreGivingUp(open);
    f()
}

/// Restores the give-up depth when dropped, so that a panic inside a destructor cannot
/// leave a scope open (which would turn later detaches into cancels).
struct RestoreGivingUp(u32);

impl Drop for RestoreGivingUp {
    fn drop(&mut self) {
        GIVING_UP.with(|giving_up| giving_up.set(self.0));
    }
}

/// Drop `future` inside a give-up scope; if that cancelled any task, let the loop take one
/// turn, in which each cancelled task's future is dropped: a cancel is carried out at the
/// task's next turn, and the tasks it cancelled were woken before we yield, so in the
/// loop's FIFO order their turns come before ours.
async fn give_up<F>(mut future: Pin<&mut Option<F>>) {
    let before = CANCELLED.with(Cell::get);
    {
        let depth = GIVING_UP.with(|giving_up| giving_up.replace(giving_up.get() + 1));
        let _restore = RestoreGivingUp(depth);
        future.set(None);
    }
    if CANCELLED.with(Cell::get) != before {
        // One turn: wake ourselves and return `Pending` once (`yield_now`, which a driver
        // cannot name).
        let mut yielded = false;
        poll_fn(|cx| {
            if yielded {
                return Poll::Ready(());
            }
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        })
        .await;
    }
}

enum Deadline {
    After(Duration),
    At(Instant),
}

async fn race_deadline<F: Future>(deadline: Deadline, future: F) -> Result<F::Output, Elapsed> {
    let mut future = pin!(future);
    let mut deadline_at: Option<Instant> = match deadline {
        Deadline::At(at) => Some(at),
        Deadline::After(_) => None,
    };
    let mut timer: Option<Sleep> = None;
    poll_fn(|cx| {
        let at = *deadline_at.get_or_insert_with(|| match deadline {
            Deadline::After(duration) => super::now().saturating_add(duration),
            Deadline::At(at) => at,
        });
        // The future first: if it is ready, it wins, even against an expired deadline.
        if let Poll::Ready(output) = future.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        if super::now() >= at {
            return Poll::Ready(Err(Elapsed));
        }
        // Pending: only now file the timer.
        let timer = timer.get_or_insert_with(|| sleep_until(at));
        match Pin::new(timer).poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed)),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}
