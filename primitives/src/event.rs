//! `Event`: asyncio's `asyncio.Event`, a flag that tasks wait to see set.
//!
//! ```python
//! event = asyncio.Event()
//! async def waiter():
//!     await event.wait()     # suspends until someone calls event.set()
//! event.set()                # wakes every waiter; later wait()s return at once
//! event.clear()              # later wait()s suspend again
//! ```
//!
//! # Set, then clear at once
//!
//! `set()` wakes every waiter, and they must all return even if `clear()` runs before any
//! of them is polled again: they were waiting for the moment the flag went up, and it did.
//! A waiter that re-checked `is_set()` when it ran would miss it and wait forever. So the
//! event counts its `set()`s (`epoch`), a waiter remembers the epoch it registered in, and a
//! changed epoch means "it was set while I waited": return.
//!
//! # Size
//!
//! A million tasks parked on one event is a real workload (the benchmark has it), so a
//! waiter costs one `Waker` (two words) in a `Slab`, plus its future: a reference, a key
//! and an epoch. `set()` takes the whole slab and wakes every entry: no list to walk, no
//! per-waiter allocation.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use slab::Slab;
use tinyloop_runtime::trace::{WaitingOn, waiting_on, wake_as};

/// A flag that tasks can wait for: asyncio's `Event`.
///
/// ```
/// use tinyloop_primitives::Event;
/// use tinyloop_runtime::{run_virtual, spawn};
///
/// run_virtual(async {
///     let event = Event::new();
///     let waiter = spawn({
///         let event = event.clone();
///         async move {
///             event.wait().await;
///             "saw it"
///         }
///     });
///     tinyloop_runtime::yield_now().await; // the waiter parks
///     event.set();
///     event.clear(); // too late to un-wake anyone
///     assert_eq!(waiter.await, Ok("saw it"));
///     assert!(!event.is_set());
/// });
/// ```
#[derive(Clone, Default)]
pub struct Event {
    /// The flag and its waiters, shared by every clone.
    inner: Rc<RefCell<Broadcast>>,
}

impl Event {
    /// A new event, not set.
    pub fn new() -> Event {
        Event::default()
    }

    /// Set the flag and wake every waiter. Does nothing if it is set already.
    pub fn set(&self) {
        let waiters = self.inner.borrow_mut().set();
        if let Some(waiters) = waiters {
            Broadcast::wake_all(&self.inner, waiters, "Event");
        }
    }

    /// Lower the flag: later `wait()`s suspend until the next `set()`. Waiters woken by an
    /// earlier `set()` still return.
    pub fn clear(&self) {
        self.inner.borrow_mut().flag = false;
    }

    /// True while the flag is up.
    pub fn is_set(&self) -> bool {
        self.inner.borrow().flag
    }

    /// Wait until the flag is set (at once if it is): asyncio's `await event.wait()`.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future only removes its waker; an event has nothing to hand over.
    pub fn wait(&self) -> EventWait<'_> {
        EventWait {
            event: &self.inner,
            state: WaitState::Idle,
            for_join: false,
        }
    }

    /// How many tasks are waiting.
    pub fn waiting(&self) -> usize {
        self.inner.borrow().waiters.len()
    }
}

impl fmt::Debug for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Event")
            .field("set", &self.is_set())
            .field("waiting", &self.waiting())
            .finish()
    }
}

/// A flag with a crowd of waiters, all woken together; the inside of [`Event`], and of
/// `Queue::join` (which waits for "no unfinished tasks" the way asyncio's queue waits on an
/// internal `Event`).
#[derive(Default)]
pub(crate) struct Broadcast {
    /// The flag.
    pub(crate) flag: bool,
    /// How many times the flag went up. A waiter registered in an earlier epoch was woken
    /// by a `set()`, whatever the flag says now.
    epoch: u64,
    /// The wakers of the waiters of the current epoch, by key.
    waiters: Slab<Waker>,
}

impl Broadcast {
    /// A broadcast whose flag is already up (a new queue has no unfinished tasks).
    pub(crate) fn raised() -> Broadcast {
        Broadcast {
            flag: true,
            ..Broadcast::default()
        }
    }

    /// Raise the flag. Returns the waiters to wake (with [`Broadcast::wake_all`], once the
    /// caller's borrow is released), or `None` if the flag was already up.
    pub(crate) fn set(&mut self) -> Option<Slab<Waker>> {
        if self.flag {
            return None;
        }
        self.flag = true;
        self.epoch += 1;
        Some(std::mem::take(&mut self.waiters))
    }

    /// Wake every waiter in `waiters`, then give the emptied slab back to `shared` to reuse
    /// its allocation if no one registered meanwhile.
    pub(crate) fn wake_all(
        shared: &RefCell<Broadcast>,
        mut waiters: Slab<Waker>,
        name: &'static str,
    ) {
        for waker in waiters.drain() {
            wake_as(waker, name);
        }
        let mut state = shared.borrow_mut();
        if state.waiters.is_empty() && state.waiters.capacity() < waiters.capacity() {
            state.waiters = waiters;
        }
    }
}

/// Where an [`EventWait`] is.
#[derive(Clone, Copy, Debug)]
enum WaitState {
    /// Not polled yet.
    Idle,
    /// Registered under `key` during `epoch`.
    Waiting { key: usize, epoch: u64 },
    /// Returned.
    Done,
}

/// The future of [`Event::wait`] (and of `Queue::join`).
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct EventWait<'a> {
    /// The flag and the waiters.
    event: &'a RefCell<Broadcast>,
    /// Where this wait is.
    state: WaitState,
    /// True for `Queue::join` (the deadlock report names what it waits on); a `bool`
    /// rather than the name itself keeps the future small.
    for_join: bool,
}

impl<'a> EventWait<'a> {
    /// The wait of `Queue::join`.
    pub(crate) fn for_join(event: &'a RefCell<Broadcast>) -> EventWait<'a> {
        EventWait {
            event,
            state: WaitState::Idle,
            for_join: true,
        }
    }
}

// ANCHOR: event_wait
impl Future for EventWait<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut event = self.event.borrow_mut();
        match self.state {
            WaitState::Idle => {
                // Check: already set?
                if event.flag {
                    drop(event);
                    self.state = WaitState::Done;
                    return Poll::Ready(());
                }
                // Register.
                let key = event.waiters.insert(cx.waker().clone());
                let epoch = event.epoch;
                drop(event);
                self.state = WaitState::Waiting { key, epoch };
            }
            WaitState::Waiting { key, epoch } => {
                // Check again: set (even if cleared since) while we waited?
                if event.epoch != epoch {
                    drop(event);
                    self.state = WaitState::Done;
                    return Poll::Ready(());
                }
                if !event.waiters[key].will_wake(cx.waker()) {
                    event.waiters[key] = cx.waker().clone();
                }
            }
            WaitState::Done => return Poll::Ready(()),
        }
        // Wait.
        let what = if self.for_join {
            "Queue.join"
        } else {
            "Event.wait"
        };
        waiting_on(WaitingOn::Primitive(what));
        Poll::Pending
    }
}
// ANCHOR_END: event_wait

impl Drop for EventWait<'_> {
    fn drop(&mut self) {
        if let WaitState::Waiting { key, epoch } = self.state {
            let mut event = self.event.borrow_mut();
            // In a later epoch our entry was already taken by `set()`.
            if event.epoch == epoch {
                let waker = event.waiters.remove(key);
                drop(event);
                drop(waker);
            }
        }
    }
}

impl fmt::Debug for EventWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventWait")
            .field("state", &self.state)
            .finish()
    }
}
