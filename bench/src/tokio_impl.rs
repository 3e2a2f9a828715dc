//! The workloads on tokio's current_thread runtime, with `tokio::spawn` (the `tokio` row)
//! and with `LocalSet::spawn_local` (`tokio_local`).
//!
//! Each flavour gets the bodies a tokio user would write for it: `tokio::spawn` demands
//! `Send` futures, so its bodies share counters through `Arc<AtomicU64>`; `spawn_local`
//! does not, so its bodies use `Rc<Cell<u64>>`, as tinyloop's and smol's do. The bodies are
//! written once, in the `bodies!` macro, with the spawn function and the shared types as
//! its parameters; nothing else differs between the two rows.
//!
//! tokio's own primitives are used where tokio has them (`Semaphore`, `mpsc`, `Notify`);
//! `queue_4p4c` needs a queue with several consumers, which tokio's `mpsc` is not, so it
//! uses `async-channel`, as a tokio user would. The rows that run `LocalSet` with the
//! primitive held fixed (`tokio_local+ac`, `tokio_local+tl`) come from `primitive_rows.rs`.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::task::{JoinHandle, LocalSet};

use crate::primitive_rows::{self, BenchQueue, BenchSemaphore, Channel, Executor};
use crate::tokio_wide;
use crate::workloads::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// Run `workload` with `tokio::spawn`.
pub fn run_spawn(workload: Workload) -> Option<Outcome> {
    if workload.is_wide() {
        return Some(runtime().block_on(tokio_wide::send_body(workload)));
    }
    Some(runtime().block_on(send_body(workload)))
}

/// Run `workload` with `LocalSet::spawn_local`.
pub fn run_local(workload: Workload) -> Option<Outcome> {
    let local = LocalSet::new();
    if workload.is_wide() {
        return Some(local.block_on(&runtime(), tokio_wide::local_body(workload)));
    }
    Some(local.block_on(&runtime(), local_body(workload)))
}

/// Run a primitive workload on `LocalSet` with async-channel and async-lock.
pub fn run_local_thread_safe_primitives(workload: Workload) -> Option<Outcome> {
    run_local_with::<Channel, async_lock::Semaphore>(workload)
}

/// Run a primitive workload on `LocalSet` with tinyloop's single-threaded primitives.
pub fn run_local_tinyloop_primitives(workload: Workload) -> Option<Outcome> {
    run_local_with::<tinyloop::Queue<u64>, tinyloop::Semaphore>(workload)
}

fn run_local_with<Q: BenchQueue, S: BenchSemaphore>(workload: Workload) -> Option<Outcome> {
    workload.uses_primitive().then_some(())?;
    LocalSet::new().block_on(
        &runtime(),
        primitive_rows::run::<_, Q, S>(&TokioLocal, workload),
    )
}

/// `spawn_local` on the current `LocalSet`, as the primitive workloads want an executor.
#[derive(Clone, Copy)]
struct TokioLocal;

/// A tokio handle whose task cannot fail (the workloads do not panic or abort).
struct Joined<T>(JoinHandle<T>);

impl<T> Future for Joined<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|result| result.expect("a benchmark task neither panics nor is aborted"))
    }
}

impl Executor for TokioLocal {
    type Handle<T: 'static> = Joined<T>;
    fn spawn<F: Future + 'static>(&self, future: F) -> Joined<F::Output> {
        Joined(tokio::task::spawn_local(future))
    }
    fn yield_now() -> impl Future<Output = ()> {
        tokio::task::yield_now()
    }
}

