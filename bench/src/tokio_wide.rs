//! The widened workloads on tokio's current_thread runtime, in both flavours (`tokio::spawn`
//! with `Arc` and relaxed atomics, `spawn_local` with `Rc` and `Cell`), written once in the
//! `wide_bodies!` macro as `tokio_impl.rs` writes the others. `to_thread` is tokio's
//! `spawn_blocking`; the broadcast is one `Notify` per round, woken with `notify_waiters`.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::latency::Histogram;
use crate::workloads::*;

/// The ordinary echo handler: read what is there (up to 4 KiB), write back what was read,
/// until the client closes.
pub async fn echo(mut stream: TcpStream) {
    stream.set_nodelay(true).unwrap();
    let mut buffer = [0u8; ECHO_BUFFER];
    loop {
        let read = stream.read(&mut buffer).await.unwrap();
        if read == 0 {
            break;
        }
        stream.write_all(&buffer[..read]).await.unwrap();
    }
}

/// One round trip of a client: send `message`, read the echo back, check it; the bytes
/// echoed.
pub async fn round_trip(stream: &mut TcpStream, message: &[u8; ECHO_MESSAGE]) -> u64 {
    let mut reply = [0u8; ECHO_MESSAGE];
    stream.write_all(message).await.unwrap();
    stream.read_exact(&mut reply).await.unwrap();
    assert_eq!(&reply, message);
    ECHO_MESSAGE as u64
}

/// A child of `gather`, `task_group` and `wait_first`: yield once, return `i`.
async fn child(i: u64) -> u64 {
    tokio::task::yield_now().await;
    i
}

/// Connect to `address`, with Nagle's delay off as on the server's side.
pub async fn connect(address: std::net::SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).await.unwrap();
    stream.set_nodelay(true).unwrap();
    stream
}

