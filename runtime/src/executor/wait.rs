//! Stages 1 and 2 of a step: decide how long the loop may block, then block in the poller
//! and take what other threads sent.
//!
//! asyncio's `_run_once` computes `timeout` (zero if `_ready` is not empty, else until the
//! first scheduled handle, else `None`) and calls `self._selector.select(timeout)`. Here
//! stage 1 is [`Loop::decide_wait`], which returns a [`Wait`] saying how long and why (the
//! tracer prints it), and stage 2 is [`Loop::wait_for_events`], which does what it says.
//! The virtual clock adds one rule to stage 1 (the grace for I/O, in `virtual_wait`), and
//! one case asyncio does not have: a loop that can never make progress says so.

use std::time::Duration;

use super::{IO_POLL_INTERVAL, Loop, VIRTUAL_IO_GRACE, VIRTUAL_THREAD_PATIENCE};
use crate::time::Instant;
use crate::trace::{Event, Wait, WakeCause};

impl Loop {
    // ANCHOR: decide_wait
    /// Stage 1: how long may this step block, and why. Reported to the tracer as the step
    /// begins.
    #[inline]
    pub(super) fn decide_wait(&self) -> Wait {
        let wait = self.how_long_to_wait();
        // A tracer may stop the loop at a new step (`--step` waits for Enter); on the real
        // clock that pause must not be timed as a poll. (The virtual clock does not move.)
        if self.trace.active()
            && !self.time.is_virtual()
            && let Some(slow) = self.diagnostics.tracer_may_pause(&self.time)
        {
            self.report_slow(slow);
        }
        self.trace.emit(|| Event::StepStarted {
            step: self.step.get(),
            now: self.time.now(),
            wait,
        });
        wait
    }

    #[inline]
    fn how_long_to_wait(&self) -> Wait {
        if !self.scheduler.nothing_ready() {
            return Wait::ReadyTask;
        }
        // Wakes from other threads may be waiting in the channel without a notify having
        // reached the poller yet; they count as ready work.
        if !self.remote_wakes.is_empty() {
            return Wait::ReadyTask;
        }
        match self.time.next_expiration() {
            Some(deadline) if self.time.is_virtual() => self.virtual_wait(deadline),
            Some(deadline) => Wait::NextTimer(timeout_until(deadline, self.time.now())),
            None if self.time.is_virtual() && self.waiting_outside() == 0 => {
                self.stuck_unless_a_thread_wakes()
            }
            None => Wait::Forever,
        }
    }
    // ANCHOR_END: decide_wait

