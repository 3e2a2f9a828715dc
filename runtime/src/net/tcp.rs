//! TCP: `TcpListener` (asyncio `start_server`) and `TcpStream` (`open_connection`'s reader
//! and writer in one object).

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, ready};

use futures_lite::{AsyncRead, AsyncWrite};

use super::errors;
use super::{Async, connect};
use crate::reactor::Direction;

/// A TCP socket listening for connections: the server side of asyncio's `start_server`.
///
/// ```
/// use tinyloop_runtime::net::TcpListener;
/// use tinyloop_runtime::run;
///
/// run(async {
///     let listener = TcpListener::bind("127.0.0.1:0").unwrap();
///     let taken = listener.local_addr();
///     let error = TcpListener::bind(taken).unwrap_err();
///     assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
///     assert!(error.to_string().starts_with(&format!("address {taken} already in use")));
/// });
/// ```
pub struct TcpListener {
    /// The listening socket, non-blocking, on the reactor.
    inner: Async<std::net::TcpListener>,
    /// The address it is bound to (with the OS-chosen port when bound to port 0).
    local: SocketAddr,
}

impl TcpListener {
    /// Bind to `addr` and listen. Use port 0 to let the OS pick a free port, and
    /// [`local_addr`](TcpListener::local_addr) to learn it.
    ///
    /// `addr` is resolved on the loop's thread: give an address (`"127.0.0.1:8000"`), not
    /// a host name that needs DNS.
    ///
    /// # Panics
    ///
    /// Outside a running loop.
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<TcpListener> {
        let mut last_error = None;
        for addr in addr.to_socket_addrs()? {
            match std::net::TcpListener::bind(addr) {
                Ok(listener) => return TcpListener::from_std(listener),
                Err(error) => last_error = Some(errors::bind(addr, error)),
            }
        }
        Err(last_error.unwrap_or_else(no_address))
    }

    /// Put a std listener on the loop's reactor (it is made non-blocking).
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        let local = listener.local_addr()?;
        Ok(TcpListener {
            inner: Async::new(listener)?,
            local,
        })
    }

    /// The address this listener is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Wait for the next connection; returns the stream and the peer's address.
    ///
    /// The stream has `TCP_NODELAY` set, as asyncio sets it on every TCP transport: small
    /// writes go out at once instead of waiting to be coalesced.
    ///
    /// # Cancel safety
    ///
    /// Cancel-safe: a connection is taken from the kernel's queue only inside one poll, so
    /// dropping the future never loses one.
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (stream, peer) = std::future::poll_fn(|cx| {
            self.inner
                .poll_io(cx, Direction::Read, "TcpListener.accept", accept)
        })
        .await?;
        Ok((TcpStream::from_connected(Async::new(stream)?, peer)?, peer))
    }
}

/// Take the next connection off `listener`'s queue, non-blocking. Linux makes it
/// non-blocking in the `accept4` call itself, as tokio does, which saves the `ioctl` of
/// std's `accept` followed by `set_nonblocking`.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn accept(listener: &std::net::TcpListener) -> io::Result<(std::net::TcpStream, SocketAddr)> {
    use rustix::net::SocketFlags;
    let flags = SocketFlags::NONBLOCK | SocketFlags::CLOEXEC;
    let (fd, peer) = rustix::net::acceptfrom_with(listener, flags)?;
    let peer = peer
        .and_then(|peer| SocketAddr::try_from(peer).ok())
        .ok_or_else(|| io::Error::other("accept gave no IP address for the peer"))?;
    Ok((std::net::TcpStream::from(fd), peer))
}

/// Take the next connection off `listener`'s queue, non-blocking.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn accept(listener: &std::net::TcpListener) -> io::Result<(std::net::TcpStream, SocketAddr)> {
    let (stream, peer) = listener.accept()?;
    stream.set_nonblocking(true)?;
    Ok((stream, peer))
}

/// A TCP connection: asyncio's `StreamReader` and `StreamWriter` in one object.
///
/// It implements futures-lite's `AsyncRead` and `AsyncWrite` (also through `&TcpStream`), so
/// `read`, `read_exact`, `write_all`, `BufReader` and `io::copy` all work. Cloning gives a
/// second handle on the same connection, for one task that reads while another writes.
/// Several tasks may even read (or write) at once: each is woken when the socket is ready,
/// and which of them gets the next bytes is the order they run in.
///
/// ```
/// use futures_lite::{AsyncReadExt, AsyncWriteExt};
/// use tinyloop_runtime::net::{TcpListener, TcpStream};
/// use tinyloop_runtime::{run, spawn};
///
/// run(async {
///     let listener = TcpListener::bind("127.0.0.1:0").unwrap();
///     let client = spawn(TcpStream::connect(listener.local_addr()));
///     let (mut server, _) = listener.accept().await.unwrap();
///     let mut client = client.await.unwrap().unwrap();
///     client.write_all(b"ping").await.unwrap();
///     let mut buf = [0; 4];
///     server.read_exact(&mut buf).await.unwrap();
///     server.write_all(&buf).await.unwrap(); // echo
///     client.read_exact(&mut buf).await.unwrap();
///     assert_eq!(&buf, b"ping");
/// });
/// ```
#[derive(Clone)]
pub struct TcpStream {
    /// The connected socket, non-blocking, on the reactor; shared by clones.
    inner: Rc<Async<std::net::TcpStream>>,
    /// The peer's address, kept for error messages (asking the OS again after a reset fails).
    peer: SocketAddr,
}

