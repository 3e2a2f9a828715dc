//! Sockets on the reactor: [`Async<T>`], [`TcpListener`], [`TcpStream`], [`UdpSocket`].
//!
//! asyncio gives two levels of sockets: the low one (`loop.sock_recv(sock, n)` on a
//! non-blocking `socket.socket`) and the streams (`asyncio.open_connection`,
//! `asyncio.start_server`, `StreamReader.read`, `StreamWriter.write`). tinyloop has the same
//! two:
//!
//! * [`Async<T>`] wraps any non-blocking file descriptor and turns "would block" into
//!   "wait for the reactor": `read_with` / `write_with` take a closure that does one
//!   non-blocking operation, try it, and on `WouldBlock` park the task until the poller says
//!   the fd is ready. That is `loop.sock_recv` for any fd.
//! * [`TcpListener`], [`TcpStream`] and [`UdpSocket`] are the std sockets on top of it. A
//!   `TcpStream` implements futures-lite's `AsyncRead` and `AsyncWrite`, so the ecosystem's
//!   helpers (`read_exact`, `write_all`, `BufReader::read_line`, `copy`) work on it, as
//!   asyncio's `StreamReader` / `StreamWriter` methods do.
//!
//! ```
//! use futures_lite::{AsyncReadExt, AsyncWriteExt};
//! use tinyloop_runtime::net::{TcpListener, TcpStream};
//! use tinyloop_runtime::{run, spawn};
//!
//! run(async {
//!     let listener = TcpListener::bind("127.0.0.1:0").unwrap(); // port 0: the OS picks
//!     let addr = listener.local_addr();
//!     let server = spawn(async move {
//!         let (mut stream, _peer) = listener.accept().await.unwrap();
//!         let mut buf = [0u8; 5];
//!         stream.read_exact(&mut buf).await.unwrap();
//!         stream.write_all(&buf).await.unwrap(); // echo it back
//!     });
//!     let mut client = TcpStream::connect(addr).await.unwrap();
//!     client.write_all(b"hello").await.unwrap();
//!     let mut echoed = [0u8; 5];
//!     client.read_exact(&mut echoed).await.unwrap();
//!     assert_eq!(&echoed, b"hello");
//!     server.await.unwrap();
//! });
//! ```
//!
//! Errors are `io::Error`s that keep the OS's `ErrorKind` and say what failed and where:
//! `connect to 127.0.0.1:9 refused: nothing is listening there`, `address 127.0.0.1:8000
//! already in use`, `connection with 127.0.0.1:52114 reset by peer`.

mod async_io;
mod connect;
mod errors;
mod tcp;
mod udp;

pub use async_io::Async;
pub use tcp::{TcpListener, TcpStream};
pub use udp::UdpSocket;
