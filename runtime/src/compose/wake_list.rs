//! [`WakeList`]: a waker for each of n children, all in one allocation, and the list of the
//! children woken since the awaiter last looked.
//!
//! # What asyncio does
//!
//! `asyncio.gather` and `asyncio.wait` add one done callback to each child; when a child is
//! done, the loop calls *that* callback, which knows which child it belongs to. This file is
//! the Rust form of those callbacks: a `Waker` per child that, when woken, says which child
//! it was (`children.rs` tells the rest of the story).
//!
//! # The list
//!
//! Waking child `i` pushes `i` on a stack threaded through the children's slots (slot `i`
//! holds the index of the child listed before it) and, if the stack was empty, wakes the
//! awaiting task. The awaiter takes the whole stack at once, with one atomic swap, and polls
//! the children it names. Pushing is one compare-and-swap on the stack's head, from any
//! thread, with no lock: a push never reads what another push left except the head it
//! replaces, and the awaiter takes everything at once instead of popping one by one, so the
//! "ABA" problem of lock-free stacks does not arise.
//!
//! # Ground rules
//!
//! * A child's waker may be woken from any thread (a `to_thread` job finishing wakes the
//!   task that awaits it), so everything a waker touches is atomic, or behind the `Mutex`
//!   around the awaiter's waker. That lock is taken once per batch, not per wake: by the
//!   wake that finds the stack empty, and by the awaiter when it takes the stack.
//! * A child woken twice before it is polled is listed once (`Slot::queued`).
//! * Only the awaiter unlists a child, just before polling it: a wake during that poll lists
//!   it again, for the next batch.
//!
//! # Why a hand-written waker
//!
//! The safe way to make a waker is `Waker::from(Arc<W>)` with `W: std::task::Wake`, one
//! `Arc` per child, because the waker *is* that `Arc`. A child's waker must know its index,
//! so each needed its own allocation (48 bytes with its counts), and a `Vec<Waker>` beside
//! it to lend them. Here the waker's data pointer is the address of the child's [`Slot`]
//! inside the one shared allocation, and a [`RawWakerVTable`] turns clone and drop into
//! that allocation's reference count. [`VTABLE`] has the measurement that asked for it.

use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::task::{Context, RawWaker, RawWakerVTable, Waker};

/// In [`Shared::head`] and [`Slot::next`]: nothing (further) on the list.
const END: usize = usize::MAX;

/// The wakers of `n` children and the list they fill; see the module docs.
pub(crate) struct WakeList {
    /// What the wakers share. The list holds one strong count, which the wakers it lends
    /// for a poll ([`WakeList::waker`]) borrow.
    shared: Arc<Shared>,
}

/// What every child waker of one [`WakeList`] reaches.
struct Shared {
    /// The child listed last, whose slot names the one listed before it, and so on down
    /// to [`END`]; `END` when nothing is listed.
    head: AtomicUsize,
    /// One per child, by index. Never resized: a waker's data pointer points into it.
    slots: Box<[Slot]>,
    /// The awaiting task's waker, from its latest poll: woken by the first wake of a batch.
    awaiter: Mutex<Option<Waker>>,
}

/// Child `i`'s part of [`Shared`]; a waker of child `i` points at it.
struct Slot {
    /// The `Shared` this slot lies in, so that a waker, which holds only the slot's
    /// address, can reach the list and the reference count. Set once, when the `Shared` is
    /// made, and never changed (atomic only so that the slot may be shared across threads
    /// without an `unsafe impl Sync`).
    shared: AtomicPtr<Shared>,
    /// True from the wake that lists the child until the awaiter unlists it to poll it: a
    /// second wake in between adds nothing.
    queued: AtomicBool,
    /// While listed: the child listed before this one, or [`END`]. Written only by whoever
    /// set `queued` (the lister owns the slot until the awaiter takes the list).
    next: AtomicUsize,
}

/// Child `index`'s waker, lent for one poll: it borrows the [`WakeList`]'s count (no count
/// traffic per poll; a child that keeps its waker clones it, which takes a count).
pub(crate) struct LentWaker<'list> {
    /// The waker; never dropped, since it owns no count.
    waker: ManuallyDrop<Waker>,
    /// The list whose count the waker borrows.
    _list: PhantomData<&'list WakeList>,
}

