//! What the `*_against_asyncio.rs` tests share: a seeded generator, a drop logger that plays
//! the Python twin's `except CancelledError:`, and the runner that feeds every script to
//! the twin on CPython and compares its trace with tinyloop's, line by line.
//!
//! Each test file is its own crate and uses part of this module, hence `dead_code` allowed.
#![allow(dead_code)]

use std::cell::RefCell;
use std::io::Write;
use std::process::{Command, Stdio};
use std::rc::Rc;

use tinyloop_runtime::JoinHandle;

/// The exit status a twin uses to say "this Python is too old for me".
const TOO_OLD: i32 = 3;

/// A small deterministic generator (xorshift64*), so a failing seed can be replayed.
pub struct Rng(u64);

impl Rng {
    /// The generator for `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % n
    }
}

/// Python's spelling of a bool, so traces compare as text.
pub fn py(flag: bool) -> &'static str {
    if flag { "True" } else { "False" }
}

/// A trace shared by a script's tasks.
pub type Trace = Rc<RefCell<Vec<String>>>;

/// Logs "NAME cancelled" if dropped while `armed`: the twin's `except CancelledError:`
/// around the one await it guards.
pub struct CancelLog {
    /// Where to log.
    pub log: Trace,
    /// The task's name.
    pub name: String,
    /// False once the guarded await returned.
    pub armed: bool,
}

impl CancelLog {
    /// An armed logger for task `name`.
    pub fn new(log: &Trace, name: &str) -> CancelLog {
        CancelLog {
            log: log.clone(),
            name: name.to_string(),
            armed: true,
        }
    }
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

/// Feed every script (one input line each) to the Python twin `twin` (a file beside the
/// tests), and require each trace it prints (ending in a line `end`) to equal tinyloop's.
/// Skips, saying why, when no suitable Python is found (`TINYLOOP_PYTHON`, else `python3`).
pub fn compare_with_asyncio<S>(
    twin: &str,
    scripts: &[S],
    line: impl Fn(&S) -> String,
    run_on_tinyloop: impl Fn(&S) -> Vec<String>,
) {
    let python = std::env::var("TINYLOOP_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let path = format!("{}/tests/{twin}", env!("CARGO_MANIFEST_DIR"));
    let child = Command::new(&python)
        .arg(&path)
        .env("PYTHONDONTWRITEBYTECODE", "1") // no __pycache__ left in the source tree
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn();
    let Ok(mut child) = child else {
        eprintln!("SKIPPED: no `{python}` to run asyncio; set TINYLOOP_PYTHON");
        return;
    };
    let input: String = scripts.iter().map(|script| line(script) + "\n").collect();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().unwrap();
    let _ = writer.join().unwrap(); // a twin that exits early closes the pipe: not an error
    if output.status.code() == Some(TOO_OLD) {
        eprintln!("SKIPPED: `{python}` is too old for {twin}; set TINYLOOP_PYTHON");
        return;
    }
    assert!(output.status.success(), "{python} {path} failed");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut traces = stdout.split_inclusive("end\n");
    for script in scripts {
        let theirs: Vec<&str> = traces
            .next()
            .expect("one trace per script")
            .lines()
            .collect();
        let ours = run_on_tinyloop(script);
        if let Some(at) = (0..ours.len().max(theirs.len()))
            .find(|&i| ours.get(i).map(String::as_str) != theirs.get(i).copied())
        {
            panic!(
                "differs from asyncio at line {at}:\nscript: {}\n tinyloop: {:?}\n asyncio:  {:?}\ncontext (asyncio):\n{}",
                line(script),
                ours.get(at),
                theirs.get(at),
                theirs[at.saturating_sub(8)..(at + 1).min(theirs.len())].join("\n")
            );
        }
    }
}

/// The end of every script: cancel every task still running, in the order they were
/// spawned (as the twin does before its `gather`), and wait for each to finish.
pub async fn cancel_all(tasks: Vec<(String, JoinHandle<()>)>) {
    for (_, handle) in &tasks {
        handle.cancel();
    }
    for (_, handle) in tasks {
        let _ = handle.await;
    }
}
