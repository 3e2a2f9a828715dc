//! The reactor's readiness shortcuts must never lose a wake-up.
//!
//! To save syscalls the reactor remembers, per socket and direction, whether the kernel
//! buffer may still hold something (`ready`), and skips the attempt when it knows it would
//! only hear `WouldBlock`. A shortcut that marks a direction "not ready" one time too many
//! makes a task wait for an edge that never comes: these tests would then hang, so each one
//! runs under a generous real-time `timeout` that turns the hang into a failure.
//!
//! The loop runs in edge mode by default; run the file again with
//! `TINYLOOP_POLL_MODE=oneshot cargo test -p tinyloop --test net_readiness` for oneshot.

use std::io::Write;
use std::net::Shutdown;
use std::time::Duration;

use futures_lite::AsyncReadExt;
use tinyloop::runtime::reactor;
use tinyloop::{TcpListener, TcpStream, run, sleep, spawn, timeout, yield_now};

/// Long enough for any healthy run, short enough that a lost wake fails the test quickly.
const HANG_GUARD: Duration = Duration::from_secs(10);

/// A connection whose far end is a plain blocking std socket that the test drives by hand.
/// (A loopback connect completes inside the call, so it cannot stall the loop.)
async fn connected_pair() -> (TcpStream, std::net::TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let peer = std::net::TcpStream::connect(listener.local_addr()).unwrap();
    peer.set_nodelay(true).unwrap();
    let (stream, _) = listener.accept().await.unwrap();
    (stream, peer)
}

#[test]
fn a_message_written_in_two_parts_with_a_pause_between_is_read_whole() {
    run(async {
        let (mut stream, mut peer) = connected_pair().await;
        let reader = spawn(async move {
            // A buffer larger than either part: each read is a short read.
            let mut buf = [0u8; 64];
            let mut received = Vec::new();
            loop {
                let n = stream.read(&mut buf).await.unwrap();
                if n == 0 {
                    return received;
                }
                received.extend_from_slice(&buf[..n]);
            }
        });
        peer.write_all(b"first part, ").unwrap();
        // Let the reader take the first part (a short read) and park again; the loop
        // blocks in the poller meanwhile, so the second part arrives as a new event.
        sleep(Duration::from_millis(20)).await;
        peer.write_all(b"then the second").unwrap();
        sleep(Duration::from_millis(20)).await;
        peer.shutdown(Shutdown::Write).unwrap();
        let received = timeout(HANG_GUARD, reader)
            .await
            .expect("the reader missed a wake-up after a short read")
            .unwrap();
        assert_eq!(received, b"first part, then the second");
    });
}

#[test]
fn data_and_end_of_file_reported_in_one_event_are_both_read() {
    // In edge mode the poller reports "readable" once for data and FIN that arrived
    // together. After the short read of the data no new edge comes for the FIN, so a reactor
    // that took the short read to mean "drained, wait for the next edge" would wait for ever.
    run(async {
        let (mut stream, mut peer) = connected_pair().await;
        let reader = spawn(async move {
            let mut buf = [0u8; 64];
            let data = stream.read(&mut buf).await.unwrap();
            let end_of_file = stream.read(&mut buf).await.unwrap();
            (data, end_of_file)
        });
        yield_now().await; // the reader tries, hears WouldBlock, and parks
        assert_eq!(reactor::waiters(), 1, "the reader is parked on its socket");
        // Data and FIN, both in the socket before the loop next asks the poller.
        peer.write_all(b"abc").unwrap();
        peer.shutdown(Shutdown::Write).unwrap();
        let (data, end_of_file) = timeout(HANG_GUARD, reader)
            .await
            .expect("the reader never saw the end of file that came with the data")
            .unwrap();
        assert_eq!((data, end_of_file), (3, 0));
    });
}

#[test]
fn a_full_read_does_not_stop_the_rest_of_the_buffer_from_being_read() {
    // A read that fills the buffer proves nothing about what is left: two messages that
    // arrive in one event must both be read, and a third that comes later too.
    run(async {
        let (mut stream, mut peer) = connected_pair().await;
        let reader = spawn(async move {
            let mut buf = [0u8; 5];
            stream.read_exact(&mut buf).await.unwrap();
            let first = buf;
            stream.read_exact(&mut buf).await.unwrap();
            let second = buf;
            stream.read_exact(&mut buf).await.unwrap();
            (first, second, buf)
        });
        yield_now().await; // the reader tries, hears WouldBlock, and parks
        assert_eq!(reactor::waiters(), 1, "the reader is parked on its socket");
        peer.write_all(b"0123456789").unwrap(); // one edge for both messages
        sleep(Duration::from_millis(20)).await; // the reader takes both and parks again
        peer.write_all(b"abcde").unwrap();
        let (first, second, third) = timeout(HANG_GUARD, reader)
            .await
            .expect("the reader missed data left behind by a full read")
            .unwrap();
        assert_eq!((&first, &second, &third), (b"01234", b"56789", b"abcde"));
    });
}
