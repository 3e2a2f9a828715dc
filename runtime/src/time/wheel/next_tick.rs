//! The earliest tick, read and fired whole before it begins.
//!
//! The wheel counts whole ticks; the loop's clock counts nanoseconds, and a tick's timers may
//! all be due well before the tick ends (a periodic task that sleeps 10 ms from just after a
//! tick files its next timer a few microseconds into a tick, not at its end). These two
//! methods let the driver (`../driver.rs`) see the earliest tick's timers and, once every one
//! of them is due, fire them without moving the wheel's hand: the hand stays behind the tick,
//! so a timer filed afterwards for the same tick waits its turn and never fires early.
//!
//! asyncio has no ticks and no such question: its heap holds each handle's exact `when`.

use super::Wheel;
use super::level::{Link, List, slot_of};
use super::links::ListAt;

impl<T> Wheel<T> {
    /// The earliest tick holding timers and the values of its timers, when that tick's
    /// timers sit on one list of their own: a level-0 slot, or the first tick list of a
    /// level-1 slot (the tick the loop would otherwise wake at the end of, to cascade), with
    /// no overdue timer first. `None` otherwise (an empty wheel, overdue timers, or a cascade
    /// point before any deadline).
    pub(crate) fn next_tick(&self) -> Option<(u64, impl Iterator<Item = &T>)> {
        let (start, _, list) = self.next_tick_list()?;
        let mut next = list.head;
        let values = std::iter::from_fn(move || {
            let entry = &self.entries[next?.index()];
            next = entry.next;
            Some(&entry.value)
        });
        Some((start, values))
    }

    /// Fires every timer of the tick [`next_tick`](Wheel::next_tick) names, appending them to
    /// `fired` as `(deadline, value)` in the order they were filed, without advancing the
    /// wheel (see the module docs). The caller has checked that all of them are due. Returns
    /// how many fired; 0 when `next_tick` is `None`.
    pub(crate) fn fire_next_tick(&mut self, fired: &mut Vec<(u64, T)>) -> usize {
        let Some((_, at, _)) = self.next_tick_list() else {
            return 0;
        };
        let list = self.take_list(at);
        // The list is empty now and every other slot starts after it: the filing rule holds
        // with `elapsed` unchanged.
        let mut next = list.head;
        while let Some(index) = next.map(Link::index) {
            next = self.entries[index].next;
            self.fire(index);
        }
        // One tick, so one deadline; a cascade may have appended out of insertion order.
        self.hand_out(fired)
    }

    /// The earliest tick, with where the list holding exactly its timers is and what it
    /// holds, if there is one.
    fn next_tick_list(&self) -> Option<(u64, ListAt, List)> {
        if self.overdue.head.is_some() {
            return None;
        }
        let (level, start) = self.next_slot()?;
        match level {
            0 => {
                let slot = slot_of(0, start);
                let at = ListAt::Slot {
                    level: 0,
                    slot,
                    tick: slot,
                };
                Some((start, at, self.levels[0].slots[slot]))
            }
            // A level-1 slot starts with its tick list 0; the slot holds that tick's timers
            // only if that list is occupied.
            1 => {
                let slot = slot_of(1, start);
                let at = ListAt::Slot {
                    level: 1,
                    slot,
                    tick: 0,
                };
                let ticks = &self.level1[slot];
                (ticks.occupied & 1 != 0).then_some((start, at, ticks.lists[0]))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Wheel;
    use super::super::tests::poll;

    /// The values `next_tick` names, and its tick.
    fn next_tick(wheel: &Wheel<u64>) -> Option<(u64, Vec<u64>)> {
        wheel
            .next_tick()
            .map(|(tick, values)| (tick, values.copied().collect()))
    }

    #[test]
    fn next_tick_names_the_earliest_level_0_tick_and_only_its_timers() {
        let mut wheel = Wheel::new();
        wheel.insert(7, 1);
        wheel.insert(5, 2);
        wheel.insert(5, 3);
        assert_eq!(next_tick(&wheel), Some((5, vec![2, 3])));
    }

    #[test]
    fn next_tick_is_none_when_a_cascade_or_an_overdue_timer_comes_first() {
        let mut wheel = Wheel::new();
        wheel.insert(100, 1); // level 1: the loop must first wake at 64 to cascade
        assert_eq!(next_tick(&wheel), None);
        wheel.insert(4200, 3); // level 2 holds it, behind the cascade point
        assert_eq!(next_tick(&wheel), None);
        poll(&mut wheel, 10);
        wheel.insert(3, 2); // filed in the past: overdue
        assert_eq!(next_tick(&wheel), None);
    }

    #[test]
    fn the_first_tick_of_a_level_1_slot_is_named_before_the_slot_cascades() {
        // Tick 128 starts level 1's slot 2. Its timers are due somewhere in (127, 128] ms,
        // so waking at 128 to cascade would make them late by up to a whole tick.
        let mut wheel = Wheel::new();
        poll(&mut wheel, 100);
        wheel.insert(130, 1);
        wheel.insert(128, 2);
        wheel.insert(128, 3);
        assert_eq!(next_tick(&wheel), Some((128, vec![2, 3])));
        let mut fired = Vec::new();
        assert_eq!(wheel.fire_next_tick(&mut fired), 2);
        assert_eq!(fired, [(128, 2), (128, 3)]);
        assert_eq!(wheel.elapsed(), 100, "the hand has not moved");
        // The rest of the slot cascades at 128 as before, and 130 fires on time.
        assert_eq!(next_tick(&wheel), None);
        assert_eq!(wheel.next_expiration(), Some(128));
        assert_eq!(poll(&mut wheel, 129), []);
        assert_eq!(poll(&mut wheel, 130), [(130, 1)]);
        assert!(wheel.is_empty());
    }

    #[test]
    fn firing_the_next_tick_leaves_the_hand_behind_it_so_later_timers_of_that_tick_wait() {
        let mut wheel = Wheel::new();
        poll(&mut wheel, 4);
        wheel.insert(5, 1);
        wheel.insert(5, 2);
        wheel.insert(6, 3);
        let mut fired = Vec::new();
        assert_eq!(wheel.fire_next_tick(&mut fired), 2);
        assert_eq!(fired, [(5, 1), (5, 2)]);
        assert_eq!(wheel.elapsed(), 4, "the hand has not moved");
        // Filed after the tick fired, for the same tick: it waits for the clock.
        wheel.insert(5, 4);
        assert_eq!(poll(&mut wheel, 4), []);
        assert_eq!(poll(&mut wheel, 6), [(5, 4), (6, 3)]);
    }
}
