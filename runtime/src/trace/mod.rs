//! What the loop tells a tracer as it runs: the raw material for `--trace`, `--step` and
//! the timeline.
//!
//! asyncio's debug mode (`asyncio.run(main(), debug=True)`) logs slow callbacks and
//! never-retrieved exceptions; it does not show the loop's steps. tinyloop's loop reports
//! every step and every task transition to a [`Tracer`] if one is installed with
//! [`Builder::tracer`](crate::Builder::tracer). With none installed, each report point is
//! one predictable branch on a `bool`.
//!
//! # Who woke a task
//!
//! A waker does not know who calls it, so the loop keeps a "current cause" that the caller
//! of `wake()` sets: the timer wheel says [`WakeCause::Timer`], the channel from other
//! threads says [`WakeCause::Thread`], a primitive says its own name through [`wake_as`],
//! and anything else that wakes a task while another task runs is [`WakeCause::Task`].
//!
//! # What is built on the events
//!
//! | piece | file | what it shows |
//! |---|---|---|
//! | [`TextLog`] | `log.rs` | `--trace`: one line per event, in order with the program's own output |
//! | [`Snapshot`], [`snapshot`] | `snapshot.rs` | the loop's state at one moment: ready queue, timers, I/O, every task |
//! | [`Stepper`] | `step.rs` | `--step`: stop before each step, show the snapshot, wait for Enter |
//! | [`Timeline`] | `timeline.rs` | `--timeline`: which task ran in which step, as text and as SVG |
//! | [`Explorer`] | `record/` | `--explore`: every step's state, for the explorer page |
//! | [`Recorder`] | here | every event kept in a list, for tests |
//!
//! Several tracers at once go in a `Vec<Box<dyn Tracer>>`, which is a tracer itself.
//!
//! # The loop's diagnostics
//!
//! asyncio's debug mode warns about a callback that held the loop too long, an exception
//! nobody retrieved, and tasks destroyed while pending. tinyloop's loop does the same, on
//! stderr, always (no tracer needed), each naming the task:
//!
//! * a poll that took [`SLOW_POLL_THRESHOLD`] or longer, measured with the loop's own clock,
//!   one reading per window of polls (see `diagnostics.rs`; set the threshold with
//!   [`Builder::slow_poll_threshold`](crate::Builder::slow_poll_threshold));
//! * a panic that nobody awaited;
//! * tasks still pending when the loop is closed, with what each waited on;
//! * a loop that can never make progress: a panic with every task and what it waits on, on
//!   the virtual clock; a warning after a second of idleness on the real clock.
//!
//! The task `main` (the future given to `run` or `block_on`) appears in events and
//! snapshots as [`MAIN`], task number 0.

mod diagnostics;
mod log;
mod record;
mod sink;
mod snapshot;
mod step;
mod timeline;

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;
use std::task::Waker;
use std::time::Duration;

use crate::context;
pub use crate::ids::MAIN;
use crate::ids::TaskId;
use crate::time::Instant;

pub(crate) use diagnostics::{Diagnostics, Slow, threshold_from_env};
pub use diagnostics::{POLLS_PER_READING, PRECISE_POLLS, SLOW_POLL_ENV, SLOW_POLL_THRESHOLD};
pub use log::{Names, TextLog, describe_event};
pub(crate) use record::with_explorer;
pub use record::{EXPLORE_ENV, Explorer, WheelTimer, numbered, output};
pub(crate) use sink::TraceSink;
pub(crate) use snapshot::label as snapshot_label;
pub use snapshot::{IoSnapshot, Snapshot, TaskSnapshot, TimerSnapshot};
pub use step::Stepper;
pub use timeline::Timeline;

/// How long the loop may block at the start of a step, and why.
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::trace::{Event, Recorder, Wait};
/// let recorder = Recorder::new();
/// let runtime = tinyloop_runtime::Builder::new().virtual_clock(true).tracer(recorder.clone());
/// runtime.build().block_on(tinyloop_runtime::time::sleep(Duration::from_secs(1)));
/// let waits: Vec<Wait> = recorder.events().into_iter().filter_map(|event| match event {
///     Event::StepStarted { wait, .. } => Some(wait),
///     _ => None,
/// }).collect();
/// assert_eq!(waits[0], Wait::ReadyTask); // main is ready in step 1; then only the timer is left
/// assert_eq!(waits[1].to_string(), "nothing ready: the virtual clock jumps to the next timer");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// A task is ready: the loop does not wait.
    ReadyTask,
    /// Nothing is ready; the real clock waits this long for the next timer.
    NextTimer(Duration),
    /// Nothing is ready; the virtual clock jumps to the next timer.
    JumpTo(Instant),
    /// Nothing is ready and no timer is set: wait until I/O or another thread wakes a task.
    Forever,
}

