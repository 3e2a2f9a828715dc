//! `--timeline`: which task ran in which step, as a compact text chart and as an SVG picture.
//!
//! The [`Timeline`] tracer keeps, for every task (and `main`), what happened to it in each
//! step: spawned, woken (and by what), polled (and what it then waited on), finished. After
//! the run it draws one lane per task.
//!
//! # Steps, not seconds, along the x axis
//!
//! Under the virtual clock a poll takes no time at all: every bar drawn in loop time would
//! have zero width, and everything that happens at `t=1.00` would sit on one vertical line.
//! So the x axis counts steps, one column per step, and loop time is written above the
//! columns where it changes, with a dashed line down through the lanes. The picture then
//! reads both ways: left to right is the order things happened, and the dashed lines group
//! the steps that happened at the same moment (in `semaphore_batches`, three waves).
//!
//! In the text chart, each step is one character:
//!
//! ```text
//! #  polled, returned Pending       -  ready, waiting for its turn in the queue
//! =  polled, completed              .  waiting (on what: see the SVG, or --trace)
//! x  cancelled (future dropped)     !  panicked
//! ```

mod layout;
mod svg;

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;

use super::snapshot::label;
use super::{Event, MAIN, Tracer, WaitingOn, WakeCause};
use crate::ids::TaskId;
use crate::time::Instant;

/// The `--timeline` tracer. Clones share what was recorded: give one to the
/// [`Builder`](crate::Builder), keep one to draw with after the run.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::trace::Timeline;
/// use tinyloop_runtime::{Builder, spawn_named, time::sleep};
///
/// let timeline = Timeline::new();
/// let runtime = Builder::new().virtual_clock(true).tracer(timeline.clone()).build();
/// runtime.block_on(async {
///     spawn_named("sleeper", sleep(Duration::from_secs(1))).await.unwrap();
/// });
/// // main: polled in step 1, waits, is woken in step 3 when the sleeper ends, completes
/// // in step 4. The sleeper: spawned in step 1, polled in 2, completed in 3.
/// let text = timeline.text();
/// assert!(text.contains("\nmain              #.-=\n"), "{text}");
/// assert!(text.contains("\nsleeper (task-1)  -#=\n"), "{text}");
/// assert_eq!(timeline.svg().matches("class=\"lane\"").count(), 2);
/// ```
#[derive(Clone, Default)]
pub struct Timeline {
    /// What was recorded, shared by all clones.
    data: Rc<RefCell<Data>>,
}

/// Everything the timeline recorded.
#[derive(Default)]
struct Data {
    /// The loop time of each step's polls (or its start, if it polled nothing), in step
    /// order: step `i + 1` is at `i`. A virtual-clock jump happens inside a step, after its
    /// start, so the time of the first poll is the one that belongs on the axis.
    steps: Vec<Instant>,
    /// True once the current step's time was taken from a poll.
    step_timed: bool,
    /// One lane per task, in the order tasks were first seen (spawn order, `main` first).
    lanes: Vec<Lane>,
    /// Where each task's lane is in `lanes`.
    index: HashMap<TaskId, usize>,
}

/// One task's history.
struct Lane {
    /// The task.
    id: TaskId,
    /// Its label, `worker-1 (task-2)`.
    label: String,
    /// What happened to it, in order.
    marks: Vec<Mark>,
}

/// One thing that happened to a task in a step.
struct Mark {
    /// The step it happened in.
    step: u64,
    /// What it was.
    kind: Kind,
}

enum Kind {
    Spawned,
    Woken(WakeCause),
    Pending(Option<WaitingOn>),
    Completed,
    Cancelled,
    Panicked,
}

impl Timeline {
    /// An empty timeline.
    pub fn new() -> Timeline {
        Timeline::default()
    }

    /// The compact text chart: one row per task, one character per step (at most 200), and
    /// a time axis above.
    pub fn text(&self) -> String {
        self.data.borrow().text()
    }

    /// The SVG picture, as a string.
    pub fn svg(&self) -> String {
        self.data.borrow().svg()
    }
}

impl Tracer for Timeline {
    fn event(&mut self, event: &Event) {
        let mut data = self.data.borrow_mut();
        let step = data.steps.len() as u64;
        let (task, kind) = match event {
            Event::StepStarted { now, .. } => {
                data.steps.push(*now);
                data.step_timed = false;
                return;
            }
            Event::Polled { .. } if !data.step_timed => {
                if let (Some(now), Some(last)) = (super::loop_now(), data.steps.last_mut()) {
                    *last = now;
                }
                data.step_timed = true;
                return;
            }
            Event::Spawned { task, name } => {
                data.lane(*task, name);
                (*task, Kind::Spawned)
            }
            Event::Woken { task, by } => (*task, Kind::Woken(*by)),
            Event::Pending { task, waiting_on } => (*task, Kind::Pending(*waiting_on)),
            Event::Completed { task } => (*task, Kind::Completed),
            Event::Cancelled { task } => (*task, Kind::Cancelled),
            Event::Panicked { task, .. } => (*task, Kind::Panicked),
            Event::Polled { .. } | Event::SlowPoll { .. } | Event::SlowPolls { .. } => return,
        };
        // Events before the first step (main's spawn) belong to step 1.
        let step = step.max(1);
        let lane = data.lane(task, &task.to_string());
        data.lanes[lane].marks.push(Mark { step, kind });
    }
}

