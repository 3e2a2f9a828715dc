//! The timer wheel: where every `sleep`, `timeout` and `call_at`-style callback waits for its
//! tick.
//!
//! asyncio keeps its timers in `loop._scheduled`, a binary heap of `TimerHandle`s ordered by
//! their `when`: `loop.call_at(when, callback)` pushes one with `heapq.heappush`, and each turn of
//! `_run_once` pops every handle whose `when` has passed onto the ready queue. tinyloop keeps the
//! same promise with a different structure, the hierarchical timing wheel described on
//! [`Wheel`], which makes filing and cancelling a timer cost the same however many are pending.
//!
//! # Where it sits in the tick
//!
//! The loop's tick (DESIGN.md, "The event loop") touches the wheel twice. Stage 1 asks
//! [`Wheel::next_expiration`] how long the reactor may block. Stage 3 reads the loop's clock and
//! calls [`Wheel::poll`]: *advance the wheel to now; wake expired timers in deadline order*, ties
//! in the order they were set. On the real clock the driver, which keeps each timer's exact
//! deadline beside its tick, may also fire the earliest tick whole before the tick ends, once all
//! of its timers are due ([`Wheel::next_tick`], [`Wheel::fire_next_tick`], in `next_tick.rs`).
//!
//! # Ground rules
//!
//! - The wheel never reads a clock. `now` comes in as an argument, in milliseconds ("ticks")
//!   since the loop's clock started, so the same code runs under the real clock and the virtual
//!   one, and the tests (`tests.rs`) drive time by hand.
//! - A timer never fires early: `poll(now)` hands out exactly the timers due at or before `now`.
//!   Turning a `Duration` into ticks is the caller's job, and the caller rounds *up*: a sleep
//!   of 1.5 ms from tick 0 is filed for tick 2, never tick 1.
//! - A [`TimerKey`] names one timer for ever. Slab slots are reused, so a key carries the timer's
//!   sequence number too: a key kept after its timer fired can never cancel a newer timer that
//!   happens to live in the same slot.

#[cfg(test)]
mod bench;
mod describe;
mod level;
mod links;
#[cfg(test)]
mod model_tests;
mod next_tick;
#[cfg(test)]
mod tests;

pub(crate) use describe::Place;
use level::{LEVELS, Level, Link, List, SLOTS, Ticks, reach_start, slot_of};
use slab::Slab;

