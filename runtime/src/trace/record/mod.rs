//! The explorer's recording: everything the loop explorer page shows, written as the loop
//! runs, for any program, on either clock.
//!
//! asyncio has no such thing; its debug mode logs, and `asyncio.all_tasks()` answers for one
//! moment. An [`Explorer`] is a [`Tracer`]: at the start of every step it takes what the
//! `--step` stepper prints (the [`Snapshot`](super::Snapshot): loop time, why the step may
//! wait, the ready queue, the timers, the I/O sources, every task), and adds what the stepper
//! does not print: each timer's place in the hierarchical wheel (level and slot, from
//! `TimeDriver::describe_wheel`), the `to_thread` jobs in flight, who last woke each task,
//! what the step then did, and the program's own lines printed during it (see [`output`]).
//!
//! # Switching it on without changing the program
//!
//! * `Builder::new().explore("out.json")`, or
//! * the environment variable `TINYLOOP_EXPLORE=out.json` ([`EXPLORE_ENV`]), read by
//!   `Builder::build` when the builder was not told: any program built on tinyloop records.
//!
//! The file is written when the loop is dropped (at the end of `run`). A process that runs
//! several loops writes `out.json`, then `out-2.json`, ... Turn a recording into a page with
//! `cargo run -p tinyloop-demos -- explore out.json out.html`.
//!
//! # The format (`tinyloop-explore`, version 1)
//!
//! One JSON object; times are given twice, as the demos print them (`"t=0.30"`) and in
//! milliseconds since the loop's clock started (a float). A task is named by its number
//! (`0` is `main`) and described once in `tasks`.
//!
//! ```text
//! { "format": "tinyloop-explore", "version": 1, "clock": "virtual" | "real",
//!   "tasks": [ { "id": 0, "name": "main", "label": "main" }, ... ]   spawn order
//!   "positions": [                     one per step, then one for the end
//!     { "step": 14,                    the state is the one *before* this step, as --step shows it
//!       "end": false,                  true for the last position: after the last step
//!       "now": "t=1.00", "now_ms": 1000.0,
//!       "wait": "nothing ready: ...",  why the step may block (or that it does not)
//!       "ready": [3, 0],               the ready queue, front first
//!       "hand_ms": 998.0,              where the wheel's hand stands
//!       "timers": [ { "deadline": "t=2.00", "deadline_ms": 2000.0, "owner": 2 | null,
//!                     "list": "slot" | "overdue" | "far", "level": 1 | null, "slot": 31 | null } ],
//!       "io": [ { "source": "fd 7", "reader": 4 | null, "writer": null } ],
//!       "io_registered": 1, "io_waiters": 1, "threads": 0,   to_thread jobs in flight
//!       "task_states": [ { "id": 2, "state": "idle" | "ready" | "running" | ...,
//!                          "says": "waiting on a timer at t=2.00",  as --step says it
//!                          "woken_by": "a timer" | null, "cancel": false } ],
//!       "did": [ "poll     main", ... ],         what this step did, as --trace writes it
//!       "activity": [ [2, "polled"], ... ],      the same, per task, for the timeline lanes
//!       "output": [ "t=1.00 worker-1: done" ] }  the program's lines printed in this step
//!   ] }
//! ```
//!
//! A position has no snapshot fields (`ready`, `timers`, ...) when the loop's state could not
//! be read at that moment (see `snapshot()`); readers show the step without them.

mod json;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::{Rc, Weak};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Event, MAIN, Names, Snapshot, Tracer, WakeCause, describe_event, snapshot};
use crate::context;
use crate::ids::{TaskId, TaskState};
use crate::time::Instant;

/// The environment variable that switches the explorer's recording on for any program:
/// `TINYLOOP_EXPLORE=out.json cargo run`.
pub const EXPLORE_ENV: &str = "TINYLOOP_EXPLORE";

/// One pending timer and where it is filed in the wheel, as `describe_wheel` reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WheelTimer {
    /// The wheel level (0: 1 ms slots … 5: ~12.4 day slots); `None` on the overdue or far list.
    pub level: Option<u8>,
    /// The slot on that level, 0 to 63; `None` off the levels.
    pub slot: Option<u8>,
    /// `"slot"`, `"overdue"` (due at the next poll) or `"far"` (beyond the top level's turn).
    pub list: &'static str,
    /// When it fires.
    pub deadline: Instant,
    /// The task that set it, if any.
    pub owner: Option<TaskId>,
}

