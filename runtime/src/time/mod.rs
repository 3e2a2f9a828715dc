//! Time: the loop's clock, the timer wheel, and the futures that wait on them.
//!
//! asyncio keeps its timers (`loop.call_at`) in a binary heap, `loop._scheduled`, and asks
//! the heap's head how long `select()` may block. tinyloop keeps them in a hierarchical
//! timing wheel (`wheel/`), owned with the clock by the time driver (`driver.rs`), and asks
//! it the same question in stage 1 of every step; stage 3 fires what has expired. Nothing in
//! this module names the executor: a `Sleep` files its timer with the driver it is lent.
//!
//! * [`sleep`], [`sleep_until`]: `asyncio.sleep`.
//! * [`timeout`], [`timeout_at`], [`wait_for`]: `asyncio.wait_for` / `asyncio.timeout`.
//! * [`now`] and [`Instant`]: `loop.time()`, on the loop's clock, real or virtual.
//!
//! Every timer belongs to a future; dropping the future cancels the timer.

pub(crate) mod clock;
pub(crate) mod driver;
mod sleep;
mod timeout;
pub(crate) mod wheel;

use std::task::Waker;

pub use clock::Instant;
pub use sleep::{Sleep, sleep, sleep_until};
pub use timeout::{Elapsed, timeout, timeout_at, wait_for};
pub(crate) use timeout::{cancel_dropped_task, outside_give_up};

use crate::ids::TaskId;

/// The loop's time now, like asyncio's `loop.time()`.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{now, sleep};
///
/// run_virtual(async {
///     let start = now();
///     sleep(Duration::from_millis(1500)).await;
///     assert_eq!(start.elapsed(), Duration::from_millis(1500)); // exact on the virtual clock
///     assert_eq!(now().to_string(), "t=1.50");
/// });
/// ```
///
/// # Panics
///
/// Outside a running loop.
pub fn now() -> Instant {
    Instant::now()
}

/// What the timer wheel holds for each timer.
pub(crate) struct TimerEntry {
    /// The exact instant it is due; the wheel files it by the tick that ends at or after it.
    pub(crate) deadline: Instant,
    /// Called when the timer fires.
    pub(crate) waker: Waker,
    /// The task that set the timer, for the tracer's snapshot.
    pub(crate) owner: Owner,
}

/// The task that set a timer, if one did, in 8 bytes: `Option<TaskId>` takes 16, and would
/// push the wheel's entry past a 64-byte cache line. Task ids count up from 0, so no task
/// is numbered `u64::MAX`, which stands for "none".
#[derive(Clone, Copy, Debug)]
pub(crate) struct Owner(u64);

impl Owner {
    pub(crate) fn new(task: Option<TaskId>) -> Owner {
        Owner(task.map_or(u64::MAX, |task| task.0))
    }

    pub(crate) fn get(self) -> Option<TaskId> {
        (self.0 != u64::MAX).then_some(TaskId(self.0))
    }
}
