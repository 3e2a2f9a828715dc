//! What a workload's tasks count together, for its checksum and figures: the turns of
//! `yield_pingpong`, the permits of `semaphore`, the lateness of `timers_fire`.
//!
//! Each is generic over [`Count`], so that one definition serves the runtimes whose tasks
//! need not be `Send` (`Cell<u64>`) and `tokio::spawn`, which demands it (`AtomicU64`).

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::workloads::{Outcome, sizes};

/// A counter shared by a workload's tasks: a `Cell<u64>` where tasks need not be `Send`,
/// an `AtomicU64` where `tokio::spawn` demands `Send` (with relaxed loads and stores, which
/// cost no more than a `Cell` on x86: the bound, not the counter, is what tokio pays for).
pub trait Count: Default + 'static {
    fn get(&self) -> u64;
    fn set(&self, value: u64);
    fn add(&self, n: u64) {
        self.set(self.get() + n);
    }
    fn sub(&self, n: u64) {
        self.set(self.get() - n);
    }
    fn raise_to(&self, value: u64) {
        self.set(self.get().max(value));
    }
}

impl Count for Cell<u64> {
    fn get(&self) -> u64 {
        Cell::get(self)
    }
    fn set(&self, value: u64) {
        Cell::set(self, value);
    }
}

impl Count for AtomicU64 {
    fn get(&self) -> u64 {
        self.load(Ordering::Relaxed)
    }
    fn set(&self, value: u64) {
        self.store(value, Ordering::Relaxed);
    }
}

/// Who played last in `yield_pingpong`, and how often the turn really changed hands.
///
/// A `yield_now` that returned at once, without giving the other task a turn, would let
/// one player count all its yields in a row: the turn would change hands once. Strict
/// alternation is not required, because it is not what every runtime promises: tokio's
/// current_thread runtime wakes yielded tasks from a stack after polling its driver, so
/// its two players go A B B A A B …, and the turn changes hands at every other yield. The
/// checksum asks for at least a quarter; the notes column shows the share.
#[derive(Default)]
pub struct Turns<C: Count = Cell<u64>> {
    /// 1 + the player who counted last, or 0 before the first count.
    last: C,
    /// Yields counted, by both players.
    counted: C,
    /// Counts made by a player other than the one who counted before.
    alternations: C,
}

impl<C: Count> Turns<C> {
    /// Player `me` has yielded and come back.
    pub fn played(&self, me: u64) {
        self.counted.add(1);
        if self.last.get() != me + 1 {
            self.alternations.add(1);
        }
        self.last.set(me + 1);
    }

    /// The checksum (yields counted, plus 1 000 000 if at least a quarter of them changed
    /// hands) and the share that did, in percent.
    pub fn outcome(&self) -> Outcome {
        let (counted, alternations) = (self.counted.get(), self.alternations.get());
        let often_enough = 4 * alternations >= counted;
        Outcome::checksum(counted + 1_000_000 * u64::from(often_enough))
            .with("alternate_pct", 100 * alternations / counted.max(1))
    }
}

/// What the `semaphore` workload's tasks count: permits taken, held now, the most held at
/// once.
#[derive(Default)]
pub struct Counts<C: Count = Cell<u64>> {
    pub taken: C,
    pub held: C,
    pub peak: C,
}

impl<C: Count> Counts<C> {
    /// A task got its permit.
    pub fn enter(&self) {
        self.taken.add(1);
        self.held.add(1);
        self.peak.raise_to(self.held.get());
    }

    /// A task is about to give its permit back.
    pub fn leave(&self) {
        self.held.sub(1);
    }

    /// The checksum: permits taken plus 1 000 000 × the peak held at once.
    pub fn checksum(&self) -> u64 {
        self.taken.get() + 1_000_000 * self.peak.get()
    }
}

/// How late `timers_fire`'s timers woke: the latest of all (which includes timers that
/// fell due while tasks were still being spawned), and the last timer's (due at 200 ms).
#[derive(Default)]
pub struct Lateness<C: Count = Cell<u64>> {
    max_ns: C,
    last_ns: C,
}

impl<C: Count> Lateness<C> {
    /// Timer task `i` woke `late` after its deadline.
    pub fn record(&self, i: u64, late: Duration) {
        let late = late.as_nanos() as u64;
        self.max_ns.raise_to(late);
        if i == sizes().timer_tasks - 1 {
            self.last_ns.set(late);
        }
    }

    /// The outcome: the checksum, the lateness, and when every task had been joined
    /// (the teardown is what the whole cell took beyond that).
    pub fn outcome(&self, sum: u64, joined: Duration) -> Outcome {
        Outcome::checksum(sum)
            .with("max_late_ns", self.max_ns.get())
            .with("last_late_ns", self.last_ns.get())
            .with("joined_ns", joined.as_nanos() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_that_never_change_hands_fail_the_pingpong_checksum() {
        // A yield that returned at once: player 0 counts all its turns, then player 1.
        let turns = Turns::<Cell<u64>>::default();
        for me in [0; 8].into_iter().chain([1; 8]) {
            turns.played(me);
        }
        assert_eq!(
            turns.outcome().checksum,
            16,
            "no bonus: 2 changes in 16 turns"
        );
    }

    #[test]
    fn turns_in_tokios_order_pass_the_pingpong_checksum() {
        // tokio's A B B A A B …: the turn changes hands at every other yield.
        let turns = Turns::<AtomicU64>::default();
        for me in [0, 1, 1, 0, 0, 1, 1, 0] {
            turns.played(me);
        }
        assert_eq!(turns.outcome().checksum, 8 + 1_000_000);
    }

    #[test]
    fn the_semaphore_checksum_counts_permits_taken_and_the_peak() {
        let counts = Counts::<Cell<u64>>::default();
        counts.enter();
        counts.enter();
        counts.leave();
        counts.enter();
        assert_eq!(counts.checksum(), 3 + 2_000_000);
    }
}
