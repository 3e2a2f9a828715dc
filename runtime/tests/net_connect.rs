//! `TcpStream::connect` never blocks the loop: it starts a non-blocking connect and waits
//! for the socket to become writable, as asyncio's `sock_connect` does.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::Duration;

use futures_lite::{AsyncReadExt, AsyncWriteExt};
use tinyloop_runtime::net::{TcpListener, TcpStream};
use tinyloop_runtime::time::{now, timeout};
use tinyloop_runtime::{run, run_virtual, spawn};

/// How many clients connect at once.
const CLIENTS: usize = 1_000;

/// The listener's backlog: half the clients. The kernel queues at most about this many
/// connections nobody has accepted yet, and the acceptor is a task of the same loop, so
/// the other half of the connects must wait for it.
///
/// Why not smaller: a connect that finds the queue full has its SYN dropped, and TCP sends
/// it again a second later (then 2, 4, 8 s later). With half the clients, the second try of
/// every one of them fits in the queue, so the test takes one such second. With a backlog
/// of 64 it took 8 s; with 32, over a minute; and the kernel's handling of the retried
/// bursts varies from run to run (backlog 128 once took 1.6 s, once over 30). asyncio's
/// `open_connection` meets the same: 1.6 s for 1,000 clients against a backlog of 128 on
/// CPython 3.11, and `ConnectionResetError` against 8. That is TCP's time, not the loop's.
const BACKLOG: i32 = 500;

/// The backlog and the number of clients to use: `BACKLOG` and `CLIENTS`, unless the system
/// caps every listener's backlog lower (`net.core.somaxconn` was 128 before Linux 5.4);
/// then that cap and twice as many clients, to keep "the second try of each fits".
fn backlog_and_clients() -> (i32, usize) {
    let cap = std::fs::read_to_string("/proc/sys/net/core/somaxconn")
        .ok()
        .and_then(|text| text.trim().parse::<i32>().ok())
        .unwrap_or(BACKLOG);
    if cap >= BACKLOG {
        (BACKLOG, CLIENTS)
    } else {
        eprintln!(
            "note: somaxconn is {cap}: {} clients instead of {CLIENTS}",
            2 * cap
        );
        (cap, 2 * cap as usize)
    }
}

/// Run `program` on a loop on its own thread and give it this long to finish. A loop frozen
/// in a blocking call would otherwise hang the test run for minutes; the limit is a
/// watchdog, not a measurement.
fn within<T: Send + 'static>(limit: Duration, program: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(program());
    });
    finished
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("the loop did not finish in {limit:?}: it froze"))
}

#[test]
fn a_thousand_clients_connecting_at_once_to_a_small_backlog_on_the_same_loop_are_all_served() {
    let (backlog, clients) = backlog_and_clients();
    let served = within(Duration::from_secs(30), move || {
        run(async move {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            // Listening again changes the backlog: the kernel queues at most this many
            // connections that nobody has accepted yet.
            rustix::net::listen(&listener, backlog).unwrap();
            let listener = TcpListener::from_std(listener).unwrap();
            let addr = listener.local_addr();
            let served = Rc::new(Cell::new(0));
            let count = served.clone();
            let _server = spawn(async move {
                loop {
                    let (mut stream, _) = listener.accept().await.unwrap();
                    let count = count.clone();
                    // Detached: the client's echo is what the test waits for.
                    drop(spawn(async move {
                        let mut byte = [0u8; 1];
                        stream.read_exact(&mut byte).await.unwrap();
                        stream.write_all(&byte).await.unwrap();
                        count.set(count.get() + 1);
                    }));
                }
            });
            let clients: Vec<_> = (0..clients)
                .map(|i| {
                    spawn(async move {
                        let mut stream = TcpStream::connect(addr).await.unwrap();
                        let byte = [i as u8];
                        stream.write_all(&byte).await.unwrap();
                        let mut echoed = [0u8; 1];
                        stream.read_exact(&mut echoed).await.unwrap();
                        assert_eq!(echoed, byte);
                    })
                })
                .collect();
            for client in clients {
                client.await.unwrap();
            }
            served.get()
        })
    });
    assert_eq!(served, clients);
}

#[test]
fn a_connect_that_cannot_finish_leaves_the_loop_running_until_its_timeout() {
    let (connected, at) = within(Duration::from_secs(30), || {
        run_virtual(async {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            // Room for one or two unaccepted connections, and nobody ever accepts: the
            // connects after those cannot finish.
            rustix::net::listen(&listener, 1).unwrap();
            let listener = TcpListener::from_std(listener).unwrap();
            let addr = listener.local_addr();
            let mut connected = Vec::new();
            // Connect until one connect cannot finish and its timeout fires.
            while let Ok(stream) = timeout(Duration::from_secs(1), TcpStream::connect(addr)).await {
                connected.push(stream.unwrap());
            }
            (connected.len(), now().to_string())
        })
    });
    assert!((1..=2).contains(&connected), "{connected} connected");
    // The loop kept running: its clock reached the timeout, which fired exactly on time.
    assert_eq!(at, "t=1.00");
}
