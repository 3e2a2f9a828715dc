//! The line of tasks waiting for a flag (`Event`, `Queue::join`): their wakers in a `Vec`, in
//! the order they came, each found again by the ticket its future keeps.
//!
//! asyncio's `Event` keeps a `collections.deque` of futures and `set()` resolves all of them,
//! in order. The other primitives' [`WaitList`](super::wait_list) could do the same (it did),
//! but it pays for what only they need: a hand-off value per entry, and links so that the
//! *front* entry can be assigned alone. A flag wakes the whole line at once, so its line can
//! be smaller:
//!
//! * Each waiter draws a **ticket**, a number counting up from 0 that the line never reuses,
//!   and its `Waker` goes at the back of `wakers`. Slot order is ticket order is wait order.
//! * `set()` takes the whole `Vec` ([`TicketLine::take_all`]) and records that every ticket
//!   drawn so far was woken: a future whose ticket is below that mark returns at its next
//!   poll, even if the flag was lowered meanwhile.
//! * A waiter that leaves turns its slot into a gap (`None`), so the others keep their
//!   places. When gaps outnumber waiters, a compaction squeezes them out; the waiters it moved
//!   are then found by their tickets, which it writes down in `moved` (sorted, so a binary
//!   search finds them).
//!
//! # Size
//!
//! A slot is an `Option<Waker>`: 16 bytes (the `Waker`'s two pointers; `None` uses the
//! vtable pointer's null). A million tasks parked on one `Event` (the benchmark's
//! `idle_tasks_memory`) cost 16 MB of line instead of the wait list's 32: 16 bytes per task
//! fewer. A waiter that a compaction moved costs 8 bytes more (its ticket in `moved`) until
//! it leaves or is woken; a line never holds more than `2 × waiters + 32` slots.

use std::task::Waker;

/// A waiter's number in its line: counts up from 0 and is never reused, so it never wraps (a
/// line would need 2⁶⁴ waits).
pub(crate) type Ticket = u64;

/// Gaps a line tolerates before a compaction, however few waiters remain: compacting a short
/// line at every leave would cost more than the gaps do.
const GAPS_TOLERATED: usize = 32;

/// A FIFO of wakers for a flag; see the module docs.
#[derive(Debug, Default)]
pub(crate) struct TicketLine {
    /// The waiters' wakers in the order they came; `None` where one left (a gap).
    wakers: Vec<Option<Waker>>,
    /// The tickets of the first `moved.len()` slots, which the last compaction moved, in
    /// increasing order. Empty until a compaction.
    moved: Vec<Ticket>,
    /// The ticket of slot `moved.len()`: slot `moved.len() + k` holds ticket `dense_from + k`.
    dense_from: Ticket,
    /// Every ticket below this was in line at a [`TicketLine::take_all`] (a `set()`).
    woken_below: Ticket,
    /// How many slots hold a waker.
    waiting: usize,
}

impl TicketLine {
    /// How many are in line.
    pub(crate) fn len(&self) -> usize {
        self.waiting
    }

    /// The ticket the next waiter draws.
    fn next_ticket(&self) -> Ticket {
        self.dense_from + (self.wakers.len() - self.moved.len()) as Ticket
    }

    /// Join the back of the line; returns the ticket the future keeps.
    pub(crate) fn join(&mut self, waker: &Waker) -> Ticket {
        let ticket = self.next_ticket();
        self.wakers.push(Some(waker.clone()));
        self.waiting += 1;
        ticket
    }

    /// True if `ticket` was in line when the whole line was taken (woken by a `set()`).
    pub(crate) fn was_woken(&self, ticket: Ticket) -> bool {
        ticket < self.woken_below
    }

    /// The slot of a ticket still in line.
    fn slot(&self, ticket: Ticket) -> usize {
        debug_assert!(!self.was_woken(ticket) && ticket < self.next_ticket());
        match ticket.checked_sub(self.dense_from) {
            Some(offset) => self.moved.len() + offset as usize,
            None => self
                .moved
                .binary_search(&ticket)
                .expect("a ticket below the dense part was moved by a compaction"),
        }
    }