/// A hierarchical timing wheel: timers filed by deadline, with O(1) insert and cancel.
///
/// Ticks are milliseconds since the loop's clock started.
///
/// # The idea
///
/// Varghese and Lauck, *Hashed and Hierarchical Timing Wheels* (SOSP 1987), scheme 7. Picture a
/// clock face with 64 one-millisecond slots: filing a timer due in 5 ms means dropping it into
/// the slot 5 steps ahead of the hand, and every millisecond the hand moves on and fires what is
/// in its slot. No sorting, no comparisons: the slot *is* the order. One face only reaches 64 ms
/// ahead, so the wheel stacks faces like a clock's hands: level 1 has 64 slots of 64 ms, level 2
/// 64 slots of ~4 s, and so on. A far timer waits on a high level; when the hand of that level
/// reaches its slot, the slot *cascades*: each timer in it is filed again on a lower level, now
/// that it is near. A timer moves down at most five times (six from the `far` list below), so
/// the work per timer stays constant; the last move, from level 1 to level 0, moves whole lists
/// and costs nothing per timer (see *Layout*).
///
/// # Parameters, and why
///
/// - **1 ms per tick.** The tick is the wheel's resolution and also the most often the loop
///   wakes for timers: every timer due within the same millisecond fires in one wake. The loop
///   blocks exactly as long as the driver says (the reactor waits with nanosecond precision on
///   Linux, through a `timerfd`): on the real clock until the earliest tick's last timer is due
///   (`../driver.rs`), so a timer fires less than one tick after its deadline, never before
///   (plus the time it takes to reach it).
///   tokio chose the same tick, and then waits in whole milliseconds from its current tick,
///   which adds up to another millisecond; asyncio rounds `epoll_wait`'s timeout up likewise.
/// - **64 slots per level,** so that one `u64` bitmap per level says which slots hold timers.
///   Finding the next timer is then a shift and a `trailing_zeros` per level (one instruction
///   each), never a scan of empty slots.
/// - **6 levels:** `64^6` ms = `2^36` ms, about 2.2 years. A deadline beyond the top level's
///   current turn (`Duration::MAX` saturates to `u64::MAX`) waits on a separate `far` list,
///   a seventh level with a single slot, until the top level's turn that holds it begins.
///   Such timers are rare, and cost nothing while they wait.
///
///   Varghese and Lauck, and tokio, park them on the top level instead and file them again
///   each time their slot comes round, every 2.2 years of clock. Under a virtual clock that
///   jumps from one [`next_expiration`](Wheel::next_expiration) to the next, a lone
///   `sleep(Duration::MAX)` would then take 2^28 jumps to come due; with the `far` list it
///   takes seven.
///
/// # Why asyncio uses a heap instead
///
/// `heapq` comes with Python, works on a plain list, and its O(log n) is small next to
/// Python's cost per handle. Cancelling is lazy: `TimerHandle.cancel()` only marks the handle;
/// it stays in the heap until it reaches the top and is popped and thrown away, or until
/// cancelled handles are more than half of 100+ scheduled ones, when `_run_once` rebuilds the
/// heap without them. That matters because most timers are cancelled, not fired: a `timeout`
/// around a read that succeeds in time is set and then withdrawn. The wheel makes that case
/// the cheapest.
///
/// | operation      | asyncio's heap                      | this wheel                           |
/// |----------------|-------------------------------------|--------------------------------------|
/// | insert         | O(log n)                            | O(1)                                 |
/// | cancel         | O(1) mark; memory held until popped | O(1) unlink; memory freed at once    |
/// | next deadline  | O(1): the top (maybe cancelled)     | O(levels): a slot start, maybe early |
/// | fire k timers  | O(k log n)                          | O(k log k) sort + ≤ 5 refilings each |
///
/// What the wheel gives up: a 1 ms resolution (the heap keeps exact floats), and
/// [`next_expiration`](Wheel::next_expiration) may answer with the start of a slot that must
/// cascade rather than the deadline itself, so an idle loop can wake a few extra times on its
/// way to a far timer.
///
/// # Layout
///
/// Timers live in a [`Slab`]; each slot is a doubly linked list threaded through the entries by
/// slab index (`prev`/`next`, 32-bit [`Link`]s, so an entry is one 64-byte cache line), with
/// `head`/`tail` in the slot. Filing appends to a list; cancelling unlinks from the middle;
/// neither allocates once the slab has grown (`links.rs`).
///
/// Level 1 keeps each of its slots as 64 lists, one per tick ([`Ticks`]): the order level 0
/// needs, made at filing time, where it costs one more bit to set. Its cascade, the one that
/// comes every 64 ms, then moves lists instead of timers. The other levels cascade by filing
/// each timer again.
pub(crate) struct Wheel<T> {
    /// Every pending timer, and nothing else: a timer is removed the moment it fires or is
    /// cancelled. An entry's slab index is its address in the lists below.
    entries: Slab<Entry<T>>,
    /// The six levels. The filing rule, which every method keeps: a pending timer with
    /// `elapsed < deadline` within the wheel's reach sits on level `level_for(elapsed,
    /// deadline)`, in the slot of its digit there. Consequence: every non-empty slot starts
    /// after `elapsed`, within `elapsed`'s current turn of that level.
    levels: [Level; LEVELS],
    /// Level 1's slots, each as one list per tick ([`Ticks`]), so that a level-1 cascade
    /// moves lists, not timers. `levels[1]` keeps their occupancy bitmap.
    level1: Box<[Ticks; SLOTS]>,
    /// Timers whose deadline was already `<= elapsed` when they were inserted: the next `poll`
    /// fires all of them, whatever `now` it is given.
    overdue: List,
    /// A lower bound on the deadlines in `overdue`, meaningful only while `overdue` is
    /// non-empty. Exact unless one of them was cancelled, which only leaves it lower.
    overdue_earliest: u64,
    /// Timers beyond the wheel's reach: due in a later turn of the top level than `elapsed`.
    far: List,
    /// A lower bound on `reach_start` of the deadlines in `far` (the earliest tick at which one
    /// of them can go on a level), meaningful only while `far` is non-empty. Exact unless a far
    /// timer was cancelled, which only leaves it lower; `poll`'s walk of the list makes it exact.
    far_earliest: u64,
    /// The tick the wheel has advanced to. Every timer due at or before it has fired, except
    /// those in `overdue`. Never decreases.
    elapsed: u64,
    /// The sequence number the next insert gets. Only grows, so `(deadline, seq)` orders ties
    /// by insertion, and a `(slab index, seq)` key is never handed out twice.
    next_seq: u64,
    /// Scratch for [`poll`](Wheel::poll): timers taken from a cascading slot that are not due
    /// yet, waiting to be filed again. Empty between calls; kept to reuse its allocation.
    refile: Vec<usize>,
    /// Scratch for [`poll`](Wheel::poll): the fired timers as `(deadline, seq, value)`, sorted
    /// before they are handed out. Empty between calls; kept to reuse its allocation.
    batch: Vec<(u64, u64, T)>,
}

