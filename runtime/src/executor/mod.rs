//! The event loop: asyncio's `BaseEventLoop._run_once`, one step at a time.
//!
//! The seed texts describe the loop as something that "continuously checks: which tasks are
//! ready to continue?". This module is that loop: a `Loop` is a scheduler (every task and
//! the ready queue of those that can make progress) beside three drivers it owns but does
//! not reach into (the time driver, the reactor, the thread pool), and a trace sink. One
//! *step* (asyncio calls it one iteration of `_run_once`) is:
//!
//! 1. **Decide how long to block**: not at all if a task is ready; until the next timer if
//!    one is set (the virtual clock jumps there instead); forever if only I/O or another
//!    thread can wake a task; and if nothing at all can ever wake a task, the program is
//!    stuck, and the loop says so instead of hanging.
//! 2. **Ask the poller what happened** while we were away (I/O readiness, a notification
//!    from another thread), then drain the channel of wakes from other threads. While tasks
//!    are ready, the poller is asked only once per [`IO_POLL_INTERVAL`] task polls: asking
//!    costs syscalls, and a loop of one yielding task would otherwise pay them every step.
//! 3. **Fire the timers** whose deadline has come, in deadline order, ties in the order they
//!    were set.
//! 4. **Poll each task that is ready now**, once, in FIFO order. A task woken during this
//!    stage (even by itself, as `yield_now` does) runs in the *next* step, so a task that
//!    yields in a loop cannot starve timers, I/O or the other tasks.
//!
//! `spawn` (asyncio's `create_task`) only puts the new task at the back of the ready queue:
//! its first poll happens in a later stage 4, never inside `spawn`.
//!
//! # The virtual clock and real I/O
//!
//! On the virtual clock, time jumps to the next timer when nothing is ready. With sockets
//! and threads in play, "nothing is ready" is not the whole story, so the rule is:
//!
//! * **A running `to_thread` job holds the clock.** While a job's awaiter waits, the clock
//!   does not jump; the loop waits, for real, for the job to finish. A job takes no loop
//!   time, just as CPU work in a task takes none. (A job that itself waits for something
//!   only the loop's timers can give would wait for ever; after
//!   [`VIRTUAL_THREAD_PATIENCE`] of real time with nothing woken, the clock jumps anyway.)
//! * **A socket gets a grace, then the clock jumps.** When tasks are parked on sockets and a
//!   timer is pending, the loop first listens to the poller for [`VIRTUAL_IO_GRACE`] of real
//!   time. If a socket wakes a task, that task runs and no time passes. If none does, the
//!   I/O is taken to be quiet and the clock jumps to the timer, so a `timeout` around a
//!   read that never arrives fires at its exact virtual deadline instead of hanging.
//! * **With no timer at all**, tasks parked on sockets make the loop wait for ever, for
//!   real (a peer outside the process may still write); only when nothing outside the loop
//!   can wake a task is the program reported as stuck, and only after
//!   [`VIRTUAL_THREAD_PATIENCE`] of real time without a wake from another thread (a waker
//!   is `Send`: a user's own thread may hold one and wake its task late).
//!
//! Peers in the same process are deterministic under this rule: on loopback, the bytes are
//! in the peer's receive buffer by the time `write` returns, so the poller sees them at
//! once, long before the grace runs out.
//!
//! # Where each stage lives
//!
//! | stage | file | what it reads and changes |
//! |---|---|---|
//! | the loop itself | `mod.rs` | `Loop`, and `run_until`: the four stages in order |
//! | 1. decide how long to wait | `wait.rs` | the ready queue, the time driver's next expiration |
//! | 2. poll I/O and remote wakes | `wait.rs` | the reactor, the channel from other threads |
//! | 3. fire the timers | `mod.rs` | the time driver ([`crate::time`]'s `driver.rs`) |
//! | 4. run the ready tasks | `run.rs` | the scheduler (`scheduler.rs`), the tasks (`task.rs`) |
//! | the end | `shutdown.rs` | cancelling what is left, reporting what nobody awaited |
//! | the front door | `runtime.rs` | [`Runtime`], [`Builder`], [`run`], [`spawn`] |
//!
//! # Ground rules
//!
//! * One loop per thread, and everything in `Loop` is touched only from that thread:
//!   `Cell` and `RefCell`, no locks. Other threads reach the loop only through
//!   `waker::Remote`.
//! * No `RefCell` borrow is held while user code runs (a poll, a destructor, a waker), so
//!   user code may call back into the loop (`spawn`, `wake`, `cancel`) at any time.

