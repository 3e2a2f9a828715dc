//! The time driver: the loop's clock and its timers, owned in one place.
//!
//! asyncio's loop keeps `_scheduled`, a heap of `TimerHandle`s, and `_run_once` asks it two
//! things: how long may `select()` block (the head's deadline), and which handles are due
//! now (pop while the head is due). The time driver answers the same two questions for the
//! timer wheel, and adds the two a `Sleep` asks: file a timer for this waker, and withdraw
//! it.
//!
//! | who | asks | method |
//! |---|---|---|
//! | `Sleep` (its first poll) | file a timer that wakes me at `deadline` | [`TimeDriver::insert`] |
//! | `Sleep` (a later poll) | is my timer still filed? wake this waker instead | [`TimeDriver::refresh`] |
//! | `Sleep` (dropped, reset) | withdraw my timer | [`TimeDriver::cancel`] |
//! | the loop, stage 1 | when must I next look at the wheel? | [`TimeDriver::next_expiration`] |
//! | the loop, stage 3 | wake what is due | [`TimeDriver::fire_due`] |
//!
//! The driver never names the executor: a `Sleep` holds an `Rc<TimeDriver>` (tokio's timer
//! entries hold their driver's handle the same way), and the executor holds the same `Rc`.
//! So a `Sleep` always withdraws its timer from the wheel it was filed in, even when it is
//! dropped after its loop has stopped or while another loop runs.
//!
//! # The wheel's cascades stay in here
//!
//! The wheel's next expiration may be the start of a higher-level slot that must cascade,
//! short of any deadline (see `wheel/mod.rs`). On the virtual clock, [`fire_due`] after a
//! jump keeps jumping through such points within the same call, so the loop sees one jump
//! straight to the first real deadline. On the real clock the loop may wake at a cascade
//! point and find nothing due: an empty step, the price of O(1) timers (the wheel's docs
//! count it).
//!
//! # Waking for a tick: when its last timer is due, not when it ends
//!
//! The wheel files a timer by the millisecond tick that ends at or after its deadline; each
//! [`TimerEntry`] keeps the exact deadline too. On the real clock, when the earliest tick
//! holding timers has a list of its own (a level-0 slot, or the first tick of a level-1
//! slot), [`next_expiration`] answers with the latest exact deadline among them (one walk
//! of that list), and [`fire_due`] fires the whole tick
//! once every one of its timers is due, even though the tick has not ended. So the loop
//! still wakes at most once per tick, however many timers share it, and no timer fires
//! early; but a timer is late only by the spread of the deadlines in its tick, not by the
//! rest of the millisecond. A task that sleeps 10 ms again and again from just after a tick
//! began is the common case: waiting for the tick's end made it 1 ms late every time.
//!
//! The virtual clock keeps jumping to tick ends, so every time a virtual-clock program
//! prints is what it always was (a `sleep` of 1.5 ms from `t=0` still ends at 2 ms).
//!
//! asyncio needs none of this: its heap holds each `TimerHandle`'s exact `when`, and
//! `_run_once` runs every handle due before `self.time() + self._clock_resolution`. But it
//! rounds `epoll_wait`'s timeout up to a whole millisecond, so its timers are late by up to
//! that much. async-io (smol) keeps exact instants in a `BTreeMap` and sleeps until the
//! earliest one exactly: never late by a tick, but with dense timers it wakes far more often.
//!
//! [`fire_due`]: TimeDriver::fire_due
//! [`next_expiration`]: TimeDriver::next_expiration

use std::cell::RefCell;
use std::task::Waker;

use super::clock::Clock;
use super::wheel::{Place, TimerKey, Wheel};
use super::{Instant, Owner, TimerEntry};
use crate::ids::TaskId;
use crate::trace::{TimerSnapshot, WheelTimer};

/// The clock, the wheel and the buffer fired timers pass through (see the module docs).
pub(crate) struct TimeDriver {
    /// Real or virtual.
    clock: Clock,
    /// Pending timers, by deadline tick (ms since start), each with the waker to call.
    wheel: RefCell<Wheel<TimerEntry>>,
    /// Where fired timers are collected before their wakers are called, kept to reuse its
    /// allocation.
    fired: RefCell<Vec<(u64, TimerEntry)>>,
}

impl TimeDriver {
    /// A driver with no timers, on the real or the virtual clock.
    pub(crate) fn new(virtual_clock: bool) -> TimeDriver {
        TimeDriver {
            clock: if virtual_clock {
                Clock::virtual_clock()
            } else {
                Clock::real()
            },
            wheel: RefCell::new(Wheel::new()),
            fired: RefCell::new(Vec::new()),
        }
    }

    /// The loop's time now.
    #[inline]
    pub(crate) fn now(&self) -> Instant {
        self.clock.now()
    }

