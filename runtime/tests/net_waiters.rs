//! Several tasks waiting on one socket in one direction: two readers of one stream, two
//! acceptors on one listener, two receivers on one UDP socket.
//!
//! Each is woken when its direction becomes ready, first parked first, and the wait costs
//! no CPU: the peer is a thread that answers only after 250 ms of real time, and the loop's
//! thread must spend that time asleep in the poller, not handing the socket back and forth
//! between its waiters.

use std::io::Write;
use std::rc::Rc;
use std::time::Duration;

use futures_lite::AsyncReadExt;
use tinyloop_runtime::net::{TcpListener, TcpStream, UdpSocket};
use tinyloop_runtime::{current_step, reactor, run, spawn, spawn_named, trace, yield_now};

/// How long the peer keeps the waiters waiting.
const PEER_DELAY: Duration = Duration::from_millis(250);

/// More CPU than this over the `PEER_DELAY` wait means the loop spun. Sleeping in the
/// poller costs microseconds. (A spinning loop on a busy machine still gets a good share of
/// a core: the old reactor's ping-pong was measured at 60 to 250 ms here.)
const MOST_CPU: Duration = Duration::from_millis(25);

/// More loop steps than this over the wait means the loop spun: each wake of a waiter is a
/// step, and a sleeping loop makes a handful (the spinning one made hundreds of thousands).
const MOST_STEPS: u64 = 50;

/// This thread's CPU time so far (the first field of schedstat, in nanoseconds), or `None`
/// where the OS does not say.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// The CPU time and loop steps a wait costs, measured on the loop's thread.
struct Meter {
    /// The thread's CPU time when the wait began.
    cpu: Option<Duration>,
    /// The loop's step when the wait began.
    step: u64,
}

impl Meter {
    /// Start measuring: call it once the waiters are parked.
    async fn start() -> Meter {
        yield_now().await; // the spawned waiters try, hear WouldBlock, and park
        yield_now().await;
        Meter {
            cpu: thread_cpu(),
            step: current_step(),
        }
    }

    /// Assert that the wait since `start` slept: few steps, little CPU.
    fn assert_slept(self, what: &str) {
        let steps = current_step() - self.step;
        assert!(steps < MOST_STEPS, "{what}: the loop made {steps} steps");
        match (self.cpu, thread_cpu()) {
            (Some(before), Some(after)) => {
                let spent = after - before;
                assert!(spent < MOST_CPU, "{what} spent {spent:?} of CPU waiting");
            }
            _ => eprintln!("note: no /proc/thread-self/schedstat; CPU time not checked"),
        }
    }
}

#[test]
fn two_readers_of_one_stream_sleep_until_data_and_the_first_parked_reads_first() {
    let (first, second) = run(async {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr();
        let peer = std::thread::spawn(move || {
            let mut stream = std::net::TcpStream::connect(addr).unwrap();
            std::thread::sleep(PEER_DELAY);
            stream.write_all(b"ab").unwrap();
        });
        let (stream, _) = listener.accept().await.unwrap();
        let read_one = |mut stream: TcpStream| async move {
            let mut byte = [0u8; 1];
            stream.read_exact(&mut byte).await.unwrap();
            byte[0]
        };
        let first = spawn(read_one(stream.clone()));
        let second = spawn(read_one(stream));
        let meter = Meter::start().await;
        let bytes = (first.await.unwrap(), second.await.unwrap());
        meter.assert_slept("two readers");
        peer.join().unwrap();
        bytes
    });
    assert_eq!((first, second), (b'a', b'b'));
}

#[test]
fn two_acceptors_on_one_listener_sleep_until_connections_and_both_get_one() {
    let accepted = run(async {
        let listener = Rc::new(TcpListener::bind("127.0.0.1:0").unwrap());
        let addr = listener.local_addr();
        let peer = std::thread::spawn(move || {
            std::thread::sleep(PEER_DELAY);
            let one = std::net::TcpStream::connect(addr).unwrap();
            let two = std::net::TcpStream::connect(addr).unwrap();
            (one, two)
        });
        let acceptor = |listener: Rc<TcpListener>| async move {
            listener.accept().await.unwrap();
            1
        };
        let first = spawn(acceptor(listener.clone()));
        let second = spawn(acceptor(listener));
        let meter = Meter::start().await;
        let accepted = first.await.unwrap() + second.await.unwrap();
        meter.assert_slept("two acceptors");
        drop(peer.join().unwrap());
        accepted
    });
    assert_eq!(accepted, 2);
}

#[test]
fn two_receivers_on_one_udp_socket_sleep_until_datagrams_and_both_get_one() {
    let mut received = run(async {
        let socket = Rc::new(UdpSocket::bind("127.0.0.1:0").unwrap());
        let addr = socket.local_addr();
        let peer = std::thread::spawn(move || {
            let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            std::thread::sleep(PEER_DELAY);
            sender.send_to(b"1", addr).unwrap();
            sender.send_to(b"2", addr).unwrap();
        });
        let receiver = |socket: Rc<UdpSocket>| async move {
            let mut buf = [0u8; 8];
            let (n, _) = socket.recv_from(&mut buf).await.unwrap();
            buf[..n].to_vec()
        };
        let first = spawn(receiver(socket.clone()));
        let second = spawn(receiver(socket));
        let meter = Meter::start().await;
        let received = vec![first.await.unwrap(), second.await.unwrap()];
        meter.assert_slept("two receivers");
        peer.join().unwrap();
        received
    });
    received.sort();
    assert_eq!(received, [b"1".to_vec(), b"2".to_vec()]);
}

#[test]
fn every_task_parked_on_a_socket_is_counted_and_shown_in_the_snapshot() {
    run(async {
        let listener = Rc::new(TcpListener::bind("127.0.0.1:0").unwrap());
        let acceptor = |listener: Rc<TcpListener>| async move {
            let _ = listener.accept().await;
        };
        let one = spawn_named("one", acceptor(listener.clone()));
        let two = spawn_named("two", acceptor(listener.clone()));
        yield_now().await; // both try accept, hear WouldBlock, and park
        yield_now().await;
        assert_eq!(reactor::waiters(), 2);
        let state = trace::snapshot().expect("inside a loop");
        let readers: Vec<_> = state.io.iter().filter_map(|io| io.reader).collect();
        assert_eq!(readers, [one.id(), two.id()], "{state}");
        let shown = state.to_string();
        assert!(
            shown.contains("reader: one") && shown.contains("reader: two"),
            "{shown}"
        );
        one.cancel();
        two.cancel();
    });
}