impl Deref for LentWaker<'_> {
    type Target = Waker;

    fn deref(&self) -> &Waker {
        &self.waker
    }
}

/// Lock the awaiter's slot. No user code runs under it except a waker's `clone` and
/// `will_wake`, and a panic there leaves the slot as it was, so a poisoned lock is fine.
fn lock(awaiter: &Mutex<Option<Waker>>) -> MutexGuard<'_, Option<Waker>> {
    awaiter
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl WakeList {
    /// Wakers for children `0..n`, all listed as woken (`0` on top), so that the first
    /// poll starts each.
    pub(crate) fn new(n: usize) -> WakeList {
        let shared = Arc::new_cyclic(|this: &Weak<Shared>| {
            // The address the `Arc` will have: each slot keeps it (see `Slot::shared`).
            let address = this.as_ptr().cast_mut();
            Shared {
                head: AtomicUsize::new(if n == 0 { END } else { 0 }),
                slots: (0..n)
                    .map(|index| Slot {
                        shared: AtomicPtr::new(address),
                        queued: AtomicBool::new(true),
                        next: AtomicUsize::new(if index + 1 < n { index + 1 } else { END }),
                    })
                    .collect(),
                awaiter: Mutex::new(None),
            }
        });
        WakeList { shared }
    }

    /// Record the awaiting task's waker from `cx`, to be woken by the next child wake, and
    /// put the children woken since the last call in `batch`, in index order.
    pub(crate) fn take_woken(&self, cx: &Context<'_>, batch: &mut Vec<usize>) {
        batch.clear();
        {
            // Before taking the list: a wake that finds it empty after the swap below must
            // find this waker.
            let mut awaiter = lock(&self.shared.awaiter);
            match &*awaiter {
                Some(waker) if waker.will_wake(cx.waker()) => {}
                _ => *awaiter = Some(cx.waker().clone()),
            }
        }
        // Acquire: pairs with each push's release, so every `next` the pushes wrote is seen.
        let mut index = self.shared.head.swap(END, Ordering::Acquire);
        while index != END {
            batch.push(index);
            // Nobody else writes a listed slot's `next` until we unlist it (`waker`).
            index = self.shared.slots[index].next.load(Ordering::Relaxed);
        }
        // The stack gives the last woken first; sorting restores index order (a list
        // already in order, or in reverse, costs one pass).
        batch.sort_unstable();
    }

    /// Child `index`'s waker, to poll it with. Unlists the child first: a wake during the
    /// poll lists it again, for the next batch.
    pub(crate) fn waker(&self, index: usize) -> LentWaker<'_> {
        let slot = &self.shared.slots[index];
        // A swap, not a store: reading the `true` of a wake that found the child listed
        // makes that wake's writes visible to the poll that follows (the wake relied on
        // this poll to see them).
        slot.queued.swap(false, Ordering::AcqRel);
        // SAFETY: the data pointer is the address of a slot in `self.shared`, as the
        // vtable's functions require. The waker owns no count: it borrows `self.shared`'s,
        // it is never dropped (`ManuallyDrop`), and `LentWaker` cannot outlive `self`;
        // whoever keeps it clones it, which takes a count of its own.
        let waker = unsafe { Waker::from_raw(RawWaker::new(ptr::from_ref(slot).cast(), &VTABLE)) };
        LentWaker {
            waker: ManuallyDrop::new(waker),
            _list: PhantomData,
        }
    }

    /// List `indices` again: they were taken (so they are still `queued`) but not polled,
    /// and no wake of theirs may be forgotten. Wakes nobody: the caller is returning.
    pub(crate) fn relist(&self, indices: &[usize]) {
        for &index in indices {
            self.shared.push(index);
        }
    }
}

impl Shared {
    /// What a wake of child `index` does: list it unless it is listed, and wake the awaiter
    /// if the list was empty (a non-empty list has woken it already).
    fn wake(&self, index: usize) {
        // AcqRel: a wake that finds the child listed publishes its writes through this
        // flag to the awaiter's unlisting swap (`WakeList::waker`).
        if self.slots[index].queued.swap(true, Ordering::AcqRel) {
            return;
        }
        if self.push(index) == END {
            let awaiter = lock(&self.awaiter).clone();
            if let Some(awaiter) = awaiter {
                awaiter.wake(); // outside the lock: waking may run anything
            }
        }
    }

