//! The stress run: the loop under loads a test suite does not reach, with time, peak memory
//! and CPU for each part. Not part of `cargo test` (it takes tens of seconds in release);
//! run it with
//!
//! ```text
//! cargo run --release --example stress
//! ```
//!
//! Each part checks its own result (every task joined, every timer withdrawn, every byte
//! echoed, every wake seen) and panics if one is wrong, so a run that prints every line
//! passed. Memory and CPU come from `/proc/self` (Linux).

use std::cell::Cell;
use std::future::poll_fn;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::Poll;
use std::time::{Duration, Instant};

use futures_lite::{AsyncReadExt, AsyncWriteExt};
use tinyloop::{Runtime, Semaphore, TcpListener, TcpStream, UdpSocket, sleep, spawn, yield_now};

fn main() {
    println!("part                               wall       cpu   peak RSS  result");
    measure("1M tasks spawned, yielding, joined", tasks);
    measure("1M timers filed, then withdrawn", timers);
    measure("10k TCP connections churned", connections);
    measure("2M wakes from 4 threads", remote_wakes);
    measure("4 receivers on one UDP socket", shared_socket);
}

/// Run one part on a fresh loop and print its line.
fn measure(name: &str, part: fn(&Runtime) -> String) {
    let cpu_before = cpu_time();
    let started = Instant::now();
    let runtime = Runtime::new();
    let result = part(&runtime);
    drop(runtime);
    let wall = started.elapsed();
    let cpu = cpu_time().saturating_sub(cpu_before);
    println!(
        "{name:34} {:>7.2} s {:>7.2} s {:>7} MB  {result}",
        wall.as_secs_f64(),
        cpu.as_secs_f64(),
        peak_rss_kb() / 1024
    );
}

fn tasks(runtime: &Runtime) -> String {
    const N: usize = 1_000_000;
    let sum = runtime.block_on(async {
        let handles: Vec<_> = (0..N)
            .map(|i| {
                spawn(async move {
                    yield_now().await;
                    i as u64
                })
            })
            .collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await.expect("no task panics");
        }
        sum
    });
    assert_eq!(sum, (N as u64 - 1) * N as u64 / 2);
    format!("{N} joined, steps {}", runtime.steps())
}

fn timers(runtime: &Runtime) -> String {
    const N: usize = 1_000_000;
    runtime.block_on(async {
        let mut sleeps: Vec<_> = (0..N)
            .map(|i| Box::pin(sleep(Duration::from_millis(1 + (i % 100_000) as u64))))
            .collect();
        // One poll each files its timer; dropping them withdraws every one.
        poll_fn(|cx| {
            for sleep in &mut sleeps {
                assert!(Pin::new(sleep).poll(cx).is_pending());
            }
            Poll::Ready(())
        })
        .await;
        drop(sleeps);
    });
    assert_eq!(runtime.pending_timers(), 0);
    format!("{N} filed and withdrawn, 0 left")
}

fn connections(runtime: &Runtime) -> String {
    const N: usize = 10_000;
    const AT_ONCE: usize = 100;
    let echoed = runtime.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind on loopback");
        let addr = listener.local_addr();
        let server = spawn(async move {
            for _ in 0..N {
                let (mut stream, _) = listener.accept().await.expect("accept");
                drop(spawn(async move {
                    let mut buf = [0u8; 64];
                    let n = stream.read(&mut buf).await.expect("read");
                    stream.write_all(&buf[..n]).await.expect("write");
                }));
            }
        });
        let limit = Rc::new(Semaphore::new(AT_ONCE));
        let echoed = Rc::new(Cell::new(0usize));
        let clients: Vec<_> = (0..N)
            .map(|i| {
                let (limit, echoed) = (limit.clone(), echoed.clone());
                spawn(async move {
                    let _permit = limit.acquire().await;
                    let mut stream = TcpStream::connect(addr).await.expect("connect");
                    let message = format!("hello {i}");
                    stream.write_all(message.as_bytes()).await.expect("write");
                    let mut back = vec![0u8; message.len()];
                    stream.read_exact(&mut back).await.expect("read");
                    assert_eq!(back, message.as_bytes());
                    echoed.set(echoed.get() + 1);
                })
            })
            .collect();
        for client in clients {
            client.await.expect("no client panics");
        }
        server.await.expect("the server does not panic");
        echoed.get()
    });
    assert_eq!(echoed, N);
    format!("{echoed} echoed, {AT_ONCE} at a time")
}

fn remote_wakes(runtime: &Runtime) -> String {
    const THREADS: usize = 4;
    const WAKES: usize = 500_000;
    let polls = runtime.block_on(async {
        let polls = Rc::new(Cell::new(0usize));
        let finished = Arc::new(AtomicUsize::new(0));
        let mut threads = Vec::new();
        poll_fn(|cx| {
            polls.set(polls.get() + 1);
            if threads.is_empty() {
                for _ in 0..THREADS {
                    let (waker, finished) = (cx.waker().clone(), finished.clone());
                    threads.push(std::thread::spawn(move || {
                        for _ in 0..WAKES {
                            waker.wake_by_ref();
                        }
                        finished.fetch_add(1, Ordering::SeqCst);
                        waker.wake();
                    }));
                }
            }
            if finished.load(Ordering::SeqCst) == THREADS {
                return Poll::Ready(());
            }
            Poll::Pending
        })
        .await;
        for thread in threads {
            thread.join().expect("a waking thread panicked");
        }
        polls.get()
    });
    format!("{} wakes sent, task polled {polls} times", THREADS * WAKES)
}

fn shared_socket(runtime: &Runtime) -> String {
    const DATAGRAMS: usize = 100_032; // a whole number of batches of 64
    const RECEIVERS: usize = 4;
    let received = runtime.block_on(async {
        let socket = Rc::new(UdpSocket::bind("127.0.0.1:0").expect("bind"));
        let addr = socket.local_addr();
        let received = Rc::new(Cell::new(0usize));
        let receivers: Vec<_> = (0..RECEIVERS)
            .map(|_| {
                let (socket, received) = (socket.clone(), received.clone());
                spawn(async move {
                    let mut buf = [0u8; 16];
                    loop {
                        let (n, _) = socket.recv_from(&mut buf).await.expect("recv");
                        if n == 0 {
                            return; // the sender's end mark
                        }
                        received.set(received.get() + 1);
                    }
                })
            })
            .collect();
        let sender = UdpSocket::bind("127.0.0.1:0").expect("bind");
        for batch in 0..DATAGRAMS / 64 {
            for _ in 0..64 {
                sender.send_to(b"datagram", addr).await.expect("send");
            }
            // UDP drops what the receive buffer cannot hold, so pace the sender: wait until
            // the receivers have drained this batch before sending the next.
            while received.get() < (batch + 1) * 64 {
                yield_now().await;
            }
        }
        for _ in 0..RECEIVERS {
            sender.send_to(b"", addr).await.expect("send");
        }
        for receiver in receivers {
            receiver.await.expect("no receiver panics");
        }
        received.get()
    });
    assert_eq!(received, DATAGRAMS / 64 * 64);
    format!("{received} of {DATAGRAMS} datagrams received by {RECEIVERS} tasks")
}

/// User plus system CPU time of this process so far.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces, inside parentheses).
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 11 and 12 after the name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10) // USER_HZ is 100 on Linux
}

/// The process's peak resident memory so far, in kB.
fn peak_rss_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}
