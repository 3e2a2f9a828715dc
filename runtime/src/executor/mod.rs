//! The event loop: asyncio's `BaseEventLoop._run_once`, one step at a time.
//!
//! The seed texts describe the loop as something that "continuously checks: which tasks are
//! ready to continue?". This module is that loop. It owns every task, a ready queue of the
//! tasks that can make progress, the clock and the timer wheel, and a poller to block on
//! when nothing is ready. One *step* (asyncio calls it one iteration of `_run_once`) is:
//!
//! 1. **Decide how long to block**: not at all if a task is ready; until the next timer if
//!    one is set (the virtual clock jumps there instead); forever if only I/O or another
//!    thread can wake a task; and if nothing at all can ever wake a task, the program is
//!    stuck, and the loop says so instead of hanging.
//! 2. **Ask the poller what happened** while we were away (I/O readiness, a notification
//!    from another thread), then drain the channel of wakes from other threads. While tasks
//!    are ready, the poller is asked only every [`IO_POLL_INTERVAL`]-th step: asking costs
//!    syscalls, and a busy loop would otherwise pay them on every step.
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
//!   can wake a task is the program reported as stuck.
//!
//! Peers in the same process are deterministic under this rule: on loopback, the bytes are
//! in the peer's receive buffer by the time `write` returns, so the poller sees them at
//! once, long before the grace runs out.
//!
//! # Ground rules
//!
//! * One loop per thread, and everything in [`Shared`] is touched only from that thread:
//!   `Cell` and `RefCell`, no locks. Other threads reach the loop only through
//!   [`waker::Remote`].
//! * No `RefCell` borrow is held while user code runs (a poll, a destructor, a waker), so
//!   user code may call back into the loop (`spawn`, `wake`, `cancel`) at any time.

mod join;
mod snapshot;
mod task;
mod waker;
mod yield_now;

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use crossbeam_channel::Receiver;
use polling::{Events, Poller};
use slab::Slab;

use crate::blocking::BlockingPool;
use crate::context;
use crate::reactor::Reactor;
use crate::time::clock::Clock;
use crate::time::wheel::{TimerKey, Wheel};
use crate::time::{Instant, TimerEntry};
use crate::trace::{Diagnostics, Event, MAIN, Tracer, Wait, WaitingOn, WakeCause};

pub use join::{JoinError, JoinHandle};
pub use task::{TaskId, TaskState};
pub use yield_now::{YieldNow, yield_now};

pub(crate) use task::panic_message;
use task::{Header, Runnable, Task};
use waker::{MAIN_KEY, MainWaker, Remote, RemoteWake};

/// While tasks are ready, the loop asks the poller about I/O only every this many steps.
///
/// A poller turn costs several syscalls (about 0.8 µs with `polling`, against well under
/// 0.1 µs for a whole step of a task that yields), so a busy loop that asked every step
/// would spend most of its time asking. Asking every 61st step still guarantees that I/O is
/// never starved by tasks that keep yielding. 61 is tokio's choice (`event_interval`), a
/// prime so that it does not fall into step with programs that do something every 2^k steps.
pub const IO_POLL_INTERVAL: u64 = 61;

/// On the virtual clock, how long (in real time) the loop listens for I/O before it lets the
/// clock jump past tasks parked on sockets. Peers inside the process answer well within it
/// (loopback data is in the peer's buffer when `write` returns); see the module docs.
pub const VIRTUAL_IO_GRACE: Duration = Duration::from_millis(10);

/// On the virtual clock, how long (in real time) the loop waits for a running `to_thread`
/// job before it lets the clock jump anyway: long enough for any job that does not itself
/// wait for the loop, short enough that a job waiting for a timer is not stuck for ever.
pub const VIRTUAL_THREAD_PATIENCE: Duration = Duration::from_secs(1);

/// Each loop gets a distinct id, so a timer can tell its own loop from another one that
/// runs later on the same thread.
static NEXT_LOOP_ID: AtomicU64 = AtomicU64::new(1);

/// One place in the ready queue: a task's slab key and the low 32 bits of its id.
///
/// Eight bytes where `(usize, u64)` took sixteen: the queue's capacity grows to the largest
/// burst of ready tasks (a million after `spawn_join`'s spawns), and the idle-task benchmark
/// counts every byte of it. The id bits only tell a *stale* entry from a live one: a task
/// woken during the poll in which it finished leaves an entry behind, and the key may go to
/// a new task before that entry is reached. The entry is reached within one step; two tasks
/// whose ids agree in 32 bits are four billion spawns apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ReadyEntry {
    key: u32,
    id_bits: u32,
}

