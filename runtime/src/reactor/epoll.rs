//! Linux: sockets in an epoll set of tinyloop's own, so that the loop can see `EPOLLRDHUP`.
//!
//! # Why not only `polling`
//!
//! After a *short* read (fewer bytes than the buffer holds) the kernel's receive buffer is
//! known to be drained, so the next read would only hear `WouldBlock`: tokio skips it and
//! waits for the poller, which saves one of the five or six syscalls of an echo round trip.
//! In edge mode that is safe only if the loop can tell that the peer's FIN (or a reset)
//! came in the same event as the data: the poller reports "readable" once for both, and
//! once the data is read no new event will come for the end that is still waiting.
//! Linux says so with `EPOLLRDHUP` (the peer shut its sending side) and `EPOLLHUP` /
//! `EPOLLERR` (both sides closed, a reset); mio asks for `EPOLLRDHUP` on every readable
//! registration, and tokio never lets a short read clear that "read closed" state.
//! `polling` 3.11 reports `EPOLLHUP` (`Event::is_interrupt`) and `EPOLLERR`
//! (`Event::is_err`), but can neither ask for nor report `EPOLLRDHUP`, and a FIN alone
//! raises only `EPOLLIN | EPOLLRDHUP` (measured: `tests/net_read_closed.rs` hangs on close
//! and on half-close with a rule built on `polling`'s flags).
//!
//! So on Linux, in edge mode, the reactor keeps its sockets in this epoll set, registered
//! once with `EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET`, and waits on it itself: one
//! `epoll_pwait` per wait, where `polling`'s wait costs five syscalls (it arms a timerfd
//! and re-arms its notification eventfd every time). `polling`'s `Poller` stays for what
//! other threads need: they wake the loop with `Poller::notify()`. The poller's own epoll
//! fd is registered in this set, level-triggered, under [`NOTIFIED`]: a notification makes
//! it readable, which ends this set's wait, and a zero-timeout `Poller::wait` then consumes
//! the notification and re-arms it.
//!
//! `epoll_pwait` counts its timeout in whole milliseconds (rounded up), which would make every
//! timer up to a millisecond later than the loop asks for. So a wait whose timeout is not a
//! whole number of milliseconds also arms a `timerfd` in the set (one `timerfd_settime`, as
//! `polling` does on every timed wait), and the wait ends when it expires.
//!
//! Raw fds are added and deleted only by `source.rs`, under the invariant documented there.

use std::cell::{Cell, RefCell};
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::time::Duration;

use polling::{Events, Poller};
use rustix::buffer::spare_capacity;
use rustix::event::{Timespec, epoll};
use rustix::time::{Itimerspec, TimerfdClockId, TimerfdFlags, TimerfdTimerFlags, timerfd_settime};

use super::Readiness;

/// The key the `Poller`'s own fd is registered under (a slab never hands it out).
const NOTIFIED: u64 = u64::MAX;

/// The key the precise-timeout `timerfd` is registered under (a slab never hands it out).
const TIMER: u64 = u64::MAX - 1;

/// How many events one wait takes at most; more stay queued in the kernel for the next.
const CAPACITY: usize = 1024;

/// tinyloop's own epoll set (Linux, edge mode).
pub(super) struct Epoll {
    /// The epoll instance.
    fd: OwnedFd,
    /// The buffer `wait` fills, reused every wait.
    events: RefCell<Vec<epoll::Event>>,
    /// The buffer for the zero-timeout `Poller::wait` that consumes a notification.
    notified: RefCell<Events>,
    /// A timer for timeouts finer than epoll's milliseconds (edge-triggered: each expiry is
    /// one event, and its count is never read).
    timer: OwnedFd,
    /// Whether `timer` is armed and has not been seen to expire.
    timer_armed: Cell<bool>,
}

impl Epoll {
    /// A new epoll set, with `poller`'s fd in it so that `poller.notify()` ends a wait.
    pub(super) fn new(poller: &Poller) -> io::Result<Epoll> {
        let fd = epoll::create(epoll::CreateFlags::CLOEXEC)?;
        // Level-triggered: reported on every wait until the notification is consumed.
        epoll::add(
            &fd,
            poller,
            epoll::EventData::new_u64(NOTIFIED),
            epoll::EventFlags::IN,
        )?;
        let timer = rustix::time::timerfd_create(
            TimerfdClockId::Monotonic,
            TimerfdFlags::CLOEXEC | TimerfdFlags::NONBLOCK,
        )?;
        epoll::add(
            &fd,
            &timer,
            epoll::EventData::new_u64(TIMER),
            epoll::EventFlags::IN | epoll::EventFlags::ET,
        )?;
        Ok(Epoll {
            timer,
            timer_armed: Cell::new(false),
            fd,
            events: RefCell::new(Vec::with_capacity(CAPACITY)),
            notified: RefCell::new(Events::new()),
        })
    }

