//! [`Children`]: many futures awaited together, where a wake polls only the child woken.
//!
//! # What asyncio does
//!
//! `asyncio.gather(*aws)` and `asyncio.wait(tasks)` attach one done callback to every child.
//! When a child finishes, the loop calls *its* callback, which counts it and, when the count
//! says so, wakes the awaiter: O(1) work per child, whatever the number of children.
//!
//! # The mistake this file avoids
//!
//! The simple Rust way (`futures::join_all` for small sets) hands every child the awaiting
//! task's own waker, so any wake polls every unfinished child: O(n) polls per wake, O(n²) for
//! n children that finish one by one. Measured on the old `gather_all`: 30,000 task handles
//! took 8.7 s, 100,000 about three minutes.
//!
//! # What we do instead
//!
//! Each child gets a waker of its own, which knows the child's index ([`WakeList`], in
//! `wake_list.rs`). Waking it lists that index and wakes the awaiting task (once per
//! batch). The awaiter then polls only the children on the list: a child is polled when it
//! starts and each time *it* is woken, never because a sibling was. This is the idea of
//! `futures::stream::FuturesUnordered`, with the children in one boxed slice instead of one
//! allocation each.
//!
//! # Ground rules
//!
//! * A child woken twice before it is polled is polled once (the list keeps it once).
//! * The woken children of one batch are polled in argument order, so that ties are broken
//!   by position (a race's winner, a fail-fast gather's first `Err`) as the old
//!   poll-everything loop broke them, whatever order the wakes came in.

use std::future::Future;
use std::pin::Pin;
use std::task::Context;

use super::wake_list::WakeList;

/// What a [`Children::poll_woken`] visitor decides about the child it just polled.
pub(crate) enum Visit {
    /// The child is still running: keep it.
    Running,
    /// The child has finished: drop it now (its destructors run here), and go on.
    Finished,
    /// The child has finished and the whole wait is decided (a race was won, a fail-fast
    /// gather failed): drop it and stop polling the rest of this batch.
    Decided,
}

/// A set of child futures, each with its own waker; see the module docs.
pub(crate) struct Children<F> {
    /// The children by index; `None` once finished. Pinned where they lie: a boxed slice
    /// never grows or moves its elements, and a child leaves only by being dropped in place
    /// ([`Children::finish`], or the whole slice's drop) or, if it is `Unpin`, by
    /// [`Children::into_running`]. That is what makes [`Children::child`] sound.
    futures: Box<[Option<F>]>,
    /// The children's wakers, and the list they fill.
    wake_list: WakeList,
    /// How many children are still in `futures`.
    running: usize,
    /// The batch being polled: a buffer kept between polls (see [`WakeList::take_woken`]).
    batch: Vec<usize>,
}

impl<F: Future> Children<F> {
    /// Take the children, all listed as woken, so that the first poll starts each of them.
    pub(crate) fn new(futures: impl IntoIterator<Item = F>) -> Children<F> {
        let futures: Box<[Option<F>]> = futures.into_iter().map(Some).collect();
        Children {
            running: futures.len(),
            wake_list: WakeList::new(futures.len()),
            futures,
            batch: Vec::new(),
        }
    }

    /// How many children there are, finished or not.
    pub(crate) fn len(&self) -> usize {
        self.futures.len()
    }

    /// How many children are still running.
    pub(crate) fn running(&self) -> usize {
        self.running
    }

    /// Poll the children woken since the last call, in index order, each with its own waker,
    /// handing each to `visit(index, child, cx)`; the visitor polls it and says what became
    /// of it. Stops early when a visitor returns [`Visit::Decided`], and returns true then.
    ///
    /// Also records the awaiting task's waker from `cx`, to be woken by the next child wake.
    /// A child woken while it is polled is listed again for the next batch (so a child that
    /// yields is polled once per awaiter poll, not in a loop).
    pub(crate) fn poll_woken(
        &mut self,
        cx: &mut Context<'_>,
        mut visit: impl FnMut(usize, Pin<&mut F>, &mut Context<'_>) -> Visit,
    ) -> bool {
        let mut batch = std::mem::take(&mut self.batch);
        self.wake_list.take_woken(cx, &mut batch);
        let mut decided = false;
        for (position, &index) in batch.iter().enumerate() {
            let Some(future) = Self::child(&mut self.futures, index) else {
                continue; // finished already; a stale wake
            };
            let waker = self.wake_list.waker(index);
            let mut child_cx = Context::from_waker(&waker);
            match visit(index, future, &mut child_cx) {
                Visit::Running => {}
                Visit::Finished => self.finish(index),
                Visit::Decided => {
                    self.finish(index);
                    // List the rest of the batch again, so nothing woken is forgotten if
                    // the caller polls on.
                    self.wake_list.relist(&batch[position + 1..]);
                    decided = true;
                    break;
                }
            }
        }
        self.batch = batch;
        decided
    }

    /// Child `index`, pinned where it lies, unless it has finished.
    ///
    /// Each child used to be boxed (`Pin<Box<F>>`) to be pinned without `unsafe`: one
    /// malloc and one free per child. Measured with callgrind (divisor 10 vs 100,
    /// `TINYLOOP_SLOW_POLL=off`), pinning in place took the benchmark's `gather` from 2305
    /// to 1968 instructions per child and `wait_first` from 3608 to 3074.
    ///
    /// `futures` must be a `Children`'s own `futures` (taken apart from `self` so that the
    /// caller can lend the child's waker at the same time).
    #[allow(unsafe_code)]
    fn child(futures: &mut [Option<F>], index: usize) -> Option<Pin<&mut F>> {
        let future = futures[index].as_mut()?;
        // SAFETY: the future lies in the boxed slice `Children::futures`, which never
        // reallocates (a boxed slice cannot grow) and is never moved out of: a child leaves
        // by being dropped in place (`finish` assigns `None` over it; dropping `Children`
        // drops the slice in place) or, only when `F: Unpin`, by `into_running`, for which
        // moving a pinned value is allowed. Moving `Children` moves the box's pointer, not
        // the children. So once pinned here, the child stays where it is until dropped.
        Some(unsafe { Pin::new_unchecked(future) })
    }

    /// Drop child `index` now, in place.
    fn finish(&mut self, index: usize) {
        self.futures[index] = None;
        self.running -= 1;
    }

    /// Take the children still running, with their indices, in index order. Only for
    /// children that may move after being polled (`Unpin`, as a `JoinHandle` is).
    pub(crate) fn into_running(self) -> impl Iterator<Item = (usize, F)>
    where
        F: Unpin,
    {
        self.futures
            .into_iter()
            .enumerate()
            .filter_map(|(index, future)| future.map(|future| (index, future)))
    }
}

#[cfg(test)]
mod tests {
    use crate::compose::gather_all;
    use crate::{run, yield_now};

    #[test]
    fn a_child_stays_where_its_first_poll_pinned_it() {
        // Each child keeps a local across an await and checks, after being polled again,
        // that the local has not moved: what `Children::child`'s pinning promises.
        let stayed = run(gather_all((0..64).map(|_| async {
            let local = 0u8;
            let before = std::ptr::from_ref(&local) as usize;
            yield_now().await;
            yield_now().await;
            before == std::ptr::from_ref(&local) as usize
        })));
        assert!(stayed.into_iter().all(|stayed| stayed));
    }
}