    // ANCHOR: virtual_wait
    /// The virtual clock's rule when a timer is pending (see the module docs): jobs on
    /// other threads are waited for; sockets get a short grace of real time to report; only
    /// when neither can wake a task does the clock jump.
    fn virtual_wait(&self, deadline: Instant) -> Wait {
        // Stage 2's work done early: a job or a peer that is about to answer must not be
        // overtaken by a jump of the clock. Tasks woken here run in this step. Events that
        // wake no task (a socket's first "writable") do not end the wait.
        let patience = if self.blocking.awaited() > 0 {
            VIRTUAL_THREAD_PATIENCE
        } else {
            VIRTUAL_IO_GRACE
        };
        let grace_ends = std::time::Instant::now() + patience;
        while self.waiting_outside() > 0 {
            let left = grace_ends.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break;
            }
            self.poll_io(Some(left));
            if !self.scheduler.nothing_ready() || !self.remote_wakes.is_empty() {
                return Wait::ReadyTask;
            }
        }
        Wait::JumpTo(deadline)
    }
    // ANCHOR_END: virtual_wait

    // ANCHOR: wait_for_events
    /// Stage 2: block as stage 1 decided, let the reactor wake what is ready, then take
    /// the wakes other threads sent.
    #[inline]
    pub(super) fn wait_for_events(&self, wait: Wait) {
        match wait {
            // Ready tasks: ask the poller without blocking, once IO_POLL_INTERVAL task polls
            // have run since it was last asked, counting the ones this step is about to run.
            Wait::ReadyTask
                if !self
                    .reactor
                    .poll_due(self.scheduler.ready_len(), IO_POLL_INTERVAL) => {}
            Wait::ReadyTask => self.poll_io(Some(Duration::ZERO)),
            Wait::NextTimer(duration) => self.poll_io(Some(duration)),
            Wait::JumpTo(deadline) => self.time.advance_to(deadline),
            Wait::Forever if self.waiting_outside() == 0 => self.wait_for_another_thread(),
            Wait::Forever => self.poll_io(None),
        }
        self.drain_remote_wakes();
    }
    // ANCHOR_END: wait_for_events

    /// Ask the poller what is ready, blocking at most `timeout` (`None`: until something
    /// is), and let the reactor wake the tasks waiting on it.
    fn poll_io(&self, timeout: Option<Duration>) {
        self.trace
            .with_cause(WakeCause::Io, || self.reactor.wait(timeout));
    }

    /// Wakes sent from other threads.
    fn drain_remote_wakes(&self) {
        if self.remote_wakes.is_empty() {
            return;
        }
        self.trace.with_cause(WakeCause::Thread, || {
            while let Ok((key, id)) = self.remote_wakes.try_recv() {
                self.schedule(key, id);
            }
        });
    }

    /// How many things outside the loop may still wake a task: tasks parked on sockets
    /// (a peer may write) and awaited `to_thread` jobs.
    pub(crate) fn waiting_outside(&self) -> usize {
        self.reactor.waiters() + self.blocking.awaited()
    }

    /// On the real clock, with no task ready, no timer and no I/O: only another thread
    /// holding a waker can wake a task now, and the loop cannot know whether one does.
    /// Wait a second, then say so once on stderr, and keep waiting. (On the virtual clock
    /// the same situation is a deadlock, reported by `report_stuck`.)
    fn wait_for_another_thread(&self) {
        self.poll_io(Some(Duration::from_secs(1)));
        if self.remote_wakes.is_empty() {
            eprintln!(
                "tinyloop: the loop has been idle for 1 s with no task ready, no timer set \
                 and no I/O registered: only another thread can wake a task now. If none \
                 will, the program is deadlocked. Every task is waiting:{}",
                self.waiting_report()
            );
            while self.remote_wakes.is_empty() {
                self.poll_io(None);
            }
        }
    }

    /// On the virtual clock, nothing the loop knows of can wake a task. But a `Waker` is
    /// `Send`: a thread the loop has never heard of (a user's `std::thread`) may hold one and
    /// wake its task later. Give such a thread the patience a `to_thread` job gets,
    /// [`VIRTUAL_THREAD_PATIENCE`] of real time, before calling the program stuck.
    fn stuck_unless_a_thread_wakes(&self) -> Wait {
        let patience_ends = std::time::Instant::now() + VIRTUAL_THREAD_PATIENCE;
        loop {
            let left = patience_ends.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                self.report_stuck();
            }
            self.poll_io(Some(left)); // a wake from another thread notifies the poller
            if !self.scheduler.nothing_ready() || !self.remote_wakes.is_empty() {
                return Wait::ReadyTask;
            }
        }
    }

    /// Nothing is ready, no timer is set, and nothing outside the loop can wake a task:
    /// the program can never make progress. asyncio would hang here; tinyloop stops.
    fn report_stuck(&self) -> ! {
        let report = self.waiting_report();
        panic!(
            "tinyloop: the loop can never make progress: no task is ready, no timer is set \
             and nothing outside the loop can wake a task (a deadlock; asyncio would hang \
             here forever). Every task is waiting:{report}"
        );
    }
}

// ANCHOR: timeout_until
/// The poller's timeout for a step that must next look at the wheel at `next`, seen from
/// `now`: exactly the time between them, not rounded.
///
/// `next` is the time driver's answer: when the earliest tick's last timer is due, or a
/// tick's end; waking then fires timers, and never early. Rounding the wait up to a whole
/// millisecond, as the loop once did, made every timer up to 1 ms later still (the median
/// sleeper of `periodic_sleepers_10k` woke 1.1 ms late). `polling`
/// blocks with nanosecond precision on Linux (it arms a `timerfd` and waits in
/// `epoll_pwait` without a timeout) and on kqueue (a `timespec`); a poller that counts in
/// milliseconds rounds up by itself, so the loop never wakes before `next`.
fn timeout_until(next: Instant, now: Instant) -> Duration {
    next.duration_since(now)
}
// ANCHOR_END: timeout_until

#[cfg(test)]
mod tests {
    use super::timeout_until;
    use crate::time::Instant;
    use std::time::Duration;

    /// The instant `micros` µs after the loop started.
    fn at(micros: u64) -> Instant {
        Instant::from_start(Duration::from_micros(micros))
    }

    #[test]
    fn the_poller_wakes_the_loop_at_the_next_tick_not_a_millisecond_past_it() {
        // Tick 13 starts at t=13 ms; the loop reads its clock at 12.3 ms.
        assert_eq!(
            timeout_until(at(13_000), at(12_300)),
            Duration::from_micros(700)
        );
        // 2.4 ms ahead: 2.4 ms, not 3 ms.
        assert_eq!(
            timeout_until(at(13_000), at(10_600)),
            Duration::from_micros(2_400)
        );
    }

    #[test]
    fn a_tick_already_begun_is_waited_for_zero_time() {
        assert_eq!(timeout_until(at(13_000), at(13_250)), Duration::ZERO);
        assert_eq!(timeout_until(at(13_000), at(13_000)), Duration::ZERO);
    }
}
