//! The `--trace` log: one readable line per event.
//!
//! ```text
//! t=0.00 step 2   ── a task is ready: no waiting
//! t=0.00 step 2   poll     worker-1 (task-2)
//! t=0.00 Worker-1: Starting work                      <- the demo's own line
//! t=0.00 step 2   pending  worker-1 (task-2): waiting on a timer at t=3.00
//! t=1.00 step 5   wake     worker-2 (task-3) by a timer
//! ```
//!
//! The lines go to stdout through `println!`, the same stream and the same lock as the
//! program's own output, so each event appears exactly where it happened among the
//! program's lines. Each line starts with the loop time when it happened, as demo lines do.

use std::collections::HashMap;

use super::snapshot::label;
use super::{Event, MAIN, Tracer, WaitingOn};
use crate::ids::TaskId;
use crate::time::Instant;

/// Task names learned from `Spawned` events, and the step and time of the latest
/// `StepStarted`: what a tracer needs to write a line about a bare [`TaskId`].
///
/// ```
/// use tinyloop_runtime::trace::{Event, Names};
/// use tinyloop_runtime::{JoinHandle, run, spawn_named};
///
/// let id = run(async {
///     let handle: JoinHandle<()> = spawn_named("fetcher", async {});
///     handle.id()
/// });
/// let mut names = Names::default();
/// assert_eq!(names.label(id), id.to_string()); // not learned yet: the bare id
/// names.learn(&Event::Spawned { task: id, name: "fetcher".to_string() });
/// assert_eq!(names.label(id), format!("fetcher ({id})"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// Each task's name, from its `Spawned` event.
    names: HashMap<TaskId, String>,
    /// The step in progress, from the last `StepStarted` (0 before the first).
    pub step: u64,
    /// The loop time at the start of that step.
    pub now: Instant,
}

impl Names {
    /// Take what `event` teaches: a name, or a new step and time.
    pub fn learn(&mut self, event: &Event) {
        match event {
            Event::Spawned { task, name } => {
                self.names.insert(*task, name.clone());
            }
            Event::StepStarted { step, now, .. } => {
                self.step = *step;
                self.now = *now;
            }
            _ => {}
        }
    }

    /// Labels of several tasks, a task polled several times once: `a (task-1), b (task-2)`.
    pub fn list(&self, tasks: &[TaskId]) -> String {
        let mut seen = Vec::new();
        for task in tasks {
            if !seen.contains(task) {
                seen.push(*task);
            }
        }
        let labels: Vec<String> = seen.iter().map(|task| self.label(*task)).collect();
        labels.join(", ")
    }

    /// `session-4 (task-5)` for a named task, `task-5` for an unnamed one, `main` for main.
    pub fn label(&self, task: TaskId) -> String {
        match self.names.get(&task) {
            Some(name) => label(task, name),
            None if task == MAIN => "main".to_string(),
            None => task.to_string(),
        }
    }
}

/// One event as one line, without the time prefix: `poll     session-4 (task-5)`.
///
/// ```
/// use tinyloop_runtime::trace::{Event, MAIN, Names, WakeCause, Wait, describe_event};
///
/// let names = Names::default();
/// let woken = Event::Woken { task: MAIN, by: WakeCause::Primitive("Semaphore") };
/// assert_eq!(describe_event(&woken, &names), "wake     main by a Semaphore");
/// let step = Event::StepStarted { step: 7, now: Default::default(), wait: Wait::ReadyTask };
/// assert_eq!(describe_event(&step, &names), "── step 7: a task is ready: no waiting");
/// /// ```
pub fn describe_event(event: &Event, names: &Names) -> String {
    match event {
        Event::StepStarted { step, wait, .. } => format!("── step {step}: {wait}"),
        Event::Spawned { task, .. } => format!("spawn    {}", names.label(*task)),
        Event::Polled { task } => format!("poll     {}", names.label(*task)),
        Event::Pending {
            task,
            waiting_on: Some(WaitingOn::Task(other)),
        } => format!(
            "pending  {}: waiting on {}",
            names.label(*task),
            names.label(*other)
        ),
        Event::Pending {
            task,
            waiting_on: Some(what),
        } => format!("pending  {}: waiting on {what}", names.label(*task)),
        Event::Pending {
            task,
            waiting_on: None,
        } => format!("pending  {}", names.label(*task)),
        Event::Woken { task, by } => format!("wake     {} by {by}", names.label(*task)),
        Event::Completed { task } => format!("done     {}", names.label(*task)),
        Event::Cancelled { task } => {
            format!("cancel   {}: its future is dropped", names.label(*task))
        }
        Event::Panicked { task, message } => {
            format!("panic    {}: {message}", names.label(*task))
        }
        Event::SlowPoll { task, took } => format!(
            "slow     {} held the loop for {:.3} s",
            names.label(*task),
            took.as_secs_f64()
        ),
        Event::SlowPolls { tasks, took } => format!(
            "slow     polls of {} held the loop for {:.3} s together",
            names.list(tasks),
            took.as_secs_f64()
        ),
    }
}

/// The `--trace` tracer: prints every event as a line on stdout,
/// `t=0.30 step 7   poll     session-4 (task-5)`.
///
/// ```
/// use tinyloop_runtime::Builder;
/// use tinyloop_runtime::trace::TextLog;
///
/// // Prints `t=0.00 step 0   spawn    main`, `t=0.00 step 1   poll     main`, ... on stdout.
/// let runtime = Builder::new().virtual_clock(true).tracer(TextLog::new()).build();
/// assert_eq!(runtime.block_on(async { 6 * 7 }), 42); // tracing changes no result
/// ```
#[derive(Clone, Debug, Default)]
pub struct TextLog {
    /// Names and the current step, learned from the events.
    names: Names,
}

impl TextLog {
    /// A log that prints to stdout.
    pub fn new() -> TextLog {
        TextLog::default()
    }
}

impl Tracer for TextLog {
    fn event(&mut self, event: &Event) {
        self.names.learn(event);
        let now = super::loop_now().unwrap_or(self.names.now);
        println!(
            "{} step {:<3} {}",
            now,
            self.names.step,
            describe_event(event, &self.names)
        );
    }
}