impl ReadyEntry {
    fn new(key: u32, id: u64) -> ReadyEntry {
        // Truncation is the point: see the type's docs.
        ReadyEntry {
            key,
            id_bits: id as u32,
        }
    }

    /// True when this entry was made for the task with `id`.
    fn is_for(self, id: TaskId) -> bool {
        self.id_bits == id.0 as u32
    }
}

/// The loop's state, shared (through `Rc`) by the `Runtime` and the thread-local context
/// that `spawn`, `sleep` and wakers read.
pub(crate) struct Shared {
    /// This loop's id, unique in the process.
    pub(crate) id: u64,
    /// Every task not yet finished, by slab key. A finished task leaves the slab at once
    /// (its `JoinHandle` may keep it alive for its output).
    tasks: RefCell<Slab<Arc<dyn Runnable>>>,
    /// Tasks that can make progress, in the order they became ready.
    /// Invariant: a task is here exactly when its state is `Scheduled` (an entry whose task
    /// finished or whose id no longer matches is skipped). [`MAIN_KEY`] stands for `main`.
    ready: RefCell<VecDeque<ReadyEntry>>,
    /// The id the next spawned task gets.
    next_task_id: Cell<u64>,
    /// The number of the step in progress; 0 before the first.
    step: Cell<u64>,
    /// Real or virtual.
    pub(crate) clock: Clock,
    /// Pending timers, by deadline tick (ms since start), each with the waker to call.
    pub(crate) timers: RefCell<Wheel<TimerEntry>>,
    /// Where fired timers are collected before their wakers are called, kept to reuse its
    /// allocation.
    fired: RefCell<Vec<(u64, TimerEntry)>>,
    /// What blocks when nothing is ready, and what other threads notify.
    poller: Arc<Poller>,
    /// Events buffer for the poller, reused every wait.
    events: RefCell<Events>,
    /// The way in for other threads; every task holds a clone, and its address names
    /// this loop to the wakers (see [`Shared::owns`]).
    remote: Arc<Remote>,
    /// Wakes from other threads, drained every step.
    remote_wakes: Receiver<RemoteWake>,
    /// How many `to_thread` jobs are awaited: each may still wake a task from another
    /// thread. I/O waiters are counted by the reactor; [`Shared::waiting_outside`] adds both.
    /// The virtual clock never jumps while this is not zero (see "The virtual clock and
    /// real I/O" in the module docs).
    pub(crate) outside_wakers: Cell<usize>,
    /// The reactor: registered sockets and the tasks waiting on them (`reactor`).
    pub(crate) reactor: Rc<Reactor>,
    /// This loop's `to_thread` pool; no thread starts before the first job.
    pub(crate) blocking: BlockingPool,
    /// The `main` future's place in the ready-queue protocol: `Scheduled`, `Running` or `Idle`.
    main_state: Cell<TaskState>,
    /// The task being polled right now, if any.
    current: Cell<Option<TaskId>>,
    /// What the future being polled right now said it waits for (`trace::waiting_on`).
    note: Cell<Option<WaitingOn>>,
    /// What `main` said it waits for at its last `Pending`.
    main_waiting_on: Cell<Option<WaitingOn>>,
    /// Who is waking tasks right now, if not the running task (see `trace`).
    cause: Cell<Option<WakeCause>>,
    /// The tracer, if one is installed. `tracing` caches `tracer.is_some()`.
    tracer: RefCell<Option<Box<dyn Tracer>>>,
    /// True when a tracer is installed: the one branch each report point costs.
    tracing: bool,
    /// Tasks that panicked while their `JoinHandle` was still held: reported at the loop's
    /// end if nobody awaited them by then.
    panicked: RefCell<Vec<Arc<dyn Runnable>>>,
    /// The slow-poll check: its threshold and the clock reading it measures from
    /// (`trace/diagnostics.rs`).
    diagnostics: Diagnostics,
}

