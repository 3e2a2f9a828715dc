//! The workloads on smol's `LocalExecutor`, with async-io (timers, sockets),
//! async-channel (queues), async-lock (semaphore) and event-listener (the idle tasks' event),
//! driven by `async_io::block_on`, as a smol program runs.

use std::cell::Cell;
use std::net::{TcpListener, TcpStream};
use std::rc::Rc;
use std::time::{Duration, Instant};

use async_executor::LocalExecutor;
use async_io::{Async, Timer};
use futures_lite::future::{self, yield_now};
use futures_lite::io::{AsyncReadExt, AsyncWriteExt};

use crate::workloads::*;

/// Run `workload` on a fresh `LocalExecutor`.
pub fn run(workload: Workload) -> Outcome {
    let ex = LocalExecutor::new();
    async_io::block_on(ex.run(body(&ex, workload)))
}

async fn body(ex: &LocalExecutor<'_>, workload: Workload) -> Outcome {
    match workload {
        Workload::SpawnJoin => {
            let tasks: Vec<_> = (0..SPAWN_TASKS)
                .map(|i| ex.spawn(async move { i }))
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await;
            }
            checksum(sum)
        }
        Workload::YieldPingpong => {
            let count = Rc::new(Cell::new(0u64));
            let players: Vec<_> = (0..2)
                .map(|_| {
                    let count = count.clone();
                    ex.spawn(async move {
                        for _ in 0..PINGPONG_YIELDS / 2 {
                            yield_now().await;
                            count.set(count.get() + 1);
                        }
                    })
                })
                .collect();
            for player in players {
                player.await;
            }
            checksum(count.get())
        }
        Workload::TimersFire => {
            let start = Instant::now();
            let tasks: Vec<_> = (0..TIMER_TASKS)
                .map(|i| {
                    ex.spawn(async move {
                        Timer::at(start + timer_deadline(i)).await;
                        assert!(start.elapsed() >= timer_deadline(i));
                        i
                    })
                })
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await;
            }
            checksum(sum)
        }
        Workload::TimersCancel => {
            let mut done = 0;
            for _ in 0..TIMEOUTS {
                let finished = future::or(
                    async {
                        yield_now().await;
                        true
                    },
                    async {
                        Timer::after(Duration::from_secs(10)).await;
                        false
                    },
                )
                .await;
                if finished {
                    done += 1;
                }
            }
            checksum(done)
        }
        Workload::Semaphore => {
            let semaphore = Rc::new(async_lock::Semaphore::new(SEMAPHORE_PERMITS));
            let held = Rc::new(Cell::new(0u64));
            let peak = Rc::new(Cell::new(0u64));
            let tasks: Vec<_> = (0..SEMAPHORE_TASKS)
                .map(|_| {
                    let (semaphore, held, peak) = (semaphore.clone(), held.clone(), peak.clone());
                    ex.spawn(async move {
                        let _permit = semaphore.acquire().await;
                        held.set(held.get() + 1);
                        peak.set(peak.get().max(held.get()));
                        yield_now().await;
                        held.set(held.get() - 1);
                    })
                })
                .collect();
            for task in tasks {
                task.await;
            }
            checksum(SEMAPHORE_TASKS + 1_000_000 * peak.get())
        }
        Workload::Queue1p1c => queue(ex, 1, QUEUE_1P1C_ITEMS).await,
        Workload::Queue4p4c => queue(ex, QUEUE_SIDES, QUEUE_4P4C_ITEMS).await,
        Workload::TcpEcho => {
            let listener = Async::<TcpListener>::bind(([127, 0, 0, 1], 0)).unwrap();
            let address = listener.get_ref().local_addr().unwrap();
            let server = ex.spawn(async move {
                let mut connections = Vec::new();
                for _ in 0..ECHO_CLIENTS {
                    let (mut stream, _) = listener.accept().await.unwrap();
                    stream.get_ref().set_nodelay(true).unwrap();
                    connections.push(async move {
                        let mut buffer = [0u8; ECHO_MESSAGE];
                        while stream.read_exact(&mut buffer).await.is_ok() {
                            stream.write_all(&buffer).await.unwrap();
                        }
                    });
                }
                connections
            });
            let clients: Vec<_> = (0..ECHO_CLIENTS)
                .map(|c| {
                    ex.spawn(async move {
                        let mut stream = Async::<TcpStream>::connect(address).await.unwrap();
                        stream.get_ref().set_nodelay(true).unwrap();
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
            // The server hands back one echo future per connection; each becomes a task.
            let echoes: Vec<_> = server
                .await
                .into_iter()
                .map(|echo| ex.spawn(echo))
                .collect();
            let mut bytes = 0;
            for client in clients {
                bytes += client.await;
            }
            for echo in echoes {
                echo.await;
            }
            checksum(bytes)
        }
        Workload::IdleTasksMemory => {
            let event = Rc::new(event_listener::Event::new());
            let parked = Rc::new(Cell::new(0u64));
            let before = current_rss_bytes();
            let tasks: Vec<_> = (0..IDLE_TASKS)
                .map(|_| {
                    let (event, parked) = (event.clone(), parked.clone());
                    ex.spawn(async move {
                        parked.set(parked.get() + 1);
                        event.listen().await;
                    })
                })
                .collect();
            while parked.get() < IDLE_TASKS {
                yield_now().await;
            }
            let extra = current_rss_bytes().saturating_sub(before);
            drop(tasks);
            Outcome {
                checksum: parked.get(),
                extra_bytes: extra,
            }
        }
    }
}

/// `sides` producers and `sides` consumers on one bounded channel of 64.
async fn queue(ex: &LocalExecutor<'_>, sides: u64, items: u64) -> Outcome {
    let (tx, rx) = async_channel::bounded::<u64>(QUEUE_CAPACITY);
    let producers: Vec<_> = (0..sides)
        .map(|p| {
            let tx = tx.clone();
            ex.spawn(async move {
                let mut item = p;
                while item < items {
                    tx.send(item).await.unwrap();
                    item += sides;
                }
            })
        })
        .collect();
    drop(tx);
    let consumers: Vec<_> = (0..sides)
        .map(|_| {
            let rx = rx.clone();
            ex.spawn(async move {
                let mut sum = 0;
                while let Ok(item) = rx.recv().await {
                    sum += item;
                }
                sum
            })
        })
        .collect();
    for producer in producers {
        producer.await;
    }
    let mut sum = 0;
    for consumer in consumers {
        sum += consumer.await;
    }
    checksum(sum)
}

fn checksum(checksum: u64) -> Outcome {
    Outcome {
        checksum,
        extra_bytes: 0,
    }
}
