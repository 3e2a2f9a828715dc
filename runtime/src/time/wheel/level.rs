//! One level of the timer wheel: 64 slots, each the two ends of a list of timers, and a 64-bit
//! occupancy bitmap that says which slots hold anything.
//!
//! Level `L` has slots `64^L` ms wide, so one turn of it covers `64^(L+1)` ms:
//!
//! | level | slot width | one turn      |
//! |-------|------------|---------------|
//! | 0     | 1 ms       | 64 ms         |
//! | 1     | 64 ms      | ~4.1 s        |
//! | 2     | ~4.1 s     | ~4.4 min      |
//! | 3     | ~4.4 min   | ~4.7 h        |
//! | 4     | ~4.7 h     | ~12.4 days    |
//! | 5     | ~12.4 days | ~2.2 years    |
//!
//! A deadline in a later turn of the top level than the wheel's `elapsed` waits outside the
//! levels, on the wheel's `far` list. Everything here is arithmetic on `u64` ticks and bits; the lists' links live in the
//! entries, which the wheel (`mod.rs`) owns, so this file never touches a timer.

use std::num::NonZeroU32;

/// How many levels the wheel has. Six levels of 64 slots cover `64^6` ms, about 2.2 years.
pub(super) const LEVELS: usize = 6;

/// Slots per level: 64, so that one `u64` bitmap describes a whole level.
pub(super) const SLOTS: usize = 64;

/// `log2(SLOTS)`: each level consumes six bits of a tick.
const BITS_PER_LEVEL: usize = 6;

/// The bits of a tick the levels cover: 36, so the wheel reaches `2^36` ms ahead at most.
const REACH_BITS: usize = LEVELS * BITS_PER_LEVEL;

/// A link to an entry: its slab index, in 32 bits, stored plus one so that `Option<Link>`
/// takes 4 bytes too (`None` is the zero no link uses). Two links in each entry and two in
/// each list: with `Option<usize>` they took 32 bytes of an entry's 96; with links an
/// entry fits a 64-byte cache line, and 100,000 timers take 6.4 MB instead of 9.6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Link(NonZeroU32);

impl Link {
    /// The link to the entry at slab index `index`.
    ///
    /// # Panics
    ///
    /// If `index` does not fit: the wheel holds fewer than `u32::MAX` timers at once.
    pub(super) fn to(index: usize) -> Link {
        u32::try_from(index + 1)
            .ok()
            .and_then(NonZeroU32::new)
            .map(Link)
            .expect("a timer wheel holds at most 4,294,967,294 timers at once")
    }

    /// The slab index this link points at.
    pub(super) fn index(self) -> usize {
        self.0.get() as usize - 1
    }
}

/// The two ends of one slot's list of timers.
///
/// Invariant: `head` and `tail` are both `None` (empty) or both `Some` (the first and last
/// entries; the entries in between are reached by following each entry's `next`).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct List {
    /// The first entry of the list, the one filed earliest.
    pub(super) head: Option<Link>,
    /// The last entry, where new ones are appended.
    pub(super) tail: Option<Link>,
}

/// One slot of level 1, kept as 64 lists, one per tick: list `d` holds the timers due at the
/// slot's `d`-th tick (the deadline's level-0 digit is `d`). The slot is then already sorted
/// the way level 0 files timers, so when it cascades each list moves to level 0's slot `d`
/// whole, by its two ends, without visiting a timer (`Wheel::poll`).
///
/// Level 1 is the level that cascades most: once every 64 ms, with every timer due in the
/// next 64 ms that was filed before they began. With 10,000 tasks sleeping 10 to 100 ms,
/// that was about 9,000 timers per cascade, each followed through its list and filed again,
/// 0.3 to 0.9 ms in which no timer fired and no task ran. Higher levels cascade every 4 s or
/// less often and keep plain slots.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ticks {
    /// Bit `d` is set exactly when `lists[d]` is non-empty.
    pub(super) occupied: u64,
    /// The timers due at the slot's first tick, its second, and so on.
    pub(super) lists: [List; SLOTS],
}

impl Default for Ticks {
    /// An empty slot.
    fn default() -> Self {
        Ticks {
            occupied: 0,
            lists: [List::default(); SLOTS],
        }
    }
}

/// One level: the 64 slot lists and the bitmap of which are non-empty.
#[derive(Debug)]
pub(super) struct Level {
    /// Which level this is, `0..LEVELS`; fixes the slot width `64^index` ms.
    index: usize,
    /// Bit `s` is set exactly when `slots[s]` is non-empty. This is what makes
    /// [`Level::next_slot_start`] a few instructions instead of a scan of 64 slots.
    pub(super) occupied: u64,
    /// The slots. Slot `s` holds timers whose deadline has `s` as its level-`index` digit
    /// (bits `6*index .. 6*index+6`). Level 1's stay empty: its slots are the wheel's
    /// [`Ticks`], and this level keeps only their bitmap.
    pub(super) slots: [List; SLOTS],
}

