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

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::rc::Rc;

use super::snapshot::label;
use super::{Event, MAIN, Tracer, WaitingOn, WakeCause};
use crate::executor::TaskId;
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

    fn svg(&self) -> String {
        let steps = self.steps.len().max(1);
        let label_width = self
            .lanes
            .iter()
            .map(|lane| lane.label.chars().count())
            .max()
            .unwrap_or(4) as f64
            * 7.0
            + 24.0;
        let column = (1400.0 / steps as f64).clamp(3.0, 60.0);
        let lane_height = 34.0;
        let top = 56.0;
        let width = (label_width + column * steps as f64 + 20.0).max(820.0);
        let height = top + lane_height * self.lanes.len() as f64 + 86.0;
        let x = |step_index: usize| label_width + column * step_index as f64;
        let end = self.steps.last().copied().unwrap_or_default();
        let mut svg = String::new();
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="monospace" font-size="11">"#
        );
        let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
        let _ = writeln!(
            svg,
            r#"<text x="8" y="16" font-size="13">tinyloop timeline: {} lanes, {steps} steps (one column each), t=0.00 to {end}</text>"#,
            self.lanes.len()
        );
        let axis_bottom = top + lane_height * self.lanes.len() as f64;
        for (row, lane) in self.lanes.iter().enumerate() {
            let y = top + lane_height * row as f64;
            let mid = y + lane_height / 2.0;
            let _ = writeln!(
                svg,
                r#"<g class="lane" data-task="{}">"#,
                escape(&lane.id.to_string())
            );
            let _ = writeln!(
                svg,
                r##"<rect x="0" y="{y:.1}" width="{width:.0}" height="{lane_height:.1}" fill="{}"/>"##,
                if row % 2 == 0 { "#f6f6f6" } else { "#ffffff" }
            );
            let _ = writeln!(
                svg,
                r#"<text x="8" y="{:.1}">{}</text>"#,
                mid + 4.0,
                escape(&lane.label)
            );
            self.svg_lane(&mut svg, lane, mid, column, &x);
            let _ = writeln!(svg, "</g>");
        }
        // Time axis, drawn over the lanes: a dashed line and a label wherever loop time moves on.
        let mut free = 0.0;
        for (step, now) in self.time_changes() {
            let at = x(step);
            let _ = writeln!(
                svg,
                r##"<line x1="{at:.1}" y1="{:.1}" x2="{at:.1}" y2="{axis_bottom:.1}" stroke="#999" stroke-dasharray="3,3"/>"##,
                top - 12.0
            );
            if at >= free {
                let _ = writeln!(
                    svg,
                    r#"<text x="{:.1}" y="{:.1}">{now}</text>"#,
                    at + 2.0,
                    top - 16.0
                );
                free = at + 50.0;
            }
        }
        // Step numbers and the legend.
        let every = (40.0 / column).ceil().max(1.0) as usize;
        let every = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
            .into_iter()
            .find(|n| *n >= every)
            .unwrap_or(every);
        let _ = writeln!(
            svg,
            r#"<text x="8" y="{:.1}">step</text>"#,
            axis_bottom + 14.0
        );
        for step in (0..steps).filter(|i| (i + 1) % every == 0 || *i == 0) {
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" fill="#555">{}</text>"##,
                x(step),
                axis_bottom + 14.0,
                step + 1
            );
        }
        let legend = axis_bottom + 40.0;
        let items = [
            ("#4a7bd0", "polled, then Pending"),
            ("#3a9a4a", "polled, completed"),
            ("#888888", "cancelled"),
            ("#d04a4a", "panicked"),
        ];
        for (i, (color, text)) in items.iter().enumerate() {
            let lx = 8.0 + 190.0 * i as f64;
            let _ = writeln!(
                svg,
                r#"<rect x="{lx:.1}" y="{:.1}" width="12" height="12" fill="{color}"/><text x="{:.1}" y="{:.1}">{text}</text>"#,
                legend - 10.0,
                lx + 16.0,
                legend
            );
        }
        let _ = writeln!(
            svg,
            r##"<text x="8" y="{:.1}" fill="#555">thin line: waiting (label: on what) · dashed orange: ready, waiting for its turn</text>"##,
            legend + 18.0
        );
        let _ = writeln!(
            svg,
            r##"<text x="8" y="{:.1}" fill="#555">▼ woken (label: by what) · dashed grey line: loop time moves on</text>"##,
            legend + 34.0
        );
        svg.push_str("</svg>\n");
        svg
    }

    /// One lane's shapes: bars where it ran, lines where it waited or was ready, marks where
    /// it was woken.
    fn svg_lane(
        &self,
        svg: &mut String,
        lane: &Lane,
        mid: f64,
        column: f64,
        x: &dyn Fn(usize) -> f64,
    ) {
        let cells = self.cells(lane);
        // Runs of waiting/ready cells become lines; polled cells become bars.
        let mut i = 0;
        while i < cells.len() {
            let cell = cells[i];
            let mut j = i + 1;
            while j < cells.len() && cells[j] == cell && !cell.polled() {
                j += 1;
            }
            let (x1, x2) = (x(i), x(j));
            match cell {
                Cell::Waiting => {
                    let _ = writeln!(
                        svg,
                        r##"<line x1="{x1:.1}" y1="{mid:.1}" x2="{x2:.1}" y2="{mid:.1}" stroke="#777" stroke-width="1.5"/>"##
                    );
                }
                Cell::Ready => {
                    let _ = writeln!(
                        svg,
                        r##"<line x1="{x1:.1}" y1="{mid:.1}" x2="{x2:.1}" y2="{mid:.1}" stroke="#e08a1e" stroke-width="2" stroke-dasharray="3,2"/>"##
                    );
                }
                cell if cell.polled() => {
                    let color = match cell {
                        Cell::Completed => "#3a9a4a",
                        Cell::Cancelled => "#888888",
                        Cell::Panicked => "#d04a4a",
                        _ => "#4a7bd0",
                    };
                    let time = self.steps.get(i).copied().unwrap_or_default();
                    let _ = writeln!(
                        svg,
                        r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="14" fill="{color}"><title>step {} at {time}</title></rect>"#,
                        x1 + 0.5,
                        mid - 7.0,
                        (column - 1.0).max(1.0),
                        i + 1
                    );
                }
                _ => {}
            }
            i = j;
        }
        // Labels: what it waited on (after each Pending, where the wait leaves room for
        // the words), what woke it.
        for (i, mark) in lane.marks.iter().enumerate() {
            let at = x(mark.step as usize - 1);
            match mark.kind {
                Kind::Pending(Some(what)) => {
                    let next = lane.marks[i + 1..]
                        .iter()
                        .find(|later| later.step > mark.step)
                        .map_or(self.steps.len() as u64 + 1, |later| later.step);
                    let room = (next - mark.step - 1) as f64 * column;
                    let text = short_wait(what);
                    if room < text.chars().count() as f64 * 5.5 {
                        continue;
                    }
                    let _ = writeln!(
                        svg,
                        r##"<text x="{:.1}" y="{:.1}" font-size="9" fill="#555">{}</text>"##,
                        at + column + 1.0,
                        mid - 3.0,
                        escape(&text)
                    );
                }
                Kind::Woken(by) if by != WakeCause::Spawn => {
                    let _ = writeln!(
                        svg,
                        r##"<path d="M{:.1},{:.1} l4,0 l-2,5 z" fill="#b05cc0"><title>woken by {by}</title></path><text x="{:.1}" y="{:.1}" font-size="9" fill="#b05cc0">{}</text>"##,
                        at + column / 2.0 - 2.0,
                        mid - 15.0,
                        at + column / 2.0 + 3.0,
                        mid + 16.0,
                        escape(&short_cause(by))
                    );
                }
                _ => {}
            }
        }
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

/// Text made safe to put between XML tags or in an attribute.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
