//! Barrier scripts run on tinyloop and on CPython's asyncio (3.11+), compared line by line:
//! which index each task gets in each round, and `n_waiting` after every loop step. Tasks
//! come back for round after round, after a few yields or at once, so rounds overlap with
//! the draining of the last one. No cancellations: asyncio then hands out duplicate
//! indices, which tinyloop deliberately does not (see `barrier.rs`).
//!
//! `barrier_script.py` beside this file is the asyncio twin; it needs Python 3.11 or later,
//! found through `TINYLOOP_PYTHON` or `python3` (skipped with a message otherwise).

mod twin;

use std::rc::Rc;

use tinyloop_primitives::Barrier;
use tinyloop_runtime::{run_virtual, spawn, yield_now};
use twin::{Rng, Trace, compare_with_asyncio};

/// How many seeded scripts run.
const SCRIPTS: u64 = 1000;

/// Parties, and for each task the yields before each of its rounds.
fn generate(seed: u64) -> (usize, Vec<Vec<u64>>) {
    let mut rng = Rng::new(seed);
    let parties = 1 + rng.below(4) as usize;
    let tasks = (0..1 + rng.below(6))
        .map(|_| (0..1 + rng.below(3)).map(|_| rng.below(3)).collect())
        .collect();
    (parties, tasks)
}

fn line(parties: usize, tasks: &[Vec<u64>]) -> String {
    let tasks: Vec<String> = tasks
        .iter()
        .map(|yields| {
            let yields: Vec<String> = yields.iter().map(u64::to_string).collect();
            yields.join(",")
        })
        .collect();
    format!("{parties} {}", tasks.join(";"))
}

fn run_on_tinyloop(parties: usize, tasks: &[Vec<u64>]) -> Vec<String> {
    let tasks = tasks.to_vec();
    run_virtual(async move {
        let barrier = Barrier::new(parties);
        let log: Trace = Rc::default();
        let running: Vec<_> = tasks
            .into_iter()
            .enumerate()
            .map(|(n, yields)| {
                let (barrier, log) = (barrier.clone(), log.clone());
                spawn(async move {
                    for (round, count) in yields.into_iter().enumerate() {
                        for _ in 0..count {
                            yield_now().await;
                        }
                        let index = barrier.wait().await.unwrap();
                        log.borrow_mut()
                            .push(format!("t{n} round {round} index {index}"));
                    }
                })
            })
            .collect();
        for step in 0..40 {
            yield_now().await;
            let line = format!("step{step} n_waiting={}", barrier.n_waiting());
            log.borrow_mut().push(line);
        }
        for task in &running {
            task.cancel();
        }
        for task in running {
            let _ = task.await;
        }
        log.borrow_mut().push("end".to_string());
        log.take()
    })
}

#[test]
fn barrier_traces_equal_asyncio_round_after_round() {
    let scripts: Vec<_> = (0..SCRIPTS).map(generate).collect();
    compare_with_asyncio(
        "barrier_script.py",
        &scripts,
        |(parties, tasks)| line(*parties, tasks),
        |(parties, tasks)| run_on_tinyloop(*parties, tasks),
    );
}