macro_rules! wide_bodies {
    ($name:ident, $spawn:path, $set_spawn:ident, $Shared:ident, $Count:ty) => {
        pub async fn $name(workload: Workload) -> Outcome {
            let s = sizes();
            match workload {
                Workload::Sleepers10k | Workload::Sleepers100k => {
                    let end = Instant::now() + Duration::from_millis(s.sleepers_run_ms);
                    let lateness = $Shared::new(Histogram::<$Count>::default());
                    let handles: Vec<_> = (0..workload.sleepers(s))
                        .map(|i| {
                            let lateness = lateness.clone();
                            $spawn(async move {
                                let mut on_time = true;
                                loop {
                                    let due = Instant::now() + sleeper_period(i);
                                    if due > end {
                                        break;
                                    }
                                    tokio::time::sleep_until(due).await;
                                    let woke = Instant::now();
                                    on_time &= woke >= due;
                                    lateness.record(woke.saturating_duration_since(due));
                                }
                                1 + 1_000_000 * u64::from(on_time)
                            })
                        })
                        .collect();
                    let mut sum = 0;
                    for handle in handles {
                        sum += handle.await.unwrap();
                    }
                    lateness.figures(Outcome::checksum(sum))
                }
                Workload::Broadcast => {
                    let rounds: Vec<tokio::sync::Notify> = (0..s.broadcast_rounds)
                        .map(|_| tokio::sync::Notify::new())
                        .collect();
                    let rounds = $Shared::new(rounds);
                    let parked = $Shared::new(<$Count>::default());
                    let woke = $Shared::new(<$Count>::default());
                    let waiters: Vec<_> = (0..s.broadcast_waiters)
                        .map(|_| {
                            let (rounds, parked, woke) =
                                (rounds.clone(), parked.clone(), woke.clone());
                            $spawn(async move {
                                for notify in rounds.iter() {
                                    parked.add(1);
                                    notify.notified().await;
                                    woke.add(1);
                                }
                            })
                        })
                        .collect();
                    for (round, notify) in rounds.iter().enumerate() {
                        // Every waiter must be parked on this round's Notify first.
                        while parked.get() < s.broadcast_waiters * (round as u64 + 1) {
                            tokio::task::yield_now().await;
                        }
                        notify.notify_waiters();
                    }
                    for waiter in waiters {
                        waiter.await.unwrap();
                    }
                    Outcome::checksum(woke.get())
                }
                Workload::ConnectionChurn => {
                    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                    let address = listener.local_addr().unwrap();
                    let server = $spawn(async move {
                        let mut handlers = Vec::new();
                        for _ in 0..s.churn_connections {
                            let (stream, _) = listener.accept().await.unwrap();
                            handlers.push($spawn(echo(stream)));
                        }
                        for handler in handlers {
                            handler.await.unwrap();
                        }
                    });
                    let clients: Vec<_> = (0..CHURN_CONCURRENCY.min(s.churn_connections))
                        .map(|first| {
                            $spawn(async move {
                                let mut bytes = 0;
                                let step = CHURN_CONCURRENCY as usize;
                                for c in (first..s.churn_connections).step_by(step) {
                                    let mut stream = connect(address).await;
                                    let message = [c as u8; ECHO_MESSAGE];
                                    bytes += round_trip(&mut stream, &message).await;
                                }
                                bytes
                            })
                        })
                        .collect();
                    let mut bytes = 0;
                    for client in clients {
                        bytes += client.await.unwrap();
                    }
                    server.await.unwrap();
                    Outcome::checksum(bytes)
                }
                Workload::ToThread => {
                    let latency = $Shared::new(Histogram::<$Count>::default());
                    let callers: Vec<_> = (0..TO_THREAD_CALLERS)
                        .map(|_| {
                            let latency = latency.clone();
                            $spawn(async move {
                                let mut sum = 0;
                                for i in 0..s.to_thread_calls {
                                    let asked = std::time::Instant::now();
                                    sum += tokio::task::spawn_blocking(move || i).await.unwrap();
                                    latency.record(asked.elapsed());
                                }
                                sum
                            })
                        })
                        .collect();
                    let mut sum = 0;
                    for caller in callers {
                        sum += caller.await.unwrap();
                    }
                    latency.figures(Outcome::checksum(sum))
                }
                Workload::ReadTimeouts => {
                    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                    let address = listener.local_addr().unwrap();
                    let mut quiet = Vec::new();
                    let mut readers = Vec::new();
                    for _ in 0..QUIET_SOCKETS {
                        let mut stream = connect(address).await;
                        // The other end is kept open and never written to.
                        quiet.push(listener.accept().await.unwrap().0);
                        readers.push($spawn(async move {
                            let mut expired = 0;
                            let mut buffer = [0u8; ECHO_MESSAGE];
                            for _ in 0..s.read_timeouts {
                                let read =
                                    tokio::time::timeout(READ_TIMEOUT, stream.read(&mut buffer))
                                        .await;
                                assert!(read.is_err(), "a read on a quiet socket: {read:?}");
                                expired += 1;
                            }
                            expired
                        }));
                    }
                    let mut expired = 0;
                    for reader in readers {
                        expired += reader.await.unwrap();
                    }
                    drop(quiet);
                    Outcome::checksum(expired)
                }
                Workload::LatencyUnderLoad => {
                    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                    let address = listener.local_addr().unwrap();
                    let server = $spawn(async move {
                        echo(listener.accept().await.unwrap().0).await;
                    });
                    let stop = $Shared::new(<$Count>::default());
                    let load: Vec<_> = (0..LOAD_TASKS)
                        .map(|_| {
                            let stop = stop.clone();
                            $spawn(async move {
                                while stop.get() == 0 {
                                    tokio::task::yield_now().await;
                                }
                            })
                        })
                        .collect();
                    let latency = Histogram::<$Count>::default();
                    let mut stream = connect(address).await;
                    let message = [7u8; ECHO_MESSAGE];
                    let mut bytes = 0;
                    for _ in 0..s.latency_requests {
                        let asked = std::time::Instant::now();
                        bytes += round_trip(&mut stream, &message).await;
                        latency.record(asked.elapsed());
                    }
                    stop.set(1);
                    drop(stream);
                    for task in load {
                        task.await.unwrap();
                    }
                    server.await.unwrap();
                    latency.figures(Outcome::checksum(bytes))
                }
                // tokio has no gather over handles of its own; a `JoinSet` collects them.
                Workload::Gather => {
                    let mut set = JoinSet::new();
                    for i in 0..s.children {
                        set.$set_spawn(child(i));
                    }
                    Outcome::checksum(set.join_all().await.into_iter().sum())
                }
                // A `JoinSet` is tokio's task group: dropping it aborts the children.
                Workload::TaskGroup => {
                    let mut set = JoinSet::new();
                    for i in 0..s.children {
                        set.$set_spawn(child(i));
                    }
                    let mut sum = 0;
                    while let Some(output) = set.join_next().await {
                        sum += output.unwrap();
                    }
                    Outcome::checksum(sum)
                }
                // `join_next` is tokio's wait(FIRST_COMPLETED): it returns one child.
                Workload::WaitFirst => {
                    let go = $Shared::new(tokio::sync::Semaphore::new(0));
                    let mut set = JoinSet::new();
                    for i in 0..s.children {
                        let go = go.clone();
                        set.$set_spawn(async move {
                            if i > 0 {
                                drop(go.acquire().await.unwrap());
                            }
                            i
                        });
                    }
                    let first = set.join_next().await.unwrap().unwrap();
                    go.add_permits(s.children as usize);
                    let mut sum = first;
                    while let Some(output) = set.join_next().await {
                        sum += output.unwrap();
                    }
                    Outcome::checksum(sum + 1_000_000)
                }
                other => unreachable!("{} is not a widened workload", other.name()),
            }
        }
    };
}

wide_bodies!(send_body, tokio::spawn, spawn, Arc, AtomicU64);
wide_bodies!(
    local_body,
    tokio::task::spawn_local,
    spawn_local,
    Rc,
    Cell<u64>
);
