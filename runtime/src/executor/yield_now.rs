//! `yield_now`: asyncio's `await asyncio.sleep(0)`.
//!
//! A task gives the loop a chance to run everything else that is ready, then continues.
//! It works because of the loop's rule for stage 4: a task woken during a step runs in the
//! next step. So a task that wakes itself and returns `Pending` goes to the back of the
//! ready queue and is polled again exactly one step later.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Let every other ready task run once, then continue (asyncio `await asyncio.sleep(0)`).
///
/// ```
/// use std::cell::RefCell;
/// use std::rc::Rc;
/// use tinyloop_runtime::{run, spawn, yield_now};
///
/// let log = Rc::new(RefCell::new(Vec::new()));
/// run({
///     let log = log.clone();
///     async move {
///         let other = spawn({
///             let log = log.clone();
///             async move { log.borrow_mut().push("other task") }
///         });
///         log.borrow_mut().push("main before yield");
///         yield_now().await; // the spawned task runs now
///         log.borrow_mut().push("main after yield");
///         other.await.unwrap();
///     }
/// });
/// assert_eq!(*log.borrow(), ["main before yield", "other task", "main after yield"]);
/// ```
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future returned by [`yield_now`].
///
/// ```
/// use tinyloop_runtime::{current_step, run, yield_now};
///
/// run(async {
///     let before = current_step();
///     yield_now().await; // back of the ready queue: resumes in the next step
///     assert_eq!(current_step(), before + 1);
/// });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
#[derive(Debug)]
pub struct YieldNow {
    /// False until the first poll has woken the task and returned `Pending`.
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        // Back of the queue: the waker schedules us for the next step.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
