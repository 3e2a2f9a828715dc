//! The one file where tinyloop touches raw file descriptors.
//!
//! `polling` makes [`Poller::add`](polling::Poller::add) `unsafe` for one reason: the poller
//! keeps a registration by file-descriptor *number*, and if that fd were closed while still
//! registered, the number could be reused by an unrelated file the next instant, and the
//! poller would report (and a later `modify` would change) the new file's events under the
//! old source's key. So the rule is: **delete from the poller before the fd closes.**
//!
//! The same rule holds for the reactor's own epoll set on Linux (`epoll.rs`): its `add` is a
//! safe function, but a registration left behind a closed fd would misreport in the same
//! way, so it is called only here, under the same invariant.
//!
//! This file keeps that rule in one place. [`Registered<T>`] owns the I/O object *and* its
//! registration, so the order is fixed by its `Drop`: take the source out of the reactor,
//! delete it from the poller, and only then drop (close) the object. Nothing outside this
//! file can reach the object mutably, so nothing can close or replace its fd behind the
//! registration's back. [`Source::modify`] re-arms a oneshot registration by fd number, which
//! is sound for the same reason: a source is in the reactor only while its fd is open.
//!
//! Safety follows the three layers of `STYLE.md`: `# Invariant` on the fields that carry
//! the promise, `# Safety` on the `unsafe fn`, `// SAFETY:` on each `unsafe` block.

use std::cell::Cell;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, RawFd};
use std::rc::Rc;

use polling::{Event, PollMode, Poller};

use super::Reactor;
use super::way::Way;

/// One registered file descriptor, as the reactor sees it: its key, its fd number, and per
/// direction the waiting tasks and a readiness flag.
pub(crate) struct Source {
    /// The key the poller reports this source's events under; its slot in the reactor's slab.
    pub(super) key: usize,
    /// The file descriptor's number.
    ///
    /// # Invariant
    ///
    /// The fd is open and registered in the reactor's poller for as long as this source is
    /// in the reactor's slab. [`Registered`] removes the source from the slab and deletes
    /// the fd from the poller before it closes the fd.
    fd: RawFd,
    /// Index 0: reading, index 1: writing.
    pub(super) ways: [Way; 2],
    /// True once the poller said the read side is closed (the peer's FIN, a hang-up or an
    /// error): from then on a short read never marks reading not ready, because the end is
    /// there to read and no further event will announce it. Never cleared: a closed read
    /// side stays closed.
    pub(super) read_closed: Cell<bool>,
}

impl Source {
    /// The file descriptor's number, to name the source in the loop's snapshot.
    pub(super) fn fd(&self) -> RawFd {
        self.fd
    }

    /// Change the interest of this source's registration (oneshot re-arm).
    pub(super) fn modify(
        &self,
        poller: &Poller,
        interest: Event,
        mode: PollMode,
    ) -> io::Result<()> {
        // SAFETY: `self` is in the reactor's slab (only sources found there are modified),
        // so by the invariant on `fd` the descriptor is open for the whole call.
        let fd = unsafe { BorrowedFd::borrow_raw(self.fd) };
        poller.modify_with_mode(fd, interest, mode)
    }
}

/// An I/O object registered with the loop's reactor: the only way an fd enters the poller.
pub(crate) struct Registered<T: AsFd> {
    /// The I/O object (a socket).
    ///
    /// # Invariant
    ///
    /// `Some` from `new` until `Drop` or `into_inner`, which delete the fd from the poller
    /// before taking it out. It is never lent mutably, so its fd cannot be closed or
    /// replaced while registered.
    io: Option<T>,
    /// Its entry in the reactor.
    source: Rc<Source>,
    /// The reactor it is registered with.
    reactor: Rc<Reactor>,
}

impl<T: AsFd> Registered<T> {
    /// Register `io` with `reactor`, interested in nothing yet (oneshot) or in both
    /// directions (edge).
    pub(crate) fn new(io: T, reactor: Rc<Reactor>) -> io::Result<Registered<T>> {
        let fd = io.as_fd().as_raw_fd();
        let mut sources = reactor.sources.borrow_mut();
        let entry = sources.vacant_entry();
        let key = entry.key();
        let interest = match reactor.mode {
            PollMode::Edge => Event::all(key),
            _ => Event::none(key),
        };
        // ANCHOR: add
        match &reactor.epoll {
            // Safe to call, and under the same rule: deleted before the fd closes.
            Some(epoll) => epoll.add(io.as_fd(), key)?,
            // SAFETY: `io` moves into the `Registered` built below, whose `Drop` and
            // `into_inner` delete the fd from the poller before `io` can be dropped; until
            // then nothing can close it (see the invariant on `io`). On error nothing was
            // added.
            None => unsafe { reactor.poller.add_with_mode(fd, interest, reactor.mode)? },
        }
        // ANCHOR_END: add
        let source = Rc::new(Source {
            key,
            fd,
            ways: Default::default(),
            read_closed: Cell::new(false),
        });
        entry.insert(source.clone());
        drop(sources);
        Ok(Registered {
            io: Some(io),
            source,
            reactor,
        })
    }

    /// The I/O object.
    pub(crate) fn get_ref(&self) -> &T {
        self.io.as_ref().expect("present until dropped")
    }

    /// The reactor's entry for it.
    pub(crate) fn source(&self) -> &Source {
        &self.source
    }

    /// The reactor it is registered with.
    pub(crate) fn reactor(&self) -> &Reactor {
        &self.reactor
    }

    /// Deregister and hand the object back.
    pub(crate) fn into_inner(mut self) -> io::Result<T> {
        let result = self.deregister();
        let io = self.io.take().expect("present until dropped");
        result.map(|()| io)
    }

    /// Take the source out of the reactor and delete its fd from the poller. Waiting tasks
    /// are woken so they can see the object is gone.
    fn deregister(&mut self) -> io::Result<()> {
        let Some(io) = self.io.as_ref() else {
            return Ok(());
        };
        self.reactor.remove(&self.source);
        match &self.reactor.epoll {
            Some(epoll) => epoll.delete(io.as_fd()),
            None => self.reactor.poller.delete(io.as_fd()),
        }
    }
}

// ANCHOR: drop
impl<T: AsFd> Drop for Registered<T> {
    fn drop(&mut self) {
        // Delete first, close second (when `self.io` drops after this body).
        let _ = self.deregister();
    }
}
// ANCHOR_END: drop
