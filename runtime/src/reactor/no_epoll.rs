//! Systems without epoll: the reactor keeps every socket in `polling`'s `Poller` (see
//! `epoll.rs` for what Linux does instead). [`Epoll`] has no values, so `Reactor::epoll` is
//! always `None` here and the methods below are never called.

use std::io;
use std::os::fd::AsFd;
use std::time::Duration;

use polling::Poller;

use super::Readiness;

/// No epoll set on this system.
pub(super) enum Epoll {}

impl Epoll {
    /// Always `Unsupported`: `polling` does it all.
    pub(super) fn new(_poller: &Poller) -> io::Result<Epoll> {
        Err(io::ErrorKind::Unsupported.into())
    }

    pub(super) fn add(&self, _source: impl AsFd, _key: usize) -> io::Result<()> {
        match *self {}
    }

    pub(super) fn delete(&self, _source: impl AsFd) -> io::Result<()> {
        match *self {}
    }

    pub(super) fn wait(
        &self,
        _poller: &Poller,
        _timeout: Option<Duration>,
        _ready: impl FnMut(Readiness),
    ) -> io::Result<usize> {
        match *self {}
    }
}
