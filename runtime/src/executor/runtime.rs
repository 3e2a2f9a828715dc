//! The front door: [`Runtime`] and its [`Builder`], and the free functions a program
//! starts with ([`run`], [`run_virtual`], [`spawn`], [`spawn_named`]).
//!
//! asyncio's counterparts are `asyncio.run(main())`, `loop = asyncio.new_event_loop()` with
//! `loop.run_until_complete(...)`, and `asyncio.create_task(...)`.

use std::future::Future;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use super::{JoinHandle, Loop};
use crate::context;
use crate::time::Instant;
use crate::trace::{SLOW_POLL_ENV, Tracer, threshold_from_env, with_explorer};

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
    eager_tasks: bool,
    tracer: Option<Box<dyn Tracer>>,
    /// `None` until set: then the default, [`SLOW_POLL_THRESHOLD`](crate::trace::SLOW_POLL_THRESHOLD).
    slow_poll_threshold: Option<Option<Duration>>,
    /// Where the explorer writes its recording; `None`: where `TINYLOOP_EXPLORE` says, if set.
    explore: Option<PathBuf>,
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

    /// Start every spawned task at once: `spawn` polls the new task before it returns, so
    /// the task runs up to its first `.await` that waits (or to its end) inside `spawn`,
    /// as with asyncio 3.12's `loop.set_task_factory(asyncio.eager_task_factory)`. A task
    /// that finishes in that first step is never queued. Off by default, as in asyncio:
    /// a spawned task starts in a later step, in FIFO order.
    ///
    /// ```
    /// use std::cell::RefCell;
    /// use std::rc::Rc;
    /// use tinyloop_runtime::{Builder, spawn};
    ///
    /// for eager in [false, true] {
    ///     let log = Rc::new(RefCell::new(Vec::new()));
    ///     let runtime = Builder::new().eager_tasks(eager).build();
    ///     runtime.block_on({
    ///         let log = log.clone();
    ///         async move {
    ///             let child = spawn({
    ///                 let log = log.clone();
    ///                 async move { log.borrow_mut().push("child runs") }
    ///             });
    ///             log.borrow_mut().push("spawn returned");
    ///             child.await.unwrap();
    ///         }
    ///     });
    ///     let expected = if eager {
    ///         ["child runs", "spawn returned"]
    ///     } else {
    ///         ["spawn returned", "child runs"]
    ///     };
    ///     assert_eq!(*log.borrow(), expected);
    /// }
    /// ```
    pub fn eager_tasks(mut self, on: bool) -> Builder {
        self.eager_tasks = on;
        self
    }

    /// Report every step and task transition to `tracer`.
    ///
    /// ```
    /// use tinyloop_runtime::trace::{Event, MAIN, Recorder};
    /// use tinyloop_runtime::{Builder, yield_now};
    ///
    /// let recorder = Recorder::new();
    /// let runtime = Builder::new().tracer(recorder.clone()).build();
    /// runtime.block_on(async { yield_now().await });
    /// let polls_of_main = recorder
    ///     .events()
    ///     .into_iter()
    ///     .filter(|event| matches!(event, Event::Polled { task } if *task == MAIN))
    ///     .count();
    /// assert_eq!(polls_of_main, 2); // before and after the yield
    /// ```
    pub fn tracer(mut self, tracer: impl Tracer + 'static) -> Builder {
        self.tracer = Some(Box::new(tracer));
        self
    }

    /// Record every step for the loop explorer and write the recording to `path` when the
    /// loop is dropped (see [`Explorer`](crate::trace::Explorer) for the format). Without
    /// this, the environment variable `TINYLOOP_EXPLORE=out.json` does the same for any
    /// program; a process that runs several loops writes `out-2.json`, ... for the others.
    pub fn explore(mut self, path: impl Into<PathBuf>) -> Builder {
        self.explore = Some(path.into());
        self
    }

    /// Warn (on stderr, and to the tracer) about every poll that holds the loop this long
    /// or longer; `None` turns the check off. The default is 100 ms, asyncio's
    /// `slow_callback_duration`, or what the environment variable `TINYLOOP_SLOW_POLL` says
    /// (`off`, or milliseconds) when this is not called. asyncio checks only in debug mode;
    /// tinyloop checks always, for learners, and a program that knows better switches it off. Measured with the loop's clock: on the virtual clock only
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
        let tracer = with_explorer(self.tracer, self.explore);
        let this = Loop::new(self.virtual_clock, self.eager_tasks, tracer);
        let threshold = self.slow_poll_threshold.or_else(|| {
            let value = std::env::var(SLOW_POLL_ENV).ok()?;
            threshold_from_env(&value)
                .inspect_err(|error| eprintln!("tinyloop: {error}"))
                .ok()
        });
        if let Some(threshold) = threshold {
            this.diagnostics.set_slow_poll_threshold(threshold);
        }
        Runtime {
            this: Rc::new(this),
        }
    }
}

