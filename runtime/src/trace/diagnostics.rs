//! The loop's own health checks: the slow-poll measurement.
//!
//! asyncio's debug mode times every callback (`loop.slow_callback_duration`, 0.1 s) and
//! logs "Executing <Task …> took 0.105 seconds" when one held the loop that long. tinyloop
//! times polls the same way, always on, with the loop's own clock.
//!
//! # One clock reading per window of polls
//!
//! Reading the real clock costs 20 to 80 ns depending on the machine: as much as a whole
//! step of a task that only yields. Reading it around every poll would double the cost of
//! the busiest loops. So the loop reads it once per *window* of polls, and times the window:
//!
//! * A window starts at the first poll after the loop may have waited (time spent waiting
//!   is nobody's poll), or where the previous window ended.
//! * It ends after a poll that leaves nothing ready (the loop may wait next), or when it is
//!   full. The first window after a wait holds one poll; while the loop stays busy, each
//!   window is twice as large as the one before, up to [`POLLS_PER_READING`].
//! * A slow window of one poll names its task, exactly as asyncio does. A slow window of
//!   several names them all; then the next [`PRECISE_POLLS`] polls are timed one by one, so
//!   that a task that blocks again is named on its own.
//!
//! A program that is mostly waiting (most demos) thus times nearly every poll on its own,
//! and a busy loop pays one reading per 64 polls. The price is that a one-off blocking poll
//! in the middle of a busy stretch is reported together with its neighbours, and that
//! several polls that are each fast but together take 100 ms in one stretch are reported as
//! a group: true of the loop (it did not get to wait for 100 ms), if not of any one poll.
//! Ending a window right after a poll, while the task is still in the loop's slab, lets the
//! report name even a task that has just completed.
//!
//! On the virtual clock a reading is a `Cell` load, and a poll takes no loop time at all
//! unless it calls [`simulate_blocking`](super::simulate_blocking), which moves the virtual
//! clock as a blocking call would: that is how tests check that the warning fires at exactly
//! 100 ms and not at 50 ms.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use crate::ids::TaskId;
use crate::time::Instant;
use crate::time::driver::TimeDriver;

/// A poll that holds the loop this long or longer is reported: asyncio's default
/// `slow_callback_duration` of 0.1 s. Change it with
/// [`Builder::slow_poll_threshold`](crate::Builder::slow_poll_threshold).
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::Builder;
/// use tinyloop_runtime::trace::{Event, Recorder, SLOW_POLL_THRESHOLD, simulate_blocking};
///
/// for (held, reported) in [(SLOW_POLL_THRESHOLD, 1), (Duration::from_millis(99), 0)] {
///     let recorder = Recorder::new();
///     let runtime = Builder::new().virtual_clock(true).tracer(recorder.clone());
///     runtime.slow_poll_threshold(Some(SLOW_POLL_THRESHOLD)).build().block_on(async move {
///         simulate_blocking(held); // the loop is held this long, in one poll
///     });
///     let slow = recorder.events().into_iter().filter(|e| matches!(e, Event::SlowPoll { .. }));
///     assert_eq!(slow.count(), reported, "held for {held:?}");
/// }
/// ```
pub const SLOW_POLL_THRESHOLD: Duration = Duration::from_millis(100);

/// While the loop stays busy, one clock reading covers this many polls.
pub const POLLS_PER_READING: usize = 64;

/// After a window of several polls was slow, this many polls are timed one by one.
pub const PRECISE_POLLS: u32 = 1024;

/// What a slow window found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Slow {
    /// One poll, of this task, took this long.
    Poll(TaskId, Duration),
    /// These polls, in order, took this long together.
    Polls(Vec<TaskId>, Duration),
}

/// The diagnostics' settings and running state, one per loop.
pub(crate) struct Diagnostics {
    /// Report polls that take at least this long; `None` turns the check off (and with it
    /// every clock reading it costs).
    slow_poll: Cell<Option<Duration>>,
    /// The clock reading the current window is measured from.
    window_start: Cell<Instant>,
    /// True when the loop may have waited since `window_start`: the next stage 4 takes a
    /// fresh reading. Starts true.
    stale: Cell<bool>,
    /// The tasks polled in the current window, in order; emptied when it closes. Its length
    /// is the window's size so far.
    polled: RefCell<Vec<TaskId>>,
    /// The size at which the current window closes: 1 after a wait, doubling while the
    /// loop stays busy, up to `POLLS_PER_READING`; held at 1 while `precise` counts down.
    limit: Cell<usize>,
    /// How many of the coming polls are still to be timed one by one (after a slow window
    /// of several polls).
    precise: Cell<u32>,
}

