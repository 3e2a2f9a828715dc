//! The workload behind the reactor chapter's syscall count: one client and one server on
//! the same loop, ping-ponging a 32-byte message. Run it under `strace -c -f` with two
//! different numbers of round trips and divide the difference in syscalls by the difference
//! in round trips (setup costs cancel out):
//!
//! ```text
//! ROUND_TRIPS=1000  strace -c -f target/debug/deps/net_syscalls-* --ignored
//! ROUND_TRIPS=11000 strace -c -f target/debug/deps/net_syscalls-* --ignored
//! TINYLOOP_POLL_MODE=oneshot ...   # the same, in oneshot mode
//! ```

use futures_lite::{AsyncReadExt, AsyncWriteExt};
use tinyloop::{TcpListener, TcpStream, run, spawn};

#[test]
#[ignore = "a workload to measure with strace, not a check"]
fn ping_pong_round_trips_for_strace() {
    let rounds: usize = std::env::var("ROUND_TRIPS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1000);
    run(async move {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr();
        let server = spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 32];
            for _ in 0..rounds {
                stream.read_exact(&mut buf).await.unwrap();
                stream.write_all(&buf).await.unwrap();
            }
        });
        let mut client = TcpStream::connect(addr).await.unwrap();
        let mut buf = [7u8; 32];
        for _ in 0..rounds {
            client.write_all(&buf).await.unwrap();
            client.read_exact(&mut buf).await.unwrap();
        }
        server.await.unwrap();
    });
}

/// The benchmark crate's `tcp_echo` workload (100 clients × 1 000 round trips of 64 bytes),
/// timed: `cargo test --release -p tinyloop --test net_syscalls -- --ignored --nocapture echo`.
#[test]
#[ignore = "a workload to time in release, not a check"]
fn echo_workload_of_the_benchmark_timed() {
    const CLIENTS: usize = 100;
    const ROUND_TRIPS: usize = 1_000;
    let started = std::time::Instant::now();
    let bytes = run(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr();
        let server = spawn(async move {
            for _ in 0..CLIENTS {
                let (mut stream, _) = listener.accept().await.unwrap();
                drop(spawn(async move {
                    let mut buf = [0u8; 64];
                    while stream.read_exact(&mut buf).await.is_ok() {
                        stream.write_all(&buf).await.unwrap();
                    }
                }));
            }
        });
        let clients: Vec<_> = (0..CLIENTS)
            .map(|c| {
                spawn(async move {
                    let mut stream = TcpStream::connect(addr).await.unwrap();
                    let message = [c as u8; 64];
                    let mut reply = [0u8; 64];
                    for _ in 0..ROUND_TRIPS {
                        stream.write_all(&message).await.unwrap();
                        stream.read_exact(&mut reply).await.unwrap();
                        assert_eq!(reply, message);
                    }
                    ROUND_TRIPS * 64
                })
            })
            .collect();
        let mut bytes = 0;
        for client in clients {
            bytes += client.await.unwrap();
        }
        server.await.unwrap();
        bytes
    });
    println!("tcp_echo: {bytes} bytes in {:?}", started.elapsed());
}