/// Names one timer: where it lives and which timer it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TimerKey {
    /// The timer's slab index. After it fires, the slot may hold another timer.
    index: usize,
    /// The timer's sequence number, unique over the wheel's life: the key only matches an
    /// entry carrying the same number.
    seq: u64,
}

impl TimerKey {
    /// The timer's sequence number: timers with the same deadline fire in this order.
    pub(crate) fn seq(self) -> u64 {
        self.seq
    }
}

/// One pending timer, linked into exactly one list: a slot, `overdue` or `far`.
struct Entry<T> {
    /// The tick at or after which it fires.
    deadline: u64,
    /// Its sequence number: breaks deadline ties by insertion order and validates keys.
    seq: u64,
    /// What the caller filed (for the loop, the waker or callback to run).
    value: T,
    /// Which kind of list it is on. Stale only inside `poll`, while the entry waits in
    /// `refile`.
    home: Home,
    /// The previous entry on the same list; `None` for the list's head.
    prev: Option<Link>,
    /// The next entry on the same list; `None` for the list's tail.
    next: Option<Link>,
}

/// The kind of list an entry is linked into.
///
/// Which slot is not stored: the filing rule says it, from the deadline and `elapsed`
/// ([`Wheel::list_at`]). So when a level-1 cascade moves a whole list down to level 0, the
/// timers on it need not be visited to be told where they now are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Home {
    /// A slot of a level: the one `level_for(elapsed, deadline)` names.
    Slot,
    /// The wheel's `overdue` list.
    Overdue,
    /// The wheel's `far` list.
    Far,
}

impl<T> Wheel<T> {
    /// An empty wheel standing at tick 0.
    pub(crate) fn new() -> Self {
        Wheel {
            entries: Slab::new(),
            levels: std::array::from_fn(Level::new),
            level1: Box::new([Ticks::default(); SLOTS]),
            overdue: List::default(),
            overdue_earliest: 0,
            far: List::default(),
            far_earliest: 0,
            elapsed: 0,
            next_seq: 0,
            refile: Vec::new(),
            batch: Vec::new(),
        }
    }

    /// Files `value` to fire at tick `deadline`. A deadline at or before
    /// [`elapsed`](Wheel::elapsed) fires on the next [`poll`](Wheel::poll); `u64::MAX` is
    /// parked and never overflows anything.
    pub(crate) fn insert(&mut self, deadline: u64, value: T) -> TimerKey {
        let seq = self.next_seq;
        self.next_seq += 1;
        let index = self.entries.insert(Entry {
            deadline,
            seq,
            value,
            home: Home::Overdue,
            prev: None,
            next: None,
        });
        self.file(index);
        TimerKey { index, seq }
    }

    /// Removes a timer that has not fired and returns its value; `None` if it already fired or
    /// was cancelled, so a stale key is harmless. O(1): unlink from its slot's list.
    pub(crate) fn cancel(&mut self, key: TimerKey) -> Option<T> {
        if !self.contains(key) {
            return None;
        }
        self.unlink(key.index);
        Some(self.entries.remove(key.index).value)
    }

