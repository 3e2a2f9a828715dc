//! The widened workloads on smol's `LocalExecutor` with async-io: `to_thread` is the
//! `blocking` crate's `unblock` (what `smol::unblock` re-exports); the broadcast is one
//! event-listener `Event` per round, woken with `notify(usize::MAX)`; a timeout around a
//! read is a race against a `Timer`, as smol programs write one.

use std::cell::Cell;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::rc::Rc;
use std::time::{Duration, Instant};

use async_io::{Async, Timer};
use futures_lite::future::{self, yield_now};
use futures_lite::io::{AsyncReadExt, AsyncWriteExt};

use crate::latency::Histogram;
use crate::primitive_rows::Executor;
use crate::smol_impl::Smol;
use crate::workloads::*;

/// The ordinary echo handler: read what is there (up to 4 KiB), write back what was read,
/// until the client closes.
pub async fn echo(mut stream: Async<TcpStream>) {
    stream.get_ref().set_nodelay(true).unwrap();
    let mut buffer = [0u8; ECHO_BUFFER];
    loop {
        let read = stream.read(&mut buffer).await.unwrap();
        if read == 0 {
            break;
        }
        stream.write_all(&buffer[..read]).await.unwrap();
    }
}

/// Connect to `address`, with Nagle's delay off as on the server's side.
pub async fn connect(address: SocketAddr) -> Async<TcpStream> {
    let stream = Async::<TcpStream>::connect(address).await.unwrap();
    stream.get_ref().set_nodelay(true).unwrap();
    stream
}

/// One round trip of a client: send `message`, read the echo back, check it; the bytes
/// echoed.
pub async fn round_trip(stream: &mut Async<TcpStream>, message: &[u8; ECHO_MESSAGE]) -> u64 {
    let mut reply = [0u8; ECHO_MESSAGE];
    stream.write_all(message).await.unwrap();
    stream.read_exact(&mut reply).await.unwrap();
    assert_eq!(&reply, message);
    ECHO_MESSAGE as u64
}

fn listen() -> (Async<TcpListener>, SocketAddr) {
    let listener = Async::<TcpListener>::bind(([127, 0, 0, 1], 0)).unwrap();
    let address = listener.get_ref().local_addr().unwrap();
    (listener, address)
}

