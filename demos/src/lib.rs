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

use std::future::Future;

use tinyloop::Builder;

pub mod compose;
pub mod core;
pub mod net;
pub mod sync;
pub mod time;

/// Print a line that starts with the loop time, as every demo event line does:
/// `say!("session {i}: started")` prints `t=0.30 session 4: started`.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        println!("{} {}", ::tinyloop::now(), format_args!($($arg)*))
    };
}

/// One runnable demo.
pub struct Demo {
    /// What you type after `cargo run -p tinyloop-demos --`.
    pub name: &'static str,
    /// The seed text and example it mirrors.
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
    /// Flags the runner does not know, for the demo itself (`echo --serve`).
    pub demo_flags: Vec<String>,
}

impl Options {
    /// Run `main` on a fresh loop with these options, like `asyncio.run(main())`.
    pub fn run<F: Future>(&self, main: F) -> F::Output {
        Builder::new()
            .virtual_clock(self.virtual_clock)
            .build()
            .block_on(main)
    }

    /// True if the demo was given `flag` (e.g. `--serve`).
    pub fn has_flag(&self, flag: &str) -> bool {
        self.demo_flags.iter().any(|given| given == flag)
    }
}

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
