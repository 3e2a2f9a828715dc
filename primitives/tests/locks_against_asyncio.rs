//! Semaphore and Lock scripts with random cancellations, run on tinyloop and on CPython's
//! asyncio, compared line by line: who acquires when, and `locked()` (and the semaphore's
//! free count, asyncio's `_value`) after every operation and every loop step.
//!
//! Tasks acquire and then hold forever; a task leaves (releasing what it holds, or its
//! place in line, or a permit it was handed and never used) only when a script cancels it.
//! `locks_script.py` beside this file is the asyncio twin; Python is found as in
//! `queue_against_asyncio.rs` (`TINYLOOP_PYTHON`, else `python3`; skipped with a message
//! without it), and the permit-conservation check runs either way.

mod twin;

use std::rc::Rc;

use tinyloop_primitives::{Lock, Semaphore};
use tinyloop_runtime::{JoinHandle, run_virtual, spawn, yield_now};
use twin::{CancelLog, Rng, Trace, cancel_all, compare_with_asyncio, py};

/// How many seeded scripts each kind runs.
const SCRIPTS: u64 = 2000;

/// One script: the primitive, a semaphore's initial value, the operations.
struct Script {
    kind: &'static str,
    value: usize,
    ops: Vec<String>,
}

impl Script {
    fn generate(seed: u64, kind: &'static str) -> Script {
        let mut rng = Rng::new(seed);
        let value = rng.below(3) as usize;
        let (mut ops, mut tasks) = (Vec::new(), 0u64);
        for _ in 0..15 + rng.below(30) {
            let op = match rng.below(10) {
                0..=3 => {
                    tasks += 1;
                    format!("acq t{}", tasks - 1)
                }
                4..=7 if tasks > 0 => format!("cancel t{}", rng.below(tasks)),
                8 if kind == "semaphore" => "release".to_string(),
                _ => "yield".to_string(),
            };
            ops.push(op);
        }
        Script { kind, value, ops }
    }

    fn line(&self) -> String {
        format!("{} {} {}", self.kind, self.value, self.ops.join(";"))
    }
}

/// A semaphore or a lock behind one face, for the script runner.
#[derive(Clone)]
enum Prim {
    Semaphore(Semaphore),
    Lock(Lock),
}

impl Prim {
    /// Acquire, log, hold forever.
    async fn hold(self, name: String, log: Trace) {
        let _cancel_log = CancelLog::new(&log, &name); // never disarmed: it holds forever
        match &self {
            Prim::Semaphore(sem) => {
                let _permit = sem.acquire().await;
                log.borrow_mut().push(format!("{name} acquired"));
                std::future::pending::<()>().await;
            }
            Prim::Lock(lock) => {
                let _guard = lock.lock().await;
                log.borrow_mut().push(format!("{name} acquired"));
                std::future::pending::<()>().await;
            }
        }
    }

    fn sample(&self, when: &str) -> String {
        match self {
            Prim::Semaphore(sem) => format!(
                "{when} locked={} value={}",
                py(sem.locked()),
                sem.available()
            ),
            Prim::Lock(lock) => format!("{when} locked={}", py(lock.locked())),
        }
    }
}

fn run_on_tinyloop(script: &Script) -> Vec<String> {
    let prim = match script.kind {
        "semaphore" => Prim::Semaphore(Semaphore::new(script.value)),
        _ => Prim::Lock(Lock::default()),
    };
    let ops = script.ops.clone();
    run_virtual(async move {
        let log: Trace = Rc::default();
        let mut tasks: Vec<(String, JoinHandle<()>)> = Vec::new();
        for (index, op) in ops.iter().enumerate() {
            let word: Vec<&str> = op.split(' ').collect();
            match word[0] {
                "acq" => {
                    let name = word[1].to_string();
                    let handle = spawn(prim.clone().hold(name.clone(), log.clone()));
                    tasks.push((name, handle));
                }
                "cancel" => {
                    let (_, handle) = tasks.iter().find(|(name, _)| name == word[1]).unwrap();
                    handle.cancel();
                }
                "release" => match &prim {
                    Prim::Semaphore(sem) => sem.release(),
                    Prim::Lock(_) => unreachable!("scripts release only semaphores"),
                },
                "yield" => {}
                other => panic!("unknown op {other}"),
            }
            log.borrow_mut().push(prim.sample(&format!("op{index}")));
            yield_now().await;
            log.borrow_mut().push(prim.sample(&format!("step{index}")));
        }
        cancel_all(tasks).await;
        log.borrow_mut().push(prim.sample("last"));
        log.borrow_mut().push("end".to_string());
        log.take()
    })
}

#[test]
fn every_permit_comes_back_when_every_task_is_cancelled() {
    for seed in 0..SCRIPTS {
        let script = Script::generate(seed, "semaphore");
        let releases = script.ops.iter().filter(|op| *op == "release").count();
        let trace = run_on_tinyloop(&script);
        let (last, free) = (&trace[trace.len() - 2], script.value + releases);
        assert_eq!(
            *last,
            format!("last locked={} value={free}", py(free == 0)),
            "seed {seed}: permits lost or made up\n{}",
            script.line()
        );
        let script = Script::generate(seed, "lock");
        let trace = run_on_tinyloop(&script);
        assert_eq!(trace[trace.len() - 2], "last locked=False", "seed {seed}");
    }
}

#[test]
fn semaphore_and_lock_traces_equal_asyncio_under_random_cancellations() {
    let scripts: Vec<Script> = ["semaphore", "lock"]
        .into_iter()
        .flat_map(|kind| (0..SCRIPTS).map(move |seed| Script::generate(seed, kind)))
        .collect();
    compare_with_asyncio("locks_script.py", &scripts, Script::line, run_on_tinyloop);
}