impl Shared {
    fn new(virtual_clock: bool, tracer: Option<Box<dyn Tracer>>) -> Shared {
        let poller = Arc::new(Poller::new().unwrap_or_else(|error| {
            panic!("tinyloop could not create its poller (epoll/kqueue): {error}")
        }));
        let (sender, remote_wakes) = crossbeam_channel::unbounded();
        let tracing = tracer.is_some();
        Shared {
            id: NEXT_LOOP_ID.fetch_add(1, Ordering::Relaxed),
            tasks: RefCell::new(Slab::new()),
            ready: RefCell::new(VecDeque::new()),
            next_task_id: Cell::new(1),
            step: Cell::new(0),
            clock: if virtual_clock {
                Clock::virtual_clock()
            } else {
                Clock::real()
            },
            timers: RefCell::new(Wheel::new()),
            fired: RefCell::new(Vec::new()),
            remote: Arc::new(Remote {
                sender,
                poller: poller.clone(),
            }),
            reactor: Rc::new(Reactor::new(poller.clone())),
            blocking: BlockingPool::new(),
            poller,
            events: RefCell::new(Events::new()),
            remote_wakes,
            outside_wakers: Cell::new(0),
            main_state: Cell::new(TaskState::Idle),
            current: Cell::new(None),
            note: Cell::new(None),
            main_waiting_on: Cell::new(None),
            cause: Cell::new(None),
            tracer: RefCell::new(tracer),
            tracing,
            panicked: RefCell::new(Vec::new()),
            diagnostics: Diagnostics::default(),
        }
    }

    /// True when a tracer is installed.
    pub(crate) fn tracing(&self) -> bool {
        self.tracing
    }

    /// Report an event to the tracer. The closure runs only when one is installed.
    #[inline]
    fn emit(&self, event: impl FnOnce() -> Event) {
        if self.tracing
            && let Some(tracer) = self.tracer.borrow_mut().as_mut()
        {
            tracer.event(&event());
        }
    }

    /// Set who is waking tasks now; returns the previous cause, to restore afterwards.
    pub(crate) fn set_cause(&self, cause: Option<WakeCause>) -> Option<WakeCause> {
        self.cause.replace(cause)
    }

    /// Who is waking a task right now, for the tracer.
    fn current_cause(&self) -> WakeCause {
        match (self.cause.get(), self.current.get()) {
            (Some(cause), _) => cause,
            (None, Some(task)) => WakeCause::Task(task),
            (None, None) if self.main_state.get() == TaskState::Running => WakeCause::Main,
            (None, None) => WakeCause::Loop,
        }
    }

    /// The task being polled right now, `main` as `trace::MAIN`; `None` between polls.
    pub(crate) fn running_task(&self) -> Option<TaskId> {
        let main = self.main_state.get() == TaskState::Running;
        self.current.get().or(main.then_some(MAIN))
    }

    /// Record what the future being polled waits for (see `trace::waiting_on`).
    pub(crate) fn note_waiting_on(&self, what: WaitingOn) {
        self.note.set(Some(what));
    }

    /// True when `remote` is this loop's: a waker holding it belongs to one of our tasks.
    /// (The waker keeps the `Remote` alive, so no later loop can have the same address.)
    pub(crate) fn owns(&self, remote: &Arc<Remote>) -> bool {
        Arc::ptr_eq(&self.remote, remote)
    }

    // ANCHOR: schedule
    /// Put task `(key, id)` in the ready queue unless it is there already or finished.
    /// Called for wakes that arrive by key: from other threads, and `main`'s.
    pub(crate) fn schedule(&self, key: u32, id: u64) {
        if key == MAIN_KEY {
            if self.main_state.get() != TaskState::Scheduled {
                self.main_state.set(TaskState::Scheduled);
                self.ready
                    .borrow_mut()
                    .push_back(ReadyEntry::new(MAIN_KEY, 0));
                self.emit(|| Event::Woken {
                    task: MAIN,
                    by: self.current_cause(),
                });
            }
            return;
        }
        let Some(task) = self.tasks.borrow().get(key as usize).cloned() else {
            return;
        };
        if task.header().id.0 == id {
            self.schedule_task(task.header());
        } // else a stale waker of a finished task whose key was reused
    }

    /// Put this task in the ready queue unless it is there already or finished. Called by
    /// every wake of a task on the loop's thread, with the task's header in hand (its waker
    /// points at it), so no lookup is needed.
    pub(crate) fn schedule_task(&self, header: &Header) {
        match header.state.get() {
            // Running: woken during its own poll (yield_now); it runs again next step.
            TaskState::Idle | TaskState::Running => {
                header.state.set(TaskState::Scheduled);
                let entry = ReadyEntry::new(header.key, header.id.0);
                self.ready.borrow_mut().push_back(entry);
                self.emit(|| Event::Woken {
                    task: header.id,
                    by: self.current_cause(),
                });
            }
            TaskState::Scheduled | TaskState::Completed | TaskState::Cancelled => {}
        }
    }
    // ANCHOR_END: schedule