mod join;
mod note;
mod run;
mod runtime;
mod scheduler;
mod shutdown;
mod snapshot;
mod task;
mod wait;
mod waker;
mod yield_now;

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crossbeam_channel::Receiver;

use crate::blocking::BlockingPool;
use crate::reactor::Reactor;
use crate::time::driver::TimeDriver;
use crate::trace::{Diagnostics, Event, MAIN, TraceSink, Tracer, WakeCause};

pub use join::{JoinError, JoinHandle};
pub use runtime::{Builder, Runtime, current_step, run, run_virtual, spawn, spawn_named};
pub use task::{TaskId, TaskState};
pub use yield_now::{YieldNow, yield_now};

use scheduler::Scheduler;
pub use shutdown::SHUTDOWN_ROUNDS;
pub(crate) use shutdown::report_unretrieved_panic;
use task::Origin;
use waker::{MAIN_KEY, MainWaker, Remote, RemoteWake};

/// While tasks are ready, the loop asks the poller about I/O once per this many task polls.
///
/// Stage 2 counts the tasks each step is about to poll (the ready queue's length), and asks
/// the poller, without blocking, before the step that brings the count since it was last
/// asked to this many or more. So a socket that becomes ready waits for at most 127 task
/// polls, or one step if a step polls more: bounded by work done, as in asyncio, whose
/// `_run_once` selects (with timeout 0) before every pass over its ready queue. Beside a
/// thousand yielding tasks that is every step, and a TCP round trip costs two steps (68 µs
/// measured, against 7.3 ms when the poller was asked every 61st step, and 5 to 9 ms for
/// asyncio, whose two passes over a thousand Python callbacks take that long).
///
/// Why 127 polls: a poller turn costs several syscalls (about 0.8 µs with `polling`),
/// against about 0.1 µs for the poll of a task that only yields, so the interval sets what
/// a busy loop pays for checking: under 7 ns per task poll at 127. tokio asks every 61 task
/// polls (`event_interval`), but its turn is a single `epoll_wait`; at 61, tinyloop's
/// two-task `yield_pingpong` benchmark was 20% slower than with the old every-61st-step
/// rule, at 127 it is as fast. A prime, so that the checks do not fall into step with a
/// program that does something every 2^k polls.
pub const IO_POLL_INTERVAL: u64 = 127;

/// On the virtual clock, how long (in real time) the loop listens for I/O before it lets the
/// clock jump past tasks parked on sockets. Peers inside the process answer well within it
/// (loopback data is in the peer's buffer when `write` returns); see the module docs.
pub const VIRTUAL_IO_GRACE: Duration = Duration::from_millis(10);

/// On the virtual clock, how long (in real time) the loop waits for a running `to_thread`
/// job before it lets the clock jump anyway: long enough for any job that does not itself
/// wait for the loop, short enough that a job waiting for a timer is not stuck for ever.
/// Also how long it waits for a wake from some other thread before it reports a program
/// with nothing left to wake it as stuck (a `Waker` is `Send`: any thread may hold one).
pub const VIRTUAL_THREAD_PATIENCE: Duration = Duration::from_secs(1);

// ANCHOR: loop
/// One event loop: the scheduler, the drivers it owns, and the trace sink. Shared (through
/// `Rc`) by the [`Runtime`] and the thread-local context that `spawn`, `sleep` and wakers
/// read (`context.rs`).
pub(crate) struct Loop {
    /// Every task, the ready queue, and which task runs now (`scheduler.rs`).
    scheduler: Scheduler,
    /// The clock and the timers (`time/driver.rs`).
    pub(crate) time: Rc<TimeDriver>,
    /// The poller and the sockets registered with it (`reactor/`).
    pub(crate) reactor: Rc<Reactor>,
    /// The `to_thread` pool; no thread starts before the first job (`blocking.rs`).
    pub(crate) blocking: Rc<BlockingPool>,
    /// The tracer, who is waking tasks now, what the polled future waits on (`trace/`).
    pub(crate) trace: TraceSink,
    /// The way in for other threads; every task reaches it through its origin, and its
    /// address names this loop to the wakers (see [`Loop::owns`]).
    remote: Arc<Remote>,
    /// The origin every unnamed task of this loop shares (`task.rs`, `Origin`).
    unnamed: Arc<Origin>,
    /// Wakes sent from other threads, drained every step.
    remote_wakes: Receiver<RemoteWake>,
    /// The number of the step in progress; 0 before the first.
    step: Cell<u64>,
    /// The slow-poll check: its threshold and the clock reading it measures from.
    diagnostics: Diagnostics,
    /// Start each spawned task at once, inside `spawn`, as asyncio 3.12's
    /// `eager_task_factory` does ([`Builder::eager_tasks`]).
    eager_tasks: bool,
    /// Set when shutdown has run out of rounds (`shutdown.rs`): `spawn` is refused.
    closing: Cell<bool>,
    /// How many spawns were refused because the loop was closing, for the report.
    refused_spawns: Cell<usize>,
}
// ANCHOR_END: loop