impl TcpStream {
    /// Connect to `addr`: asyncio's `open_connection`.
    ///
    /// The connect never blocks the loop: it is started on a non-blocking socket, and the
    /// task waits for the socket to become writable, then asks it whether the handshake
    /// worked, as asyncio's `sock_connect` does (`connect.rs`). Each address `addr`
    /// resolves to is tried in turn until one connects. `addr` is resolved on the loop's
    /// thread: give an address, not a host name that needs DNS (look names up with
    /// [`to_thread`](crate::blocking::to_thread) first).
    ///
    /// ```
    /// use tinyloop_runtime::net::{TcpListener, TcpStream};
    /// use tinyloop_runtime::run;
    ///
    /// run(async {
    ///     // Find a port nobody listens on: bind one, note it, close it.
    ///     let addr = TcpListener::bind("127.0.0.1:0").unwrap().local_addr();
    ///     let error = TcpStream::connect(addr).await.err().unwrap();
    ///     assert_eq!(error.kind(), std::io::ErrorKind::ConnectionRefused);
    ///     assert_eq!(error.to_string(), format!("connect to {addr} refused: nothing is listening there"));
    /// });
    /// ```
    ///
    /// # Cancel safety
    ///
    /// Dropping the future closes the half-made socket, which abandons the handshake.
    // ANCHOR: connect
    pub async fn connect(addr: impl ToSocketAddrs) -> io::Result<TcpStream> {
        let mut last_error = None;
        for addr in addr.to_socket_addrs()? {
            match connect::connect(addr).await {
                Ok(socket) => return TcpStream::from_connected(socket, addr),
                Err(error) => last_error = Some(errors::connect(addr, error)),
            }
        }
        Err(last_error.unwrap_or_else(no_address))
    }
    // ANCHOR_END: connect

    /// Put a connected std stream on the loop's reactor (it is made non-blocking).
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        let peer = stream.peer_addr()?;
        stream.set_nonblocking(true)?;
        TcpStream::from_connected(Async::new(stream)?, peer)
    }

    /// A connected socket already on the reactor: no Nagle delay.
    fn from_connected(
        stream: Async<std::net::TcpStream>,
        peer: SocketAddr,
    ) -> io::Result<TcpStream> {
        stream.get_ref().set_nodelay(true)?;
        Ok(TcpStream {
            inner: Rc::new(stream),
            peer,
        })
    }

    /// The address of the other end.
    pub fn peer_addr(&self) -> SocketAddr {
        self.peer
    }

    /// This end's address.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.get_ref().local_addr()
    }

    /// Close one or both directions. `Shutdown::Write` is the half-close asyncio calls
    /// `writer.write_eof()`: the peer reads end-of-file, and can still send to us.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.inner.get_ref().shutdown(how)
    }

    /// One read: wait until readable, read what is there (at most `buf.len()` bytes).
    // ANCHOR: poll_read
    fn poll_read_inner(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        let len = buf.len();
        let result = ready!(self.inner.poll_io(
            cx,
            Direction::Read,
            "TcpStream.read",
            |mut stream| stream.read(buf)
        ));
        Poll::Ready(match result {
            Ok(n) => {
                if n > 0 && n < len {
                    // A short read drained the kernel's buffer: don't pay a syscall next time
                    // just to hear WouldBlock (unless an end waits behind the data, which
                    // the reactor knows: see `clear_ready`).
                    self.inner.clear_ready(Direction::Read);
                }
                Ok(n)
            }
            Err(error) => Err(errors::stream(self.peer, error)),
        })
    }
    // ANCHOR_END: poll_read

    /// One write: wait until writable, write what fits.
    fn poll_write_inner(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let result = ready!(self.inner.poll_io(
            cx,
            Direction::Write,
            "TcpStream.write",
            |mut stream| stream.write(buf)
        ));
        Poll::Ready(match result {
            Ok(n) => {
                if n < buf.len() {
                    self.inner.clear_ready(Direction::Write); // the send buffer is full
                }
                Ok(n)
            }
            Err(error) => Err(errors::stream(self.peer, error)),
        })
    }
}

impl fmt::Debug for TcpListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpListener")
            .field("local", &self.local)
            .finish()
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("peer", &self.peer)
            .finish()
    }
}

/// `to_socket_addrs` gave nothing to try.
fn no_address() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "the address resolved to no socket address",
    )
}

impl AsyncRead for TcpStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_read_inner(cx, buf)
    }
}

impl AsyncRead for &TcpStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_read_inner(cx, buf)
    }
}

impl AsyncWrite for TcpStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_inner(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(())) // a TCP socket has no user-space buffer to flush
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.shutdown(Shutdown::Write))
    }
}

impl AsyncWrite for &TcpStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.poll_write_inner(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.shutdown(Shutdown::Write))
    }
}