    // ANCHOR: spawn
    /// `spawn`: give the future a slot, a waker and a place at the back of the ready queue.
    fn spawn<F>(&self, name: Option<Box<str>>, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let id = self.next_task_id.get();
        self.next_task_id.set(id + 1);
        let mut tasks = self.tasks.borrow_mut();
        let entry = tasks.vacant_entry();
        let key = u32::try_from(entry.key())
            .ok()
            .filter(|&key| key != MAIN_KEY)
            .expect("tinyloop holds at most 4 294 967 294 tasks at once");
        let header = Header::new(TaskId(id), key, name, self.remote.clone());
        let task = Task::new(header, future);
        entry.insert(task.clone());
        drop(tasks);
        self.ready.borrow_mut().push_back(ReadyEntry::new(key, id));
        self.emit(|| Event::Spawned {
            task: TaskId(id),
            name: Runnable::header(&*task).name(),
        });
        JoinHandle::new(task)
    }
    // ANCHOR_END: spawn

    /// The current step's number.
    pub(crate) fn step(&self) -> u64 {
        self.step.get()
    }

    /// Add a timer that wakes `waker` at `deadline`.
    pub(crate) fn add_timer(&self, deadline: Instant, waker: Waker) -> TimerKey {
        let entry = TimerEntry {
            waker,
            owner: self.current.get(),
        };
        self.timers.borrow_mut().insert(deadline.tick_ceil(), entry)
    }

    // ANCHOR: run_until
    /// Run `main` to completion, one step at a time.
    fn run_until<F: Future>(&self, main: F) -> F::Output {
        let mut main = pin!(main);
        let waker = Waker::from(Arc::new(MainWaker {
            remote: self.remote.clone(),
        }));
        let mut cx = Context::from_waker(&waker);
        self.emit(|| Event::Spawned {
            task: MAIN,
            name: "main".to_string(),
        });
        let before = self.set_cause(Some(WakeCause::Spawn));
        self.schedule(MAIN_KEY, 0);
        self.set_cause(before);
        loop {
            self.step.set(self.step.get() + 1);
            // 1 and 2: decide how long we may block, then ask the poller and the channel.
            let jumped = self.wait_for_events();
            // 3: fire every timer whose deadline has come.
            self.fire_timers(jumped);
            // 4: poll the tasks that are ready now, and only those.
            self.diagnostics.polls_begin(&self.clock);
            let ready_now = self.ready.borrow().len();
            for _ in 0..ready_now {
                let Some(entry) = self.ready.borrow_mut().pop_front() else {
                    break;
                };
                if entry.key != MAIN_KEY {
                    self.run_task(entry);
                } else if let Poll::Ready(output) = self.run_main(main.as_mut(), &mut cx) {
                    return output;
                }
            }
            self.end_polls(|| self.ready.borrow().is_empty());
        }
    }
    // ANCHOR_END: run_until

    /// Stage 4 for `main`: the same turn as `run_task`'s, for the future `block_on` was given.
    fn run_main<F: Future>(&self, main: Pin<&mut F>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.main_state.set(TaskState::Running);
        self.note.set(None);
        self.emit(|| Event::Polled { task: MAIN });
        let poll = main.poll(cx);
        self.after_poll(MAIN);
        if poll.is_ready() {
            self.main_state.set(TaskState::Idle);
            self.emit(|| Event::Completed { task: MAIN });
            self.end_polls(|| true); // the loop stops here: close the slow-poll window
            return poll;
        }
        self.main_waiting_on.set(self.note.take());
        self.emit(|| Event::Pending {
            task: MAIN,
            waiting_on: self.main_waiting_on.get(),
        });
        if self.main_state.get() == TaskState::Running {
            self.main_state.set(TaskState::Idle);
        }
        Poll::Pending
    }

    /// A poll of `task` just returned: let the slow-poll check time it.
    fn after_poll(&self, task: TaskId) {
        let nothing_ready = || self.ready.borrow().is_empty();
        if let Some(slow) = self.diagnostics.poll_done(&self.clock, task, nothing_ready) {
            self.report_slow(slow);
        }
    }

    /// Stage 4 is over (or the loop stops): close the slow-poll check's window if the loop
    /// may now wait.
    fn end_polls(&self, nothing_ready: impl FnOnce() -> bool) {
        if let Some(slow) = self.diagnostics.polls_end(&self.clock, nothing_ready) {
            self.report_slow(slow);
        }
    }