impl fmt::Display for Wait {
    /// Why the step may or may not block, as the `--trace` log and `--step` print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Wait::ReadyTask => write!(f, "a task is ready: no waiting"),
            Wait::NextTimer(duration) => write!(
                f,
                "nothing ready: wait {:.3} s for the next timer",
                duration.as_secs_f64()
            ),
            // `at` may be only the wheel's next slot to cascade, short of the timer itself; the
            // loop jumps on within the step, so say where it ends up, not `at`.
            Wait::JumpTo(_) => write!(
                f,
                "nothing ready: the virtual clock jumps to the next timer"
            ),
            Wait::Forever => write!(f, "nothing ready: wait for I/O or another thread"),
        }
    }
}

/// What put a task back in the ready queue.
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::trace::{Event, MAIN, Recorder, WakeCause};
/// let recorder = Recorder::new();
/// let runtime = tinyloop_runtime::Builder::new().virtual_clock(true).tracer(recorder.clone());
/// runtime.build().block_on(tinyloop_runtime::time::sleep(Duration::from_secs(1)));
/// let causes: Vec<WakeCause> = recorder.events().into_iter().filter_map(|event| match event {
///     Event::Woken { task: MAIN, by } => Some(by),
///     _ => None,
/// }).collect();
/// assert_eq!(causes, [WakeCause::Spawn, WakeCause::Timer]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WakeCause {
    /// `spawn` scheduled it for its first poll.
    Spawn,
    /// A timer it set expired.
    Timer,
    /// The reactor saw its I/O source become ready.
    Io,
    /// Another task (or the task itself, as `yield_now` does) called its waker.
    Task(TaskId),
    /// The `main` future of `block_on` called its waker.
    Main,
    /// Another thread called its waker.
    Thread,
    /// A synchronisation primitive handed it something; the primitive's name.
    Primitive(&'static str),
    /// Its `JoinHandle::cancel` was called.
    Cancel,
    /// Woken outside of any task, timer or primitive (by the loop itself).
    Loop,
}

impl fmt::Display for WakeCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WakeCause::Spawn => write!(f, "spawn"),
            WakeCause::Timer => write!(f, "a timer"),
            WakeCause::Io => write!(f, "I/O readiness"),
            WakeCause::Task(id) => write!(f, "{id}"),
            WakeCause::Main => write!(f, "main"),
            WakeCause::Thread => write!(f, "another thread"),
            WakeCause::Primitive(n) if n.starts_with(['A', 'E', 'I', 'O']) => write!(f, "an {n}"),
            WakeCause::Primitive(name) => write!(f, "a {name}"),
            WakeCause::Cancel => write!(f, "cancel"),
            WakeCause::Loop => write!(f, "the loop"),
        }
    }
}

/// One thing the loop did. `Polled` … `Cancelled` name the task by id; `Spawned` carries
/// the name once, so a tracer can remember it. The `main` future is task [`MAIN`]: it is
/// "spawned" when `block_on` starts, and polled, pending and completed like any task.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A step begins: its number, the loop time, and how long it may block.
    StepStarted {
        /// The step's number, from 1.
        step: u64,
        /// The loop's clock when the step began.
        now: Instant,
        /// How long the loop may block in this step, and why.
        wait: Wait,
    },
    /// A task was spawned (it is scheduled, not yet polled).
    Spawned {
        /// The new task.
        task: TaskId,
        /// Its name.
        name: String,
    },
    /// A task is about to be polled.
    Polled {
        /// The task.
        task: TaskId,
    },
    /// A task's poll returned `Pending`.
    Pending {
        /// The task.
        task: TaskId,
        /// What it said it waits for (see [`waiting_on`]), if it said.
        waiting_on: Option<WaitingOn>,
    },
    /// A task was put in the ready queue.
    Woken {
        /// The task.
        task: TaskId,
        /// Who woke it.
        by: WakeCause,
    },
    /// A task's future returned its value.
    Completed {
        /// The task.
        task: TaskId,
    },
    /// A task's future was dropped because it was cancelled.
    Cancelled {
        /// The task.
        task: TaskId,
    },
    /// A task's future panicked.
    Panicked {
        /// The task.
        task: TaskId,
        /// The panic's message.
        message: String,
    },
    /// A poll held the loop for [`SLOW_POLL_THRESHOLD`] or longer (asyncio debug mode's
    /// "Executing <Task …> took 0.105 seconds"). Reported after the poll, before the task
    /// is filed as pending or completed.
    SlowPoll {
        /// The task.
        task: TaskId,
        /// How long the poll took by the loop's clock.
        took: Duration,
    },
    /// Several polls timed together (one clock reading covers a window of polls while the
    /// loop is busy) held the loop for [`SLOW_POLL_THRESHOLD`] or longer. The loop then times
    /// the next [`PRECISE_POLLS`] polls one by one, to name a culprit that blocks again.
    SlowPolls {
        /// The tasks polled in the window, in order (a task polled twice is listed twice).
        tasks: Vec<TaskId>,
        /// How long the window took by the loop's clock.
        took: Duration,
    },
}

