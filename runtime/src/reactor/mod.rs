//! The reactor: asking the OS which sockets are ready, and waking the tasks that wait on them.
//!
//! asyncio's loop "monitors for I/O events such as a file being ready to be read and
//! schedules the corresponding task" (seed 003). Under the hood, CPython's `selectors`
//! module asks the OS (`epoll` on Linux, `kqueue` on macOS) which registered file
//! descriptors are ready, and `_run_once` calls the callbacks of those that are. tinyloop's
//! reactor is the same idea, built on the `polling` crate's `Poller`:
//!
//! * **Where it sits in the loop.** The loop owns one `Poller`. In stage 2 of a step with
//!   no task ready it blocks in `Poller::wait` for as long as stage 1 allowed (until the
//!   next timer, or for ever when only I/O can wake a task), then hands the events to
//!   `Reactor::dispatch`, which wakes the waiting tasks with the cause `WakeCause::Io`.
//!   Another thread wakes the loop out of that wait with `Poller::notify()`. An idle loop
//!   sleeps in the kernel and uses no CPU. While tasks are ready, the loop asks without
//!   blocking, once per `IO_POLL_INTERVAL` task polls: the reactor counts them
//!   (`Reactor::poll_due`), so a ready socket waits for a bounded amount of work.
//! * **Sources.** Every registered socket is a `Source` in a `Slab`; its slab key is the
//!   key the poller reports its events under. A source keeps, per direction (read, write),
//!   the list of tasks waiting that way (`way.rs`): one task may read while another
//!   writes, and several may wait the same way; all of a direction's waiters are woken
//!   when it fires.
//! * **Try first, register on `WouldBlock`.** A socket operation is attempted at once; only
//!   when the OS answers `WouldBlock` does the task store its waker and (in oneshot mode)
//!   arm the poller. A socket that has data costs no poller syscall at all. After a *short*
//!   read or write on a stream (fewer bytes than asked), the kernel buffer is known to be
//!   drained (or full), so the direction is marked not ready and the next operation waits
//!   for the poller instead of paying a syscall just to hear `WouldBlock` (tokio does the
//!   same), unless the poller said the read side is closed: then the end is there to read
//!   (`Reactor::clear_ready`).
//!
//! # Oneshot or edge
//!
//! In **oneshot** mode (`PollMode::Oneshot`, the simplest to teach) the poller reports a
//! source once and then disarms it; the reactor re-arms it (`epoll_ctl(MOD)`, one syscall)
//! every time a task has to wait. Because the re-armed interest is level-triggered, data
//! that arrived between the failed read and the re-arm is reported at once: no wake-up can
//! be lost. In **edge** mode (`PollMode::Edge`) the source is registered once for both
//! directions and the poller reports every *change* to ready; no re-arm is ever needed, but
//! the reactor must remember readiness between events (the `ready` flags) because the
//! poller will not say it twice. tinyloop uses edge mode where `Poller::supports_edge()`,
//! because it saves one syscall per wait (measured in the book's reactor chapter); set
//! `TINYLOOP_POLL_MODE=oneshot` to run the loop in oneshot mode and compare.
//!
//! On Linux, edge mode keeps the sockets in an epoll set of the reactor's own (`epoll.rs`)
//! instead of `polling`'s: registered with `EPOLLRDHUP`, it tells the reactor when the
//! peer's FIN came with its last data, which `polling` cannot, and one wait is one
//! `epoll_pwait` instead of `polling`'s five syscalls. `polling`'s `Poller` stays for
//! other threads' `notify()`. `TINYLOOP_POLL_MODE=edge` runs `polling`'s edge mode instead,
//! as on systems without epoll.
//!
//! # What a round trip costs
//!
//! Counted by `bench/scripts/syscalls_per_round_trip.py` (`strace -c -f`) on the benchmark's
//! `tcp_echo` (100 clients × 1 000 round trips of 64 bytes; the server reads into 4 KiB and
//! writes back what it read), per round trip: 2 `sendto`, 2 `recvfrom` that carry data, 1
//! `recvfrom` that hears `WouldBlock` (the client's: its 64-byte read filled its buffer, so
//! it proves nothing, and the client tries again right after its next write), and 0.02
//! `epoll_pwait` (each wait reports dozens of sockets): 5.02 in all, tokio 5.03. The server's
//! read after its short read is skipped; before that rule it cost 1 more, and `polling`'s
//! five-syscall wait 0.1 more (6.10). Nearly 90% of the time is the kernel's (two thirds in
//! `sendto`, which runs the loopback TCP stack for both ends).
//!
//! # A limitation, on purpose
//!
//! A parked waker stays with its source until the direction fires or the source is dropped,
//! even when the future that parked it is dropped first (a `timeout` around a read). The
//! task then gets one spurious wake later, and until then [`waiters`] counts it, so the
//! virtual clock spends a 10 ms grace before it jumps. A task is listed once per direction
//! however often it parks, so such leftovers are bounded by the tasks that waited since the
//! direction last fired. tokio clears such wakers from the dropped future's destructor;
//! that needs a future per operation, which `AsyncRead`'s `poll_read` does not have, and a
//! count per entry, since one task's two futures on one direction share its entry.
//!
//! # Ground rules
//!
//! Everything here is touched only on the loop's thread (`Cell`, `RefCell`, `Rc`). Raw file
//! descriptors are touched only in `reactor/source.rs` (and `epoll.rs`, through rustix's safe calls).
//! No `RefCell` borrow is held while a waker is called.

