//! The workloads on tinyloop: `run` on the real clock, tasks with `spawn`, `Rc` and `Cell`
//! for shared counters (tinyloop's tasks need not be `Send`).

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{Runtime, now, sleep_until, spawn, timeout, yield_now};

use crate::workloads::*;

/// Run `workload` on a fresh tinyloop loop. `None` where tinyloop lacks what it needs.
pub fn run(workload: Workload) -> Option<Outcome> {
    let runtime = Runtime::new();
    runtime.block_on(body(workload))
}

async fn body(workload: Workload) -> Option<Outcome> {
    Some(match workload {
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
        Workload::Semaphore
        | Workload::Queue1p1c
        | Workload::Queue4p4c
        | Workload::TcpEcho
        | Workload::IdleTasksMemory => return None,
    })
}

fn checksum(checksum: u64) -> Outcome {
    Outcome {
        checksum,
        extra_bytes: 0,
    }
}