/// The explorer's tracer. Clones share the recording: give one to the
/// [`Builder`](crate::Builder), keep one to read [`json`](Explorer::json) after the run.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::trace::Explorer;
/// use tinyloop_runtime::{Builder, spawn_named, time::sleep};
///
/// let explorer = Explorer::new();
/// let runtime = Builder::new().virtual_clock(true).tracer(explorer.clone()).build();
/// runtime.block_on(async {
///     spawn_named("sleeper", sleep(Duration::from_secs(1))).await.unwrap();
/// });
/// drop(runtime);
/// let json = explorer.json();
/// assert!(json.starts_with("{\"format\":\"tinyloop-explore\",\"version\":1,"));
/// assert!(json.contains("\"label\":\"sleeper (task-1)\""));
/// ```
#[derive(Clone, Default)]
pub struct Explorer {
    /// The recording, shared by all clones.
    data: Rc<RefCell<Recording>>,
    /// Where to write the recording when the last clone is dropped, if anywhere. Never
    /// read: it is held for its `Drop`, which writes the file.
    #[expect(dead_code, reason = "held for its Drop, which writes the file")]
    file: Option<Rc<FileOnDrop>>,
}

/// Everything recorded so far.
#[derive(Default)]
pub(crate) struct Recording {
    /// True on the virtual clock (known from the first step).
    virtual_clock: bool,
    /// Every task seen, in spawn order, with its name.
    tasks: Vec<(TaskId, String)>,
    /// Task names, for the event lines.
    names: Names,
    /// Who last woke each task, in words.
    woken_by: HashMap<TaskId, String>,
    /// One per step so far, and the end once `main` finished.
    positions: Vec<Position>,
}

/// One step: the state before it, and what it did.
pub(crate) struct Position {
    /// The step's number; for the end, one past the last.
    step: u64,
    /// True for the state after the last step.
    end: bool,
    /// The loop time at the start of the step.
    now: Instant,
    /// Why the step may wait, in the stepper's words.
    wait: String,
    /// The loop's state, if it could be read.
    state: Option<State>,
    /// What the step did, one `--trace` line per event.
    did: Vec<String>,
    /// The same per task: `(task, "polled" | "pending" | "woken" | ...)`.
    activity: Vec<(TaskId, &'static str)>,
    /// The program's lines printed during the step.
    output: Vec<String>,
}

/// The loop's state at the start of a step, as the explorer shows it.
pub(crate) struct State {
    /// What `--step` shows.
    snapshot: Snapshot,
    /// Where the wheel's hand stands.
    hand: Instant,
    /// Every timer with its place in the wheel, in firing order.
    wheel: Vec<WheelTimer>,
    /// `to_thread` jobs in flight.
    threads: usize,
    /// Who last woke each task in the snapshot, in words.
    woken_by: Vec<Option<String>>,
}

/// Writes the recording to a file when dropped: when the loop drops its tracer.
struct FileOnDrop {
    /// The file.
    path: PathBuf,
    /// The recording to write.
    data: Rc<RefCell<Recording>>,
}

thread_local! {
    /// The recording of the loop running on this thread, for [`output`].
    static CURRENT: RefCell<Weak<RefCell<Recording>>> = const { RefCell::new(Weak::new()) };
}

/// How many recordings this process has written to files: the N-th goes to `stem-N.ext`.
static WRITTEN: AtomicUsize = AtomicUsize::new(0);

/// Tell the explorer (if one records the loop on this thread) that the program printed
/// `line`, so the page shows it beside the step that printed it. The demos' `say!` calls it;
/// a program's own printing helper can too. Does nothing when no explorer records.
pub fn output(line: &str) {
    let _ = CURRENT.try_with(|current| {
        if let Some(data) = current.borrow().upgrade()
            && let Ok(mut data) = data.try_borrow_mut()
            && let Some(position) = data.positions.last_mut()
        {
            position.output.push(line.to_string());
        }
    });
}

impl Explorer {
    /// An explorer that keeps its recording in memory.
    pub fn new() -> Explorer {
        Explorer::default()
    }

    /// An explorer that also writes its recording to `path` when the loop drops it.
    pub fn to_file(path: impl Into<PathBuf>) -> Explorer {
        let explorer = Explorer::new();
        let file = FileOnDrop {
            path: path.into(),
            data: explorer.data.clone(),
        };
        Explorer {
            file: Some(Rc::new(file)),
            ..explorer
        }
    }

    /// The recording so far, in the format of the module docs.
    pub fn json(&self) -> String {
        json::write(&self.data.borrow())
    }