    /// Is this key's timer still pending?
    pub(crate) fn contains(&self, key: TimerKey) -> bool {
        self.entries
            .get(key.index)
            .is_some_and(|entry| entry.seq == key.seq)
    }

    /// The deadline of a pending key; `None` once it fired or was cancelled. (The loop reads
    /// deadlines through [`iter`](Wheel::iter); this one is for the tests.)
    #[cfg(test)]
    pub(crate) fn deadline(&self, key: TimerKey) -> Option<u64> {
        let entry = self.entries.get(key.index)?;
        (entry.seq == key.seq).then_some(entry.deadline)
    }

    /// The value of a pending key, to update in place (a sleep polled by a new waker keeps
    /// its place among timers with the same deadline); `None` once it fired or was cancelled.
    pub(crate) fn get_mut(&mut self, key: TimerKey) -> Option<&mut T> {
        let entry = self.entries.get_mut(key.index)?;
        (entry.seq == key.seq).then_some(&mut entry.value)
    }

    /// A tick at which [`poll`](Wheel::poll) next has work to do; `None` when the wheel is
    /// empty.
    ///
    /// Never later than the earliest deadline, but it may be earlier: the start of a
    /// higher-level slot that must cascade before its timers can fire, or, when a timer was
    /// filed in the past, that past deadline (before `elapsed()`; callers clamp to their clock).
    pub(crate) fn next_expiration(&self) -> Option<u64> {
        if self.overdue.head.is_some() {
            return Some(self.overdue_earliest);
        }
        // Every level's slots start before the top level's next turn, so far timers come last.
        let far = self.far.head.map(|_| self.far_earliest);
        self.next_slot().map(|(_, start)| start).or(far)
    }

    /// Advances the wheel to `now` (a `now` before [`elapsed`](Wheel::elapsed) counts as
    /// `elapsed`), cascading higher levels as their slots come due, and appends every timer
    /// with `deadline <= now` to `fired` as `(deadline, value)`, in deadline order, ties in
    /// insertion order. Returns how many fired.
    pub(crate) fn poll(&mut self, now: u64, fired: &mut Vec<(u64, T)>) -> usize {
        let now = now.max(self.elapsed);

        // Timers filed in the past are due whatever `now` is.
        let mut next = std::mem::take(&mut self.overdue).head;
        while let Some(index) = next.map(Link::index) {
            next = self.entries[index].next;
            self.fire(index);
        }

        // ANCHOR: cascade
        // Visit every slot that starts by `now`, earliest first. A slot is emptied as it is
        // visited and nothing is filed into the wheel meanwhile, so this loop runs at most
        // once per slot (384 times), even for a jump of years. Timers due by `now` fire
        // straight from their slot, whatever its level; the rest wait in `refile`.
        while let Some((level, start)) = self.next_slot() {
            if start > now {
                break;
            }
            // Standing at the slot's start keeps the filing rule true for the other slots,
            // which all start later, so the next `next_slot` answer is right.
            self.elapsed = start;
            if level == 1 {
                self.cascade_level1(start, now);
                continue;
            }
            let slot = slot_of(level, start);
            let mut next = std::mem::take(&mut self.levels[level].slots[slot]).head;
            debug_assert!(next.is_some(), "occupancy bit set for an empty slot");
            self.levels[level].occupied &= !(1 << slot);
            while let Some(index) = next.map(Link::index) {
                let entry = &self.entries[index];
                next = entry.next;
                if entry.deadline <= now {
                    self.fire(index);
                } else {
                    self.refile.push(index);
                }
            }
        }
        // ANCHOR_END: cascade

        // Far timers whose top-level turn has begun come within reach; some may even be due.
        // This walks the whole list, but only when `now` passes `far_earliest`: once per 2.2
        // years of clock, or once after the earliest far timer was cancelled.
        if self.far.head.is_some() && self.far_earliest <= now {
            let mut earliest = u64::MAX;
            let mut next = self.far.head;
            while let Some(index) = next.map(Link::index) {
                let entry = &self.entries[index];
                next = entry.next;
                let (deadline, reach) = (entry.deadline, reach_start(entry.deadline));
                if reach <= now {
                    self.unlink(index);
                    if deadline <= now {
                        self.fire(index);
                    } else {
                        self.refile.push(index);
                    }
                } else {
                    earliest = earliest.min(reach);
                }
            }
            self.far_earliest = earliest;
        }

        // Every slot left starts after `now`, so the wheel can stand at `now`; the waiting
        // timers are due after `now` and are filed again from there, on lower levels.
        self.elapsed = now;
        let mut refile = std::mem::take(&mut self.refile);
        for index in refile.drain(..) {
            self.file(index);
        }
        self.refile = refile;

        // Slots were visited in time order, but a cascading slot's timers and the overdue ones
        // are in no particular order.
        self.hand_out(fired)
    }