/// An event loop you hold yourself: asyncio's `loop = asyncio.new_event_loop()`.
///
/// Most programs call [`run`] instead. Tasks spawned in one `block_on` stay in the loop
/// and go on running in the next; dropping the `Runtime` cancels what is left.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::{Builder, spawn};
/// use tinyloop_runtime::time::sleep;
///
/// let runtime = Builder::new().virtual_clock(true).build();
/// let background = runtime.block_on(async {
///     spawn(async {
///         sleep(Duration::from_secs(5)).await;
///         "done"
///     })
/// });
/// // The task stayed in the loop; the next block_on runs it on to its end.
/// assert_eq!(runtime.block_on(background), Ok("done"));
/// assert_eq!(runtime.now().to_string(), "t=5.00");
/// assert_eq!(runtime.pending_timers(), 0);
/// ```
pub struct Runtime {
    /// The loop; `Rc` because the thread-local context holds it too while it runs.
    this: Rc<Loop>,
}

impl Runtime {
    /// A loop on the real clock. Same as `Builder::new().build()`.
    ///
    /// ```
    /// let runtime = tinyloop_runtime::Runtime::new();
    /// assert_eq!(runtime.block_on(async { 1 + 1 }), 2);
    /// assert_eq!(runtime.block_on(async { 2 + 2 }), 4); // the same loop, again
    /// ```
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
        let _entered = context::enter(self.this.clone());
        self.this.run_until(future)
    }

    /// How many steps the loop has taken.
    ///
    /// ```
    /// use tinyloop_runtime::{Runtime, yield_now};
    ///
    /// let runtime = Runtime::new();
    /// runtime.block_on(async {});
    /// assert_eq!(runtime.steps(), 1); // main ran once, in step 1
    /// runtime.block_on(async { yield_now().await });
    /// assert_eq!(runtime.steps(), 3); // the count goes on across block_on calls
    /// ```
    pub fn steps(&self) -> u64 {
        self.this.step()
    }

    /// The loop's clock now.
    pub fn now(&self) -> Instant {
        self.this.time.now()
    }

    /// How many timers are filed and not yet fired or cancelled.
    pub fn pending_timers(&self) -> usize {
        self.this.time.len()
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
            self.this.report_pending_at_end();
            self.this.report_unretrieved_at_end();
        }
        // (And if the thread is exiting, as when the runtime was kept in a `thread_local!`,
        // cancel without entering: a destructor that spawns then finds no loop.)
        let running_here = context::try_with_loop(|current| current.is_some());
        let _entered = if running_here {
            None
        } else {
            context::try_enter(self.this.clone())
        };
        self.this.cancel_all();
        // asyncio.run's `shutdown_default_executor()`: wait for running `to_thread` jobs.
        self.this.blocking.shutdown();
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
/// ```
/// use tinyloop_runtime::{run, spawn};
///
/// run(async {
///     let handle = spawn(async { "hello from a task" });
///     // `async` blocks given to spawn own what they use (`'static`): move values in.
///     let name = String::from("ada");
///     let greeting = spawn(async move { format!("hello, {name}") });
///     assert_eq!(handle.await, Ok("hello from a task"));
///     assert_eq!(greeting.await.unwrap(), "hello, ada");
/// });
/// ```
///
/// # Panics
///
/// When no loop is running on this thread.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    context::with_loop("tinyloop::spawn()", |this| this.spawn(None, future))
}

/// [`spawn`] with a name, shown by tracing and error reports (asyncio
/// `create_task(coro, name=...)`).
///
/// ```
/// use tinyloop_runtime::{run, spawn_named};
///
/// run(async {
///     let handle = spawn_named("fetch example.com", async { 200 });
///     assert_eq!(handle.name(), "fetch example.com");
///     assert_eq!(handle.await, Ok(200));
/// });
/// ```
pub fn spawn_named<F>(name: impl Into<String>, future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let name = name.into().into_boxed_str();
    context::with_loop("tinyloop::spawn_named()", |this| {
        this.spawn(Some(name), future)
    })
}

/// The number of the loop step in progress (from 1), for demos and tests that show the
/// loop's rhythm.
///
/// ```
/// use tinyloop_runtime::{current_step, run, spawn};
///
/// run(async {
///     assert_eq!(current_step(), 1); // main's first turn is step 1
///     let child = spawn(async { current_step() });
///     assert_eq!(child.await, Ok(2)); // a spawned task first runs in a later step
/// });
/// ```
///
/// # Panics
///
/// When no loop is running on this thread.
pub fn current_step() -> u64 {
    context::with_loop("tinyloop::current_step()", |this| this.step())
}
