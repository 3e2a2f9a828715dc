//! Queue scripts with random cancellations, run on tinyloop and on CPython's asyncio, and
//! compared line by line: what each task got, every `put_nowait`/`get_nowait` result, and
//! `qsize()`, `empty()`, `full()` and the unfinished count sampled after every operation
//! and after every loop step.
//!
//! A script is a list of operations done by the main task, each followed by one
//! `yield_now()` (asyncio: `await asyncio.sleep(0)`): spawn a getter or a putter, `put_nowait`,
//! `get_nowait`, `task_done`, or cancel a task at whatever await it has reached (waiting in
//! line, woken but not yet run, or finished). `queue_script.py` beside this file runs the same
//! scripts on asyncio. Python is found through `TINYLOOP_PYTHON` or `python3`; without it
//! the comparison is skipped with a message, and the model check below still runs.
//!
//! The model check needs no Python: for a FIFO queue, the items that leave (through `get`
//! or `get_nowait`) are exactly the items that went in, in the order they went in, with
//! the rest still queued at the end, and the unfinished count is puts minus `task_done`s.

mod twin;

use std::rc::Rc;

use tinyloop_primitives::{
    FifoStorage, GenericQueue, GetNowaitError, LifoStorage, PriorityStorage, PutNowaitError,
    QueueStorage,
};
use tinyloop_runtime::{JoinHandle, run_virtual, spawn, yield_now};
use twin::{CancelLog, Rng, Trace, cancel_all, compare_with_asyncio, py};

/// How many seeded scripts each test runs.
const SCRIPTS: u64 = 2000;

/// One script: the queue's kind and maxsize, and the operations.
struct Script {
    kind: &'static str,
    maxsize: usize,
    ops: Vec<String>,
}

impl Script {
    /// The script for `seed`: 20 to 60 operations, a third of them cancellations of a task
    /// picked at random among those spawned so far.
    fn generate(seed: u64, kind: &'static str) -> Script {
        let mut rng = Rng::new(seed);
        let maxsize = rng.below(4) as usize;
        let mut ops = Vec::new();
        let (mut tasks, mut next_item) = (Vec::<String>::new(), 0u64);
        for _ in 0..20 + rng.below(41) {
            let mut item = || {
                next_item += 1;
                if kind == "priority" {
                    rng_item(seed, next_item)
                } else {
                    next_item
                }
            };
            let op = match rng.below(20) {
                0..=3 => {
                    let name = format!("g{}", tasks.len());
                    tasks.push(name.clone());
                    format!("get {name}")
                }
                4..=7 => {
                    let name = format!("p{}", tasks.len());
                    tasks.push(name.clone());
                    format!("put {name} {}", item())
                }
                8..=10 => format!("put_nowait {}", item()),
                11..=12 => "get_nowait".to_string(),
                13..=17 if !tasks.is_empty() => {
                    format!("cancel {}", tasks[rng.below(tasks.len() as u64) as usize])
                }
                18 => "task_done".to_string(),
                _ => "yield".to_string(),
            };
            ops.push(op);
        }
        Script { kind, maxsize, ops }
    }

    /// The line `queue_script.py` reads.
    fn line(&self) -> String {
        format!("{} {} {}", self.kind, self.maxsize, self.ops.join(";"))
    }
}

/// A priority for item number `n` of script `seed`: repeats are allowed.
fn rng_item(seed: u64, n: u64) -> u64 {
    Rng::new(seed ^ (n << 20)).below(10)
}