    /// Push child `index` (which the caller owns: it set `queued`) on the list; the head it
    /// replaced.
    fn push(&self, index: usize) -> usize {
        let slot = &self.slots[index];
        let mut head = self.head.load(Ordering::Relaxed);
        loop {
            slot.next.store(head, Ordering::Relaxed);
            // Release: the `next` just written, and whatever the waker's caller wrote
            // before waking, reach the awaiter that takes the list.
            match self
                .head
                .compare_exchange_weak(head, index, Ordering::Release, Ordering::Relaxed)
            {
                Ok(_) => return head,
                Err(now) => head = now,
            }
        }
    }

    /// The index of `slot`, one of `self.slots`.
    fn index_of(&self, slot: &Slot) -> usize {
        let offset = ptr::from_ref(slot).addr() - self.slots.as_ptr().addr();
        offset / size_of::<Slot>()
    }
}

/// The child wakers' functions.
///
/// Measured with callgrind on the benchmark's `gather` (100,000 spawned children, each
/// yielding once; `python3 bench/scripts/instructions.py gather tinyloop smol --scale 10`,
/// the difference of the runs divided by 10 and 100), per child:
///
/// | child wakers | list of woken children | instructions | peak RSS |
/// |---|---|---|---|
/// | an `Arc` each (`std::task::Wake`) | `Mutex<Vec>` | 1912 | 29.1 MB |
/// | an `Arc` each (`std::task::Wake`) | this lock-free stack | 1899 | 30.8 MB |
/// | this vtable, one shared `Arc` | this lock-free stack | 1522 | 24.2 MB |
///
/// smol, awaiting its tasks one by one: 1839 and 16.9 MB. The allocation per child, not the
/// lock, was the cost: the vtable is what put `gather` below smol. (Also measured:
/// `task_group` 2021 -> 1671, `wait_first` 2927 -> 2146.)
///
/// # Safety
///
/// Each function's `data` is the address of a [`Slot`] in the `slots` of a [`Shared`] that
/// lives in an `Arc` (`WakeList::new` makes them so), and the waker it belongs to owns one
/// strong count of that `Arc`, or borrows one that outlives it (`WakeList::waker`). So the
/// slot and its `Shared` are alive for the whole call, and `Slot::shared` is the `Arc`'s
/// pointer (`Weak::as_ptr` in `new_cyclic` gives the address `Arc::into_raw` would).
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

/// The slot a child waker points at, and the `Shared` it lies in.
///
/// # Safety
///
/// As for [`VTABLE`]; the references live no longer than the waker's count.
unsafe fn parts<'a>(data: *const ()) -> (&'a Slot, *const Shared) {
    // SAFETY: `data` is the address of a live `Slot` (the caller's promise).
    let slot = unsafe { &*data.cast::<Slot>() };
    (slot, slot.shared.load(Ordering::Relaxed).cast_const())
}

/// A new waker for the same child: one more count on the shared allocation.
///
/// # Safety
///
/// As for [`VTABLE`].
unsafe fn clone(data: *const ()) -> RawWaker {
    // SAFETY: the caller's promise, passed on.
    let (_, shared) = unsafe { parts(data) };
    // SAFETY: `shared` is the `Arc`'s pointer, and the waker being cloned keeps its count
    // above zero during the call.
    unsafe { Arc::increment_strong_count(shared) };
    RawWaker::new(data, &VTABLE)
}

/// Wake the child, and give back the waker's count.
///
/// # Safety
///
/// As for [`VTABLE`]; the waker owns its count (a lent waker is never woken by value: it
/// is only ever lent as `&Waker`).
unsafe fn wake(data: *const ()) {
    // SAFETY: the caller's promise, passed on; the slot is not touched after the drop.
    unsafe {
        wake_by_ref(data);
        drop_waker(data);
    }
}

