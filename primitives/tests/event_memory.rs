//! What a task parked on an `Event` costs the event: its waker, two words, and nothing else.
//! The benchmark's `idle_tasks_memory` parks a million tasks on one event and counts every
//! byte; this counts the event's share with an allocator that tallies what is live.
//!
//! One test in its own file: the tally is global, and another test running beside it would
//! add to it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::task::{Context, Poll, Waker};

use tinyloop_primitives::Event;

/// The system allocator, keeping count of the bytes live.
struct Tally;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed to `System` unchanged; only the count is added.
unsafe impl GlobalAlloc for Tally {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Tally = Tally;

#[test]
fn a_waiter_parked_on_an_event_costs_the_event_sixteen_bytes() {
    // A power of two, so that the line's `Vec` is exactly full.
    const WAITERS: usize = 1 << 14;
    let event = Event::new();
    let mut waits: Vec<_> = (0..WAITERS).map(|_| event.wait()).collect();
    let mut cx = Context::from_waker(Waker::noop());
    let before = LIVE.load(Ordering::Relaxed);
    for wait in &mut waits {
        assert_eq!(Pin::new(wait).poll(&mut cx), Poll::Pending);
    }
    let per_waiter = (LIVE.load(Ordering::Relaxed) - before) / WAITERS as isize;
    assert_eq!(event.waiting(), WAITERS);
    // The wait list the other primitives use took 32 (its links and its tag beside the
    // waker).
    assert_eq!(per_waiter, 16, "bytes the event holds per parked waiter");
    drop(waits);
    assert_eq!(event.waiting(), 0);
}