impl Default for Diagnostics {
    fn default() -> Diagnostics {
        Diagnostics {
            slow_poll: Cell::new(Some(SLOW_POLL_THRESHOLD)),
            window_start: Cell::new(Instant::ZERO),
            stale: Cell::new(true),
            polled: RefCell::new(Vec::with_capacity(POLLS_PER_READING)),
            limit: Cell::new(1),
            precise: Cell::new(0),
        }
    }
}

/// The environment variable that sets the slow-poll threshold of every loop whose
/// `Builder` does not: `off`, or a number of milliseconds.
pub const SLOW_POLL_ENV: &str = "TINYLOOP_SLOW_POLL";

/// The threshold [`SLOW_POLL_ENV`]'s value asks for: `off` is `None`, `250` is 250 ms.
pub(crate) fn threshold_from_env(value: &str) -> Result<Option<Duration>, String> {
    match value.trim() {
        "off" | "0" => Ok(None),
        millis => millis
            .parse::<u64>()
            .map(|millis| Some(Duration::from_millis(millis)))
            .map_err(|_| {
                format!(
                    "{SLOW_POLL_ENV}={value:?} is neither `off` nor a number of milliseconds; \
                     the default ({} ms) is used",
                    SLOW_POLL_THRESHOLD.as_millis()
                )
            }),
    }
}

impl Diagnostics {
    /// Set the slow-poll threshold (`None`: no check).
    pub(crate) fn set_slow_poll_threshold(&self, threshold: Option<Duration>) {
        self.slow_poll.set(threshold);
    }

    /// Stage 4 begins: if the loop may have waited since the last reading, start a window.
    #[inline]
    pub(crate) fn polls_begin(&self, time: &TimeDriver) {
        if self.slow_poll.get().is_some() && self.stale.get() {
            self.stale.set(false);
            self.window_start.set(time.now());
        }
    }

    /// A poll of `task` just returned. Closes the window when nothing is ready any more
    /// (the loop may wait next) or when it is full.
    #[inline]
    pub(crate) fn poll_done(
        &self,
        time: &TimeDriver,
        task: TaskId,
        nothing_ready: impl FnOnce() -> bool,
    ) -> Option<Slow> {
        self.slow_poll.get()?;
        let size = {
            let mut polled = self.polled.borrow_mut();
            polled.push(task);
            polled.len()
        };
        if let Some(left) = self.precise.get().checked_sub(1) {
            self.precise.set(left);
        }
        if nothing_ready() {
            self.stale.set(true);
            return self.close_window(time);
        }
        if size < self.limit.get() {
            return None;
        }
        self.close_window(time)
    }

    /// Stage 4 is over. If nothing is ready and the window is still open (its last entry
    /// was a task that had finished, so no poll closed it), close it now: the loop may wait,
    /// and waiting is nobody's poll.
    #[inline]
    pub(crate) fn polls_end(
        &self,
        time: &TimeDriver,
        nothing_ready: impl FnOnce() -> bool,
    ) -> Option<Slow> {
        self.slow_poll.get()?;
        if self.stale.get() || !nothing_ready() {
            return None;
        }
        self.stale.set(true);
        self.close_window(time)
    }

    /// The tracer is about to see a new step and may stop the loop for as long as it likes
    /// (`--step` waits for Enter): close the window now, so that the pause is nobody's poll.
    pub(crate) fn tracer_may_pause(&self, time: &TimeDriver) -> Option<Slow> {
        self.slow_poll.get()?;
        if self.stale.replace(true) {
            return None; // no window open
        }
        self.close_window(time)
    }

    /// Read the clock, time the window that ends here, and size the next one.
    fn close_window(&self, time: &TimeDriver) -> Option<Slow> {
        let threshold = self.slow_poll.get()?;
        let now = time.now();
        let took = now.duration_since(self.window_start.replace(now));
        let next_limit = match (self.stale.get(), self.precise.get()) {
            (true, _) | (_, 1..) => 1,
            (false, 0) => (self.limit.get() * 2).min(POLLS_PER_READING),
        };
        self.limit.set(next_limit);
        let mut polled = self.polled.borrow_mut();
        if took < threshold || polled.is_empty() {
            polled.clear();
            return None;
        }
        if let [task] = polled[..] {
            polled.clear();
            return Some(Slow::Poll(task, took));
        }
        self.precise.set(PRECISE_POLLS);
        self.limit.set(1);
        Some(Slow::Polls(polled.drain(..).collect(), took))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_environment_variable_reads_off_and_milliseconds() {
        assert_eq!(threshold_from_env("off"), Ok(None));
        assert_eq!(
            threshold_from_env(" 250 "),
            Ok(Some(Duration::from_millis(250)))
        );
        let error = threshold_from_env("fast").expect_err("not a number");
        assert!(error.contains("neither `off` nor a number"), "{error}");
    }
}
