//! A non-blocking `connect`: start it, wait until the socket is writable, ask it whether it
//! worked. This is asyncio's `loop.sock_connect`:
//!
//! ```python
//! # CPython's selector_events.py, simplified
//! async def sock_connect(self, sock, address):
//!     try:
//!         sock.connect(address)             # a non-blocking socket: returns at once
//!     except (BlockingIOError, InterruptedError):
//!         fut = self.create_future()        # EINPROGRESS: the handshake goes on...
//!         self._add_writer(sock.fileno(), self._sock_connect_cb, fut, sock, address)
//!         return await fut                  # ...and the socket turns writable when it ends
//!
//! def _sock_connect_cb(self, fut, sock, address):
//!     err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
//!     if err != 0:
//!         raise OSError(err, f'Connect call failed {address}')
//! ```
//!
//! The standard library has no non-blocking connect: `std::net::TcpStream::connect` waits
//! for the handshake inside the call, which on the loop's thread freezes every task, for up
//! to two minutes when the peer's accept queue is full and its SYNs are dropped (even on
//! loopback, when the acceptor is a task of the same loop). So this file makes the socket
//! itself with `rustix` (`socket`, `connect`), and hands it to std as a `TcpStream` once it
//! exists; from then on it is an ordinary non-blocking std socket on the reactor.

use std::future::poll_fn;
use std::io;
use std::net::SocketAddr;

use rustix::io::Errno;
#[cfg(any(target_os = "linux", target_os = "android"))]
use rustix::net::SocketFlags;
use rustix::net::{AddressFamily, SocketType, ipproto};

use super::Async;
use crate::reactor::Direction;

/// Connect a new TCP socket to `addr` without blocking: the socket, connected, on the
/// reactor.
///
/// # Cancel safety
///
/// Dropping the future closes the socket, which abandons the handshake.
// ANCHOR: connect
pub(super) async fn connect(addr: SocketAddr) -> io::Result<Async<std::net::TcpStream>> {
    let socket = Async::new(start(addr)?)?;
    poll_fn(|cx| socket.poll_io(cx, Direction::Write, "TcpStream.connect", finished)).await?;
    Ok(socket)
}
// ANCHOR_END: connect

/// Make a non-blocking TCP socket and start connecting it to `addr`.
fn start(addr: SocketAddr) -> io::Result<std::net::TcpStream> {
    let family = match addr {
        SocketAddr::V4(_) => AddressFamily::INET,
        SocketAddr::V6(_) => AddressFamily::INET6,
    };
    let socket = new_socket(family)?;
    match rustix::net::connect(&socket, &addr) {
        // Done at once, or under way (EINTR too: the kernel carries on with the handshake,
        // which is why asyncio treats `InterruptedError` like `BlockingIOError`).
        Ok(()) | Err(Errno::INPROGRESS) | Err(Errno::INTR) => Ok(socket),
        Err(error) => Err(error.into()),
    }
}

/// A new TCP socket, non-blocking and close-on-exec (as std makes every socket: a child
/// process must not inherit it). Linux sets both in the `socket` call itself, as tokio does,
/// which saves the `fcntl` and the `ioctl` of the two steps below.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn new_socket(family: AddressFamily) -> io::Result<std::net::TcpStream> {
    let flags = SocketFlags::NONBLOCK | SocketFlags::CLOEXEC;
    let fd = rustix::net::socket_with(family, SocketType::STREAM, flags, Some(ipproto::TCP))?;
    Ok(std::net::TcpStream::from(fd))
}

/// A new TCP socket, non-blocking and close-on-exec, in three steps: macOS cannot set the
/// flags in the `socket` call (std takes these steps there too).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn new_socket(family: AddressFamily) -> io::Result<std::net::TcpStream> {
    let fd = rustix::net::socket(family, SocketType::STREAM, Some(ipproto::TCP))?;
    rustix::io::fcntl_setfd(&fd, rustix::io::FdFlags::CLOEXEC)?;
    let socket = std::net::TcpStream::from(fd);
    socket.set_nonblocking(true)?;
    Ok(socket)
}

// ANCHOR: finished
/// Has the connect finished? The socket turns writable when the handshake ends, either
/// way: `SO_ERROR` then says whether it failed (refused, unreachable, timed out), and a
/// socket with no error and a peer is connected. Anything else is not finished yet.
fn finished(socket: &std::net::TcpStream) -> io::Result<()> {
    if let Some(error) = socket.take_error()? {
        return Err(error);
    }
    match socket.peer_addr() {
        Ok(_) => Ok(()),
        Err(error) if error.kind() == io::ErrorKind::NotConnected => {
            Err(io::ErrorKind::WouldBlock.into())
        }
        Err(error) => Err(error),
    }
}
// ANCHOR_END: finished