    /// Stages 1 and 2 of a step. Returns true when the virtual clock jumped to a timer.
    fn wait_for_events(&self) -> bool {
        let wait = self.decide_wait();
        self.emit(|| Event::StepStarted {
            step: self.step.get(),
            now: self.clock.now(),
            wait,
        });
        let timeout = match wait {
            // Ready tasks: ask the poller without blocking, but only every K-th step.
            Wait::ReadyTask if !self.step.get().is_multiple_of(IO_POLL_INTERVAL) => None,
            Wait::ReadyTask => Some(Some(Duration::ZERO)),
            Wait::NextTimer(duration) => Some(Some(duration)),
            Wait::JumpTo(instant) => {
                self.clock.advance_to(instant);
                None
            }
            Wait::Forever if self.waiting_outside() == 0 => {
                self.wait_for_another_thread();
                None
            }
            Wait::Forever => Some(None),
        };
        if let Some(timeout) = timeout {
            self.poll_io(timeout);
        }
        self.drain_remote_wakes();
        matches!(wait, Wait::JumpTo(_))
    }

    /// Ask the poller what is ready, blocking at most `timeout` (`None`: until something is),
    /// and let the reactor wake the tasks waiting on what is.
    fn poll_io(&self, timeout: Option<Duration>) -> usize {
        let mut events = self.events.borrow_mut();
        events.clear();
        // An error here is EINTR at worst; the loop simply goes round again.
        let count = self.poller.wait(&mut events, timeout).unwrap_or(0);
        if count > 0 {
            let before = self.set_cause(Some(WakeCause::Io));
            self.reactor.dispatch(&events);
            self.set_cause(before);
        }
        count
    }

    /// How many things outside the loop may still wake a task: tasks parked on sockets
    /// (a peer may write) and awaited `to_thread` jobs.
    pub(crate) fn waiting_outside(&self) -> usize {
        self.reactor.waiters() + self.outside_wakers.get()
    }

