//! `sleep`: asyncio's `await asyncio.sleep(delay)`.
//!
//! A sleeping task does not block the loop: [`Sleep`] files a timer in the loop's wheel with
//! the task's waker and returns `Pending`. The loop, having no reason to run the task, either
//! runs others or waits (stage 1) exactly until the wheel's next deadline; when the timer
//! fires (stage 3) the waker puts the task back in the ready queue.
//!
//! asyncio's `sleep(0)` is special-cased to yield once without a timer; so is ours: a sleep
//! whose deadline has already passed when first polled yields once, then completes.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use super::Instant;
use super::wheel::TimerKey;
use crate::context;

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

/// A timer filed in a loop's wheel.
#[derive(Clone, Copy, Debug)]
struct Registration {
    /// Which loop's wheel holds it.
    loop_id: u64,
    /// Its key there.
    key: TimerKey,
}

/// The future returned by [`sleep`] and [`sleep_until`].
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

    fn cancel_timer(&mut self) {
        if let Some(registration) = self.timer.take() {
            context::try_with(|shared| {
                if let Some(shared) = shared
                    && shared.id == registration.loop_id
                {
                    shared.timers.borrow_mut().cancel(registration.key);
                }
            });
        }
    }
}

// ANCHOR: poll
impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        context::with("tinyloop::time::sleep()", |shared| {
            let now = shared.clock.now();
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
            shared.note_waiting_on(crate::trace::WaitingOn::Timer(deadline));
            let mut timers = shared.timers.borrow_mut();
            match this.timer {
                Some(registration) if timers.contains(registration.key) => {
                    // Still filed: make sure it will wake the task polling us now.
                    if let Some(entry) = timers.get_mut(registration.key)
                        && !entry.waker.will_wake(cx.waker())
                    {
                        entry.waker = cx.waker().clone();
                    }
                }
                _ => {
                    drop(timers);
                    let key = shared.add_timer(deadline, cx.waker().clone());
                    this.timer = Some(Registration {
                        loop_id: shared.id,
                        key,
                    });
                }
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
