//! `sleep`: asyncio's `await asyncio.sleep(delay)`.
//!
//! A sleeping task does not block the loop: [`Sleep`] files a timer in the loop's wheel with
//! the task's waker and returns `Pending`. The loop, having no reason to run the task, either
//! runs others or waits (stage 1) exactly until the wheel's next deadline; when the timer
//! fires (stage 3) the waker puts the task back in the ready queue.
//!
//! asyncio's `sleep(0)` is special-cased to yield once without a timer; so is ours: a sleep
//! whose deadline has already passed when first polled yields once, then completes.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use super::Instant;
use super::driver::TimeDriver;
use super::wheel::TimerKey;
use crate::context;
use crate::trace::WaitingOn;

/// Wait for `duration` without blocking the loop (asyncio `await asyncio.sleep(seconds)`).
///
/// The deadline is set when the sleep is first polled, not when it is created: like a
/// coroutine object, a `Sleep` does nothing until awaited. `Duration::MAX` sleeps forever.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{now, sleep};
///
/// run_virtual(async {
///     sleep(Duration::from_millis(300)).await;
///     assert_eq!(now().to_string(), "t=0.30");
/// });
/// ```
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        deadline: Deadline::After(duration),
        timer: None,
        yielded: false,
    }
}

/// Wait until the loop's clock reaches `deadline`.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{now, sleep, sleep_until};
///
/// run_virtual(async {
///     let deadline = now() + Duration::from_secs(2);
///     sleep(Duration::from_millis(500)).await;
///     sleep_until(deadline).await; // 1.5 s more, not 2
///     assert_eq!(now().to_string(), "t=2.00");
/// });
/// ```
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline: Deadline::At(deadline),
        timer: None,
        yielded: false,
    }
}

/// When a [`Sleep`] ends.
#[derive(Clone, Copy, Debug)]
enum Deadline {
    /// This long after the first poll.
    After(Duration),
    /// At this instant.
    At(Instant),
}

/// A timer filed with a loop's time driver.
struct Registration {
    /// The driver whose wheel holds it: the one place "which loop" is spelled.
    driver: Rc<TimeDriver>,
    /// Its key there.
    key: TimerKey,
}

impl fmt::Debug for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registration")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

/// The future returned by [`sleep`] and [`sleep_until`].
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{Instant, now, sleep};
///
/// run_virtual(async {
///     let mut nap = sleep(Duration::from_secs(1));
///     assert_eq!(nap.deadline(), None); // no deadline until it is first polled
///     let three = Instant::from_start(Duration::from_secs(3));
///     nap.reset(three);
///     assert_eq!(nap.deadline(), Some(three));
///     nap.await;
///     assert_eq!(now().to_string(), "t=3.00");
/// });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
#[derive(Debug)]
pub struct Sleep {
    /// When to finish; `After` becomes `At` at the first poll.
    deadline: Deadline,
    /// The timer, once filed. Dropping the `Sleep` cancels it.
    timer: Option<Registration>,
    /// True once a sleep whose deadline had already passed has yielded its one step.
    yielded: bool,
}

impl Sleep {
    /// The instant this sleep ends, once it has been polled.
    pub fn deadline(&self) -> Option<Instant> {
        match self.deadline {
            Deadline::At(at) => Some(at),
            Deadline::After(_) => None,
        }
    }

    /// Move the deadline (used by `interval`-like loops); the timer is re-filed at the
    /// next poll.
    pub fn reset(&mut self, deadline: Instant) {
        self.cancel_timer();
        self.deadline = Deadline::At(deadline);
        self.yielded = false;
    }

    /// Withdraw the timer from the driver it was filed with, whichever loop runs now.
    fn cancel_timer(&mut self) {
        if let Some(registration) = self.timer.take() {
            registration.driver.cancel(registration.key);
        }
    }
}

// ANCHOR: poll
impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        context::with("tinyloop::time::sleep()", |lent| {
            let now = lent.time().now();
            let deadline = match this.deadline {
                Deadline::At(at) => at,
                Deadline::After(duration) => {
                    let at = now.saturating_add(duration);
                    this.deadline = Deadline::At(at);
                    // A sleep already due at its first poll yields once, like asyncio.sleep(0).
                    if at <= now {
                        this.yielded = true;
                        cx.waker().wake_by_ref();
                        return Poll::Pending;
                    }
                    at
                }
            };
            if now >= deadline {
                if this.timer.is_none() && !this.yielded {
                    // sleep_until a past instant: yield once, as above.
                    this.yielded = true;
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                this.cancel_timer();
                return Poll::Ready(());
            }
            lent.trace().note(WaitingOn::Timer(deadline));
            if deadline == Instant::NEVER {
                // A deadline past the end of the clock never comes: file no timer, so the
                // loop does not wait (or jump) for it. Only cancellation ends this sleep.
                return Poll::Pending;
            }
            let filed_here = this.timer.as_ref().is_some_and(|registration| {
                Rc::ptr_eq(&registration.driver, lent.time())
                    && registration.driver.refresh(registration.key, cx.waker())
            });
            if !filed_here {
                // The first poll, the first after `reset`, or the first on another loop
                // (whose wheel never hears of the old timer: it is withdrawn from its own).
                this.cancel_timer();
                let key = lent
                    .time()
                    .insert(deadline, cx.waker().clone(), lent.running());
                this.timer = Some(Registration {
                    driver: Rc::clone(lent.time()),
                    key,
                });
            }
            Poll::Pending
        })
    }
}
// ANCHOR_END: poll

// ANCHOR: drop
impl Drop for Sleep {
    fn drop(&mut self) {
        self.cancel_timer();
    }
}
// ANCHOR_END: drop