/// Run `script` on tinyloop with storage `S`; returns the trace, in `queue_script.py`'s
/// format.
fn run_on_tinyloop<S: QueueStorage<u64> + 'static>(script: &Script) -> Vec<String> {
    let ops = script.ops.clone();
    let maxsize = script.maxsize;
    run_virtual(async move {
        let queue: GenericQueue<u64, S> = GenericQueue::with_storage(maxsize);
        let log: Trace = Rc::default();
        let mut tasks: Vec<(String, JoinHandle<()>)> = Vec::new();
        let sample = |when: String| {
            log.borrow_mut().push(format!(
                "{when} qsize={} empty={} full={} unfinished={}",
                queue.qsize(),
                py(queue.empty()),
                py(queue.full()),
                queue.unfinished_tasks()
            ));
        };
        for (index, op) in ops.iter().enumerate() {
            let word: Vec<&str> = op.split(' ').collect();
            match word[0] {
                "get" => {
                    let (queue, log, name) = (queue.clone(), log.clone(), word[1].to_string());
                    let handle = spawn(async move {
                        let mut guard = CancelLog::new(&log, &name);
                        let item = queue.get().await.expect("never shut down");
                        guard.armed = false;
                        log.borrow_mut().push(format!("{name} got {item}"));
                    });
                    tasks.push((word[1].to_string(), handle));
                }
                "put" => {
                    let (queue, log, name) = (queue.clone(), log.clone(), word[1].to_string());
                    let item: u64 = word[2].parse().unwrap();
                    let handle = spawn(async move {
                        let mut guard = CancelLog::new(&log, &name);
                        queue.put(item).await.expect("never shut down");
                        guard.armed = false;
                        log.borrow_mut().push(format!("{name} put {item}"));
                    });
                    tasks.push((word[1].to_string(), handle));
                }
                "put_nowait" => {
                    let item: u64 = word[1].parse().unwrap();
                    let result = match queue.put_nowait(item) {
                        Ok(()) => "ok",
                        Err(PutNowaitError::QueueFull(_)) => "full",
                        Err(error) => panic!("{error}"),
                    };
                    log.borrow_mut().push(format!("put_nowait {item} {result}"));
                }
                "get_nowait" => {
                    let line = match queue.get_nowait() {
                        Ok(item) => format!("get_nowait {item}"),
                        Err(GetNowaitError::QueueEmpty) => "get_nowait empty".to_string(),
                        Err(error) => panic!("{error}"),
                    };
                    log.borrow_mut().push(line);
                }
                "cancel" => {
                    let (_, handle) = tasks.iter().find(|(name, _)| name == word[1]).unwrap();
                    handle.cancel();
                }
                "task_done" => {
                    let result = match queue.task_done() {
                        Ok(()) => "ok",
                        Err(_) => "too many",
                    };
                    log.borrow_mut().push(format!("task_done {result}"));
                }
                "yield" => {}
                other => panic!("unknown op {other}"),
            }
            sample(format!("op{index}"));
            yield_now().await;
            sample(format!("step{index}"));
        }
        cancel_all(tasks).await;
        log.borrow_mut().push("end".to_string());
        log.take()
    })
}

/// Run `script` on tinyloop with the storage its kind names.
fn run_script(script: &Script) -> Vec<String> {
    match script.kind {
        "fifo" => run_on_tinyloop::<FifoStorage<u64>>(script),
        "lifo" => run_on_tinyloop::<LifoStorage<u64>>(script),
        "priority" => run_on_tinyloop::<PriorityStorage<u64>>(script),
        other => panic!("unknown kind {other}"),
    }
}

/// The items a trace shows going in (`pN put I`, `put_nowait I ok`) and coming out
/// (`gN got I`, `get_nowait I`), in trace order, and the last qsize sampled.
fn items_in_and_out(trace: &[String]) -> (Vec<u64>, Vec<u64>, usize) {
    let (mut went_in, mut came_out, mut qsize) = (Vec::new(), Vec::new(), 0);
    for line in trace {
        let word: Vec<&str> = line.split(' ').collect();
        match word.as_slice() {
            [_, "put", item] => went_in.push(item.parse().unwrap()),
            ["put_nowait", item, "ok"] => went_in.push(item.parse().unwrap()),
            [_, "got", item] | ["get_nowait", item] if *item != "empty" => {
                came_out.push(item.parse().unwrap());
            }
            [_, size, ..] if size.starts_with("qsize=") => {
                qsize = size["qsize=".len()..].parse().unwrap();
            }
            _ => {}
        }
    }
    (went_in, came_out, qsize)
}

#[test]
fn fifo_items_leave_in_the_order_they_went_in_under_random_cancellations() {
    for seed in 0..SCRIPTS {
        let script = Script::generate(seed, "fifo");
        let trace = run_script(&script);
        let (went_in, came_out, left) = items_in_and_out(&trace);
        assert_eq!(
            came_out[..],
            went_in[..came_out.len()],
            "seed {seed}: items left out of order\n{}",
            script.line()
        );
        assert_eq!(
            went_in.len(),
            came_out.len() + left,
            "seed {seed}: an item was lost or duplicated\n{}",
            script.line()
        );
    }
}

/// Every script of every kind on tinyloop and on asyncio; the traces must be equal.
#[test]
fn queue_traces_equal_asyncio_under_random_cancellations() {
    let scripts: Vec<Script> = ["fifo", "lifo", "priority"]
        .into_iter()
        .flat_map(|kind| (0..SCRIPTS).map(move |seed| Script::generate(seed, kind)))
        .collect();
    compare_with_asyncio("queue_script.py", &scripts, Script::line, run_script);
}
