//! The wheel seen from outside, read-only: where each pending timer sits right now (which
//! level and slot, or the `overdue` and `far` lists), for the loop explorer's picture of the
//! wheel. asyncio's `loop._scheduled` is a heap, so its nearest view is the sorted list of
//! `TimerHandle`s; here the *place* of a timer is the lesson, because a cascade moves it.

use super::level::{level_for, slot_of};
use super::{Home, Wheel};

/// Where one pending timer is filed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    /// `levels[level].slots[slot]`.
    Slot {
        /// The level, 0 (1 ms slots) to 5 (~12.4 day slots).
        level: u8,
        /// The slot on that level, 0 to 63.
        slot: u8,
    },
    /// Filed with a deadline already past: the next poll fires it.
    Overdue,
    /// Beyond the top level's current turn: waits on the `far` list.
    Far,
}

impl<T> Wheel<T> {
    /// Every pending timer as `(place, deadline, seq, value)`, in no particular order, and
    /// the tick the wheel's hand stands at. Reads only: the wheel is not advanced.
    pub(crate) fn describe_wheel(&self) -> (u64, Vec<(Place, u64, u64, &T)>) {
        let timers = self
            .entries
            .iter()
            .map(|(_, entry)| {
                (
                    self.place(entry.home, entry.deadline),
                    entry.deadline,
                    entry.seq,
                    &entry.value,
                )
            })
            .collect();
        (self.elapsed, timers)
    }

    /// Where a timer due at `deadline` on a list of kind `home` is filed now.
    pub(super) fn place(&self, home: Home, deadline: u64) -> Place {
        match home {
            Home::Slot => {
                let level = level_for(self.elapsed, deadline);
                let slot = slot_of(level, deadline);
                Place::Slot {
                    level: level as u8,
                    slot: slot as u8,
                }
            }
            Home::Overdue => Place::Overdue,
            Home::Far => Place::Far,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Place, Wheel};

    /// A timer 130 ms ahead of tick 100 waits on level 1, slot 2; once the wheel passes
    /// 128 that slot cascades and the timer is found on level 0, slot 2 (the worked example
    /// of `level_for`).
    #[test]
    fn describe_wheel_shows_a_timer_moving_down_a_level_in_a_cascade() {
        let mut wheel = Wheel::new();
        let mut fired = Vec::new();
        wheel.poll(100, &mut fired);
        wheel.insert(130, "a");
        let (hand, timers) = wheel.describe_wheel();
        assert_eq!(hand, 100);
        assert_eq!(timers[0].0, Place::Slot { level: 1, slot: 2 });
        wheel.poll(128, &mut fired);
        let (hand, timers) = wheel.describe_wheel();
        assert_eq!(hand, 128);
        assert_eq!(timers[0].0, Place::Slot { level: 0, slot: 2 });
        assert_eq!(timers[0].1, 130);
        assert!(fired.is_empty());
    }
}