/// What a task that returned `Pending` is waiting for, as the future it awaits declared it
/// with [`waiting_on`]. Shown by the deadlock report and the step snapshot.
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::time::{Instant, sleep};
/// use tinyloop_runtime::trace::{WaitingOn, snapshot};
/// use tinyloop_runtime::{run_virtual, spawn};
/// run_virtual(async {
///     let sleeper = spawn(sleep(Duration::from_secs(5)));
///     sleep(Duration::from_secs(1)).await;
///     let state = snapshot().unwrap();
///     let task = state.task(sleeper.id()).unwrap();
///     let at = Instant::from_start(Duration::from_secs(5));
///     assert_eq!(task.waiting_on, Some(WaitingOn::Timer(at)));
/// });
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WaitingOn {
    /// A timer (`sleep`, `timeout`) that fires at this instant.
    Timer(Instant),
    /// Another task's `JoinHandle`.
    Task(TaskId),
    /// A primitive, by its type and operation: `"Semaphore.acquire"`, `"Queue.get"`.
    Primitive(&'static str),
    /// An I/O source becoming readable or writable: `"TcpStream.read"`.
    Io(&'static str),
    /// A job on another thread (`to_thread`).
    Thread,
}

impl fmt::Display for WaitingOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaitingOn::Timer(at) => write!(f, "a timer at {at}"),
            WaitingOn::Task(id) => write!(f, "{id}"),
            WaitingOn::Primitive(what) | WaitingOn::Io(what) => write!(f, "{what}"),
            WaitingOn::Thread => write!(f, "a job on another thread"),
        }
    }
}

/// Declare what the task being polled now is waiting for. A future calls this just before
/// it returns `Pending`; the loop records it on the task until its next poll. Outside a
/// task (or outside a loop) it does nothing.
/// ```
/// use std::future::poll_fn;
/// use std::task::Poll;
/// use tinyloop_runtime::trace::{WaitingOn, snapshot, waiting_on};
/// use tinyloop_runtime::{run, spawn, yield_now};
/// run(async {
///     // A future that never finishes, and says what it waits for.
///     let gate = spawn(poll_fn(|_| {
///         waiting_on(WaitingOn::Primitive("Gate.open"));
///         Poll::<()>::Pending
///     }));
///     yield_now().await; // the gate task is polled once
///     let state = snapshot().unwrap();
///     let waits = state.task(gate.id()).unwrap().waiting_on;
///     assert_eq!(waits, Some(WaitingOn::Primitive("Gate.open")));
///     gate.cancel();
/// });
/// ```
pub fn waiting_on(what: WaitingOn) {
    context::try_with(|lent| {
        if let Some(lent) = lent {
            lent.trace().note(what);
        }
    });
}

/// Receives the loop's events. Install one with [`Builder::tracer`](crate::Builder::tracer).
///
/// The tracer runs inside the loop, on its thread: it may call [`snapshot`] to look at the
/// loop's state (the `--step` mode does, at every `StepStarted`), and it may block, which
/// stops the loop (the `--step` mode waits for Enter). It must not spawn or wake tasks.
/// ```
/// use tinyloop_runtime::trace::{Event, Tracer};
/// use tinyloop_runtime::{Builder, spawn};
/// struct CountSpawns(std::rc::Rc<std::cell::Cell<u32>>);
///
/// impl Tracer for CountSpawns {
///     fn event(&mut self, event: &Event) {
///         if let Event::Spawned { .. } = event {
///             self.0.set(self.0.get() + 1);
///         }
///     }
/// }
///
/// let count = std::rc::Rc::new(std::cell::Cell::new(0));
/// let runtime = Builder::new().tracer(CountSpawns(count.clone())).build();
/// runtime.block_on(async { spawn(async {}).await.unwrap() });
/// assert_eq!(count.get(), 2); // main, then the task it spawned
/// ```
pub trait Tracer {
    /// Called for every event, on the loop's thread, in order.
    fn event(&mut self, event: &Event);
}

/// Several tracers at once (`--trace --timeline t.svg`): each gets every event, in order.
impl Tracer for Vec<Box<dyn Tracer>> {
    fn event(&mut self, event: &Event) {
        for tracer in self.iter_mut() {
            tracer.event(event);
        }
    }
}

