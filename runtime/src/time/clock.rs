//! The loop's clock, real or virtual, and the `Instant` it reads.
//!
//! asyncio's `loop.time()` is a monotonic float of seconds. tinyloop's clock counts
//! nanoseconds from the moment the loop was built, so `t=0.00` is the start of the program
//! on either clock:
//!
//! * the **real** clock reads `std::time::Instant`;
//! * the **virtual** clock only moves when the loop moves it. When no task is ready and
//!   nothing outside the loop could wake one, the loop jumps it straight to the next timer's
//!   deadline. A program that sleeps ten minutes ends at once, and every timestamp it prints
//!   is exact: `sleep(0.3)` ends at exactly `t=0.30`, on every machine. Tests and demo
//!   outputs rely on it.

use std::cell::Cell;
use std::fmt;
use std::ops::{Add, Sub};
use std::time::Duration;

use crate::context;

/// A point in loop time: how long after the loop started. Follows the loop's clock, so
/// under the virtual clock it only moves when the loop jumps.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{Instant, now, sleep};
///
/// run_virtual(async {
///     let start = now();
///     assert_eq!(start, Instant::ZERO); // loop time starts at t=0
///     sleep(Duration::from_millis(1500)).await;
///     assert_eq!(start.elapsed(), Duration::from_millis(1500));
///     assert_eq!(now(), Instant::from_start(Duration::from_millis(1500)));
///     assert_eq!(now().as_secs_f64(), 1.5);
///     assert_eq!(now().to_string(), "t=1.50");
/// });
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    /// Nanoseconds since the loop's clock started.
    nanos: u64,
}

impl Instant {
    /// The loop's start: `t=0`.
    pub const ZERO: Instant = Instant { nanos: 0 };

    /// The current loop's time, like asyncio's `loop.time()`. Same as
    /// [`now`](crate::time::now).
    ///
    /// # Panics
    ///
    /// Outside a running loop.
    pub fn now() -> Instant {
        context::with("tinyloop::time::now()", |lent| lent.time().now())
    }

    /// The instant this long after the loop started.
    pub fn from_start(since_start: Duration) -> Instant {
        Instant {
            nanos: u64::try_from(since_start.as_nanos()).unwrap_or(u64::MAX),
        }
    }

    /// The last instant the clock can name, about 584 years after the loop started. A
    /// deadline that saturates to it (`sleep(Duration::MAX)`, `timeout(Duration::MAX, …)`,
    /// any sleep past the end of the clock) means "never": no timer is filed for it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tinyloop_runtime::time::Instant;
    ///
    /// assert_eq!(Instant::ZERO.saturating_add(Duration::MAX), Instant::NEVER);
    /// assert_eq!(Instant::NEVER.since_start().as_secs() / (365 * 24 * 3600), 584); // years
    /// ```
    pub const NEVER: Instant = Instant { nanos: u64::MAX };

    /// How long after the loop started this instant is.
    pub fn since_start(self) -> Duration {
        Duration::from_nanos(self.nanos)
    }

    /// Seconds since the loop started, for printing `t=0.30`.
    pub fn as_secs_f64(self) -> f64 {
        self.since_start().as_secs_f64()
    }

    /// Time from `earlier` to `self`; zero if `earlier` is later.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tinyloop_runtime::time::Instant;
    ///
    /// let one = Instant::from_start(Duration::from_secs(1));
    /// let three = Instant::from_start(Duration::from_secs(3));
    /// assert_eq!(three.duration_since(one), Duration::from_secs(2));
    /// assert_eq!(one.duration_since(three), Duration::ZERO); // never negative
    /// ```
    pub fn duration_since(self, earlier: Instant) -> Duration {
        Duration::from_nanos(self.nanos.saturating_sub(earlier.nanos))
    }

    /// Time from this instant to the loop's now.
    pub fn elapsed(self) -> Duration {
        Instant::now().duration_since(self)
    }

    /// `self + duration`, saturating at the far future instead of overflowing, so that
    /// `sleep(Duration::MAX)` is a sleep forever and not a panic.
    pub fn saturating_add(self, duration: Duration) -> Instant {
        let add = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
        Instant {
            nanos: self.nanos.saturating_add(add),
        }
    }

    // ANCHOR: ticks
    /// The timer-wheel tick (whole milliseconds) at or after this instant: rounding up is
    /// what makes a timer never fire early.
    pub(crate) fn tick_ceil(self) -> u64 {
        self.nanos.div_ceil(NANOS_PER_TICK)
    }

    /// The last whole tick at or before this instant: the wheel may fire timers up to it.
    pub(crate) fn tick_floor(self) -> u64 {
        self.nanos / NANOS_PER_TICK
    }

    /// The instant a tick starts.
    pub(crate) fn from_tick(tick: u64) -> Instant {
        Instant {
            nanos: tick.saturating_mul(NANOS_PER_TICK),
        }
    }
    // ANCHOR_END: ticks
}

/// The timer wheel's resolution: one millisecond.
const NANOS_PER_TICK: u64 = 1_000_000;

impl Add<Duration> for Instant {
    type Output = Instant;

    fn add(self, duration: Duration) -> Instant {
        self.saturating_add(duration)
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;

    fn sub(self, earlier: Instant) -> Duration {
        self.duration_since(earlier)
    }
}

impl fmt::Display for Instant {
    /// `t=1.25`: seconds since the loop started, two decimals, as the demos print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t={:.2}", self.as_secs_f64())
    }
}

// ANCHOR: clock
/// The loop's clock.
pub(crate) enum Clock {
    /// Wall time, measured from `origin`.
    Real {
        /// When the loop was built: `t=0`.
        origin: std::time::Instant,
    },
    /// Time that only the loop advances.
    Virtual {
        /// The current virtual time; never goes backwards.
        now: Cell<Instant>,
    },
}

impl Clock {
    pub(crate) fn real() -> Clock {
        Clock::Real {
            origin: std::time::Instant::now(),
        }
    }

    pub(crate) fn virtual_clock() -> Clock {
        Clock::Virtual {
            now: Cell::new(Instant::ZERO),
        }
    }

    pub(crate) fn is_virtual(&self) -> bool {
        matches!(self, Clock::Virtual { .. })
    }

    pub(crate) fn now(&self) -> Instant {
        match self {
            Clock::Real { origin } => Instant::from_start(origin.elapsed()),
            Clock::Virtual { now } => now.get(),
        }
    }

    /// Move the virtual clock forward to `to` (never backwards). The real clock ignores it.
    pub(crate) fn advance_to(&self, to: Instant) {
        if let Clock::Virtual { now } = self
            && to > now.get()
        {
            now.set(to);
        }
    }
}
// ANCHOR_END: clock