    /// True on the virtual clock.
    #[inline]
    pub(crate) fn is_virtual(&self) -> bool {
        self.clock.is_virtual()
    }

    /// Move the virtual clock forward to `to` (never backwards); the real clock ignores it.
    pub(crate) fn advance_to(&self, to: Instant) {
        self.clock.advance_to(to);
    }

    // ANCHOR: insert
    /// File a timer that wakes `waker` at `deadline`, on behalf of task `owner`.
    pub(crate) fn insert(
        &self,
        deadline: Instant,
        waker: Waker,
        owner: Option<TaskId>,
    ) -> TimerKey {
        let entry = TimerEntry {
            deadline,
            waker,
            owner: Owner::new(owner),
        };
        self.wheel.borrow_mut().insert(deadline.tick_ceil(), entry)
    }
    // ANCHOR_END: insert

    /// If timer `key` is still filed, make it wake `waker` (the task polling its `Sleep`
    /// may have changed) and return true; false if it fired or was withdrawn.
    pub(crate) fn refresh(&self, key: TimerKey, waker: &Waker) -> bool {
        let mut wheel = self.wheel.borrow_mut();
        match wheel.get_mut(key) {
            Some(entry) => {
                if !entry.waker.will_wake(waker) {
                    entry.waker = waker.clone();
                }
                true
            }
            None => false,
        }
    }

    /// Withdraw timer `key`, if it is still filed.
    pub(crate) fn cancel(&self, key: TimerKey) {
        let removed = self.wheel.borrow_mut().cancel(key);
        drop(removed); // outside the borrow: dropping a waker may run user code
    }

    /// How many timers are filed and not yet fired or withdrawn.
    pub(crate) fn len(&self) -> usize {
        self.wheel.borrow().len()
    }

    // ANCHOR: next_expiration
    /// When the loop must next look at the wheel (see the module docs): on the real clock,
    /// the moment the earliest tick's last timer is due; on the virtual clock, the end of
    /// that tick; or a cascade point before either. `None` when no timer is filed.
    #[inline]
    pub(crate) fn next_expiration(&self) -> Option<Instant> {
        let wheel = self.wheel.borrow();
        let tick = wheel.next_expiration()?;
        if !self.is_virtual()
            && let Some((_, timers)) = wheel.next_tick()
        {
            // The earliest tick fires whole once its last timer is due (`fire_due`).
            return timers.map(|timer| timer.deadline).max();
        }
        Some(Instant::from_tick(tick))
    }
    // ANCHOR_END: next_expiration

    // ANCHOR: fire_due
    /// Stage 3: wake every timer whose deadline has come, in deadline order, ties in the
    /// order they were filed.
    ///
    /// `jumped` says the virtual clock has just jumped to [`next_expiration`]: if that was
    /// only a cascade point, the clock jumps on, here, until a timer is due, so a long sleep
    /// costs one step.
    ///
    /// [`next_expiration`]: TimeDriver::next_expiration
    pub(crate) fn fire_due(&self, jumped: bool) {
        if self.wheel.borrow().is_empty() {
            return; // skip reading the clock when no timer is set
        }
        let mut fired = std::mem::take(&mut *self.fired.borrow_mut());
        loop {
            let now = self.clock.now();
            let mut wheel = self.wheel.borrow_mut();
            wheel.poll(now.tick_floor(), &mut fired);
            // The next tick has not begun, but if every one of its timers is due, it fires
            // now, whole: the wheel's tick rounds deadlines up, the clock need not wait.
            let next_tick_due = wheel
                .next_tick()
                .is_some_and(|(_, mut timers)| timers.all(|timer| timer.deadline <= now));
            if next_tick_due {
                wheel.fire_next_tick(&mut fired);
            }
            drop(wheel);
            if !fired.is_empty() || !jumped {
                break;
            }
            let next = self.wheel.borrow().next_expiration();
            match next {
                // (A tick the clock cannot reach would make this loop spin; `Sleep` files
                // no timer for `Instant::NEVER`, and this guard keeps it that way.)
                Some(tick) if Instant::from_tick(tick) > self.clock.now() => {
                    self.clock.advance_to(Instant::from_tick(tick));
                }
                _ => break,
            }
        }
        // No borrow is held here: a waker may run user code that files or withdraws timers.
        for (_, entry) in fired.drain(..) {
            entry.waker.wake();
        }
        *self.fired.borrow_mut() = fired;
    }
    // ANCHOR_END: fire_due