    /// Called from the waiting future's `poll` while `ticket` is in line: remember `waker`
    /// (the task may have moved to another one).
    pub(crate) fn update(&mut self, ticket: Ticket, waker: &Waker) {
        let slot = self.slot(ticket);
        match &mut self.wakers[slot] {
            Some(kept) if kept.will_wake(waker) => {}
            kept => *kept = Some(waker.clone()),
        }
    }

    /// Called from the waiting future's `Drop`: leave the line (nothing to do if `ticket`
    /// was woken already). Returns the waker, for the caller to drop once its borrow is
    /// released (dropping a waker runs code we do not control).
    pub(crate) fn leave(&mut self, ticket: Ticket) -> Option<Waker> {
        if self.was_woken(ticket) {
            return None;
        }
        let slot = self.slot(ticket);
        let waker = self.wakers[slot].take();
        self.waiting -= 1;
        let gaps = self.wakers.len() - self.waiting;
        if self.waiting == 0 {
            // Nobody left: start the dense part afresh (tickets still count up).
            self.dense_from = self.next_ticket();
            self.wakers.clear();
            self.moved.clear();
        } else if gaps > self.waiting.max(GAPS_TOLERATED) {
            self.compact();
        }
        waker
    }

    /// Squeeze the gaps out, writing down the moved waiters' tickets. Costs one pass over
    /// the line, paid for by the more than `len()` leaves since the last one.
    fn compact(&mut self) {
        let next = self.next_ticket();
        let moved: Vec<Ticket> = (0..self.wakers.len())
            .filter(|&slot| self.wakers[slot].is_some())
            .map(|slot| self.ticket_at(slot))
            .collect();
        self.wakers.retain(Option::is_some);
        self.moved = moved;
        self.dense_from = next;
    }

    /// The ticket of the waiter in `slot`.
    fn ticket_at(&self, slot: usize) -> Ticket {
        match slot.checked_sub(self.moved.len()) {
            Some(offset) => self.dense_from + offset as Ticket,
            None => self.moved[slot],
        }
    }

    /// Take every waker in line, in order (gaps included), and mark every ticket drawn so far
    /// as woken. The line is empty afterwards; newcomers draw tickets that are not woken.
    pub(crate) fn take_all(&mut self) -> Vec<Option<Waker>> {
        let next = self.next_ticket();
        self.woken_below = next;
        self.dense_from = next;
        self.moved.clear();
        self.waiting = 0;
        std::mem::take(&mut self.wakers)
    }

    /// Hand back the `Vec` that [`TicketLine::take_all`] returned, emptied, so that the next
    /// round reuses its memory (kept only if the line has not grown one of its own meanwhile).
    pub(crate) fn give_back(&mut self, mut taken: Vec<Option<Waker>>) {
        taken.clear();
        if self.wakers.is_empty() && self.wakers.capacity() < taken.capacity() {
            self.wakers = taken;
        }
    }

