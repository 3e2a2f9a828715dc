//! Barrier scripts run on tinyloop and on CPython's asyncio (3.11+), compared line by line:
//! which index each task gets in each round, and `n_waiting` after every loop step. Tasks
//! come back for round after round, after a few yields or at once, so rounds overlap with
//! the draining of the last one. No cancellations: asyncio then hands out duplicate
//! indices, which tinyloop deliberately does not (see `barrier.rs`).
//!
//! `barrier_script.py` beside this file is the asyncio twin; it needs Python 3.11 or later,
//! found through `TINYLOOP_PYTHON` or `python3` (skipped with a message otherwise).

use std::cell::RefCell;
use std::io::Write;
use std::process::{Command, Stdio};
use std::rc::Rc;

use tinyloop_primitives::Barrier;
use tinyloop_runtime::{run_virtual, spawn, yield_now};

/// How many seeded scripts run.
const SCRIPTS: u64 = 1000;

/// The same small generator as the queue test (xorshift64*).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % n
    }
}

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
        let log: Rc<RefCell<Vec<String>>> = Rc::default();
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
    let python = std::env::var("TINYLOOP_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let scripts: Vec<_> = (0..SCRIPTS).map(generate).collect();
    let model = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/barrier_script.py");
    let child = Command::new(&python)
        .arg(model)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED: no `{python}` to run asyncio (set TINYLOOP_PYTHON to a Python 3.11+)");
        return;
    };
    let input: String = scripts.iter().map(|(p, t)| line(*p, t) + "\n").collect();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    if !output.status.success() {
        eprintln!("SKIPPED: `{python}` could not run the asyncio twin (Barrier needs 3.11+)");
        return;
    }
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut python_traces = stdout.split_inclusive("end\n");
    for (parties, tasks) in &scripts {
        let theirs: Vec<&str> = python_traces.next().unwrap().lines().collect();
        let ours = run_on_tinyloop(*parties, tasks);
        if let Some(at) = (0..ours.len().max(theirs.len()))
            .find(|&i| ours.get(i).map(String::as_str) != theirs.get(i).copied())
        {
            panic!(
                "differs from asyncio at line {at}:\nscript: {}\n tinyloop: {:?}\n asyncio:  {:?}\ncontext (asyncio):\n{}",
                line(*parties, tasks),
                ours.get(at),
                theirs.get(at),
                theirs[at.saturating_sub(6)..(at + 1).min(theirs.len())].join("\n")
            );
        }
    }
}