    // ANCHOR: virtual_wait
    /// The virtual clock's rule when a timer is pending (see the module docs): jobs on
    /// other threads are waited for; sockets get a short grace of real time to report; only
    /// when neither can wake a task does the clock jump.
    fn virtual_wait(&self, deadline: Instant) -> Wait {
        // Stage 2's work done early: a job or a peer that is about to answer must not be
        // overtaken by a jump of the clock. Tasks woken here run in this step. Events that
        // wake no task (a socket's first "writable") do not end the wait.
        let patience = if self.outside_wakers.get() > 0 {
            VIRTUAL_THREAD_PATIENCE
        } else {
            VIRTUAL_IO_GRACE
        };
        let grace_ends = std::time::Instant::now() + patience;
        while self.waiting_outside() > 0 {
            let left = grace_ends.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                break;
            }
            self.poll_io(Some(left));
            if !self.ready.borrow().is_empty() || !self.remote_wakes.is_empty() {
                return Wait::ReadyTask;
            }
        }
        Wait::JumpTo(deadline)
    }
    // ANCHOR_END: virtual_wait

    /// On the real clock, with no task ready, no timer and no I/O: only another thread
    /// holding a waker can wake a task now, and the loop cannot know whether one does.
    /// Wait a second, then say so once on stderr, and keep waiting. (On the virtual clock
    /// the same situation is a deadlock, reported by `report_stuck`.)
    fn wait_for_another_thread(&self) {
        self.poll_io(Some(Duration::from_secs(1)));
        if self.remote_wakes.is_empty() {
            eprintln!(
                "tinyloop: the loop has been idle for 1 s with no task ready, no timer set \
                 and no I/O registered: only another thread can wake a task now. If none \
                 will, the program is deadlocked. Every task is waiting:{}",
                self.waiting_report()
            );
            while self.remote_wakes.is_empty() {
                self.poll_io(None);
            }
        }
    }

    /// Stage 1: how long may this step block, and why.
    fn decide_wait(&self) -> Wait {
        if !self.ready.borrow().is_empty() {
            return Wait::ReadyTask;
        }
        // Wakes from other threads may be waiting in the channel without a notify having
        // reached the poller yet; they count as ready work.
        if !self.remote_wakes.is_empty() {
            return Wait::ReadyTask;
        }
        let next_tick = self.timers.borrow().next_expiration();
        match next_tick {
            Some(tick) => {
                let deadline = Instant::from_tick(tick);
                if self.clock.is_virtual() {
                    self.virtual_wait(deadline)
                } else {
                    // Round the wait up to a whole millisecond, as the wheel rounds
                    // deadlines up: waking early would only cost an empty step.
                    let wait = deadline.duration_since(self.clock.now());
                    Wait::NextTimer(round_up_to_millis(wait))
                }
            }
            None if self.clock.is_virtual() && self.waiting_outside() == 0 => self.report_stuck(),
            None => Wait::Forever,
        }
    }

    /// Nothing is ready, no timer is set, and nothing outside the loop can wake a task:
    /// the program can never make progress. asyncio would hang here; tinyloop stops.
    fn report_stuck(&self) -> ! {
        let report = self.waiting_report();
        panic!(
            "tinyloop: the loop can never make progress: no task is ready, no timer is set \
             and nothing outside the loop can wake a task (a deadlock; asyncio would hang \
             here forever). Every task is waiting:{report}"
        );
    }

    /// Stage 2's second half: wakes sent from other threads.
    fn drain_remote_wakes(&self) {
        if self.remote_wakes.is_empty() {
            return;
        }
        let before = self.set_cause(Some(WakeCause::Thread));
        while let Ok((key, id)) = self.remote_wakes.try_recv() {
            self.schedule(key, id);
        }
        self.set_cause(before);
    }

    /// Stage 3: advance the wheel to now and wake what expired, in deadline order.
    ///
    /// After a virtual-clock jump, the wheel's next expiration may only have been a
    /// higher-level slot to cascade, with nothing due yet; then the clock jumps on to the
    /// next expiration within this same step, so a long sleep costs no idle steps.
    fn fire_timers(&self, jumped: bool) {
        if self.timers.borrow().is_empty() {
            return; // skip reading the clock when no timer is set
        }
        let mut fired = std::mem::take(&mut *self.fired.borrow_mut());
        loop {
            let now_tick = self.clock.now().tick_floor();
            self.timers.borrow_mut().poll(now_tick, &mut fired);
            if !fired.is_empty() || !jumped {
                break;
            }
            let next = self.timers.borrow().next_expiration();
            match next {
                Some(tick) => self.clock.advance_to(Instant::from_tick(tick)),
                None => break,
            }
        }
        if !fired.is_empty() {
            let before = self.set_cause(Some(WakeCause::Timer));
            for (_, entry) in fired.drain(..) {
                entry.waker.wake();
            }
            self.set_cause(before);
        }
        *self.fired.borrow_mut() = fired;
    }

    // ANCHOR: run_task
    /// Stage 4 for one task: cancel it or poll it, then file it by what happened.
    fn run_task(&self, entry: ReadyEntry) {
        let task = {
            let tasks = self.tasks.borrow();
            match tasks.get(entry.key as usize) {
                Some(task)
                    if entry.is_for(task.header().id)
                        && task.header().state.get() == TaskState::Scheduled =>
                {
                    task.clone()
                }
                _ => return, // finished since it was queued
            }
        };
        let header = task.header();
        if header.cancel_requested.get() {
            self.finish(&task, TaskState::Cancelled);
            return;
        }
        header.state.set(TaskState::Running);
        self.current.set(Some(header.id));
        self.emit(|| Event::Polled { task: header.id });
        self.note.set(None);
        let finished = task.poll();
        self.current.set(None);
        self.after_poll(header.id);
        if finished {
            self.finish(&task, TaskState::Completed);
        } else {
            header.waiting_on.set(self.note.take());
            self.emit(|| Event::Pending {
                task: header.id,
                waiting_on: header.waiting_on.get(),
            });
            if header.state.get() == TaskState::Running {
                header.state.set(TaskState::Idle);
            }
        }
    }
    // ANCHOR_END: run_task

    /// A task is done: record how, take it out of the slab, wake its joiner.
    fn finish(&self, task: &Arc<dyn Runnable>, how: TaskState) {
        let header = task.header();
        if how == TaskState::Cancelled {
            // The future is dropped here: its destructors are its `finally` blocks.
            self.current.set(Some(header.id));
            task.cancel();
            self.current.set(None);
            self.emit(|| Event::Cancelled { task: header.id });
        }
        header.state.set(how);
        let panic = task.unretrieved_panic();
        if header.detached.get() {
            // Nobody can take the outcome any more: drop it now, on the loop's thread, as
            // the rule in `task.rs` requires (a waker elsewhere may outlive every owner here).
            task.release();
        }
        let removed = self.tasks.borrow_mut().try_remove(header.key as usize);
        drop(removed); // outside the borrow: it may be the last reference
        match &panic {
            Some(message) => self.emit(|| Event::Panicked {
                task: header.id,
                message: message.clone(),
            }),
            None if how == TaskState::Completed => {
                self.emit(|| Event::Completed { task: header.id })
            }
            None => {}
        }
        if let Some(message) = panic {
            if header.detached.get() {
                report_unretrieved_panic(&header.name(), &message);
            } else {
                // Its handle may yet be awaited; if it is not by the loop's end, say so then.
                let mut panicked = self.panicked.borrow_mut();
                if panicked.len().is_power_of_two() {
                    // Forget the ones whose handles were awaited since (amortised O(1)).
                    panicked.retain(|task| task.unretrieved_panic().is_some());
                }
                panicked.push(task.clone());
            }
        }
        let before = self.set_cause(Some(WakeCause::Task(header.id)));
        header.wake_joiner();
        self.set_cause(before);
    }

    /// The loop is ending: report every panic whose `JoinHandle` is still alive and was
    /// never awaited (asyncio logs "Task exception was never retrieved" when such a task is
    /// garbage-collected).
    fn report_unretrieved_at_end(&self) {
        for task in self.panicked.take() {
            if let Some(message) = task.unretrieved_panic() {
                task.header().panic_reported.set(true);
                report_unretrieved_panic(&task.header().name(), &message);
            }
        }
    }

    /// `asyncio.run`'s last act: cancel every task still pending and drop it. Destructors
    /// may spawn or wake; the loop keeps going until no task is left.
    fn cancel_all(&self) {
        loop {
            let leftovers: Vec<Arc<dyn Runnable>> = {
                let tasks = self.tasks.borrow();
                if tasks.is_empty() {
                    break; // (without walking every empty slot of a slab that was large once)
                }
                tasks.iter().map(|(_, task)| task.clone()).collect()
            };
            if leftovers.is_empty() {
                break;
            }
            for task in leftovers {
                if !task.header().state.get().is_finished() {
                    self.finish(&task, TaskState::Cancelled);
                }
            }
        }
        self.ready.borrow_mut().clear();
    }
}

