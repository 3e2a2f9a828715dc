//! The lists a timer is linked into: which one the filing rule picks, and linking and
//! unlinking there, with the occupancy bits kept in step.
//!
//! Every list is threaded through the entries themselves (`prev`/`next`), so filing appends
//! and cancelling unlinks from the middle in O(1), with no allocation once the slab has
//! grown. An entry records only the *kind* of list it is on; which slot follows from its
//! deadline and the wheel's hand ([`Wheel::list_at`]), the same filing rule `file` used.

use super::level::{Link, List, level_for, reach_start, slot_of, within_reach};
use super::{Entry, Home, Wheel};

/// Where one list is: found once per filing or unlinking, then used for each of the list's
/// ends and bits.
#[derive(Clone, Copy, Debug)]
pub(super) enum ListAt {
    Overdue,
    Far,
    /// `levels[level].slots[slot]`; on level 1, list `tick` of the slot's [`Ticks`].
    ///
    /// [`Ticks`]: super::level::Ticks
    Slot {
        level: usize,
        slot: usize,
        tick: usize,
    },
}

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
            Home::Slot
        };
        let at = self.list_at(home, deadline);
        if let ListAt::Slot { level, slot, tick } = at {
            self.levels[level].occupied |= 1 << slot;
            if level == 1 {
                self.level1[slot].occupied |= 1 << tick;
            }
        }
        let link = Some(Link::to(index));
        let tail = self.list(at).tail;
        let entry = &mut self.entries[index];
        entry.home = home;
        entry.prev = tail;
        entry.next = None;
        match tail {
            Some(tail) => self.entries[tail.index()].next = link,
            None => self.list(at).head = link,
        }
        self.list(at).tail = link;
    }

    /// Unlinks entry `index` from its list, clearing the slot's occupancy bit if it empties
    /// (on level 1, the slot's bit only when its last tick list emptied).
    pub(super) fn unlink(&mut self, index: usize) {
        let Entry {
            home,
            deadline,
            prev,
            next,
            ..
        } = self.entries[index];
        let at = self.list_at(home, deadline);
        match prev {
            Some(prev) => self.entries[prev.index()].next = next,
            None => self.list(at).head = next,
        }
        match next {
            Some(next) => self.entries[next.index()].prev = prev,
            None => self.list(at).tail = prev,
        }
        if self.list(at).head.is_none() {
            self.emptied(at);
        }
    }

    /// Empties the list at `at` and returns what it held.
    pub(super) fn take_list(&mut self, at: ListAt) -> List {
        let list = std::mem::take(self.list(at));
        self.emptied(at);
        list
    }

    /// The slot list at `at` has just emptied: clear its occupancy bit (on level 1, its tick
    /// list's bit, and the slot's only when its last tick list emptied).
    fn emptied(&mut self, at: ListAt) {
        let ListAt::Slot { level, slot, tick } = at else {
            return;
        };
        if level == 1 {
            let ticks = &mut self.level1[slot];
            ticks.occupied &= !(1 << tick);
            if ticks.occupied != 0 {
                return;
            }
        }
        self.levels[level].occupied &= !(1 << slot);
    }

    /// Where the list an entry due at `deadline` with this `home` is on lies. For a slot,
    /// the filing rule says which, from the deadline and `elapsed`.
    pub(super) fn list_at(&self, home: Home, deadline: u64) -> ListAt {
        match home {
            Home::Overdue => ListAt::Overdue,
            Home::Far => ListAt::Far,
            Home::Slot => {
                let level = level_for(self.elapsed, deadline);
                ListAt::Slot {
                    level,
                    slot: slot_of(level, deadline),
                    tick: slot_of(0, deadline),
                }
            }
        }
    }

    /// The list at `at`.
    fn list(&mut self, at: ListAt) -> &mut List {
        match at {
            ListAt::Overdue => &mut self.overdue,
            ListAt::Far => &mut self.far,
            ListAt::Slot {
                level: 1,
                slot,
                tick,
            } => &mut self.level1[slot].lists[tick],
            ListAt::Slot { level, slot, .. } => &mut self.levels[level].slots[slot],
        }
    }
}
