//! # tinyloop's demos: every example of the asyncio teaching texts, runnable
//!
//! Each demo mirrors one example of the seed texts (`shared/seeds/`) and prints what the
//! loop does, one event per line, starting with the loop time: `t=0.30 session 4: started`.
//! Run them with the runner (`cargo run -p tinyloop-demos -- list`), on the real clock, or
//! with `--virtual` on the virtual clock, where output is exact and instant. Every demo's
//! whole output under the virtual clock is checked against `demos/expected/NAME.txt` by
//! `cargo test`.
//!
//! Demos are grouped by the book's parts, one module each: [`core`] (tasks and the loop),
//! [`time`] (sleeping, timeouts), [`compose`] (waiting for many things), [`sync`]
//! (primitives), [`net`] (sockets and threads).

#![forbid(unsafe_code)]

use std::future::Future;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use tinyloop::Builder;
use tinyloop::runtime::trace::{Explorer, Stepper, TextLog, Timeline, Tracer, numbered};

pub mod compose;
pub mod core;
pub mod explore;
pub mod net;
pub mod sync;
pub mod time;

/// Print a line that starts with the loop time, as every demo event line does:
/// `say!("session {i}: started")` prints `t=0.30 session 4: started`. The line also goes to
/// the loop explorer, if one records (`--explore`), tied to the step that printed it.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        let line = format!("{} {}", ::tinyloop::now(), format_args!($($arg)*));
        println!("{line}");
        ::tinyloop::runtime::trace::output(&line);
    }};
}

/// One runnable demo.
pub struct Demo {
    /// What you type after `cargo run -p tinyloop-demos --`.
    pub name: &'static str,
    /// The asyncio text it mirrors, by the short title the book's introduction gives it
    /// (*From First Principles*, *Lecture 24*, ...), and the example.
    pub mirrors: &'static str,
    /// One line of what it shows.
    pub shows: &'static str,
    /// The program.
    pub run: fn(&Options),
}

/// How the runner was asked to run a demo.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--virtual`: run on the virtual clock (exact, instant).
    pub virtual_clock: bool,
    /// `--eager`: start each spawned task inside `spawn`, as asyncio 3.12's
    /// `eager_task_factory` does.
    pub eager_tasks: bool,
    /// Flags the runner does not know, for the demo itself (`echo --serve`).
    pub demo_flags: Vec<String>,
    /// `--trace`: print every loop event as a line among the demo's own, then a text
    /// timeline at the end.
    pub trace: bool,
    /// `--step`: stop before each step, show the loop's state, and wait for Enter.
    pub step: bool,
    /// `--timeline FILE.svg`: draw which task ran in which step, into this file.
    pub timeline: Option<PathBuf>,
    /// `--explore OUT.html`: write the loop explorer page of the run into this file.
    pub explore: Option<PathBuf>,
}

// ANCHOR: install_tracers
impl Options {
    /// Run `main` on a fresh loop with these options, like `asyncio.run(main())`, with the
    /// tracers that `--trace`, `--step` and `--timeline` ask for.
    pub fn run<F: Future>(&self, main: F) -> F::Output {
        let mut tracers: Vec<Box<dyn Tracer>> = Vec::new();
        if self.trace {
            tracers.push(Box::new(TextLog::new()));
        }
        let timeline = (self.trace || self.timeline.is_some()).then(Timeline::new);
        if let Some(timeline) = &timeline {
            tracers.push(Box::new(timeline.clone()));
        }
        if self.step {
            tracers.push(Box::new(Stepper::stdin()));
        }
        let explorer = self.explore.as_ref().map(|_| Explorer::new());
        if let Some(explorer) = &explorer {
            tracers.push(Box::new(explorer.clone()));
        }
        let mut builder = Builder::new()
            .virtual_clock(self.virtual_clock)
            .eager_tasks(self.eager_tasks);
        if !tracers.is_empty() {
            builder = builder.tracer(tracers);
        }
        let runtime = builder.build();
        let output = runtime.block_on(main);
        drop(runtime); // cancels what is left, so the timeline shows it too
        if let (Some(explorer), Some(path)) = (explorer, &self.explore) {
            let path = numbered(path, PAGES.fetch_add(1, Ordering::Relaxed) + 1);
            let title = path.file_stem().unwrap_or_default().to_string_lossy();
            match std::fs::write(&path, explore::page(&explorer.json(), &title)) {
                Ok(()) => eprintln!("explorer page written to {}", path.display()),
                Err(error) => eprintln!(
                    "tinyloop-demos: could not write the explorer page to {}: {error}",
                    path.display()
                ),
            }
        }
        if let Some(timeline) = timeline {
            if self.trace {
                print!("{}", timeline.text());
            }
            if let Some(path) = &self.timeline {
                let path = numbered(path, TIMELINES.fetch_add(1, Ordering::Relaxed) + 1);
                match std::fs::write(&path, timeline.svg()) {
                    Ok(()) => eprintln!("timeline written to {}", path.display()),
                    Err(error) => eprintln!(
                        "tinyloop-demos: could not write the timeline to {}: {error}",
                        path.display()
                    ),
                }
            }
        }
        output
    }

    /// True if the demo was given `flag` (e.g. `--serve`).
    pub fn has_flag(&self, flag: &str) -> bool {
        self.demo_flags.iter().any(|given| given == flag)
    }
}
// ANCHOR_END: install_tracers

/// How many timelines this process has written: a demo that runs several loops (`kitchen`
/// runs two) writes `FILE.svg`, then `FILE-2.svg`, ...
static TIMELINES: AtomicUsize = AtomicUsize::new(0);

/// How many explorer pages this process has written, numbered as timelines are.
static PAGES: AtomicUsize = AtomicUsize::new(0);

/// Every demo, in the book's order.
pub fn all() -> Vec<Demo> {
    let mut demos = Vec::new();
    demos.extend(core::demos());
    demos.extend(time::demos());
    demos.extend(compose::demos());
    demos.extend(sync::demos());
    demos.extend(net::demos());
    demos
}

/// Flags a demo may take besides the runner's own.
pub const DEMO_FLAGS: &[&str] = &["--serve"];

/// The demos `tour` runs, in order: a walk from "what is a future" to the primitives.
pub const TOUR: &[&str] = &[
    "coroutines",
    "task_order",
    "kitchen",
    "workers",
    "countasync",
    "semaphore_batches",
    "lock_race",
    "producer_consumer",
    "first_completed",
    "cancel_cleanup",
    "echo",
];

/// Tour stops that stay silent for seconds on the real clock, and why: the tour says so in the
/// stop's heading, before the wait.
pub const TOUR_WAITS: &[(&str, &str)] = &[(
    "producer_consumer",
    "its second half goes quiet for 10 s, on purpose: it hangs as the text's program does, \
     until a 10 s timeout says who is still waiting",
)];