#[cfg(target_os = "linux")]
mod epoll;
#[cfg(not(target_os = "linux"))]
#[path = "no_epoll.rs"]
mod epoll;
#[allow(unsafe_code)]
mod source;
mod way;

use crate::ids::TaskId;
use crate::trace::IoSnapshot;
use std::cell::{Cell, RefCell};
use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use polling::{Event, Events, PollMode, Poller};
use slab::Slab;

use epoll::Epoll;

pub(crate) use source::{Registered, Source};

/// How many I/O sources (sockets) are registered with the current loop's reactor: for
/// tests, and for a learner checking that nothing leaks.
///
/// ```
/// use tinyloop_runtime::net::UdpSocket;
/// use tinyloop_runtime::{reactor, run};
///
/// run(async {
///     let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
///     assert_eq!(reactor::registered(), 1);
///     drop(socket); // deregistered, then closed
///     assert_eq!(reactor::registered(), 0);
/// });
/// ```
///
/// # Panics
///
/// Outside a running loop.
pub fn registered() -> usize {
    crate::context::with("tinyloop::reactor::registered()", |lent| {
        lent.reactor().sources()
    })
}

/// How many socket operations (reads, writes, accepts, sends, receives: one syscall each)
/// the current loop's reactor has tried since the loop started, including those that heard
/// `WouldBlock`. For tests and for a learner counting what a round trip costs.
///
/// # Panics
///
/// Outside a running loop.
pub fn operations_tried() -> u64 {
    crate::context::with("tinyloop::reactor::operations_tried()", |lent| {
        lent.reactor().tried.get()
    })
}

/// How many tasks are parked on sockets of the current loop (a task counts once per source
/// and direction it waits on).
///
/// # Panics
///
/// Outside a running loop.
pub fn waiters() -> usize {
    crate::context::with("tinyloop::reactor::waiters()", |lent| {
        lent.reactor().waiters()
    })
}

/// Which way data moves; indexes a source's `ways`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    /// Reading (also `accept` and `recv`).
    Read = 0,
    /// Writing (also `send`).
    Write = 1,
}

/// What one poller event says about one source.
#[derive(Clone, Copy, Debug)]
struct Readiness {
    /// The source's key.
    key: usize,
    /// Reading would not block (data, an end, or an error is there to read).
    readable: bool,
    /// Writing would not block.
    writable: bool,
    /// The peer will send nothing more (`EPOLLRDHUP`), or the connection is closed or
    /// broken (`EPOLLHUP`, `EPOLLERR`): a read returns end-of-file or the error. Only
    /// tinyloop's own epoll set can tell (`epoll.rs`); from `polling` it is always false.
    read_closed: bool,
}

/// The loop's reactor: the poller, its sources, and how it asks the poller about them.
pub(crate) struct Reactor {
    /// The loop's poller: stage 2 blocks in its `wait` ([`Reactor::wait`]); other threads
    /// `notify` it through the clone the executor keeps for them ([`Reactor::notifier`]).
    poller: Arc<Poller>,
    /// The events buffer `wait` fills, reused every step.
    events: RefCell<Events>,
    /// `Oneshot` or `Edge`, fixed when the loop is built.
    mode: PollMode,
    /// Linux in edge mode: the epoll set of tinyloop's own that holds the sockets, so that
    /// the reactor sees `EPOLLRDHUP` (`epoll.rs`). `None`: the sockets are in `poller`.
    epoll: Option<Epoll>,
    /// Whether a short read may mark reading not ready ([`Reactor::clear_ready`]): true in
    /// oneshot mode and with `epoll`, false in `polling`'s edge mode, which cannot tell
    /// an end that came with the data.
    short_read_drains: bool,
    /// How many socket operations `poll_io` has tried ([`operations_tried`]).
    tried: Cell<u64>,
    /// Every registered source, by the key the poller reports its events under.
    /// Invariant: a source is here exactly while its fd is registered in `poller`.
    sources: RefCell<Slab<Rc<Source>>>,
    /// How many task polls have run (or are about to) since the poller was last asked:
    /// stage 2 asks it, while tasks are ready, once this reaches the loop's interval
    /// ([`Reactor::poll_due`]). Every [`Reactor::wait`] sets it back to zero.
    polls_unasked: Cell<u64>,
    /// How many wakers are parked on sources, over all directions: the I/O waiters. While
    /// it is not zero, something outside the loop (a peer) may still wake a task, which the
    /// virtual clock must respect (see the executor's docs).
    waiters: Cell<usize>,
}

