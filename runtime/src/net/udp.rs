//! UDP: datagrams, asyncio's `create_datagram_endpoint` without the protocol class.

use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};

use super::Async;
use super::errors;
use crate::reactor::Direction;

/// A UDP socket on the loop's reactor.
///
/// ```
/// use tinyloop_runtime::net::UdpSocket;
/// use tinyloop_runtime::run;
///
/// run(async {
///     let a = UdpSocket::bind("127.0.0.1:0").unwrap();
///     let b = UdpSocket::bind("127.0.0.1:0").unwrap();
///     a.send_to(b"ping", b.local_addr()).await.unwrap();
///     let mut buf = [0u8; 16];
///     let (n, from) = b.recv_from(&mut buf).await.unwrap();
///     assert_eq!((&buf[..n], from), (&b"ping"[..], a.local_addr()));
/// });
/// ```
pub struct UdpSocket {
    /// The socket, non-blocking, on the reactor.
    inner: Async<std::net::UdpSocket>,
    /// Its bound address.
    local: SocketAddr,
}

impl UdpSocket {
    /// Bind to `addr` (port 0: the OS picks).
    ///
    /// # Panics
    ///
    /// Outside a running loop.
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<UdpSocket> {
        let mut last_error = None;
        for addr in addr.to_socket_addrs()? {
            match std::net::UdpSocket::bind(addr) {
                Ok(socket) => {
                    socket.set_nonblocking(true)?;
                    let local = socket.local_addr()?;
                    return Ok(UdpSocket {
                        inner: Async::new(socket)?,
                        local,
                    });
                }
                Err(error) => last_error = Some(errors::bind(addr, error)),
            }
        }
        Err(last_error.unwrap_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the address resolved to no socket address",
            )
        }))
    }

    /// The address this socket is bound to.
    pub fn local_addr(&self) -> SocketAddr {
        self.local
    }

    /// Send one datagram to `target`.
    ///
    /// # Cancel safety
    ///
    /// Cancel-safe: a datagram is sent whole inside one poll, or not at all.
    pub async fn send_to(&self, buf: &[u8], target: SocketAddr) -> io::Result<usize> {
        std::future::poll_fn(|cx| {
            self.inner
                .poll_io(cx, Direction::Write, "UdpSocket.send_to", |socket| {
                    socket.send_to(buf, target)
                })
        })
        .await
    }

    /// Receive one datagram; returns its length and sender. A datagram longer than `buf`
    /// is truncated (that is UDP).
    ///
    /// # Cancel safety
    ///
    /// Cancel-safe: a datagram is taken from the kernel only inside one poll.
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        std::future::poll_fn(|cx| {
            self.inner
                .poll_io(cx, Direction::Read, "UdpSocket.recv_from", |socket| {
                    socket.recv_from(buf)
                })
        })
        .await
    }
}

impl fmt::Debug for UdpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UdpSocket")
            .field("local", &self.local)
            .finish()
    }
}
