//! The workloads on tinyloop: `run` on the real clock, tasks with `spawn`, `Rc` and `Cell`
//! for shared counters (tinyloop's tasks need not be `Send`).

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use futures_lite::io::{AsyncReadExt, AsyncWriteExt};
use tinyloop::{
    Event, Queue, Runtime, Semaphore, TcpListener, TcpStream, now, sleep_until, spawn, timeout,
    yield_now,
};

use crate::workloads::*;

/// Run `workload` on a fresh tinyloop loop.
pub fn run(workload: Workload) -> Option<Outcome> {
    let runtime = Runtime::new();
    Some(runtime.block_on(body(workload)))
}

async fn body(workload: Workload) -> Outcome {
    match workload {
        Workload::SpawnJoin => {
            let handles: Vec<_> = (0..SPAWN_TASKS).map(|i| spawn(async move { i })).collect();
            let mut sum = 0;
            for handle in handles {
                sum += handle.await.unwrap();
            }
            checksum(sum)
        }
        Workload::YieldPingpong => {
            let count = Rc::new(Cell::new(0u64));
            let players: Vec<_> = (0..2)
                .map(|_| {
                    let count = count.clone();
                    spawn(async move {
                        for _ in 0..PINGPONG_YIELDS / 2 {
                            yield_now().await;
                            count.set(count.get() + 1);
                        }
                    })
                })
                .collect();
            for player in players {
                player.await.unwrap();
            }
            checksum(count.get())
        }
        Workload::TimersFire => {
            let start = now();
            let handles: Vec<_> = (0..TIMER_TASKS)
                .map(|i| {
                    spawn(async move {
                        sleep_until(start + timer_deadline(i)).await;
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
                if timeout(Duration::from_secs(10), yield_now()).await.is_ok() {
                    done += 1;
                }
            }
            checksum(done)
        }
        Workload::Semaphore => {
            let semaphore = Semaphore::new(SEMAPHORE_PERMITS);
            let held = Rc::new(Cell::new(0u64));
            let peak = Rc::new(Cell::new(0u64));
            let handles: Vec<_> = (0..SEMAPHORE_TASKS)
                .map(|_| {
                    let (semaphore, held, peak) = (semaphore.clone(), held.clone(), peak.clone());
                    spawn(async move {
                        let _permit = semaphore.acquire().await;
                        held.set(held.get() + 1);
                        peak.set(peak.get().max(held.get()));
                        yield_now().await;
                        held.set(held.get() - 1);
                    })
                })
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
            checksum(SEMAPHORE_TASKS + 1_000_000 * peak.get())
        }
        Workload::Queue1p1c => queue(1, QUEUE_1P1C_ITEMS).await,
        Workload::Queue4p4c => queue(QUEUE_SIDES, QUEUE_4P4C_ITEMS).await,
        Workload::TcpEcho => {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let address = listener.local_addr();
            let server = spawn(async move {
                let mut echoes = Vec::new();
                for _ in 0..ECHO_CLIENTS {
                    let (mut stream, _) = listener.accept().await.unwrap();
                    echoes.push(spawn(async move {
                        let mut buffer = [0u8; ECHO_MESSAGE];
                        while stream.read_exact(&mut buffer).await.is_ok() {
                            stream.write_all(&buffer).await.unwrap();
                        }
                    }));
                }
                echoes
            });
            let clients: Vec<_> = (0..ECHO_CLIENTS)
                .map(|c| {
                    spawn(async move {
                        let mut stream = TcpStream::connect(address).await.unwrap();
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
            let echoes = server.await.unwrap();
            let mut bytes = 0;
            for client in clients {
                bytes += client.await.unwrap();
            }
            for echo in echoes {
                echo.await.unwrap();
            }
            checksum(bytes)
        }
        Workload::IdleTasksMemory => {
            let event = Event::new();
            let parked = Rc::new(Cell::new(0u64));
            let before = current_rss_bytes();
            let handles: Vec<_> = (0..IDLE_TASKS)
                .map(|_| {
                    let (event, parked) = (event.clone(), parked.clone());
                    spawn(async move {
                        parked.set(parked.get() + 1);
                        event.wait().await;
                    })
                })
                .collect();
            while parked.get() < IDLE_TASKS {
                yield_now().await;
            }
            let extra = current_rss_bytes().saturating_sub(before);
            drop(handles);
            Outcome {
                checksum: parked.get(),
                extra_bytes: extra,
            }
        }
    }
}

/// `sides` producers and `sides` consumers on one bounded `Queue` of 64; each consumer
/// stops at a `None` sentinel, one per consumer, put after the producers are done.
async fn queue(sides: u64, items: u64) -> Outcome {
    let queue: Queue<Option<u64>> = Queue::new(QUEUE_CAPACITY);
    let producers: Vec<_> = (0..sides)
        .map(|p| {
            let queue = queue.clone();
            spawn(async move {
                let mut item = p;
                while item < items {
                    queue.put(Some(item)).await.unwrap();
                    item += sides;
                }
            })
        })
        .collect();
    let consumers: Vec<_> = (0..sides)
        .map(|_| {
            let queue = queue.clone();
            spawn(async move {
                let mut sum = 0;
                while let Some(item) = queue.get().await.unwrap() {
                    sum += item;
                }
                sum
            })
        })
        .collect();
    for producer in producers {
        producer.await.unwrap();
    }
    for _ in 0..sides {
        queue.put(None).await.unwrap();
    }
    let mut sum = 0;
    for consumer in consumers {
        sum += consumer.await.unwrap();
    }
    checksum(sum)
}

fn checksum(checksum: u64) -> Outcome {
    Outcome {
        checksum,
        extra_bytes: 0,
    }
}
