//! `Async<T>`: any non-blocking file descriptor, driven by the loop's reactor.
//!
//! This is the bridge between the OS's non-blocking calls and `async`: an operation that
//! would block returns `io::ErrorKind::WouldBlock` at once; `Async` turns that answer into
//! "park this task until the reactor says the fd is ready, then try again". asyncio's
//! `loop.sock_recv(sock, n)` does the same with `loop.add_reader(fd, callback)`.

use std::fmt;
use std::future::poll_fn;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use futures_lite::{AsyncRead, AsyncWrite};

use crate::context;
use crate::reactor::{Direction, Registered};
use crate::trace::WaitingOn;

/// A non-blocking I/O object (a socket, a pipe) registered with the loop's reactor.
///
/// The object must already be in non-blocking mode (std's sockets: `set_nonblocking(true)`);
/// a blocking one would block the whole loop the first time it has nothing to read. Dropping
/// the `Async` deregisters the fd from the poller, then closes it.
///
/// ```
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
/// use tinyloop_runtime::net::Async;
/// use tinyloop_runtime::{run, spawn};
///
/// run(async {
///     let (a, b) = UnixStream::pair().unwrap();
///     a.set_nonblocking(true).unwrap();
///     b.set_nonblocking(true).unwrap();
///     let (a, b) = (Async::new(a).unwrap(), Async::new(b).unwrap());
///     let reader = spawn(async move {
///         let mut buf = [0u8; 2];
///         // Parks until the writer below has written: the first try would block.
///         let n = b.read_with(|mut io| io.read(&mut buf)).await.unwrap();
///         (n, buf)
///     });
///     a.write_with(|mut io| io.write(b"hi")).await.unwrap();
///     assert_eq!(reader.await.unwrap(), (2, *b"hi"));
/// });
/// ```
pub struct Async<T: AsFd> {
    /// The object and its registration; dropping it deregisters, then closes.
    registered: Registered<T>,
}

impl<T: AsFd> Async<T> {
    /// Register the non-blocking `io` with the current loop's reactor.
    ///
    /// # Panics
    ///
    /// Outside a running loop.
    pub fn new(io: T) -> io::Result<Async<T>> {
        let reactor = context::with("tinyloop::net::Async::new()", |lent| {
            Rc::clone(lent.reactor())
        });
        Ok(Async {
            registered: Registered::new(io, reactor)?,
        })
    }

    /// The wrapped object. (There is deliberately no `get_mut`: replacing the object would
    /// close a registered fd.)
    pub fn get_ref(&self) -> &T {
        self.registered.get_ref()
    }

    /// Deregister from the reactor and hand the object back (still non-blocking).
    pub fn into_inner(self) -> io::Result<T> {
        self.registered.into_inner()
    }

    /// Try the read-side operation `op` (a `read`, `accept`, `recv_from`); if it would block,
    /// wait until the reactor reports the fd readable, and try again.
    ///
    /// # Cancel safety
    ///
    /// Cancel-safe if `op` is: each attempt either happens completely or returns
    /// `WouldBlock`, so dropping the future between attempts loses nothing.
    pub async fn read_with<R>(&self, mut op: impl FnMut(&T) -> io::Result<R>) -> io::Result<R> {
        poll_fn(|cx| self.poll_read_with(cx, &mut op)).await
    }

    /// [`read_with`](Async::read_with) for the write side (`write`, `send_to`).
    ///
    /// # Cancel safety
    ///
    /// As for `read_with`.
    pub async fn write_with<R>(&self, mut op: impl FnMut(&T) -> io::Result<R>) -> io::Result<R> {
        poll_fn(|cx| self.poll_write_with(cx, &mut op)).await
    }

    /// The poll form of [`read_with`](Async::read_with), for hand-written futures.
    pub fn poll_read_with<R>(
        &self,
        cx: &mut Context<'_>,
        op: impl FnMut(&T) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_io(cx, Direction::Read, "Async.read_with", op)
    }

    /// The poll form of [`write_with`](Async::write_with).
    pub fn poll_write_with<R>(
        &self,
        cx: &mut Context<'_>,
        op: impl FnMut(&T) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_io(cx, Direction::Write, "Async.write_with", op)
    }

    /// Try `op`; park on `WouldBlock`, telling the tracer the task waits on `what`.
    pub(crate) fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        what: &'static str,
        mut op: impl FnMut(&T) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let io = self.registered.get_ref();
        let source = self.registered.source();
        let reactor = self.registered.reactor();
        context::try_with(|lent| {
            let waiter = lent.and_then(|lent| lent.running());
            let poll = reactor.poll_io(source, direction, cx, waiter, || op(io));
            if poll.is_pending()
                && let Some(lent) = lent
            {
                lent.trace().note(WaitingOn::Io(what));
            }
            poll
        })
    }

    /// Tell the reactor that `direction` is known not ready (after a short read or write),
    /// so the next operation waits for the poller instead of trying.
    pub(crate) fn clear_ready(&self, direction: Direction) {
        self.registered
            .reactor()
            .clear_ready(self.registered.source(), direction);
    }
}

impl<T: AsFd> AsyncRead for Async<T>
where
    for<'a> &'a T: Read,
{
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_read_with(cx, |mut io| io.read(buf))
    }
}

impl<T: AsFd> AsyncWrite for Async<T>
where
    for<'a> &'a T: Write,
{
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_with(cx, |mut io| io.write(buf))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_write_with(cx, |mut io| io.flush())
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

impl<T: AsFd + fmt::Debug> fmt::Debug for Async<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Async").field(self.get_ref()).finish()
    }
}