    /// Register `source` under `key` for both directions, edge-triggered, with `EPOLLRDHUP`.
    /// Called only from `source.rs` (see the invariant there).
    pub(super) fn add(&self, source: impl AsFd, key: usize) -> io::Result<()> {
        use epoll::EventFlags as Flags;
        let flags = Flags::IN | Flags::OUT | Flags::RDHUP | Flags::ET;
        epoll::add(
            &self.fd,
            source,
            epoll::EventData::new_u64(key as u64),
            flags,
        )?;
        Ok(())
    }

    /// Delete `source` from the set. Called only from `source.rs`, before the fd closes.
    pub(super) fn delete(&self, source: impl AsFd) -> io::Result<()> {
        epoll::delete(&self.fd, source)?;
        Ok(())
    }

    /// Block until a source is ready, `poller` is notified, or `timeout` passes (`None`:
    /// no limit), and call `ready` for each source event. Returns how many events there
    /// were, the notification included.
    pub(super) fn wait(
        &self,
        poller: &Poller,
        timeout: Option<Duration>,
        mut ready: impl FnMut(Readiness),
    ) -> io::Result<usize> {
        // A timeout too long for a timespec is no limit at all. epoll_pwait counts whole
        // milliseconds, rounded up (rustix), so a timer is never woken for early.
        let timeout = timeout.and_then(|t| Timespec::try_from(t).ok());
        self.arm_timer(timeout)?;
        let mut events = self.events.borrow_mut();
        events.clear();
        epoll::wait(&self.fd, spare_capacity(&mut *events), timeout.as_ref())?;
        for event in events.iter() {
            let key = event.data.u64();
            if key == TIMER {
                self.timer_armed.set(false);
                continue;
            }
            if key == NOTIFIED {
                // Consume the notification (and re-arm it) without blocking.
                let mut notified = self.notified.borrow_mut();
                notified.clear();
                poller.wait(&mut notified, Some(Duration::ZERO))?;
                continue;
            }
            ready(readiness(key as usize, event.flags));
        }
        Ok(events.len())
    }
}

impl Epoll {
    /// Arm the timer for a `timeout` epoll would round up (not a whole number of
    /// milliseconds), or disarm a timer left armed when the wait has no timeout at all, so
    /// that it cannot end a later wait early. Whole milliseconds need no timer.
    fn arm_timer(&self, timeout: Option<Timespec>) -> io::Result<()> {
        let value = match timeout {
            Some(t) if t.tv_nsec % 1_000_000 != 0 => t,
            None if self.timer_armed.get() => Timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            _ => return Ok(()),
        };
        let zero = Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        let spec = Itimerspec {
            it_interval: zero,
            it_value: value,
        };
        timerfd_settime(&self.timer, TimerfdTimerFlags::empty(), &spec)?;
        self.timer_armed.set(timeout.is_some());
        Ok(())
    }
}

// ANCHOR: readiness
/// What epoll's `flags` for `key` mean to the reactor, as mio reads them.
fn readiness(key: usize, flags: epoll::EventFlags) -> Readiness {
    use epoll::EventFlags as Flags;
    let broken = flags.intersects(Flags::HUP | Flags::ERR);
    Readiness {
        key,
        readable: broken || flags.intersects(Flags::IN | Flags::RDHUP),
        writable: broken || flags.contains(Flags::OUT),
        read_closed: broken || flags.contains(Flags::RDHUP),
    }
}
// ANCHOR_END: readiness

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_finer_than_a_millisecond_is_ended_by_the_timer_not_by_epolls_rounding() {
        let poller = Poller::new().unwrap();
        let epoll = Epoll::new(&poller).unwrap();
        // Nothing else is in the set: only the timer can end the wait before epoll's own
        // timeout (2 ms, 1.5 rounded up), and then the wait reports one event, the timer's.
        let events = epoll
            .wait(&poller, Some(Duration::from_micros(1_500)), |_| {
                panic!("no source is registered")
            })
            .unwrap();
        assert_eq!(events, 1, "the timerfd ended the wait");
        assert!(!epoll.timer_armed.get());
    }

    #[test]
    fn whole_milliseconds_arm_no_timer_and_no_timeout_disarms_a_left_one() {
        let poller = Poller::new().unwrap();
        let epoll = Epoll::new(&poller).unwrap();
        assert_eq!(
            epoll
                .wait(&poller, Some(Duration::from_millis(1)), |_| {})
                .unwrap(),
            0
        );
        assert!(!epoll.timer_armed.get());
        epoll
            .arm_timer(
                Timespec::try_from(Duration::from_secs(3600) + Duration::from_micros(1)).ok(),
            )
            .unwrap();
        assert!(epoll.timer_armed.get());
        poller.notify().unwrap();
        epoll.wait(&poller, None, |_| {}).unwrap();
        assert!(
            !epoll.timer_armed.get(),
            "a wait without a timeout disarms the timer"
        );
    }
}
