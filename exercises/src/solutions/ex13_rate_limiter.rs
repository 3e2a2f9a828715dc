//! Reference solution of exercise 13 (see `src/ex13_rate_limiter.rs` for the instructions).

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{Instant, now, sleep_until};

/// Lets callers through at most `per_second` times a second, evenly spaced, first come first
/// served. Clones share the same schedule.
#[derive(Clone)]
pub struct RateLimiter {
    inner: Rc<Inner>,
}

/// The limiter's shared schedule.
pub struct Inner {
    /// The time between two callers: one second / `per_second`.
    interval: Duration,
    /// The earliest loop time the next caller may go; `None` before the first. Invariant:
    /// every caller that has reserved a slot has a slot earlier than this.
    next_free: Cell<Option<Instant>>,
}

impl RateLimiter {
    /// A limiter letting `per_second` callers through each second.
    ///
    /// # Panics
    ///
    /// If `per_second` is 0: nobody could ever go.
    pub fn new(per_second: u32) -> RateLimiter {
        assert!(
            per_second > 0,
            "a rate of 0 per second lets nobody through; use at least 1"
        );
        RateLimiter {
            inner: Rc::new(Inner {
                interval: Duration::from_secs(1) / per_second,
                next_free: Cell::new(None),
            }),
        }
    }

    /// The time between two callers.
    pub fn interval(&self) -> Duration {
        self.inner.interval
    }

    // ANCHOR: acquire
    /// Waits for this caller's turn.
    ///
    /// # Cancel safety
    ///
    /// The slot is reserved when the future is first polled; dropping it while it waits
    /// wastes that slot (the callers after it keep theirs).
    pub async fn acquire(&self) {
        let now = now();
        let slot = match self.inner.next_free.get() {
            Some(free) if free > now => free,
            // Idle for a while: no credit piles up; go now.
            _ => now,
        };
        self.inner.next_free.set(Some(slot + self.inner.interval));
        if slot > now {
            sleep_until(slot).await;
        }
    }
    // ANCHOR_END: acquire

    // ANCHOR: try_acquire
    /// Takes the current slot if it is free now, without waiting: `true` if the caller may go.
    pub fn try_acquire(&self) -> bool {
        let now = now();
        if self.inner.next_free.get().is_some_and(|free| free > now) {
            return false;
        }
        self.inner.next_free.set(Some(now + self.inner.interval));
        true
    }
    // ANCHOR_END: try_acquire
}