    /// Empties this call's batch of fired timers into `fired` as `(deadline, value)`, in
    /// deadline order, ties in insertion order; returns how many.
    fn hand_out(&mut self, fired: &mut Vec<(u64, T)>) -> usize {
        // Sequence numbers are unique, so an unstable sort is exact.
        self.batch
            .sort_unstable_by_key(|&(deadline, seq, _)| (deadline, seq));
        let count = self.batch.len();
        fired.extend(
            self.batch
                .drain(..)
                .map(|(deadline, _, value)| (deadline, value)),
        );
        count
    }

    // ANCHOR: cascade_level1
    /// Cascades level 1's slot starting at `start`, with the wheel standing at `start` and
    /// level 0 empty (the earliest slot is level 1's only when level 0 holds nothing). Each
    /// of the slot's tick lists is already level 0's list for that tick: it moves down by
    /// its two ends, or fires if its tick is due by `now`. Only the fired timers are visited.
    fn cascade_level1(&mut self, start: u64, now: u64) {
        let slot = slot_of(1, start);
        self.levels[1].occupied &= !(1 << slot);
        let ticks = std::mem::take(&mut self.level1[slot]);
        // Visit the set bits of the slot's bitmap, lowest (earliest tick) first.
        let mut occupied = ticks.occupied;
        while occupied != 0 {
            let digit = occupied.trailing_zeros() as usize;
            occupied &= occupied - 1; // clears the lowest set bit, the one just read
            let list = ticks.lists[digit];
            if start + digit as u64 <= now {
                let mut next = list.head;
                while let Some(index) = next.map(Link::index) {
                    next = self.entries[index].next;
                    self.fire(index);
                }
            } else {
                debug_assert!(self.levels[0].slots[digit].head.is_none());
                self.levels[0].slots[digit] = list;
                self.levels[0].occupied |= 1 << digit;
            }
        }
    }
    // ANCHOR_END: cascade_level1

    /// The tick the wheel has advanced to: the largest `now` given to [`poll`](Wheel::poll).
    /// (The loop keeps its own clock; this one is for the tests.)
    #[cfg(test)]
    pub(crate) fn elapsed(&self) -> u64 {
        self.elapsed
    }

    /// How many timers are pending.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Is no timer pending?
    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every pending timer as `(key, deadline, value)`, in no particular order; for the loop's
    /// snapshot (tracing, `--step`).
    pub(crate) fn iter(&self) -> impl Iterator<Item = (TimerKey, u64, &T)> {
        self.entries.iter().map(|(index, entry)| {
            let key = TimerKey {
                index,
                seq: entry.seq,
            };
            (key, entry.deadline, &entry.value)
        })
    }

    /// The earliest non-empty slot as `(level, start tick)`.
    ///
    /// The lowest non-empty level always holds it: a lower level's slots all lie inside the
    /// slot `elapsed` occupies on every higher level, and the filing rule puts a higher
    /// level's timers in slots *after* that one. So the first level with an answer wins.
    fn next_slot(&self) -> Option<(usize, u64)> {
        self.levels.iter().enumerate().find_map(|(level, slots)| {
            let start = slots.next_slot_start(self.elapsed)?;
            Some((level, start))
        })
    }

    /// Removes the (already unlinked) entry `index` and adds it to this poll's batch.
    fn fire(&mut self, index: usize) {
        let entry = self.entries.remove(index);
        self.batch.push((entry.deadline, entry.seq, entry.value));
    }
}