/// The workload bodies, for one spawn function (`$spawn`) and one way of sharing counters
/// between tasks (`$Shared` of `$Count`).
macro_rules! bodies {
    ($name:ident, $spawn:path, $Shared:ident, $Count:ty) => {
        async fn $name(workload: Workload) -> Outcome {
            let s = sizes();
            match workload {
                Workload::SpawnJoin => {
                    let handles: Vec<_> = (0..s.spawn_tasks)
                        .map(|i| $spawn(async move { i }))
                        .collect();
                    let mut sum = 0;
                    for handle in handles {
                        sum += handle.await.unwrap();
                    }
                    Outcome::checksum(sum)
                }
                Workload::YieldPingpong => {
                    let turns = $Shared::new(Turns::<$Count>::default());
                    let players: Vec<_> = (0..2)
                        .map(|me| {
                            let turns = turns.clone();
                            $spawn(async move {
                                for _ in 0..s.pingpong_yields / 2 {
                                    tokio::task::yield_now().await;
                                    turns.played(me);
                                }
                            })
                        })
                        .collect();
                    for player in players {
                        player.await.unwrap();
                    }
                    turns.outcome()
                }
                Workload::TimersFire => {
                    let start = tokio::time::Instant::now();
                    let lateness = $Shared::new(Lateness::<$Count>::default());
                    let handles: Vec<_> = (0..s.timer_tasks)
                        .map(|i| {
                            let lateness = lateness.clone();
                            $spawn(async move {
                                tokio::time::sleep_until(start + timer_deadline(i)).await;
                                let late = start.elapsed().checked_sub(timer_deadline(i));
                                let late = late.expect("a timer woke before its deadline");
                                lateness.record(i, late);
                                i
                            })
                        })
                        .collect();
                    let mut sum = 0;
                    for handle in handles {
                        sum += handle.await.unwrap();
                    }
                    lateness.outcome(sum, start.elapsed())
                }
                Workload::TimersCancel => {
                    let (mut done, mut suspended) = (0, 0);
                    for _ in 0..s.timeouts {
                        let inner = async {
                            tokio::task::yield_now().await;
                            true
                        };
                        if let Ok(came_back) =
                            tokio::time::timeout(Duration::from_secs(10), inner).await
                        {
                            done += 1;
                            suspended += u64::from(came_back);
                        }
                    }
                    Outcome::checksum(done + 1_000_000 * suspended)
                }
                Workload::Semaphore => {
                    let semaphore = $Shared::new(tokio::sync::Semaphore::new(SEMAPHORE_PERMITS));
                    let counts = $Shared::new(Counts::<$Count>::default());
                    let handles: Vec<_> = (0..s.semaphore_tasks)
                        .map(|_| {
                            let (semaphore, counts) = (semaphore.clone(), counts.clone());
                            $spawn(async move {
                                let _permit = semaphore.acquire().await.unwrap();
                                counts.enter();
                                tokio::task::yield_now().await;
                                counts.leave();
                            })
                        })
                        .collect();
                    for handle in handles {
                        handle.await.unwrap();
                    }
                    Outcome::checksum(counts.checksum())
                }
                Workload::Queue1p1c => {
                    let (tx, mut rx) = tokio::sync::mpsc::channel::<u64>(QUEUE_CAPACITY);
                    // The producer owns the only sender: when it is done and drops it, the
                    // channel closes (mpsc's own close) and the consumer's `recv` ends.
                    let producer = $spawn(async move {
                        for item in 0..s.queue_1p1c_items {
                            tx.send(item).await.unwrap();
                        }
                    });
                    let consumer = $spawn(async move {
                        let mut sum = 0;
                        while let Some(item) = rx.recv().await {
                            sum += item;
                        }
                        sum
                    });
                    producer.await.unwrap();
                    Outcome::checksum(consumer.await.unwrap())
                }
                Workload::Queue4p4c => {
                    let (tx, rx) = async_channel::bounded::<u64>(QUEUE_CAPACITY);
                    let producers: Vec<_> = (0..QUEUE_SIDES)
                        .map(|p| {
                            let tx = tx.clone();
                            $spawn(async move {
                                let mut item = p;
                                while item < s.queue_4p4c_items {
                                    tx.send(item).await.unwrap();
                                    item += QUEUE_SIDES;
                                }
                            })
                        })
                        .collect();
                    let consumers: Vec<_> = (0..QUEUE_SIDES)
                        .map(|_| {
                            let rx = rx.clone();
                            $spawn(async move {
                                let mut sum = 0;
                                while let Ok(item) = rx.recv().await {
                                    sum += item;
                                }
                                sum
                            })
                        })
                        .collect();
                    for producer in producers {
                        producer.await.unwrap();
                    }
                    tx.close();
                    let mut sum = 0;
                    for consumer in consumers {
                        sum += consumer.await.unwrap();
                    }
                    Outcome::checksum(sum)
                }
                Workload::TcpEcho => {
                    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                    let address = listener.local_addr().unwrap();
                    let server = $spawn(async move {
                        let mut handlers = Vec::new();
                        for _ in 0..ECHO_CLIENTS {
                            let (stream, _) = listener.accept().await.unwrap();
                            handlers.push($spawn(tokio_wide::echo(stream)));
                        }
                        for handler in handlers {
                            handler.await.unwrap();
                        }
                    });
                    let clients: Vec<_> = (0..ECHO_CLIENTS)
                        .map(|c| {
                            $spawn(async move {
                                let mut stream = tokio_wide::connect(address).await;
                                let message = [c as u8; ECHO_MESSAGE];
                                let mut bytes = 0;
                                for _ in 0..s.echo_round_trips {
                                    bytes += tokio_wide::round_trip(&mut stream, &message).await;
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
                Workload::IdleTasksMemory => {
                    let notify = $Shared::new(tokio::sync::Notify::new());
                    let parked = $Shared::new(<$Count>::default());
                    let before = current_rss_bytes();
                    for _ in 0..s.idle_tasks {
                        let (notify, parked) = (notify.clone(), parked.clone());
                        // Detached, as in every runtime's version: no handle is kept.
                        drop($spawn(async move {
                            parked.add(1);
                            notify.notified().await;
                        }));
                    }
                    while parked.get() < s.idle_tasks {
                        tokio::task::yield_now().await;
                    }
                    let extra = current_rss_bytes().saturating_sub(before);
                    Outcome {
                        checksum: parked.get(),
                        extra_bytes: extra,
                        figures: Vec::new(),
                    }
                }
                other => unreachable!("tokio_wide.rs runs {}", other.name()),
            }
        }
    };
}

bodies!(send_body, tokio::spawn, Arc, AtomicU64);
bodies!(local_body, tokio::task::spawn_local, Rc, Cell<u64>);
