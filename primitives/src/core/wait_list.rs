//! The line of waiting tasks that every primitive but `Event` keeps: a FIFO of entries in a
//! `Slab`, and the hand-off that moves something to the front entry.
//!
//! asyncio keeps a `collections.deque` of futures per primitive (`Semaphore._waiters`,
//! `Queue._getters`) and *wakes* the first one; the woken task then comes back later and
//! tries to take the permit or the item, and a decade of bugs lived in the gap between
//! "woken" and "came back" (see the book's chapter "The bug museum"). tinyloop closes the
//! gap: at release time the primitive **assigns** what it releases to the front entry
//! ([`WaitList::assign_front`]), so the entry *owns* it from that moment. The waiting
//! future collects it at its next poll ([`WaitList::poll_done`]), or, if it is dropped
//! first, its `Drop` gets it back from [`WaitList::cancel`] and passes it on.
//!
//! # The entries
//!
//! An entry is in one of two states ([`Slot`]): `Waiting(W)`, still in line, holding what the
//! waiter brought (a `Queue` putter brings its item; most bring `()`), or `Done(D)`, out of
//! line, holding what it was given (a permit, an item, an arrival index). Waiting entries are
//! linked into a doubly linked list *by slab key* (`prev`, `next`), so a waiter that leaves
//! from the middle of the line costs O(1), and no entry is ever allocated on its own: after
//! the first few waits, the slab reuses its slots and waiting allocates nothing.
//!
//! # Ground rules
//!
//! * A future that registered holds its key until it collects its `Done` value or cancels;
//!   nobody else removes an entry, so a key never points at someone else's entry.
//! * The list never wakes anyone: [`WaitList::assign_front`] *returns* the waker, and the
//!   caller wakes it with `trace::wake_as` after releasing its `RefCell` borrow, so a waker
//!   (which is code we do not control) never runs while the primitive's state is borrowed.

use std::task::Waker;

use slab::Slab;

/// "No entry", for the `prev`/`next` links (cheaper than `Option<u32>`).
const NONE: u32 = u32::MAX;

/// Where an entry is in its life.
#[derive(Debug)]
pub(crate) enum Slot<W, D> {
    /// In line, holding what the waiter brought.
    Waiting(W),
    /// Out of line, holding what it was handed.
    Done(D),
    /// Only for an instant inside [`WaitList::assign_front`], while `W` becomes `D`.
    Moving,
}

/// One waiting future.
///
/// The links are `u32` slab keys, not `usize`: an entry is then 32 bytes instead of 40 (the
/// `Waker`'s 16, two links, the slot's tag), 8 bytes fewer per waiter in a long line. A line
/// is limited to 4 294 967 295 entries, as the loop is to as many tasks. (`Event`, whose
/// lines are the longest, uses the 16-byte slots of `ticket_line.rs` instead.)
#[derive(Debug)]
struct Entry<W, D> {
    /// The waker of the task to wake when this entry is assigned. Updated at every poll in
    /// which the future is still waiting (the task may have moved to another waker).
    waker: Waker,
    /// The previous waiting entry (towards the front), or `NONE`. Meaningless once `Done`.
    prev: u32,
    /// The next waiting entry (towards the back), or `NONE`. Meaningless once `Done`.
    next: u32,
    /// Waiting or done.
    slot: Slot<W, D>,
}

/// A FIFO line of waiters with hand-off: the data structure behind `Semaphore`, `Lock`,
/// `Condition`, `Barrier` and both sides of `Queue`.
#[derive(Debug)]
pub(crate) struct WaitList<W, D> {
    /// Every entry, waiting or done-but-not-yet-collected, by key.
    entries: Slab<Entry<W, D>>,
    /// The longest waiter, or `NONE` when nobody waits.
    head: u32,
    /// The newest waiter, or `NONE` when nobody waits.
    tail: u32,
    /// How many entries are `Waiting` (linked). Done entries are not counted.
    waiting: usize,
}

impl<W, D> Default for WaitList<W, D> {
    fn default() -> Self {
        WaitList {
            entries: Slab::new(),
            head: NONE,
            tail: NONE,
            waiting: 0,
        }
    }
}

impl<W, D> WaitList<W, D> {
    /// How many entries were assigned and not yet collected: waiters woken that have not
    /// run yet (asyncio: futures that are `done()` but still in the deque).
    pub(crate) fn assigned(&self) -> usize {
        self.entries.len() - self.waiting
    }

    /// How many are in line.
    pub(crate) fn len(&self) -> usize {
        self.waiting
    }

    /// Join the back of the line; returns the key the future keeps (it fits in a `u32`).
    pub(crate) fn push_back(&mut self, brought: W, waker: &Waker) -> usize {
        let entry = self.entries.vacant_entry();
        let key = u32::try_from(entry.key())
            .ok()
            .filter(|&key| key != NONE)
            .expect("a wait line holds at most 4 294 967 294 waiters at once");
        entry.insert(Entry {
            waker: waker.clone(),
            prev: self.tail,
            next: NONE,
            slot: Slot::Waiting(brought),
        });
        match self.tail {
            NONE => self.head = key,
            tail => self.entries[tail as usize].next = key,
        }
        self.tail = key;
        self.waiting += 1;
        key as usize
    }

