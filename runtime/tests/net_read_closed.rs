//! A read that comes back short may skip the next read only when that cannot hide an end.
//!
//! In edge mode the poller reports a socket readable once per *change*. When the peer's
//! last bytes and its FIN (or a reset) arrive before the loop asks the poller, the poller
//! reports them in one event; after the data is read no further event will come. A reactor
//! that took the short read to mean "drained, wait for the poller" would then wait for ever
//! for an end that is already there. These tests write data and end the connection in one
//! go while the reader is parked, so that the loop sees both in one event, and check that
//! the reader gets the data and then the end (end-of-file, or the reset as an error).
//!
//! A hang would block the test for ever, so each read runs under a generous real-time
//! `timeout` that turns it into a failure. Run the file again with
//! `TINYLOOP_POLL_MODE=oneshot` for oneshot mode.

use std::io::{self, Write};
use std::net::Shutdown;
use std::time::Duration;

use futures_lite::AsyncReadExt;
use tinyloop_runtime::net::{TcpListener, TcpStream};
use tinyloop_runtime::time::timeout;
use tinyloop_runtime::{reactor, run, spawn, yield_now};

/// Long enough for any healthy run, short enough that a lost wake fails the test quickly.
const HANG_GUARD: Duration = Duration::from_secs(10);

/// The buffer of an ordinary echo server: every read of a small message is a short read.
const BUFFER: usize = 4096;

/// How the peer ends the connection right after its last write.
#[derive(Clone, Copy, Debug)]
enum End {
    /// `close()`: a FIN.
    Close,
    /// `shutdown(SHUT_WR)`: a FIN, and the peer can still read.
    ShutdownWrite,
    /// `close()` with `SO_LINGER` 0: a reset (RST) instead of a FIN.
    Reset,
}

/// A connection whose far end is a plain blocking std socket that the test drives by hand.
/// (A loopback connect completes inside the call, so it cannot stall the loop.)
async fn connected_pair() -> (TcpStream, std::net::TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let peer = std::net::TcpStream::connect(listener.local_addr()).unwrap();
    peer.set_nodelay(true).unwrap();
    let (stream, _) = listener.accept().await.unwrap();
    (stream, peer)
}

/// Read until end-of-file or an error; the bytes, and how it ended (`Ok(())` for EOF).
async fn read_to_end(mut stream: TcpStream) -> (Vec<u8>, io::Result<()>) {
    let mut buf = [0u8; BUFFER];
    let mut received = Vec::new();
    loop {
        match stream.read(&mut buf).await {
            Ok(0) => return (received, Ok(())),
            Ok(n) => received.extend_from_slice(&buf[..n]),
            Err(error) => return (received, Err(error)),
        }
    }
}

/// End the peer's side of the connection `how`.
fn end(peer: std::net::TcpStream, how: End) -> Option<std::net::TcpStream> {
    match how {
        End::Close => None,
        End::ShutdownWrite => {
            peer.shutdown(Shutdown::Write).unwrap();
            Some(peer) // kept open until the reader is done: a half-close, not a close
        }
        End::Reset => {
            rustix::net::sockopt::set_socket_linger(&peer, Some(Duration::ZERO)).unwrap();
            None
        }
    }
}

/// The reader has already taken `earlier` bytes (each read a short one) and is parked;
/// then the peer writes `last` and ends the connection `how`, all before the loop asks the
/// poller. Returns what the reader got and how its reading ended.
fn data_then_end_in_one_event(
    earlier: &'static [u8],
    last: &'static [u8],
    how: End,
) -> (Vec<u8>, io::Result<()>) {
    run(async move {
        let (stream, mut peer) = connected_pair().await;
        let reader = spawn(read_to_end(stream));
        yield_now().await; // the reader tries, hears WouldBlock, and parks
        if !earlier.is_empty() {
            peer.write_all(earlier).unwrap();
            // The reader is woken, reads them (a short read) and parks again.
            while reactor::waiters() == 1 {
                yield_now().await;
            }
            while reactor::waiters() == 0 {
                yield_now().await;
            }
        }
        assert_eq!(reactor::waiters(), 1, "the reader is parked on its socket");
        // The last data and the end, both in the socket before the loop next asks the
        // poller: one event for the two.
        peer.write_all(last).unwrap();
        let kept = end(peer, how);
        let outcome = timeout(HANG_GUARD, reader)
            .await
            .unwrap_or_else(|_| {
                panic!("{how:?}: the reader never saw the end that came with the data")
            })
            .unwrap();
        drop(kept);
        outcome
    })
}