impl Reactor {
    /// A reactor with a poller of its own. Edge mode where the OS supports it, with the
    /// sockets in an epoll set of tinyloop's own on Linux, unless the environment says
    /// `TINYLOOP_POLL_MODE=oneshot` (`polling` in oneshot mode) or `TINYLOOP_POLL_MODE=edge`
    /// (`polling` in edge mode, as on other systems).
    pub(crate) fn new() -> Reactor {
        let poller = Arc::new(Poller::new().unwrap_or_else(|error| {
            panic!("tinyloop could not create its poller (epoll/kqueue): {error}")
        }));
        let asked = std::env::var("TINYLOOP_POLL_MODE").unwrap_or_default();
        let mode = if asked != "oneshot" && poller.supports_edge() {
            PollMode::Edge
        } else {
            PollMode::Oneshot
        };
        // Where the OS has no epoll, `Epoll::new` says Unsupported and `polling` does it all.
        let epoll = match (mode, asked.as_str()) {
            (PollMode::Edge, "edge") | (PollMode::Oneshot, _) => None,
            _ => Epoll::new(&poller).ok(),
        };
        Reactor {
            poller,
            events: RefCell::new(Events::new()),
            mode,
            short_read_drains: mode == PollMode::Oneshot || epoll.is_some(),
            epoll,
            tried: Cell::new(0),
            sources: RefCell::new(Slab::new()),
            polls_unasked: Cell::new(0),
            waiters: Cell::new(0),
        }
    }

    /// The poller, for other threads to `notify` when they wake a task (the loop may be
    /// blocked in [`wait`](Reactor::wait)).
    pub(crate) fn notifier(&self) -> Arc<Poller> {
        self.poller.clone()
    }

    // ANCHOR: wait
    /// Stage 2: ask the poller what is ready, blocking at most `timeout` (`None`: until
    /// something is, or another thread notifies), and wake the tasks waiting on it.
    /// Returns how many events the poller reported.
    pub(crate) fn wait(&self, timeout: Option<Duration>) -> usize {
        self.polls_unasked.set(0);
        // An error here is EINTR at worst; the loop simply goes round again.
        if let Some(epoll) = &self.epoll {
            return epoll
                .wait(&self.poller, timeout, |ready| self.dispatch(ready))
                .unwrap_or(0);
        }
        let mut events = self.events.borrow_mut();
        events.clear();
        let count = self.poller.wait(&mut events, timeout).unwrap_or(0);
        for event in events.iter() {
            self.dispatch(Readiness {
                key: event.key,
                readable: event.readable,
                writable: event.writable,
                read_closed: false,
            });
        }
        count
    }
    // ANCHOR_END: wait

    // ANCHOR: poll_due
    /// With tasks ready, is it time to ask the poller? `polls` more task polls are about to
    /// run; true once the polls since the poller was last asked reach `interval`. Counting
    /// polls, not steps, bounds how long a ready socket waits by the work done meanwhile.
    pub(crate) fn poll_due(&self, polls: usize, interval: u64) -> bool {
        let unasked = self.polls_unasked.get() + polls as u64;
        self.polls_unasked.set(unasked);
        unasked >= interval
    }
    // ANCHOR_END: poll_due

    /// How many task wakers are parked on sockets right now.
    pub(crate) fn waiters(&self) -> usize {
        self.waiters.get()
    }

    /// How many sockets are registered.
    pub(crate) fn sources(&self) -> usize {
        self.sources.borrow().len()
    }

    /// Try `op` if `direction` may be ready; on `WouldBlock`, park the task's waker and
    /// return `Pending` (check, register, and let the poller check again: a level-triggered
    /// re-arm or a pending edge reports anything that arrived in between).
    // ANCHOR: poll_io
    pub(crate) fn poll_io<R>(
        &self,
        source: &Source,
        direction: Direction,
        cx: &mut Context<'_>,
        waiter: Option<TaskId>,
        mut op: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let way = &source.ways[direction as usize];
        if way.ready.get() {
            self.tried.set(self.tried.get() + 1);
            match op() {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => way.ready.set(false),
                result => return Poll::Ready(result),
            }
        }
        match self.park(source, direction, cx.waker(), waiter) {
            Ok(()) => Poll::Pending,
            Err(error) => Poll::Ready(Err(error)),
        }
    }
    // ANCHOR_END: poll_io