pub async fn body(ex: &Smol, workload: Workload) -> Outcome {
    let s = sizes();
    match workload {
        Workload::Sleepers10k | Workload::Sleepers100k => {
            let end = Instant::now() + Duration::from_millis(s.sleepers_run_ms);
            let lateness = Rc::new(Histogram::<Cell<u64>>::default());
            let tasks: Vec<_> = (0..workload.sleepers(s))
                .map(|i| {
                    let lateness = lateness.clone();
                    ex.spawn(async move {
                        let mut on_time = true;
                        loop {
                            let due = Instant::now() + sleeper_period(i);
                            if due > end {
                                break;
                            }
                            Timer::at(due).await;
                            let woke = Instant::now();
                            on_time &= woke >= due;
                            lateness.record(woke.saturating_duration_since(due));
                        }
                        1 + 1_000_000 * u64::from(on_time)
                    })
                })
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await;
            }
            lateness.figures(Outcome::checksum(sum))
        }
        Workload::Broadcast => {
            let rounds: Rc<Vec<event_listener::Event>> = Rc::new(
                (0..s.broadcast_rounds)
                    .map(|_| event_listener::Event::new())
                    .collect(),
            );
            let (parked, woke) = (Rc::new(Cell::new(0u64)), Rc::new(Cell::new(0u64)));
            let waiters: Vec<_> = (0..s.broadcast_waiters)
                .map(|_| {
                    let (rounds, parked, woke) = (rounds.clone(), parked.clone(), woke.clone());
                    ex.spawn(async move {
                        for event in rounds.iter() {
                            parked.set(parked.get() + 1);
                            event.listen().await;
                            woke.set(woke.get() + 1);
                        }
                    })
                })
                .collect();
            for (round, event) in rounds.iter().enumerate() {
                // Every waiter must be listening on this round's event first.
                while parked.get() < s.broadcast_waiters * (round as u64 + 1) {
                    yield_now().await;
                }
                event.notify(usize::MAX);
            }
            for waiter in waiters {
                waiter.await;
            }
            Outcome::checksum(woke.get())
        }
        Workload::ConnectionChurn => {
            let (listener, address) = listen();
            let spawner = ex.clone();
            let server = ex.spawn(async move {
                let mut handlers = Vec::new();
                for _ in 0..s.churn_connections {
                    let (stream, _) = listener.accept().await.unwrap();
                    handlers.push(spawner.spawn(echo(stream)));
                }
                for handler in handlers {
                    handler.await;
                }
            });
            let clients: Vec<_> = (0..CHURN_CONCURRENCY.min(s.churn_connections))
                .map(|first| {
                    ex.spawn(async move {
                        let mut bytes = 0;
                        for c in (first..s.churn_connections).step_by(CHURN_CONCURRENCY as usize) {
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
                bytes += client.await;
            }
            server.await;
            Outcome::checksum(bytes)
        }
        Workload::ToThread => {
            let latency = Rc::new(Histogram::<Cell<u64>>::default());
            let callers: Vec<_> = (0..TO_THREAD_CALLERS)
                .map(|_| {
                    let latency = latency.clone();
                    ex.spawn(async move {
                        let mut sum = 0;
                        for i in 0..s.to_thread_calls {
                            let asked = Instant::now();
                            sum += blocking::unblock(move || i).await;
                            latency.record(asked.elapsed());
                        }
                        sum
                    })
                })
                .collect();
            let mut sum = 0;
            for caller in callers {
                sum += caller.await;
            }
            latency.figures(Outcome::checksum(sum))
        }
        Workload::ReadTimeouts => {
            let (listener, address) = listen();
            let mut quiet = Vec::new();
            let mut readers = Vec::new();
            for _ in 0..QUIET_SOCKETS {
                let mut stream = connect(address).await;
                // The other end is kept open and never written to.
                quiet.push(listener.accept().await.unwrap().0);
                readers.push(ex.spawn(async move {
                    let mut expired = 0;
                    let mut buffer = [0u8; ECHO_MESSAGE];
                    for _ in 0..s.read_timeouts {
                        let read =
                            future::or(async { Some(stream.read(&mut buffer).await) }, async {
                                Timer::after(READ_TIMEOUT).await;
                                None
                            })
                            .await;
                        assert!(read.is_none(), "a read on a quiet socket: {read:?}");
                        expired += 1;
                    }
                    expired
                }));
            }
            let mut expired = 0;
            for reader in readers {
                expired += reader.await;
            }
            drop(quiet);
            Outcome::checksum(expired)
        }
        Workload::LatencyUnderLoad => {
            let (listener, address) = listen();
            let server = ex.spawn(async move {
                echo(listener.accept().await.unwrap().0).await;
            });
            let stop = Rc::new(Cell::new(false));
            let load: Vec<_> = (0..LOAD_TASKS)
                .map(|_| {
                    let stop = stop.clone();
                    ex.spawn(async move {
                        while !stop.get() {
                            yield_now().await;
                        }
                    })
                })
                .collect();
            let latency = Histogram::<Cell<u64>>::default();
            let mut stream = connect(address).await;
            let message = [7u8; ECHO_MESSAGE];
            let mut bytes = 0;
            for _ in 0..s.latency_requests {
                let asked = Instant::now();
                bytes += round_trip(&mut stream, &message).await;
                latency.record(asked.elapsed());
            }
            stop.set(true);
            drop(stream);
            for task in load {
                task.await;
            }
            server.await;
            latency.figures(Outcome::checksum(bytes))
        }
        // smol has no gather: its tasks are awaited in order.
        Workload::Gather => {
            let children: Vec<_> = (0..s.children)
                .map(|i| {
                    ex.spawn(async move {
                        yield_now().await;
                        i
                    })
                })
                .collect();
            let mut sum = 0;
            for child in children {
                sum += child.await;
            }
            Outcome::checksum(sum)
        }
        other => unreachable!("{} is not a widened workload", other.name()),
    }
}