    /// Take entry `key` out of the line (it stays in the slab).
    fn unlink(&mut self, key: usize) {
        let (prev, next) = (self.entries[key].prev, self.entries[key].next);
        match prev {
            NONE => self.head = next,
            prev => self.entries[prev as usize].next = next,
        }
        match next {
            NONE => self.tail = prev,
            next => self.entries[next as usize].prev = prev,
        }
        self.waiting -= 1;
    }

    // ANCHOR: assign_front
    /// The hand-off: take the longest waiter out of line, turn what it brought into what it
    /// is given with `give`, and return its waker for the caller to wake (after releasing
    /// its borrow). `None` when nobody waits.
    pub(crate) fn assign_front(&mut self, give: impl FnOnce(W) -> D) -> Option<Waker> {
        if self.head == NONE {
            return None;
        }
        let key = self.head as usize;
        self.unlink(key);
        let entry = &mut self.entries[key];
        let Slot::Waiting(brought) = std::mem::replace(&mut entry.slot, Slot::Moving) else {
            unreachable!("a linked entry is waiting")
        };
        entry.slot = Slot::Done(give(brought));
        Some(entry.waker.clone())
    }
    // ANCHOR_END: assign_front

    /// Called from the waiting future's `poll`: if the entry was assigned, remove it and
    /// return what it was given; otherwise remember `waker` (if it changed) and return `None`.
    pub(crate) fn poll_done(&mut self, key: usize, waker: &Waker) -> Option<D> {
        let entry = &mut self.entries[key];
        match entry.slot {
            Slot::Done(_) => match self.entries.remove(key).slot {
                Slot::Done(given) => Some(given),
                _ => unreachable!("checked just above"),
            },
            Slot::Waiting(_) | Slot::Moving => {
                if !entry.waker.will_wake(waker) {
                    entry.waker = waker.clone();
                }
                None
            }
        }
    }

    /// Called from the waiting future's `Drop`: remove the entry, wherever it is, and return
    /// its last state, so that the caller can pass on what it was given, or take back what
    /// it brought.
    pub(crate) fn cancel(&mut self, key: usize) -> Slot<W, D> {
        if matches!(self.entries[key].slot, Slot::Waiting(_)) {
            self.unlink(key);
        }
        self.entries.remove(key).slot
    }
}

#[cfg(test)]
mod tests {
    use std::task::Waker;

    use super::{Slot, WaitList};

    fn noop() -> Waker {
        Waker::noop().clone()
    }

    #[test]
    fn the_front_entry_is_the_longest_waiter() {
        let mut line: WaitList<&str, &str> = WaitList::default();
        let a = line.push_back("a", &noop());
        let b = line.push_back("b", &noop());
        assert_eq!(line.len(), 2);
        assert!(line.assign_front(|brought| brought).is_some());
        assert_eq!(line.poll_done(a, &noop()), Some("a"));
        assert_eq!(line.poll_done(b, &noop()), None, "b is still in line");
        assert_eq!(line.len(), 1);
    }

    #[test]
    fn leaving_from_the_middle_keeps_the_order_of_the_rest() {
        let mut line: WaitList<u32, u32> = WaitList::default();
        let keys: Vec<usize> = (0..4).map(|n| line.push_back(n, &noop())).collect();
        assert!(matches!(line.cancel(keys[1]), Slot::Waiting(1)));
        assert!(matches!(line.cancel(keys[3]), Slot::Waiting(3)));
        let mut order = Vec::new();
        while line.assign_front(|n| n * 10).is_some() {}
        for key in [keys[0], keys[2]] {
            order.push(line.poll_done(key, &noop()).unwrap());
        }
        assert_eq!(order, [0, 20]);
        assert_eq!(line.len(), 0);
    }

    #[test]
    fn a_cancelled_entry_that_was_assigned_returns_what_it_was_given() {
        let mut line: WaitList<(), &str> = WaitList::default();
        let key = line.push_back((), &noop());
        line.assign_front(|()| "permit");
        assert!(matches!(line.cancel(key), Slot::Done("permit")));
        assert!(line.assign_front(|()| "nobody").is_none());
    }

    #[test]
    fn slots_are_reused_and_a_new_entry_joins_the_back() {
        let mut line: WaitList<u32, u32> = WaitList::default();
        let first = line.push_back(1, &noop());
        let _ = line.cancel(first);
        let reused = line.push_back(2, &noop());
        assert_eq!(reused, first, "the slab reuses the freed slot");
        let last = line.push_back(3, &noop());
        line.assign_front(|n| n);
        assert_eq!(line.poll_done(reused, &noop()), Some(2));
        assert_eq!(line.poll_done(last, &noop()), None);
    }

    #[test]
    fn an_entry_of_a_line_of_plain_waiters_is_32_bytes() {
        // Four words (see `Entry`).
        assert_eq!(std::mem::size_of::<super::Entry<(), ()>>(), 32);
    }
}