impl Level {
    /// An empty level number `index`.
    pub(super) fn new(index: usize) -> Self {
        debug_assert!(index < LEVELS);
        Level {
            index,
            occupied: 0,
            slots: [List::default(); SLOTS],
        }
    }

    // ANCHOR: next_slot_start
    /// The tick at which the first non-empty slot after `elapsed` starts, or `None` if the level
    /// is empty.
    ///
    /// The wheel only files a timer in a slot *ahead* of `elapsed`'s own slot in the current
    /// turn, so shifting out the bits of `elapsed`'s slot and those behind it loses nothing, and
    /// `trailing_zeros` counts how many slots ahead the next occupied one is. (tokio rotates
    /// instead, because its top level wraps round to hold far timers; ours go to a separate
    /// list, see `Wheel::far`, so no level ever wraps.)
    pub(super) fn next_slot_start(&self, elapsed: u64) -> Option<u64> {
        let here = slot_of(self.index, elapsed);
        debug_assert_eq!(
            self.occupied & (u64::MAX >> (63 - here)),
            0,
            "a slot at or behind the hand is occupied"
        );
        let ahead = (self.occupied >> here).trailing_zeros() as usize;
        if ahead == 64 {
            return None;
        }
        let turn_start = elapsed & !(turn_width(self.index) - 1);
        Some(turn_start + (here + ahead) as u64 * slot_width(self.index))
    }
    // ANCHOR_END: next_slot_start
}

// ANCHOR: level_for
/// The level on which a timer due at `deadline` is filed when the wheel stands at `elapsed`
/// (`deadline > elapsed`).
///
/// Write both ticks in base 64, one digit per level. The level is the highest digit in which
/// they differ, found as the highest set bit of `elapsed ^ deadline`, divided by six. Worked
/// example, with `elapsed = 100` (digits `1, 36`: 1×64 + 36):
///
/// - `deadline = 110` (digits `1, 46`): `100 ^ 110 = 0b1010`, highest bit 3, level 0, slot 46.
/// - `deadline = 130` (digits `2, 2`): `100 ^ 130 = 0b11_100110`, highest bit 7, level 1, slot 2.
/// - `deadline = 170` (digits `2, 42`): `100 ^ 170 = 0b11_001110`, highest bit 7, level 1, slot 2.
///
/// 130 is only 30 ms away, yet it cannot go on level 0: level 0's slot 2 means "tick 2 of the
/// current 64 ms turn", and that turn (64..128) holds 100 but not 130. Level 0 only holds
/// deadlines in `elapsed`'s own turn. So 130 and 170 wait together in level 1's slot 2
/// (128..192); when the wheel reaches 128 that slot *cascades*: each timer is filed again, now
/// on level 0 (130 in slot 2, 170 in slot 42).
///
/// The `| 63` keeps the highest bit at 5 or above, so a difference only in the lowest digit
/// still gives level 0 rather than asking for the highest bit of zero. The deadline must be
/// [`within_reach`] (differ from `elapsed` only in the wheel's 36 bits).
pub(super) fn level_for(elapsed: u64, deadline: u64) -> usize {
    debug_assert!(within_reach(elapsed, deadline));
    let differing = (elapsed ^ deadline) | (SLOTS as u64 - 1);
    let highest_bit = 63 - differing.leading_zeros() as usize;
    highest_bit / BITS_PER_LEVEL
}
// ANCHOR_END: level_for

/// Can a timer due at `deadline` go on a level now, with the wheel at `elapsed`? Yes when both
/// lie in the same turn of the top level (they agree on every bit above the lowest 36), so
/// that some level has the deadline's digit still ahead of the hand.
pub(super) fn within_reach(elapsed: u64, deadline: u64) -> bool {
    (elapsed ^ deadline) >> REACH_BITS == 0
}

/// The tick at which the top level's turn holding `deadline` starts: from then on the deadline
/// is [`within_reach`].
pub(super) fn reach_start(deadline: u64) -> u64 {
    deadline & !((1 << REACH_BITS) - 1)
}

/// The digit of `tick` at `level`: which of that level's slots the tick falls in.
pub(super) fn slot_of(level: usize, tick: u64) -> usize {
    ((tick >> (level * BITS_PER_LEVEL)) % SLOTS as u64) as usize
}

/// The width of one slot at `level`, in ticks: `64^level`.
fn slot_width(level: usize) -> u64 {
    1 << (level * BITS_PER_LEVEL)
}

/// The span of one full turn of `level`, in ticks: `64^(level+1)`; at most `2^36`, no overflow.
fn turn_width(level: usize) -> u64 {
    1 << ((level + 1) * BITS_PER_LEVEL)
}