/// A tracer that keeps every event, for tests. Clones share the same list, so keep one
/// clone and give the other to the [`Builder`](crate::Builder).
///
/// ```
/// use tinyloop_runtime::trace::{Event, MAIN, Recorder};
/// use tinyloop_runtime::Builder;
///
/// let recorder = Recorder::new();
/// Builder::new().tracer(recorder.clone()).build().block_on(async {});
/// let events = recorder.events();
/// assert!(matches!(events[0], Event::Spawned { task: MAIN, .. }));
/// assert_eq!(events.last(), Some(&Event::Completed { task: MAIN }));
/// ```
#[derive(Clone, Default)]
pub struct Recorder {
    /// Every event so far, shared by all clones.
    events: Rc<RefCell<Vec<Event>>>,
}

impl Recorder {
    /// An empty recorder.
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// A copy of the events recorded so far.
    pub fn events(&self) -> Vec<Event> {
        self.events.borrow().clone()
    }

    /// The events so far, one [`describe_event`] line each, naming tasks as they were
    /// spawned.
    /// ```
    /// use tinyloop_runtime::Builder;
    /// use tinyloop_runtime::trace::Recorder;
    /// let recorder = Recorder::new();
    /// Builder::new().tracer(recorder.clone()).build().block_on(async {});
    /// let expected = [
    ///     "spawn    main",
    ///     "wake     main by spawn",
    ///     "── step 1: a task is ready: no waiting",
    ///     "poll     main",
    ///     "done     main",
    /// ];
    /// assert_eq!(recorder.lines(), expected);
    /// ```
    pub fn lines(&self) -> Vec<String> {
        let mut names = Names::default();
        self.events
            .borrow()
            .iter()
            .map(|event| {
                names.learn(event);
                describe_event(event, &names)
            })
            .collect()
    }
}

impl Tracer for Recorder {
    fn event(&mut self, event: &Event) {
        self.events.borrow_mut().push(event.clone());
    }
}

/// The loop time of the loop running on this thread, if one runs: what a tracer reads to
/// stamp an event with the moment it happened (a step's start time is stale after a jump).
pub(crate) fn loop_now() -> Option<Instant> {
    context::try_with(|lent| lent.map(|lent| lent.time().now()))
}

/// The state of the loop running on this thread, or `None` outside a loop (or when the
/// loop is in the middle of changing what a snapshot reads). See [`Snapshot`].
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::sleep;
/// use tinyloop_runtime::trace::snapshot;
/// assert!(snapshot().is_none()); // no loop runs here
/// run_virtual(async {
///     let _sleeper = tinyloop_runtime::spawn(sleep(Duration::from_secs(5)));
///     sleep(Duration::from_secs(1)).await; // the sleeper has filed its timer by now
///     let state = snapshot().expect("a loop runs here");
///     assert_eq!(state.timers.len(), 1);
///     assert_eq!(state.timers[0].deadline.to_string(), "t=5.00");
/// });
/// ```
pub fn snapshot() -> Option<Snapshot> {
    context::snapshot()
}

/// Do to the loop what a blocking call lasting `duration` would do: hold it, so no other
/// task, timer or I/O can run meanwhile.
///
/// On the real clock this is `std::thread::sleep(duration)`. On the virtual clock it moves
/// loop time forward by `duration` without yielding, which is what a blocking call looks
/// like to the loop: time has passed and nothing else ran. Demos and tests use it to show
/// the slow-poll warning and late timers with exact, repeatable times. Outside a loop it
/// sleeps the thread.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::now;
/// use tinyloop_runtime::trace::simulate_blocking;
///
/// run_virtual(async {
///     simulate_blocking(Duration::from_millis(150)); // the loop is stuck here, 150 ms
///     assert_eq!(now().to_string(), "t=0.15");
/// });
/// ```
pub fn simulate_blocking(duration: Duration) {
    let advanced = context::try_with(|lent| match lent {
        Some(lent) if lent.time().is_virtual() => {
            lent.time()
                .advance_to(lent.time().now().saturating_add(duration));
            true
        }
        _ => false,
    });
    if !advanced {
        std::thread::sleep(duration);
    }
}

/// Wake `waker` and tell the tracer that the primitive `name` did it (`"Semaphore"`,
/// `"Queue"`, …). Primitives call this instead of `waker.wake()`.
pub fn wake_as(waker: Waker, name: &'static str) {
    wake_with_cause(WakeCause::Primitive(name), || waker.wake());
}

/// Run `wake`, telling the tracer (if one is installed) that `cause` is who wakes.
pub(crate) fn wake_with_cause(cause: WakeCause, wake: impl FnOnce()) {
    context::try_with(|lent| match lent {
        Some(lent) => lent.trace().with_cause(cause, wake),
        None => wake(),
    })
}