    /// How many slots the line holds (waiters and gaps): for the tests of its bound.
    #[cfg(test)]
    fn slots(&self) -> usize {
        self.wakers.len()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::task::{Wake, Waker};

    use super::{GAPS_TOLERATED, Ticket, TicketLine};

    /// A waker that records its number into a shared log when woken.
    struct Named(usize, Arc<std::sync::Mutex<Vec<usize>>>);

    impl Wake for Named {
        fn wake(self: Arc<Self>) {
            self.1.lock().unwrap().push(self.0);
        }
    }

    fn named(n: usize, log: &Arc<std::sync::Mutex<Vec<usize>>>) -> Waker {
        Waker::from(Arc::new(Named(n, log.clone())))
    }

    /// Wake what `take_all` returns, in order, and return the log.
    fn wake_all(line: &mut TicketLine, log: &Arc<std::sync::Mutex<Vec<usize>>>) -> Vec<usize> {
        let taken = line.take_all();
        for waker in taken.iter().flatten() {
            waker.wake_by_ref();
        }
        line.give_back(taken);
        std::mem::take(&mut *log.lock().unwrap())
    }

    #[test]
    fn a_slot_of_the_line_is_two_words() {
        // Counted per parked task by the benchmark's `idle_tasks_memory` (the wait list's
        // entry, which `Event` used before, is 32 bytes).
        assert_eq!(std::mem::size_of::<Option<Waker>>(), 16);
        let mut line = TicketLine::default();
        for _ in 0..1000 {
            line.join(Waker::noop());
        }
        assert_eq!(
            line.wakers.len() * std::mem::size_of_val(&line.wakers[0]),
            16_000
        );
    }

    #[test]
    fn take_all_wakes_in_ticket_order_and_marks_only_those_in_line() {
        let log = Arc::default();
        let mut line = TicketLine::default();
        let tickets: Vec<Ticket> = (0..3).map(|n| line.join(&named(n, &log))).collect();
        assert_eq!(wake_all(&mut line, &log), [0, 1, 2]);
        let later = line.join(&named(3, &log));
        assert!(tickets.iter().all(|&ticket| line.was_woken(ticket)));
        assert!(
            !line.was_woken(later),
            "joined after the set: waits for the next"
        );
        assert!(
            line.leave(tickets[1]).is_none(),
            "a woken ticket has nothing to leave"
        );
        assert_eq!(line.len(), 1);
    }

    #[test]
    fn a_compaction_keeps_the_order_and_every_waiter_finds_its_slot() {
        let log = Arc::default();
        let mut line = TicketLine::default();
        let tickets: Vec<Ticket> = (0..200).map(|n| line.join(&named(n, &log))).collect();
        // Every waiter but each tenth leaves: more gaps than waiters, so it compacts.
        for (n, &ticket) in tickets.iter().enumerate() {
            if n % 10 != 0 {
                assert!(line.leave(ticket).is_some());
            }
        }
        assert!(!line.moved.is_empty(), "a compaction moved the waiters");
        assert_eq!(line.len(), 20);
        // The moved ones are found by their tickets: re-register 50 under a new waker.
        line.update(tickets[50], &named(5050, &log));
        line.join(&named(999, &log));
        let mut expected: Vec<usize> = (0..200).step_by(10).collect();
        expected[5] = 5050;
        expected.push(999);
        assert_eq!(wake_all(&mut line, &log), expected);
    }

    #[test]
    fn leaving_behind_a_waiter_that_never_leaves_does_not_grow_the_line() {
        // One task waits forever; a hundred thousand others wait and time out in turn, each
        // overlapping the next (the gap a leaver leaves is not at the back).
        let mut line = TicketLine::default();
        line.join(Waker::noop());
        let mut previous = line.join(Waker::noop());
        for _ in 0..100_000 {
            let next = line.join(Waker::noop());
            line.leave(previous);
            previous = next;
        }
        assert_eq!(line.len(), 2);
        assert!(line.slots() <= 2 * line.len() + GAPS_TOLERATED + 1);
    }

    #[test]
    fn a_line_left_by_everyone_starts_afresh() {
        let mut line = TicketLine::default();
        let first = line.join(Waker::noop());
        line.leave(first);
        assert_eq!(line.slots(), 0);
        let second = line.join(Waker::noop());
        assert!(second > first, "tickets are never reused");
        assert!(!line.was_woken(second));
    }

    #[test]
    fn the_taken_vec_is_reused_by_the_next_round() {
        let mut line = TicketLine::default();
        for _ in 0..1000 {
            line.join(Waker::noop());
        }
        let taken = line.take_all();
        let capacity = taken.capacity();
        line.give_back(taken);
        assert_eq!(line.wakers.capacity(), capacity);
    }
}