    /// How many steps were recorded.
    pub fn steps(&self) -> usize {
        self.data
            .borrow()
            .positions
            .iter()
            .filter(|p| !p.end)
            .count()
    }
}

/// The tracer `Builder::build` installs: `tracer` as given, plus an explorer writing to
/// `explore` or, when that is `None`, to the file [`EXPLORE_ENV`] names.
pub(crate) fn with_explorer(
    tracer: Option<Box<dyn Tracer>>,
    explore: Option<PathBuf>,
) -> Option<Box<dyn Tracer>> {
    let path = explore.or_else(|| {
        let value = std::env::var_os(EXPLORE_ENV)?;
        (!value.is_empty()).then(|| PathBuf::from(value))
    });
    let Some(path) = path else {
        return tracer;
    };
    let explorer: Box<dyn Tracer> = Box::new(Explorer::to_file(path));
    Some(match tracer {
        Some(tracer) => Box::new(vec![tracer, explorer]),
        None => explorer,
    })
}

impl Tracer for Explorer {
    fn event(&mut self, event: &Event) {
        let mut data = self.data.borrow_mut();
        data.names.learn(event);
        match event {
            Event::StepStarted { step, now, wait } => {
                let _ =
                    CURRENT.try_with(|current| *current.borrow_mut() = Rc::downgrade(&self.data));
                let state = data.state();
                data.virtual_clock =
                    context::try_with(|lent| lent.is_some_and(|l| l.time().is_virtual()));
                data.positions
                    .push(Position::new(*step, false, *now, wait.to_string(), state));
                return;
            }
            Event::Spawned { task, name } => {
                data.tasks.push((*task, name.clone()));
                data.woken_by.insert(*task, "spawn".to_string());
            }
            Event::Woken { task, by } => {
                let by = match by {
                    WakeCause::Task(other) => data.names.label(*other),
                    other => other.to_string(),
                };
                data.woken_by.insert(*task, by);
            }
            _ => {}
        }
        let line = describe_event(event, &data.names);
        let kind = activity(event);
        let finished_main = matches!(
            event,
            Event::Completed { task: MAIN }
                | Event::Cancelled { task: MAIN }
                | Event::Panicked { task: MAIN, .. }
        );
        if data.positions.is_empty() {
            // Before the first step (`block_on` spawning `main`): a step 0 holds it.
            data.positions.push(Position::new(
                0,
                false,
                Instant::default(),
                "before the first step".into(),
                None,
            ));
        }
        let position = data.positions.last_mut().expect("a position was just made");
        position.did.push(line);
        if let Some((task, kind)) = kind {
            position.activity.push((task, kind));
        }
        if finished_main {
            // `main` finished: the state now is what the end of the run looks like. Events
            // after this (tasks cancelled as the loop closes) belong to the end position.
            let mut state = data.state();
            // The loop files `main` as finished after this event: show it finished already.
            let finished = match event {
                Event::Cancelled { .. } => TaskState::Cancelled,
                _ => TaskState::Completed,
            };
            if let Some(main) = state
                .as_mut()
                .and_then(|s| s.snapshot.tasks.iter_mut().find(|t| t.id == MAIN))
            {
                main.state = finished;
                main.waiting_on = None;
            }
            let last = data.positions.last().map_or(0, |p| p.step);
            let now = super::loop_now().unwrap_or_default();
            data.positions.push(Position::new(
                last + 1,
                true,
                now,
                "main has finished: the loop stops".into(),
                state,
            ));
        }
    }
}

impl Recording {
    /// The loop's state now, with each task's last waker; `None` if it cannot be read.
    fn state(&self) -> Option<State> {
        let snapshot = snapshot()?;
        let (hand, wheel) = context::try_with(|lent| lent?.time().describe_wheel())?;
        let threads = context::try_with(|lent| lent.map_or(0, |lent| lent.blocking().awaited()));
        let woken_by = snapshot
            .tasks
            .iter()
            .map(|t| self.woken_by.get(&t.id).cloned())
            .collect();
        Some(State {
            snapshot,
            hand,
            wheel,
            threads,
            woken_by,
        })
    }
}

impl Position {
    fn new(step: u64, end: bool, now: Instant, wait: String, state: Option<State>) -> Position {
        Position {
            step,
            end,
            now,
            wait,
            state,
            did: Vec::new(),
            activity: Vec::new(),
            output: Vec::new(),
        }
    }
}

/// What an event did to a task, in one word, for the timeline lanes.
fn activity(event: &Event) -> Option<(TaskId, &'static str)> {
    Some(match event {
        Event::Spawned { task, .. } => (*task, "spawned"),
        Event::Polled { task } => (*task, "polled"),
        Event::Pending { task, .. } => (*task, "pending"),
        Event::Woken { task, .. } => (*task, "woken"),
        Event::Completed { task } => (*task, "completed"),
        Event::Cancelled { task } => (*task, "cancelled"),
        Event::Panicked { task, .. } => (*task, "panicked"),
        _ => return None,
    })
}

impl Drop for FileOnDrop {
    fn drop(&mut self) {
        let path = numbered(&self.path, WRITTEN.fetch_add(1, Ordering::Relaxed) + 1);
        let json = json::write(&self.data.borrow());
        match std::fs::write(&path, json) {
            Ok(()) => eprintln!("tinyloop: explorer recording written to {}", path.display()),
            Err(error) => eprintln!(
                "tinyloop: could not write the explorer recording to {}: {error} \
                 (check that its directory exists and is writable)",
                path.display()
            ),
        }
    }
}

/// `path` for the first file, `stem-N.ext` for the N-th: how a process that runs several
/// loops names the recording (or page, or timeline) of each.
pub fn numbered(path: &Path, n: usize) -> PathBuf {
    if n == 1 {
        return path.to_path_buf();
    }
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}