/// Report a panic that nobody will ever retrieve, like asyncio's "Task exception was never
/// retrieved".
pub(crate) fn report_unretrieved_panic(name: &str, message: &str) {
    eprintln!(
        "tinyloop: task '{name}' panicked and nobody awaited its JoinHandle \
         (asyncio: \"Task exception was never retrieved\"): {message}"
    );
}

fn round_up_to_millis(duration: Duration) -> Duration {
    let millis = duration.as_nanos().div_ceil(1_000_000);
    Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX))
}

/// Builds a [`Runtime`] with options: the virtual clock, a tracer, the slow-poll threshold.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::Builder;
/// use tinyloop_runtime::time::{now, sleep};
///
/// let runtime = Builder::new().virtual_clock(true).build();
/// let t = runtime.block_on(async {
///     sleep(Duration::from_secs(600)).await; // ten minutes, instantly
///     now()
/// });
/// assert_eq!(t.as_secs_f64(), 600.0);
/// ```
#[derive(Default)]
pub struct Builder {
    virtual_clock: bool,
    tracer: Option<Box<dyn Tracer>>,
    /// `None` until set: then the default, [`SLOW_POLL_THRESHOLD`](crate::trace::SLOW_POLL_THRESHOLD).
    slow_poll_threshold: Option<Option<Duration>>,
}

impl Builder {
    /// A builder for a loop on the real clock with no tracer.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Run on the virtual clock: time jumps to the next timer whenever nothing else can
    /// happen, so sleeps end at once and timestamps are exact.
    pub fn virtual_clock(mut self, on: bool) -> Builder {
        self.virtual_clock = on;
        self
    }

    /// Report every step and task transition to `tracer`.
    pub fn tracer(mut self, tracer: impl Tracer + 'static) -> Builder {
        self.tracer = Some(Box::new(tracer));
        self
    }

    /// Warn (on stderr, and to the tracer) about every poll that holds the loop this long
    /// or longer; `None` turns the check off. The default is 100 ms, asyncio's
    /// `slow_callback_duration`. Measured with the loop's clock: on the virtual clock only
    /// [`simulate_blocking`](crate::trace::simulate_blocking) makes a poll take time.
    ///
    /// ```
    /// use std::time::Duration;
    /// use tinyloop_runtime::Builder;
    /// use tinyloop_runtime::trace::{Event, Recorder, simulate_blocking};
    ///
    /// let recorder = Recorder::new();
    /// let runtime = Builder::new()
    ///     .virtual_clock(true)
    ///     .slow_poll_threshold(Some(Duration::from_millis(20)))
    ///     .tracer(recorder.clone())
    ///     .build();
    /// runtime.block_on(async { simulate_blocking(Duration::from_millis(30)) });
    /// let slow = recorder.events().into_iter().filter(|e| matches!(e, Event::SlowPoll { .. }));
    /// assert_eq!(slow.count(), 1);
    /// ```
    pub fn slow_poll_threshold(mut self, threshold: Option<Duration>) -> Builder {
        self.slow_poll_threshold = Some(threshold);
        self
    }

