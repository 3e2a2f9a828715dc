//! The workloads on tokio's current_thread runtime, both with `tokio::spawn` (tasks must be
//! `Send`) and with `LocalSet::spawn_local` (tasks need not be, like tinyloop's).
//!
//! Both variants run the very same workload bodies (`run_with`); only the spawn function
//! differs, so the comparison between them measures exactly `spawn` against `spawn_local`.
//! The bodies use `Arc` and atomics, which `tokio::spawn` requires.
//!
//! tokio's own primitives are used where tokio has them (`Semaphore`, `mpsc`, `Notify`);
//! `queue_4p4c` needs a queue with several consumers, which tokio's `mpsc` is not, so it
//! uses `async-channel`, as a tokio user would.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, LocalSet};

use crate::workloads::*;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// How a workload body spawns its tasks.
trait Spawn {
    fn spawn<F>(future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;
}

/// `tokio::spawn`: the task may move between threads (it never does on current_thread).
struct Global;

impl Spawn for Global {
    fn spawn<F>(future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        tokio::spawn(future)
    }
}

/// `LocalSet::spawn_local`: the task stays on this thread.
struct Local;

impl Spawn for Local {
    fn spawn<F>(future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        tokio::task::spawn_local(future)
    }
}

/// Run `workload` with `tokio::spawn`.
pub fn run_spawn(workload: Workload) -> Outcome {
    runtime().block_on(run_with::<Global>(workload))
}

/// Run `workload` with `LocalSet::spawn_local`.
pub fn run_local(workload: Workload) -> Outcome {
    LocalSet::new().block_on(&runtime(), run_with::<Local>(workload))
}

async fn run_with<S: Spawn>(workload: Workload) -> Outcome {
    match workload {
        Workload::SpawnJoin => {
            let handles: Vec<_> = (0..SPAWN_TASKS)
                .map(|i| S::spawn(async move { i }))
                .collect();
            let mut sum = 0;
            for handle in handles {
                sum += handle.await.unwrap();
            }
            checksum(sum)
        }
        Workload::YieldPingpong => {
            let count = Arc::new(AtomicU64::new(0));
            let players: Vec<_> = (0..2)
                .map(|_| {
                    let count = count.clone();
                    S::spawn(async move {
                        for _ in 0..PINGPONG_YIELDS / 2 {
                            tokio::task::yield_now().await;
                            count.fetch_add(1, Ordering::Relaxed);
                        }
                    })
                })
                .collect();
            for player in players {
                player.await.unwrap();
            }
            checksum(count.load(Ordering::Relaxed))
        }
        Workload::TimersFire => {
            let start = tokio::time::Instant::now();
            let handles: Vec<_> = (0..TIMER_TASKS)
                .map(|i| {
                    S::spawn(async move {
                        tokio::time::sleep_until(start + timer_deadline(i)).await;
                        assert!(start.elapsed() >= timer_deadline(i));
                        i
                    })
                })
                .collect();
            let mut sum = 0;
            for handle in handles {
                sum += handle.await.unwrap();
            }
            checksum(sum)
        }
        Workload::TimersCancel => {
            let mut done = 0;
            for _ in 0..TIMEOUTS {
                if tokio::time::timeout(Duration::from_secs(10), tokio::task::yield_now())
                    .await
                    .is_ok()
                {
                    done += 1;
                }
            }
            checksum(done)
        }
        Workload::Semaphore => {
            let semaphore = Arc::new(tokio::sync::Semaphore::new(SEMAPHORE_PERMITS));
            let held = Arc::new(AtomicU64::new(0));
            let peak = Arc::new(AtomicU64::new(0));
            let handles: Vec<_> = (0..SEMAPHORE_TASKS)
                .map(|_| {
                    let (semaphore, held, peak) = (semaphore.clone(), held.clone(), peak.clone());
                    S::spawn(async move {
                        let _permit = semaphore.acquire().await.unwrap();
                        let now = held.fetch_add(1, Ordering::Relaxed) + 1;
                        peak.fetch_max(now, Ordering::Relaxed);
                        tokio::task::yield_now().await;
                        held.fetch_sub(1, Ordering::Relaxed);
                    })
                })
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
            checksum(SEMAPHORE_TASKS + 1_000_000 * peak.load(Ordering::Relaxed))
        }
        Workload::Queue1p1c => {
            let (tx, mut rx) = tokio::sync::mpsc::channel::<u64>(QUEUE_CAPACITY);
            let producer = S::spawn(async move {
                for item in 0..QUEUE_1P1C_ITEMS {
                    tx.send(item).await.unwrap();
                }
            });
            let consumer = S::spawn(async move {
                let mut sum = 0;
                while let Some(item) = rx.recv().await {
                    sum += item;
                }
                sum
            });
            producer.await.unwrap();
            checksum(consumer.await.unwrap())
        }
        Workload::Queue4p4c => {
            let (tx, rx) = async_channel::bounded::<u64>(QUEUE_CAPACITY);
            let producers: Vec<_> = (0..QUEUE_SIDES)
                .map(|p| {
                    let tx = tx.clone();
                    S::spawn(async move {
                        let mut item = p;
                        while item < QUEUE_4P4C_ITEMS {
                            tx.send(item).await.unwrap();
                            item += QUEUE_SIDES;
                        }
                    })
                })
                .collect();
            drop(tx);
            let consumers: Vec<_> = (0..QUEUE_SIDES)
                .map(|_| {
                    let rx = rx.clone();
                    S::spawn(async move {
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
            let mut sum = 0;
            for consumer in consumers {
                sum += consumer.await.unwrap();
            }
            checksum(sum)
        }
        Workload::TcpEcho => {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            let server = S::spawn(async move {
                for _ in 0..ECHO_CLIENTS {
                    let (mut stream, _) = listener.accept().await.unwrap();
                    stream.set_nodelay(true).unwrap();
                    S::spawn(async move {
                        let mut buffer = [0u8; ECHO_MESSAGE];
                        while stream.read_exact(&mut buffer).await.is_ok() {
                            stream.write_all(&buffer).await.unwrap();
                        }
                    });
                }
            });
            let clients: Vec<_> = (0..ECHO_CLIENTS)
                .map(|c| {
                    S::spawn(async move {
                        let mut stream = TcpStream::connect(address).await.unwrap();
                        stream.set_nodelay(true).unwrap();
                        let message = [c as u8; ECHO_MESSAGE];
                        let mut reply = [0u8; ECHO_MESSAGE];
                        let mut bytes = 0;
                        for _ in 0..ECHO_ROUND_TRIPS {
                            stream.write_all(&message).await.unwrap();
                            stream.read_exact(&mut reply).await.unwrap();
                            assert_eq!(reply, message);
                            bytes += ECHO_MESSAGE as u64;
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
            checksum(bytes)
        }
        Workload::IdleTasksMemory => {
            let notify = Arc::new(tokio::sync::Notify::new());
            let parked = Arc::new(AtomicU64::new(0));
            let before = current_rss_bytes();
            let handles: Vec<_> = (0..IDLE_TASKS)
                .map(|_| {
                    let (notify, parked) = (notify.clone(), parked.clone());
                    S::spawn(async move {
                        parked.fetch_add(1, Ordering::Relaxed);
                        notify.notified().await;
                    })
                })
                .collect();
            while parked.load(Ordering::Relaxed) < IDLE_TASKS {
                tokio::task::yield_now().await;
            }
            let extra = current_rss_bytes().saturating_sub(before);
            drop(handles);
            Outcome {
                checksum: parked.load(Ordering::Relaxed),
                extra_bytes: extra,
            }
        }
    }
}

fn checksum(checksum: u64) -> Outcome {
    Outcome {
        checksum,
        extra_bytes: 0,
    }
}