#[test]
fn data_then_close_in_one_event_reads_the_data_then_end_of_file() {
    let (data, end) = data_then_end_in_one_event(b"", b"last words", End::Close);
    assert_eq!(data, b"last words");
    assert!(end.is_ok(), "{end:?}");
}

#[test]
fn data_then_shutdown_of_the_write_half_in_one_event_reads_the_data_then_end_of_file() {
    let (data, end) = data_then_end_in_one_event(b"", b"last words", End::ShutdownWrite);
    assert_eq!(data, b"last words");
    assert!(end.is_ok(), "{end:?}");
}

#[test]
fn data_then_reset_in_one_event_reads_the_data_then_the_reset() {
    let (data, end) = data_then_end_in_one_event(b"", b"last words", End::Reset);
    assert_eq!(data, b"last words");
    let error = end.expect_err("a reset is an error, not end-of-file");
    assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
}

#[test]
fn after_a_short_read_data_then_close_in_one_event_still_reads_to_end_of_file() {
    let (data, end) = data_then_end_in_one_event(b"first, ", b"then last", End::Close);
    assert_eq!(data, b"first, then last");
    assert!(end.is_ok(), "{end:?}");
}

#[test]
fn after_a_short_read_data_then_shutdown_in_one_event_still_reads_to_end_of_file() {
    let (data, end) = data_then_end_in_one_event(b"first, ", b"then last", End::ShutdownWrite);
    assert_eq!(data, b"first, then last");
    assert!(end.is_ok(), "{end:?}");
}

#[test]
fn after_a_short_read_data_then_reset_in_one_event_still_reads_the_data_then_the_reset() {
    let (data, end) = data_then_end_in_one_event(b"first, ", b"then last", End::Reset);
    assert_eq!(data, b"first, then last");
    let error = end.expect_err("a reset is an error, not end-of-file");
    assert_eq!(error.kind(), io::ErrorKind::ConnectionReset, "{error}");
}

/// The echo server's loop, counting: `(reads that returned data, operations tried)` after
/// the peer's `message` was read and the reader parked again.
fn operations_to_read_one_message_and_park(message: &'static [u8]) -> (u64, u64) {
    run(async move {
        let (mut stream, mut peer) = connected_pair().await;
        let reads = std::rc::Rc::new(std::cell::Cell::new(0u64));
        let counted = reads.clone();
        let reader = spawn(async move {
            let mut buf = [0u8; BUFFER];
            while stream.read(&mut buf).await.unwrap() > 0 {
                counted.set(counted.get() + 1);
            }
        });
        yield_now().await; // the reader tries, hears WouldBlock, and parks
        assert_eq!(reactor::waiters(), 1, "the reader is parked on its socket");
        let before = reactor::operations_tried();
        peer.write_all(message).unwrap();
        while reads.get() == 0 || reactor::waiters() == 0 {
            yield_now().await; // the reader is woken, reads, and parks again
        }
        let tried = reactor::operations_tried() - before;
        drop(peer);
        timeout(HANG_GUARD, reader).await.unwrap().unwrap();
        (reads.get(), tried)
    })
}

#[test]
fn a_short_read_then_park_tries_no_read_that_would_block() {
    // tokio's rule: a short read drained the kernel's buffer, so the next read would only
    // hear WouldBlock; the reader parks without trying it.
    let (reads, tried) = operations_to_read_one_message_and_park(&[7; 64]);
    assert_eq!(reads, 1);
    assert_eq!(
        tried,
        1 + reads_that_would_block(),
        "syscalls to read a 64-byte message and park again"
    );
}

#[test]
fn a_full_read_is_followed_by_another_try() {
    // A read that fills the buffer proves nothing: the rest is read at once (a short
    // read, after which the reader parks).
    let (reads, tried) = operations_to_read_one_message_and_park(&[7; BUFFER + 100]);
    assert_eq!((reads, tried), (2, 2 + reads_that_would_block()));
}

/// 1 in `polling`'s edge mode (`TINYLOOP_POLL_MODE=edge`), which cannot tell an end that
/// came with the data and so reads once more after a short read; else 0.
fn reads_that_would_block() -> u64 {
    u64::from(std::env::var("TINYLOOP_POLL_MODE").is_ok_and(|mode| mode == "edge"))
}