/// Per-step characters of the text chart, also used to decide the SVG's shapes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Absent,
    Ready,
    Waiting,
    Ran,
    Completed,
    Cancelled,
    Panicked,
}

impl Cell {
    fn char(self) -> char {
        match self {
            Cell::Absent => ' ',
            Cell::Ready => '-',
            Cell::Waiting => '.',
            Cell::Ran => '#',
            Cell::Completed => '=',
            Cell::Cancelled => 'x',
            Cell::Panicked => '!',
        }
    }

    fn polled(self) -> bool {
        matches!(
            self,
            Cell::Ran | Cell::Completed | Cell::Cancelled | Cell::Panicked
        )
    }
}

/// The most steps the text chart shows.
const TEXT_COLUMNS: usize = 200;

impl Data {
    /// The lane of `task`, made on first sight.
    fn lane(&mut self, task: TaskId, name: &str) -> usize {
        if let Some(&lane) = self.index.get(&task) {
            return lane;
        }
        let name = if task == MAIN { "main" } else { name };
        self.lanes.push(Lane {
            id: task,
            label: label(task, name),
            marks: Vec::new(),
        });
        self.index.insert(task, self.lanes.len() - 1);
        self.lanes.len() - 1
    }

    /// A lane as one cell per step.
    fn cells(&self, lane: &Lane) -> Vec<Cell> {
        let steps = self.steps.len().max(1);
        let mut cells = vec![Cell::Absent; steps];
        let mut between = Cell::Absent; // what the task is doing between marks
        let mut next = 0; // index of the first step not yet filled
        for mark in &lane.marks {
            let at = (mark.step as usize - 1).min(steps - 1);
            for cell in &mut cells[next.min(at)..at] {
                *cell = between;
            }
            let here = &mut cells[at];
            match mark.kind {
                Kind::Spawned | Kind::Woken(_) => {
                    between = Cell::Ready;
                    if !here.polled() {
                        *here = Cell::Ready;
                    }
                }
                Kind::Pending(_) => {
                    between = Cell::Waiting;
                    *here = Cell::Ran;
                }
                Kind::Completed => {
                    between = Cell::Absent;
                    *here = Cell::Completed;
                }
                Kind::Cancelled => {
                    between = Cell::Absent;
                    *here = Cell::Cancelled;
                }
                Kind::Panicked => {
                    between = Cell::Absent;
                    *here = Cell::Panicked;
                }
            }
            next = at + 1;
        }
        for cell in cells.iter_mut().skip(next) {
            *cell = between;
        }
        cells
    }

    /// The steps at which loop time differs from the step before: `(step index, time)`.
    fn time_changes(&self) -> Vec<(usize, Instant)> {
        let mut changes = Vec::new();
        let mut last = None;
        for (i, now) in self.steps.iter().enumerate() {
            // Two decimals, as printed: the real clock moves a little every step.
            let shown = now.to_string();
            if last.as_ref() != Some(&shown) {
                changes.push((i, *now));
                last = Some(shown);
            }
        }
        changes
    }

    fn text(&self) -> String {
        let steps = self.steps.len();
        let columns = steps.min(TEXT_COLUMNS);
        let width = self
            .lanes
            .iter()
            .map(|lane| lane.label.chars().count())
            .max()
            .unwrap_or(0)
            .max(4);
        let mut out = String::new();
        let _ = writeln!(
            out,
            "timeline: {steps} steps, one column each; # polled  = completed  - ready  . waiting  x cancelled  ! panicked"
        );
        // The time axis: `|` where loop time moves on, and the times listed below the chart.
        let changes = self.time_changes();
        let mut axis = vec![' '; columns];
        for (step, _) in &changes {
            if *step < columns {
                axis[*step] = '|';
            }
        }
        let axis: String = axis.into_iter().collect();
        let _ = writeln!(out, "{:width$}  {}", "time", axis.trim_end());
        for lane in &self.lanes {
            let row: String = self
                .cells(lane)
                .iter()
                .take(columns)
                .map(|cell| cell.char())
                .collect();
            let _ = writeln!(out, "{:width$}  {}", lane.label, row.trim_end());
        }
        let listed: Vec<String> = changes
            .iter()
            .take(16)
            .map(|(step, now)| format!("{now} from step {}", step + 1))
            .collect();
        let more = if changes.len() > 16 { ", …" } else { "" };
        let _ = writeln!(out, "{:width$}  | {}{more}", "", listed.join(", "));
        if steps > columns {
            let _ = writeln!(out, "(showing the first {columns} of {steps} steps)");
        }
        out
    }
}

/// A few characters for what a task waits on, to print on its waiting line.
fn short_wait(what: WaitingOn) -> String {
    match what {
        WaitingOn::Timer(at) => format!("timer {at}"),
        WaitingOn::Task(id) => id.to_string(),
        WaitingOn::Primitive(what) | WaitingOn::Io(what) => what.to_string(),
        WaitingOn::Thread => "thread".to_string(),
    }
}

/// A few characters for what woke a task, to print under its wake mark.
fn short_cause(by: WakeCause) -> String {
    match by {
        WakeCause::Timer => "timer".to_string(),
        WakeCause::Io => "I/O".to_string(),
        WakeCause::Task(id) => id.to_string(),
        WakeCause::Primitive(name) => name.to_string(),
        other => other.to_string(),
    }
}
