//! The lists a timer is linked into: which one the filing rule picks, and linking and
//! unlinking there, with the occupancy bits kept in step.
//!
//! Every list is threaded through the entries themselves (`prev`/`next`), so filing appends
//! and cancelling unlinks from the middle in O(1), with no allocation once the slab has
//! grown. An entry records only the *kind* of list it is on; which slot follows from its
//! deadline and the wheel's hand ([`Wheel::slot_list`]), the same filing rule `file` used.

use super::level::{Link, List, level_for, reach_start, slot_of, within_reach};
use super::{Entry, Home, Wheel};

impl<T> Wheel<T> {
    /// Links the unlinked entry `index` into the list its deadline belongs on, seen from
    /// `elapsed`: `overdue` if it is already due, `far` if it is beyond reach, else the slot
    /// the filing rule picks.
    pub(super) fn file(&mut self, index: usize) {
        let deadline = self.entries[index].deadline;
        let home = if deadline <= self.elapsed {
            if self.overdue.head.is_none() || deadline < self.overdue_earliest {
                self.overdue_earliest = deadline;
            }
            Home::Overdue
        } else if !within_reach(self.elapsed, deadline) {
            let reach = reach_start(deadline);
            if self.far.head.is_none() || reach < self.far_earliest {
                self.far_earliest = reach;
            }
            Home::Far
        } else {
            self.mark_occupied(deadline);
            Home::Slot
        };
        let tail = self.list_mut(home, deadline).tail;
        let entry = &mut self.entries[index];
        entry.home = home;
        entry.prev = tail;
        entry.next = None;
        match tail {
            Some(tail) => self.entries[tail.index()].next = Some(Link::to(index)),
            None => self.list_mut(home, deadline).head = Some(Link::to(index)),
        }
        self.list_mut(home, deadline).tail = Some(Link::to(index));
    }

    /// Sets the occupancy bits of the slot a timer due at `deadline` is filed in now (on
    /// level 1, of its tick's list too).
    fn mark_occupied(&mut self, deadline: u64) {
        let level = level_for(self.elapsed, deadline);
        let slot = slot_of(level, deadline);
        self.levels[level].occupied |= 1 << slot;
        if level == 1 {
            self.level1[slot].occupied |= 1 << slot_of(0, deadline);
        }
    }

    /// Clears the occupancy bits of the slot a timer due at `deadline` is filed in, if its
    /// list is now empty (on level 1, the slot's bit only when its last tick list emptied).
    fn clear_if_empty(&mut self, deadline: u64) {
        let level = level_for(self.elapsed, deadline);
        let slot = slot_of(level, deadline);
        if level == 1 {
            let ticks = &mut self.level1[slot];
            let digit = slot_of(0, deadline);
            if ticks.lists[digit].head.is_none() {
                ticks.occupied &= !(1 << digit);
            }
            if ticks.occupied != 0 {
                return;
            }
        } else if self.levels[level].slots[slot].head.is_some() {
            return;
        }
        self.levels[level].occupied &= !(1 << slot);
    }

    /// Unlinks entry `index` from its list, clearing the slot's occupancy bit if it empties.
    pub(super) fn unlink(&mut self, index: usize) {
        let Entry {
            home,
            deadline,
            prev,
            next,
            ..
        } = self.entries[index];
        match prev {
            Some(prev) => self.entries[prev.index()].next = next,
            None => self.list_mut(home, deadline).head = next,
        }
        match next {
            Some(next) => self.entries[next.index()].prev = prev,
            None => self.list_mut(home, deadline).tail = prev,
        }
        if home == Home::Slot {
            self.clear_if_empty(deadline);
        }
    }

    /// The list an entry due at `deadline` with this `home` is on.
    pub(super) fn list_mut(&mut self, home: Home, deadline: u64) -> &mut List {
        match home {
            Home::Slot => self.slot_list(deadline),
            Home::Overdue => &mut self.overdue,
            Home::Far => &mut self.far,
        }
    }

    /// The slot list the filing rule puts a timer due at `deadline` on, with the wheel at
    /// `elapsed`: on level 1, its tick's list in that slot.
    pub(super) fn slot_list(&mut self, deadline: u64) -> &mut List {
        let level = level_for(self.elapsed, deadline);
        let slot = slot_of(level, deadline);
        if level == 1 {
            &mut self.level1[slot].lists[slot_of(0, deadline)]
        } else {
            &mut self.levels[level].slots[slot]
        }
    }
}
