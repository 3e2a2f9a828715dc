//! Condition scripts with random notifications and cancellations, run on tinyloop and on
//! CPython 3.13's asyncio, compared line by line: when each waiter returns from `wait()` or
//! is cancelled, and `locked()` after every operation and every loop step.
//!
//! tinyloop follows 3.13 here: a cancelled `wait()` notifies the next waiter (3.10 to 3.12
//! lose a notification whose waiter is cancelled while relocking). `condition_script.py` is
//! the twin; it needs Python 3.13, found through `TINYLOOP_PYTHON` or `python3`, and the test
//! says it skipped otherwise.

mod twin;

use std::rc::Rc;

use tinyloop_primitives::Condition;
use tinyloop_runtime::{JoinHandle, run_virtual, spawn, yield_now};
use twin::{CancelLog, Rng, Trace, cancel_all, compare_with_asyncio, py};

/// How many seeded scripts run.
const SCRIPTS: u64 = 2000;

fn generate(seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed);
    let (mut ops, mut tasks) = (Vec::new(), 0u64);
    for _ in 0..10 + rng.below(30) {
        ops.push(match rng.below(10) {
            0..=3 => {
                tasks += 1;
                format!("wait t{}", tasks - 1)
            }
            4..=5 => format!("notify {}", rng.below(3)),
            6..=8 if tasks > 0 => format!("cancel t{}", rng.below(tasks)),
            _ => "yield".to_string(),
        });
    }
    ops
}

fn run_on_tinyloop(ops: &[String]) -> Vec<String> {
    let ops = ops.to_vec();
    run_virtual(async move {
        let cond: Condition = Condition::default();
        let log: Trace = Rc::default();
        let mut tasks: Vec<(String, JoinHandle<()>)> = Vec::new();
        for (index, op) in ops.iter().enumerate() {
            let word: Vec<&str> = op.split(' ').collect();
            match word[0] {
                "wait" => {
                    let (cond, log, name) = (cond.clone(), log.clone(), word[1].to_string());
                    let handle = spawn(async move {
                        let guard = cond.lock().await;
                        let mut cancel_log = CancelLog::new(&log, &name);
                        let _guard = cond.wait(guard).await;
                        cancel_log.armed = false;
                        log.borrow_mut().push(format!("{name} woken"));
                    });
                    tasks.push((word[1].to_string(), handle));
                }
                "notify" => {
                    let guard = cond.lock().await;
                    cond.notify(word[1].parse().unwrap());
                    drop(guard);
                }
                "cancel" => {
                    let (_, handle) = tasks.iter().find(|(name, _)| name == word[1]).unwrap();
                    handle.cancel();
                }
                "yield" => {}
                other => panic!("unknown op {other}"),
            }
            let line = format!("op{index} locked={}", py(cond.locked()));
            log.borrow_mut().push(line);
            yield_now().await;
            let line = format!("step{index} locked={}", py(cond.locked()));
            log.borrow_mut().push(line);
        }
        cancel_all(tasks).await;
        log.borrow_mut().push("end".to_string());
        log.take()
    })
}

#[test]
fn condition_traces_equal_asyncio_3_13_under_random_cancellations() {
    let scripts: Vec<Vec<String>> = (0..SCRIPTS).map(generate).collect();
    compare_with_asyncio(
        "condition_script.py",
        &scripts,
        |ops| ops.join(";"),
        |ops| run_on_tinyloop(ops),
    );
}
