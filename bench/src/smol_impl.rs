//! The workloads on smol's `LocalExecutor`, with async-io (timers, sockets),
//! async-channel (queues), async-lock (semaphore) and event-listener (the idle tasks' event),
//! driven by `async_io::block_on`, as a smol program runs.
//!
//! The primitive workloads come from `primitive_rows.rs`: with async-channel and async-lock
//! (the `smol` row, smol users' own choice) or with tinyloop's single-threaded `Queue` and
//! `Semaphore` (`smol+tl`).

use std::cell::Cell;
use std::future::Future;
use std::net::TcpListener;
use std::rc::Rc;
use std::time::{Duration, Instant};

use async_executor::{LocalExecutor, Task};
use async_io::{Async, Timer};
use futures_lite::future::{self, yield_now};

use crate::primitive_rows::{self, BenchQueue, BenchSemaphore, Channel, Executor};
use crate::smol_wide;
use crate::workloads::*;

/// A `LocalExecutor` that tasks can hold, to spawn more tasks on it.
#[derive(Clone)]
pub struct Smol(Rc<LocalExecutor<'static>>);

impl Executor for Smol {
    type Handle<T: 'static> = Task<T>;
    fn spawn<F: Future + 'static>(&self, future: F) -> Task<F::Output> {
        self.0.spawn(future)
    }
    fn yield_now() -> impl Future<Output = ()> {
        yield_now()
    }
}

/// Run `workload` on a fresh `LocalExecutor`, with async-channel and async-lock.
pub fn run(workload: Workload) -> Option<Outcome> {
    run_with::<Channel, async_lock::Semaphore>(workload)
}

/// Run a primitive workload with tinyloop's `Queue` and `Semaphore` (`smol+tl`).
pub fn run_tinyloop_primitives(workload: Workload) -> Option<Outcome> {
    workload.uses_primitive().then_some(())?;
    run_with::<tinyloop::Queue<u64>, tinyloop::Semaphore>(workload)
}

fn run_with<Q: BenchQueue, S: BenchSemaphore>(workload: Workload) -> Option<Outcome> {
    let ex = Smol(Rc::new(LocalExecutor::new()));
    let executor = ex.0.clone();
    if matches!(workload, Workload::TaskGroup | Workload::WaitFirst) {
        // smol has no task group and no wait over many tasks.
        return None;
    }
    if workload.is_wide() {
        return Some(async_io::block_on(
            executor.run(smol_wide::body(&ex, workload)),
        ));
    }
    if workload.uses_primitive() {
        return async_io::block_on(
            executor.run(async { primitive_rows::run::<_, Q, S>(&ex, workload).await }),
        );
    }
    Some(async_io::block_on(executor.run(body(&ex, workload))))
}

async fn body(ex: &Smol, workload: Workload) -> Outcome {
    let s = sizes();
    match workload {
        Workload::SpawnJoin => {
            let tasks: Vec<_> = (0..s.spawn_tasks)
                .map(|i| ex.spawn(async move { i }))
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await;
            }
            Outcome::checksum(sum)
        }
        Workload::YieldPingpong => {
            let turns = Rc::new(Turns::<Cell<u64>>::default());
            let players: Vec<_> = (0..2)
                .map(|me| {
                    let turns = turns.clone();
                    ex.spawn(async move {
                        for _ in 0..s.pingpong_yields / 2 {
                            yield_now().await;
                            turns.played(me);
                        }
                    })
                })
                .collect();
            for player in players {
                player.await;
            }
            turns.outcome()
        }
        Workload::TimersFire => {
            let start = Instant::now();
            let lateness = Rc::new(Lateness::<Cell<u64>>::default());
            let tasks: Vec<_> = (0..s.timer_tasks)
                .map(|i| {
                    let lateness = lateness.clone();
                    ex.spawn(async move {
                        Timer::at(start + timer_deadline(i)).await;
                        let late = start.elapsed().checked_sub(timer_deadline(i));
                        let late = late.expect("a timer woke before its deadline");
                        lateness.record(i, late);
                        i
                    })
                })
                .collect();
            let mut sum = 0;
            for task in tasks {
                sum += task.await;
            }
            lateness.outcome(sum, start.elapsed())
        }
        Workload::TimersCancel => {
            // smol has no `timeout`; racing the future against a `Timer` is how smol
            // programs write one.
            let (mut done, mut suspended) = (0, 0);
            for _ in 0..s.timeouts {
                let finished = future::or(
                    async {
                        yield_now().await;
                        Some(true)
                    },
                    async {
                        Timer::after(Duration::from_secs(10)).await;
                        None
                    },
                )
                .await;
                if let Some(came_back) = finished {
                    done += 1;
                    suspended += u64::from(came_back);
                }
            }
            Outcome::checksum(done + 1_000_000 * suspended)
        }
        Workload::TcpEcho => {
            let listener = Async::<TcpListener>::bind(([127, 0, 0, 1], 0)).unwrap();
            let address = listener.get_ref().local_addr().unwrap();
            let spawner = ex.clone();
            let server = ex.spawn(async move {
                let mut handlers = Vec::new();
                for _ in 0..ECHO_CLIENTS {
                    let (stream, _) = listener.accept().await.unwrap();
                    handlers.push(spawner.spawn(smol_wide::echo(stream)));
                }
                for handler in handlers {
                    handler.await;
                }
            });
            let clients: Vec<_> = (0..ECHO_CLIENTS)
                .map(|c| {
                    ex.spawn(async move {
                        let mut stream = smol_wide::connect(address).await;
                        let message = [c as u8; ECHO_MESSAGE];
                        let mut bytes = 0;
                        for _ in 0..s.echo_round_trips {
                            bytes += smol_wide::round_trip(&mut stream, &message).await;
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
        Workload::IdleTasksMemory => {
            let event = Rc::new(event_listener::Event::new());
            let parked = Rc::new(Cell::new(0u64));
            let before = current_rss_bytes();
            for _ in 0..s.idle_tasks {
                let (event, parked) = (event.clone(), parked.clone());
                // Detached, as in every runtime's version: no handle is kept.
                ex.spawn(async move {
                    parked.set(parked.get() + 1);
                    event.listen().await;
                })
                .detach();
            }
            while parked.get() < s.idle_tasks {
                yield_now().await;
            }
            let extra = current_rss_bytes().saturating_sub(before);
            Outcome {
                checksum: parked.get(),
                extra_bytes: extra,
                figures: Vec::new(),
            }
        }
        other => unreachable!("{} runs elsewhere", other.name()),
    }
}
