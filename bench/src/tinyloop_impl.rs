//! The workloads on tinyloop: `Runtime::block_on` on the real clock, tasks with `spawn`,
//! `Rc` and `Cell` for shared counters (tinyloop's tasks need not be `Send`).
//!
//! The primitive workloads come from `primitive_rows.rs`, with tinyloop's own `Queue` and
//! `Semaphore` (the `tinyloop` row) or with async-channel and async-lock (`tinyloop+ac`).

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use tinyloop::{
    Event, JoinHandle, Runtime, TcpListener, TcpStream, now, sleep_until, spawn, timeout, yield_now,
};

use crate::primitive_rows::{self, BenchQueue, BenchSemaphore, Channel, Executor};
use crate::tinyloop_wide;
use crate::workloads::*;

/// tinyloop's `spawn`, as the primitive workloads want an executor.
#[derive(Clone, Copy)]
pub struct Tinyloop;

/// A tinyloop handle whose task cannot fail (the workloads do not panic or cancel).
pub struct Joined<T>(JoinHandle<T>);

impl<T> Future for Joined<T> {
    type Output = T;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.0)
            .poll(cx)
            .map(|result| result.expect("a benchmark task neither panics nor is cancelled"))
    }
}

impl Executor for Tinyloop {
    type Handle<T: 'static> = Joined<T>;
    fn spawn<F: Future + 'static>(&self, future: F) -> Joined<F::Output> {
        Joined(spawn(future))
    }
    fn yield_now() -> impl Future<Output = ()> {
        yield_now()
    }
}

/// Run `workload` on a fresh tinyloop loop, with tinyloop's own primitives.
pub fn run(workload: Workload) -> Option<Outcome> {
    run_with::<tinyloop::Queue<u64>, tinyloop::Semaphore>(workload)
}

/// Run a primitive workload on tinyloop with async-channel and async-lock (`tinyloop+ac`).
pub fn run_thread_safe_primitives(workload: Workload) -> Option<Outcome> {
    workload.uses_primitive().then_some(())?;
    run_with::<Channel, async_lock::Semaphore>(workload)
}

fn run_with<Q: BenchQueue, S: BenchSemaphore>(workload: Workload) -> Option<Outcome> {
    let runtime = Runtime::new();
    if workload.uses_primitive() {
        return runtime.block_on(primitive_rows::run::<_, Q, S>(&Tinyloop, workload));
    }
    if workload.is_wide() {
        return Some(runtime.block_on(tinyloop_wide::body(workload)));
    }
    Some(runtime.block_on(body(&runtime, workload)))
}

async fn body(runtime: &Runtime, workload: Workload) -> Outcome {
    let s = sizes();
    match workload {
        Workload::SpawnJoin => {
            let handles: Vec<_> = (0..s.spawn_tasks)
                .map(|i| spawn(async move { i }))
                .collect();
            let mut sum = 0;
            for handle in handles {
                sum += handle.await.unwrap();
            }
            Outcome::checksum(sum)
        }
        Workload::YieldPingpong => {
            let turns = Rc::new(Turns::<Cell<u64>>::default());
            let players: Vec<_> = (0..2)
                .map(|me| {
                    let turns = turns.clone();
                    spawn(async move {
                        for _ in 0..s.pingpong_yields / 2 {
                            yield_now().await;
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
            let start = now();
            let lateness = Rc::new(Lateness::<Cell<u64>>::default());
            let handles: Vec<_> = (0..s.timer_tasks)
                .map(|i| {
                    let lateness = lateness.clone();
                    spawn(async move {
                        sleep_until(start + timer_deadline(i)).await;
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
            // In the verification round the runtime is asked, while the inner future is
            // suspended, whether the timeout's timer is really filed.
            let verify = verifying();
            let (mut done, mut suspended) = (0, 0);
            for _ in 0..s.timeouts {
                let inner = async {
                    yield_now().await;
                    !verify || runtime.pending_timers() == 1
                };
                if let Ok(armed) = timeout(Duration::from_secs(10), inner).await {
                    done += 1;
                    suspended += u64::from(armed);
                }
            }
            Outcome::checksum(done + 1_000_000 * suspended)
        }
        Workload::TcpEcho => {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let address = listener.local_addr();
            let server = spawn(async move {
                let mut handlers = Vec::new();
                for _ in 0..ECHO_CLIENTS {
                    let (stream, _) = listener.accept().await.unwrap();
                    handlers.push(spawn(tinyloop_wide::echo(stream)));
                }
                for handler in handlers {
                    handler.await.unwrap();
                }
            });
            let clients: Vec<_> = (0..ECHO_CLIENTS)
                .map(|c| {
                    spawn(async move {
                        let mut stream = TcpStream::connect(address).await.unwrap();
                        let message = [c as u8; ECHO_MESSAGE];
                        let mut bytes = 0;
                        for _ in 0..s.echo_round_trips {
                            bytes += tinyloop_wide::round_trip(&mut stream, &message).await;
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
            let event = Event::new();
            let parked = Rc::new(Cell::new(0u64));
            let before = current_rss_bytes();
            for _ in 0..s.idle_tasks {
                let (event, parked) = (event.clone(), parked.clone());
                // Detached, as in every runtime's version: no handle is kept.
                drop(spawn(async move {
                    parked.set(parked.get() + 1);
                    event.wait().await;
                }));
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