impl Loop {
    fn new(virtual_clock: bool, eager_tasks: bool, tracer: Option<Box<dyn Tracer>>) -> Loop {
        let reactor = Rc::new(Reactor::new());
        let (sender, remote_wakes) = crossbeam_channel::unbounded();
        let remote = Arc::new(Remote {
            sender,
            poller: reactor.notifier(),
        });
        Loop {
            scheduler: Scheduler::new(remote.clone()),
            unnamed: Arc::new(Origin {
                remote: remote.clone(),
                name: None,
            }),
            time: Rc::new(TimeDriver::new(virtual_clock)),
            reactor,
            blocking: Rc::new(BlockingPool::new()),
            trace: TraceSink::new(tracer),
            remote,
            remote_wakes,
            step: Cell::new(0),
            diagnostics: Diagnostics::default(),
            eager_tasks,
            closing: Cell::new(false),
            refused_spawns: Cell::new(0),
        }
    }

    /// The task being polled right now, `main` as `trace::MAIN`; `None` between polls.
    #[inline]
    pub(crate) fn running_task(&self) -> Option<TaskId> {
        self.scheduler.running()
    }

    /// True when `remote` is this loop's: a waker holding it belongs to one of our tasks.
    /// (The waker keeps the `Remote` alive, so no later loop can have the same address.)
    pub(crate) fn owns(&self, remote: &Arc<Remote>) -> bool {
        Arc::ptr_eq(&self.remote, remote)
    }

    /// The current step's number.
    pub(crate) fn step(&self) -> u64 {
        self.step.get()
    }

    // ANCHOR: run_until
    /// Run `main` to completion, one step at a time.
    fn run_until<F: Future>(&self, main: F) -> F::Output {
        let mut main = pin!(main);
        let waker = Waker::from(Arc::new(MainWaker {
            remote: self.remote.clone(),
        }));
        let mut cx = Context::from_waker(&waker);
        self.trace.emit(|| Event::Spawned {
            task: MAIN,
            name: "main".to_string(),
        });
        self.trace
            .with_cause(WakeCause::Spawn, || self.schedule(MAIN_KEY, 0));
        loop {
            self.step.set(self.step.get() + 1);
            // 1: decide how long we may block, and why.
            let wait = self.decide_wait();
            // 2: block that long in the poller, then take the wakes other threads sent.
            self.wait_for_events(wait);
            // 3: fire every timer whose deadline has come.
            self.fire_timers(wait);
            // 4: poll the tasks that are ready now, and only those.
            self.diagnostics.polls_begin(&self.time);
            for _ in 0..self.scheduler.ready_len() {
                let Some(entry) = self.scheduler.pop_ready() else {
                    break;
                };
                if entry.key != MAIN_KEY {
                    self.run_task(entry);
                } else if let Poll::Ready(output) = self.run_main(main.as_mut(), &mut cx) {
                    return output;
                }
            }
            self.end_polls();
        }
    }
    // ANCHOR_END: run_until

    // ANCHOR: fire_timers
    /// Stage 3: the time driver wakes every timer that is due; after a virtual-clock jump
    /// it jumps on past the wheel's cascade points to the first real deadline.
    fn fire_timers(&self, wait: crate::trace::Wait) {
        let jumped = matches!(wait, crate::trace::Wait::JumpTo(_));
        self.trace
            .with_cause(WakeCause::Timer, || self.time.fire_due(jumped));
    }
    // ANCHOR_END: fire_timers
}