    /// Build the loop.
    pub fn build(self) -> Runtime {
        let shared = Shared::new(self.virtual_clock, self.tracer);
        if let Some(threshold) = self.slow_poll_threshold {
            shared.diagnostics.set_slow_poll_threshold(threshold);
        }
        Runtime {
            shared: Rc::new(shared),
        }
    }
}

/// An event loop you hold yourself: asyncio's `loop = asyncio.new_event_loop()`.
///
/// Most programs call [`run`] instead. Tasks spawned in one `block_on` stay in the loop
/// and go on running in the next; dropping the `Runtime` cancels what is left.
pub struct Runtime {
    shared: Rc<Shared>,
}

impl Runtime {
    /// A loop on the real clock. Same as `Builder::new().build()`.
    pub fn new() -> Runtime {
        Builder::new().build()
    }

    /// Run `future` on this loop until it completes, with the loop's other tasks beside it,
    /// and return its output (asyncio `loop.run_until_complete`).
    ///
    /// # Panics
    ///
    /// If a loop is already running on this thread, and if `future` panics.
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _entered = context::enter(self.shared.clone());
        self.shared.run_until(future)
    }

    /// How many steps the loop has taken.
    pub fn steps(&self) -> u64 {
        self.shared.step()
    }

    /// The loop's clock now.
    pub fn now(&self) -> Instant {
        self.shared.clock.now()
    }

    /// How many timers are filed and not yet fired or cancelled.
    pub fn pending_timers(&self) -> usize {
        self.shared.timers.borrow().len()
    }
}

impl Default for Runtime {
    fn default() -> Runtime {
        Runtime::new()
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // Enter the loop while cancelling, so destructors that spawn or wake find it.
        // If another loop runs on this thread (a Runtime dropped inside a task), cancel
        // without entering.
        if !std::thread::panicking() {
            self.shared.report_pending_at_end();
            self.shared.report_unretrieved_at_end();
        }
        let running_here = context::try_with(|current| current.is_some());
        if running_here {
            self.shared.cancel_all();
        } else {
            let _entered = context::enter(self.shared.clone());
            self.shared.cancel_all();
        }
        // asyncio.run's `shutdown_default_executor()`: wait for running `to_thread` jobs.
        self.shared.blocking.shutdown();
    }
}

/// Run `main` on a fresh loop and return its output: asyncio's `asyncio.run(main())`.
///
/// When `main` finishes, the tasks still pending are cancelled (their futures dropped, so
/// their destructors run), as `asyncio.run` cancels them. Then it waits for the
/// [`to_thread`](crate::blocking::to_thread) jobs still running, as `asyncio.run` waits in
/// `shutdown_default_executor()`: a thread cannot be interrupted.
///
/// ```
/// use tinyloop_runtime::{run, spawn};
/// let total = run(async {
///     let a = spawn(async { 1 });
///     let b = spawn(async { 2 });
///     a.await.unwrap() + b.await.unwrap()
/// });
/// assert_eq!(total, 3);
/// ```
///
/// # Panics
///
/// When called inside a running loop ("cannot start a loop from inside a running loop"),
/// and when `main` panics: its panic propagates, as an exception propagates out of
/// `asyncio.run`.
pub fn run<F: Future>(main: F) -> F::Output {
    Runtime::new().block_on(main)
}

/// [`run`] on the virtual clock: sleeps end at once, and loop time is exact.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{now, sleep};
///
/// let t = run_virtual(async {
///     sleep(Duration::from_millis(300)).await;
///     now()
/// });
/// assert_eq!(t.to_string(), "t=0.30");
/// ```
pub fn run_virtual<F: Future>(main: F) -> F::Output {
    Builder::new().virtual_clock(true).build().block_on(main)
}

/// Schedule `future` as a new task on the current loop: asyncio's `create_task`.
///
/// The task is put at the back of the ready queue; it is first polled in a later step,
/// never inside `spawn`. Await the returned [`JoinHandle`] for its output, or drop the
/// handle to let it run detached.
///
/// # Panics
///
/// When no loop is running on this thread.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    context::with("tinyloop::spawn()", |shared| shared.spawn(None, future))
}

/// [`spawn`] with a name, shown by tracing and error reports (asyncio
/// `create_task(coro, name=...)`).
pub fn spawn_named<F>(name: impl Into<String>, future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let name = name.into().into_boxed_str();
    context::with("tinyloop::spawn_named()", |shared| {
        shared.spawn(Some(name), future)
    })
}

/// The number of the loop step in progress (from 1), for demos and tests that show the
/// loop's rhythm.
///
/// # Panics
///
/// When no loop is running on this thread.
pub fn current_step() -> u64 {
    context::with("tinyloop::current_step()", |shared| shared.step())
}
