//! The widened workloads on tinyloop: what users of an asyncio-style runtime care about
//! beyond raw scheduling (periodic sleepers, a broadcast, connection churn, `to_thread`,
//! timeouts around reads, latency under load). tokio's and smol's versions are in
//! `tokio_wide.rs` and `smol_wide.rs`, asyncio's in `asyncio_bench.py`; each does the same
//! work with its runtime's own tools.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use futures_lite::io::{AsyncReadExt, AsyncWriteExt};
use tinyloop::{
    Event, ReturnWhen, TaskGroup, TcpListener, TcpStream, gather_all, now, sleep_until, spawn,
    timeout, to_thread, wait, yield_now,
};

use crate::latency::Histogram;
use crate::workloads::*;

/// The ordinary echo handler: read what is there (up to 4 KiB), write back what was read,
/// until the client closes. (tinyloop turns Nagle's delay off on every stream it makes.)
pub async fn echo(mut stream: TcpStream) {
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
    yield_now().await;
    i
}

pub async fn body(workload: Workload) -> Outcome {
    let s = sizes();
    match workload {
        Workload::Sleepers10k | Workload::Sleepers100k => {
            let end = now() + Duration::from_millis(s.sleepers_run_ms);
            let lateness = Rc::new(Histogram::<Cell<u64>>::default());
            let handles: Vec<_> = (0..workload.sleepers(s))
                .map(|i| {
                    let lateness = lateness.clone();
                    spawn(async move {
                        let mut on_time = true;
                        loop {
                            let due = now() + sleeper_period(i);
                            if due > end {
                                break;
                            }
                            sleep_until(due).await;
                            let woke = now();
                            on_time &= woke >= due;
                            lateness.record(woke - due);
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
            let events: Rc<Vec<Event>> =
                Rc::new((0..s.broadcast_rounds).map(|_| Event::new()).collect());
            let (parked, woke) = (Rc::new(Cell::new(0u64)), Rc::new(Cell::new(0u64)));
            let waiters: Vec<_> = (0..s.broadcast_waiters)
                .map(|_| {
                    let (events, parked, woke) = (events.clone(), parked.clone(), woke.clone());
                    spawn(async move {
                        for event in events.iter() {
                            parked.set(parked.get() + 1);
                            event.wait().await;
                            woke.set(woke.get() + 1);
                        }
                    })
                })
                .collect();
            for (round, event) in events.iter().enumerate() {
                // Every waiter must be parked on this round's event before it is set.
                while parked.get() < s.broadcast_waiters * (round as u64 + 1) {
                    yield_now().await;
                }
                event.set();
            }
            for waiter in waiters {
                waiter.await.unwrap();
            }
            Outcome::checksum(woke.get())
        }
        Workload::ConnectionChurn => {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let address = listener.local_addr();
            let server = spawn(async move {
                let mut handlers = Vec::new();
                for _ in 0..s.churn_connections {
                    let (stream, _) = listener.accept().await.unwrap();
                    handlers.push(spawn(echo(stream)));
                }
                for handler in handlers {
                    handler.await.unwrap();
                }
            });
            let clients: Vec<_> = (0..CHURN_CONCURRENCY.min(s.churn_connections))
                .map(|first| {
                    spawn(async move {
                        let mut bytes = 0;
                        for c in (first..s.churn_connections).step_by(CHURN_CONCURRENCY as usize) {
                            let mut stream = TcpStream::connect(address).await.unwrap();
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
            let latency = Rc::new(Histogram::<Cell<u64>>::default());
            let callers: Vec<_> = (0..TO_THREAD_CALLERS)
                .map(|_| {
                    let latency = latency.clone();
                    spawn(async move {
                        let mut sum = 0;
                        for i in 0..s.to_thread_calls {
                            let asked = std::time::Instant::now();
                            sum += to_thread(move || i).await.unwrap();
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
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let address = listener.local_addr();
            let mut quiet = Vec::new();
            let mut readers = Vec::new();
            for _ in 0..QUIET_SOCKETS {
                let mut stream = TcpStream::connect(address).await.unwrap();
                // The other end is kept open and never written to.
                quiet.push(listener.accept().await.unwrap().0);
                readers.push(spawn(async move {
                    let mut expired = 0;
                    let mut buffer = [0u8; ECHO_MESSAGE];
                    for _ in 0..s.read_timeouts {
                        let read = timeout(READ_TIMEOUT, stream.read(&mut buffer)).await;
                        assert!(read.is_err(), "a read on a quiet socket returned {read:?}");
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
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let address = listener.local_addr();
            let server = spawn(async move {
                echo(listener.accept().await.unwrap().0).await;
            });
            let stop = Rc::new(Cell::new(false));
            let load: Vec<_> = (0..LOAD_TASKS)
                .map(|_| {
                    let stop = stop.clone();
                    spawn(async move {
                        while !stop.get() {
                            yield_now().await;
                        }
                    })
                })
                .collect();
            let latency = Histogram::<Cell<u64>>::default();
            let mut stream = TcpStream::connect(address).await.unwrap();
            let message = [7u8; ECHO_MESSAGE];
            let mut bytes = 0;
            for _ in 0..s.latency_requests {
                let asked = std::time::Instant::now();
                bytes += round_trip(&mut stream, &message).await;
                latency.record(asked.elapsed());
            }
            stop.set(true);
            drop(stream);
            for task in load {
                task.await.unwrap();
            }
            server.await.unwrap();
            latency.figures(Outcome::checksum(bytes))
        }
        Workload::Gather => {
            let children: Vec<_> = (0..s.children).map(|i| spawn(child(i))).collect();
            let outputs = gather_all(children).await;
            Outcome::checksum(outputs.into_iter().map(Result::unwrap).sum())
        }
        Workload::TaskGroup => {
            let group = TaskGroup::<u64, ()>::new();
            for i in 0..s.children {
                group.spawn(async move { Ok(child(i).await) });
            }
            let outputs = group.join().await.unwrap();
            Outcome::checksum(outputs.into_iter().sum())
        }
        Workload::WaitFirst => {
            // Child 0 finishes at once; the others wait until the first wait has returned.
            let go = Event::new();
            let children: Vec<_> = (0..s.children)
                .map(|i| {
                    let go = go.clone();
                    spawn(async move {
                        if i > 0 {
                            go.wait().await;
                        }
                        i
                    })
                })
                .collect();
            let (first, pending) = wait(children, ReturnWhen::FirstCompleted, None).await;
            go.set();
            let (rest, _) = wait(pending, ReturnWhen::AllCompleted, None).await;
            let sum: u64 = first
                .iter()
                .chain(&rest)
                .map(|finished| *finished.result().unwrap())
                .sum();
            Outcome::checksum(sum + 1_000_000 * first.len() as u64)
        }
        other => unreachable!("{} is not a widened workload", other.name()),
    }
}
