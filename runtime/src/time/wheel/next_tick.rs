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
use super::level::slot_of;

impl<T> Wheel<T> {
    /// The earliest tick holding timers and the values of its timers, when that tick sits in
    /// a level-0 slot (which holds the timers of exactly one tick) and no overdue timer comes
    /// first; `None` otherwise (an empty wheel, overdue timers, or a cascade point next).
    pub(crate) fn next_tick(&self) -> Option<(u64, impl Iterator<Item = &T>)> {
        if self.overdue.head.is_some() {
            return None;
        }
        let (level, start) = self.next_slot()?;
        if level != 0 {
            return None;
        }
        let mut next = self.levels[0].slots[slot_of(0, start)].head;
        let values = std::iter::from_fn(move || {
            let entry = &self.entries[next?];
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
        let Some((start, _)) = self.next_tick() else {
            return 0;
        };
        let slot = slot_of(0, start);
        let mut next = std::mem::take(&mut self.levels[0].slots[slot]).head;
        self.levels[0].occupied &= !(1 << slot);
        // The slot stays empty and every other slot starts after it: the filing rule holds
        // with `elapsed` unchanged.
        while let Some(index) = next {
            next = self.entries[index].next;
            self.fire(index);
        }
        // One tick, so one deadline; a cascade may have appended out of insertion order.
        self.hand_out(fired)
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
        poll(&mut wheel, 10);
        wheel.insert(3, 2); // filed in the past: overdue
        assert_eq!(next_tick(&wheel), None);
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
