//! Condition scripts with random notifications and cancellations, run on tinyloop and on
//! CPython 3.13's asyncio, compared line by line: when each waiter returns from `wait()` or
//! is cancelled, and `locked()` after every operation and every loop step.
//!
//! tinyloop follows 3.13 here: a cancelled `wait()` notifies the next waiter (3.10 to 3.12
//! lose a notification whose waiter is cancelled while relocking). `condition_script.py` is
//! the twin; it needs Python 3.13, found through `TINYLOOP_PYTHON` or `python3`, and the test
//! says it skipped otherwise.

use std::cell::RefCell;
use std::io::Write;
use std::process::{Command, Stdio};
use std::rc::Rc;

use tinyloop_primitives::Condition;
use tinyloop_runtime::{JoinHandle, run_virtual, spawn, yield_now};

/// How many seeded scripts run.
const SCRIPTS: u64 = 2000;

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

/// Logs "NAME cancelled" if dropped while armed (the twin's `except CancelledError`).
struct CancelLog {
    log: Rc<RefCell<Vec<String>>>,
    name: String,
    armed: bool,
}

impl Drop for CancelLog {
    fn drop(&mut self) {
        if self.armed {
            self.log
                .borrow_mut()
                .push(format!("{} cancelled", self.name));
        }
    }
}

fn py(flag: bool) -> &'static str {
    if flag { "True" } else { "False" }
}

fn run_on_tinyloop(ops: &[String]) -> Vec<String> {
    let ops = ops.to_vec();
    run_virtual(async move {
        let cond: Condition = Condition::default();
        let log: Rc<RefCell<Vec<String>>> = Rc::default();
        let mut tasks: Vec<(String, JoinHandle<()>)> = Vec::new();
        for (index, op) in ops.iter().enumerate() {
            let word: Vec<&str> = op.split(' ').collect();
            match word[0] {
                "wait" => {
                    let (cond, log, name) = (cond.clone(), log.clone(), word[1].to_string());
                    let handle = spawn(async move {
                        let guard = cond.lock().await;
                        let mut cancel_log = CancelLog {
                            log: log.clone(),
                            name: name.clone(),
                            armed: true,
                        };
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
        for (_, handle) in &tasks {
            handle.cancel();
        }
        for (_, handle) in tasks {
            let _ = handle.await;
        }
        log.borrow_mut().push("end".to_string());
        log.take()
    })
}

#[test]
fn condition_traces_equal_asyncio_3_13_under_random_cancellations() {
    let python = std::env::var("TINYLOOP_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let scripts: Vec<Vec<String>> = (0..SCRIPTS).map(generate).collect();
    let model = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/condition_script.py");
    let child = Command::new(&python)
        .arg(model)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED: no `{python}` to run asyncio (set TINYLOOP_PYTHON to a Python 3.13)");
        return;
    };
    let input: String = scripts.iter().map(|ops| ops.join(";") + "\n").collect();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    let _ = writer.join().unwrap();
    if output.status.code() == Some(3) {
        eprintln!("SKIPPED: `{python}` is older than 3.13 (set TINYLOOP_PYTHON to a Python 3.13)");
        return;
    }
    assert!(output.status.success(), "{python} {model} failed");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut python_traces = stdout.split_inclusive("end\n");
    for ops in &scripts {
        let theirs: Vec<&str> = python_traces.next().unwrap().lines().collect();
        let ours = run_on_tinyloop(ops);
        if let Some(at) = (0..ours.len().max(theirs.len()))
            .find(|&i| ours.get(i).map(String::as_str) != theirs.get(i).copied())
        {
            panic!(
                "differs from asyncio at line {at}:\nscript: {}\n tinyloop: {:?}\n asyncio:  {:?}\ncontext (asyncio):\n{}",
                ops.join(";"),
                ours.get(at),
                theirs.get(at),
                theirs[at.saturating_sub(8)..(at + 1).min(theirs.len())].join("\n")
            );
        }
    }
}