    /// Every pending timer in the order it will fire, for the loop's snapshot; `None` if
    /// the wheel is being changed at this moment.
    pub(crate) fn describe(&self) -> Option<Vec<TimerSnapshot>> {
        let wheel = self.wheel.try_borrow().ok()?;
        let mut timers: Vec<(u64, TimerSnapshot)> = wheel
            .iter()
            .map(|(key, tick, entry)| {
                let timer = TimerSnapshot {
                    deadline: Instant::from_tick(tick),
                    owner: entry.owner.get(),
                };
                (key.seq(), timer)
            })
            .collect();
        // The wheel lists timers in slab order; show them in the order they will fire:
        // by deadline, ties in the order they were set.
        timers.sort_by_key(|(seq, timer)| (timer.deadline, *seq));
        Some(timers.into_iter().map(|(_, timer)| timer).collect())
    }

    /// Every pending timer with its place in the wheel, `(level, slot, deadline, owner)`
    /// (level `None` for the `overdue` and `far` lists), in the order they will fire, and
    /// the instant the wheel's hand stands at; for the loop explorer. Reads only. `None` if
    /// the wheel is being changed at this moment.
    pub(crate) fn describe_wheel(&self) -> Option<(Instant, Vec<WheelTimer>)> {
        let wheel = self.wheel.try_borrow().ok()?;
        let (hand, timers) = wheel.describe_wheel();
        let mut timers: Vec<(u64, WheelTimer)> = timers
            .into_iter()
            .map(|(place, tick, seq, entry)| {
                let (level, slot, list) = match place {
                    Place::Slot { level, slot } => (Some(level), Some(slot), "slot"),
                    Place::Overdue => (None, None, "overdue"),
                    Place::Far => (None, None, "far"),
                };
                let timer = WheelTimer {
                    level,
                    slot,
                    list,
                    deadline: Instant::from_tick(tick),
                    owner: entry.owner.get(),
                };
                (seq, timer)
            })
            .collect();
        timers.sort_by_key(|(seq, timer)| (timer.deadline, *seq));
        let timers = timers.into_iter().map(|(_, timer)| timer).collect();
        Some((Instant::from_tick(hand), timers))
    }
}

#[cfg(test)]
mod tests {
    use super::TimeDriver;
    use crate::time::Instant;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Wake, Waker};
    use std::time::Duration;

    /// A waker that counts its wakes.
    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// The instant `micros` µs after the clock started.
    fn at(micros: u64) -> Instant {
        Instant::from_start(Duration::from_micros(micros))
    }

    /// Files a timer for `deadline` on `driver`; returns its wake counter.
    fn file(driver: &TimeDriver, deadline: Instant) -> Arc<Count> {
        let count = Arc::new(Count(AtomicUsize::new(0)));
        driver.insert(deadline, Waker::from(count.clone()), None);
        count
    }

    #[test]
    fn the_real_clock_waits_for_the_last_deadline_of_the_earliest_tick_not_the_tick_end() {
        // (`next_expiration` reads the wheel, not the clock: the answer cannot depend on
        // how long the test takes.)
        let driver = TimeDriver::new(false);
        file(&driver, at(10_300));
        file(&driver, at(10_700)); // the same tick: the one ending at 11 ms
        file(&driver, at(11_200)); // the next tick
        assert_eq!(driver.next_expiration(), Some(at(10_700)));
    }

    #[test]
    fn a_tick_that_starts_a_level_1_slot_is_waited_for_the_same_way() {
        // Tick 128 (deadlines in (127, 128] ms) starts level 1's slot 2; the loop used to
        // wake at 128 ms to cascade it, up to a tick after its timers were due.
        let driver = TimeDriver::new(false);
        file(&driver, at(127_300));
        file(&driver, at(127_600));
        file(&driver, at(130_000));
        assert_eq!(driver.next_expiration(), Some(at(127_600)));
    }

    #[test]
    fn the_virtual_clock_still_jumps_to_the_end_of_the_tick() {
        // So a virtual-clock program prints the times it always did.
        let driver = TimeDriver::new(true);
        file(&driver, at(300));
        assert_eq!(driver.next_expiration(), Some(at(1_000)));
    }

    #[test]
    fn a_tick_fires_once_all_its_timers_are_due_and_not_one_before() {
        // The clock is moved by hand to instants inside the tick (9 ms, 10 ms].
        let driver = TimeDriver::new(true);
        let early = file(&driver, at(9_300));
        let late = file(&driver, at(9_700));
        let next_tick = file(&driver, at(10_200));
        driver.advance_to(at(9_500)); // `early` is due, `late` is not
        driver.fire_due(false);
        assert_eq!(early.0.load(Ordering::SeqCst), 0, "the tick fires whole");
        driver.advance_to(at(9_700));
        driver.fire_due(false);
        assert_eq!(early.0.load(Ordering::SeqCst), 1);
        assert_eq!(late.0.load(Ordering::SeqCst), 1);
        assert_eq!(next_tick.0.load(Ordering::SeqCst), 0, "never early");
        assert_eq!(driver.len(), 1);
    }
}
