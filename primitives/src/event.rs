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
//! The flag and its waiters are a `Broadcast` (`core/broadcast.rs`), shared with
//! `Queue::join`; it explains why a waiter woken by `set()` returns even if `clear()` ran
//! before it was polled again, and what a waiter costs.

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use crate::core::broadcast::{Broadcast, BroadcastWait};

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
        Broadcast::set(&self.inner, "Event");
    }

    /// Lower the flag: later `wait()`s suspend until the next `set()`. Waiters woken by an
    /// earlier `set()` still return.
    pub fn clear(&self) {
        self.inner.borrow_mut().clear();
    }

    /// True while the flag is up.
    pub fn is_set(&self) -> bool {
        self.inner.borrow().is_set()
    }

    /// Wait until the flag is set (at once if it is): asyncio's `await event.wait()`.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future only leaves the line; an event has nothing to pass on.
    pub fn wait(&self) -> EventWait<'_> {
        EventWait {
            wait: BroadcastWait::new(&self.inner),
        }
    }

    /// How many tasks are waiting.
    pub fn waiting(&self) -> usize {
        self.inner.borrow().waiting()
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

/// The future of [`Event::wait`].
///
/// Ready at once if the flag is up; dropped while waiting, it just leaves the line:
///
/// ```
/// use std::time::Duration;
/// use tinyloop_primitives::Event;
/// use tinyloop_runtime::time::{now, timeout};
///
/// tinyloop_runtime::run_virtual(async {
///     let event = Event::new();
///     assert!(timeout(Duration::from_secs(1), event.wait()).await.is_err());
///     assert_eq!(event.waiting(), 0); // the dropped wait left the line
///     event.set();
///     event.wait().await; // set: no wait at all
///     assert_eq!(now().to_string(), "t=1.00");
/// });
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct EventWait<'a> {
    /// The wait on the event's flag.
    wait: BroadcastWait<'a>,
}

impl Future for EventWait<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.wait.poll(cx, "Event.wait")
    }
}

impl fmt::Debug for EventWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventWait")
            .field("wait", &self.wait)
            .finish()
    }
}