/// Wake the child (see [`Shared::wake`]).
///
/// # Safety
///
/// As for [`VTABLE`].
unsafe fn wake_by_ref(data: *const ()) {
    // SAFETY: the caller's promise, passed on.
    let (slot, shared) = unsafe { parts(data) };
    // SAFETY: the waker's count keeps the `Shared` alive during the call.
    let shared = unsafe { &*shared };
    shared.wake(shared.index_of(slot));
}

/// Give back the waker's count; the last one frees the shared allocation.
///
/// # Safety
///
/// As for [`VTABLE`]; the waker owns its count.
unsafe fn drop_waker(data: *const ()) {
    // SAFETY: the caller's promise, passed on.
    let (_, shared) = unsafe { parts(data) };
    // SAFETY: `shared` is the `Arc`'s pointer and this waker owns one of its counts, given
    // back here exactly once.
    unsafe { Arc::decrement_strong_count(shared) };
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Context, Wake, Waker};

    use super::WakeList;

    /// A waker for the awaiter that counts its wakes.
    #[derive(Default)]
    struct CountingWaker(AtomicUsize);

    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }

        fn wake_by_ref(self: &Arc<Self>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Take the list with `awaiter` as the awaiting task's waker.
    fn take(list: &WakeList, awaiter: &Waker) -> Vec<usize> {
        let mut batch = Vec::new();
        list.take_woken(&Context::from_waker(awaiter), &mut batch);
        batch
    }

    #[test]
    fn every_child_starts_listed_in_index_order() {
        let list = WakeList::new(5);
        assert_eq!(take(&list, Waker::noop()), [0, 1, 2, 3, 4]);
        assert_eq!(take(&list, Waker::noop()), [] as [usize; 0]);
    }

    #[test]
    fn wakes_in_any_order_come_back_in_index_order_once_each() {
        let list = WakeList::new(6);
        let awaiter = Arc::new(CountingWaker::default());
        let awaiter_waker = Waker::from(awaiter.clone());
        let _ = take(&list, &awaiter_waker);
        let kept: Vec<Waker> = (0..6).map(|index| list.waker(index).clone()).collect();
        for index in [4, 1, 4, 5, 1] {
            kept[index].wake_by_ref();
        }
        // Only the wake that found the list empty woke the awaiter.
        assert_eq!(awaiter.0.load(Ordering::Relaxed), 1);
        assert_eq!(take(&list, &awaiter_waker), [1, 4, 5]);
        // Still listed until unlisted for a poll: a wake now adds nothing.
        kept[4].wake_by_ref();
        assert_eq!(take(&list, &awaiter_waker), [] as [usize; 0]);
        let _ = list.waker(4);
        kept[4].wake_by_ref();
        assert_eq!(take(&list, &awaiter_waker), [4]);
        assert_eq!(awaiter.0.load(Ordering::Relaxed), 2);
    }

    #[test]
    fn wakes_from_many_threads_list_every_child_exactly_once() {
        const CHILDREN: usize = 2_000;
        let list = WakeList::new(CHILDREN);
        let _ = take(&list, Waker::noop());
        let wakers: Vec<Waker> = (0..CHILDREN)
            .map(|index| list.waker(index).clone())
            .collect();
        let wakers = Arc::new(wakers);
        // Four threads wake every child, each in its own order, all at once.
        let threads: Vec<_> = (0..4)
            .map(|thread| {
                let wakers = wakers.clone();
                std::thread::spawn(move || {
                    for step in 0..CHILDREN {
                        let index = (step * 7 + thread * 501) % CHILDREN;
                        wakers[index].wake_by_ref();
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(
            take(&list, Waker::noop()),
            (0..CHILDREN).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_kept_waker_holds_the_shared_part_and_gives_it_back() {
        let list = WakeList::new(3);
        let kept = list.waker(2).clone();
        assert_eq!(Arc::strong_count(&list.shared), 2);
        let shared = Arc::downgrade(&list.shared);
        drop(list);
        // The list is gone; the waker still works on what it shares with it.
        kept.wake_by_ref();
        assert!(shared.upgrade().is_some());
        kept.wake(); // by value: wakes, then gives its count back
        assert!(
            shared.upgrade().is_none(),
            "the last waker freed the shared part"
        );
    }
}