    // ANCHOR: clear_ready
    /// Mark `direction` not ready: a short read or write showed the buffer drained or full,
    /// so the next operation would only hear `WouldBlock`; it waits for the poller instead.
    ///
    /// A short *read* is a proof only if no end is waiting behind the data. In edge mode,
    /// a FIN or a reset that arrived together with the data came in the same event, and
    /// once the data is read no new event comes: the task would wait for ever for an
    /// end-of-file that is already there. So reading stays ready when the poller said the
    /// read side is closed (`EPOLLRDHUP`, `EPOLLHUP` or `EPOLLERR`: the source's
    /// `read_closed`, which nothing clears, as tokio never clears its `READ_CLOSED`), and
    /// in `polling`'s edge mode, which cannot tell (`short_read_drains` is false). In
    /// oneshot mode the re-arm is level-triggered and reports a waiting end at once.
    pub(crate) fn clear_ready(&self, source: &Source, direction: Direction) {
        if direction == Direction::Read && (!self.short_read_drains || source.read_closed.get()) {
            return;
        }
        source.ways[direction as usize].ready.set(false);
    }
    // ANCHOR_END: clear_ready

    /// List `waker` (of task `waiter`, for the snapshot) among the waiters of `direction`
    /// and, in oneshot mode, arm the poller for it.
    fn park(
        &self,
        source: &Source,
        direction: Direction,
        waker: &Waker,
        waiter: Option<TaskId>,
    ) -> io::Result<()> {
        let way = &source.ways[direction as usize];
        if way.park(waker, waiter) {
            self.waiters.set(self.waiters.get() + 1);
        }
        if self.mode == PollMode::Oneshot && !way.armed.get() {
            way.armed.set(true);
            self.arm(source)?;
        }
        Ok(())
    }

    /// Oneshot: tell the poller which directions of `source` to report next.
    fn arm(&self, source: &Source) -> io::Result<()> {
        let read = source.ways[0].armed.get();
        let write = source.ways[1].armed.get();
        source.modify(
            &self.poller,
            Event::new(source.key, read, write),
            PollMode::Oneshot,
        )
    }

    /// Every registered source and the tasks parked on it, for the loop's snapshot: one
    /// entry per source, and one more for each further task waiting on it the same way (the
    /// second reader, the second acceptor), so that every waiter is named.
    pub(crate) fn describe(&self) -> Vec<IoSnapshot> {
        let sources = self.sources.borrow();
        let mut described = Vec::with_capacity(sources.len());
        for (_, source) in sources.iter() {
            let readers = source.ways[Direction::Read as usize].tasks();
            let writers = source.ways[Direction::Write as usize].tasks();
            let rows = readers.len().max(writers.len()).max(1);
            described.extend((0..rows).map(|row| IoSnapshot {
                source: format!("fd {}", source.fd()),
                reader: readers.get(row).copied().flatten(),
                writer: writers.get(row).copied().flatten(),
            }));
        }
        described
    }

    /// Wake the tasks waiting on a source the poller reported ready.
    // ANCHOR: dispatch
    fn dispatch(&self, event: Readiness) {
        let source = match self.sources.borrow().get(event.key) {
            Some(source) => source.clone(),
            None => return, // deregistered since
        };
        if event.read_closed {
            source.read_closed.set(true);
        }
        let fired = [event.readable, event.writable];
        for (way, fired) in source.ways.iter().zip(fired) {
            if fired {
                way.ready.set(true);
            }
        }
        if self.mode == PollMode::Oneshot {
            // The poller disarmed the whole source. Re-arm a direction that did not
            // fire and still has waiters; those of a fired one are woken below, and
            // whoever parks again re-arms it.
            let mut rearm = false;
            for (way, fired) in source.ways.iter().zip(fired) {
                let keep = !fired && way.is_waited();
                way.armed.set(keep);
                rearm |= keep;
            }
            if rearm {
                // A failed re-arm leaves the waiters parked; it would only fail for a
                // source being torn down, whose waiters `remove` wakes.
                let _ = self.arm(&source);
            }
        }
        for (way, fired) in source.ways.iter().zip(fired) {
            if fired {
                let woken = way.wake_all(); // first, then count: a wake may park again
                self.waiters.set(self.waiters.get() - woken);
            }
        }
    }
    // ANCHOR_END: dispatch

    /// Take `source` out of the reactor (it is being deregistered) and wake its waiters,
    /// who will find the object gone or closed.
    fn remove(&self, source: &Source) {
        let removed = self.sources.borrow_mut().try_remove(source.key);
        drop(removed);
        for way in &source.ways {
            let woken = way.wake_all();
            self.waiters.set(self.waiters.get() - woken);
        }
    }
}
