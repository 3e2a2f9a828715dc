//! # Exercise 13: extending tinyloop, a rate limiter
//!
//! This exercise builds on tinyloop from the outside, as a library author would: nothing
//! here touches the loop's insides, only its public API: `tinyloop::now()` (the loop's clock,
//! virtual in the tests), `sleep_until(instant)`, and `Instant` arithmetic.
//!
//! asyncio has no rate limiter; people build one from a `Semaphore` and `sleep`, or take
//! aiolimiter's leaky bucket. Here: a limiter that lets callers through at most `per_second`
//! times a second, **evenly spaced** (one every `interval`), in the order they asked.
//!
//! The idea: keep `next_free`, the earliest time the next caller may go. A caller's slot is the
//! later of *now* and `next_free`; it moves `next_free` one interval past its slot (reserving
//! it), then sleeps until its slot if that is in the future. A limiter left idle does not bank
//! credit: after a quiet minute, two callers still go one interval apart.
//!
//! Given: the types and `new`. Write:
//!
//! - [`RateLimiter::acquire`]: reserve a slot as above, then `sleep_until(slot).await` if
//!   `slot > now`. (Reserve before the first `await`, so callers are served in order.)
//! - [`RateLimiter::try_acquire`]: `false` if `next_free` is later than now; otherwise take
//!   the slot now (set `next_free` to now + interval) and return `true`.
//!
//! Check it with `cargo run -- check 13`.

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
        // Your code: this caller's slot is the later of now and next_free; move next_free one
        // interval past it; sleep_until(slot) if that is in the future.
        todo!()
    }
    // ANCHOR_END: acquire

    // ANCHOR: try_acquire
    /// Takes the current slot if it is free now, without waiting: `true` if the caller may go.
    pub fn try_acquire(&self) -> bool {
        // Your code: false if next_free is still in the future; else take the slot now.
        todo!()
    }
    // ANCHOR_END: try_acquire
}
