//! `slow_poll`: a task that blocks the loop, and the warning that names it.
//!
//! *From First Principles*'s first pitfall is `time.sleep(2)` inside a coroutine: "This blocks
//! everything!". asyncio's debug mode catches it after the fact: "Executing <Task …> took
//! 2.003 seconds". tinyloop's loop times every poll and prints the same warning, always on,
//! for any poll of 100 ms or more (see `trace/diagnostics.rs`).
//!
//! Here a `ticker` wants to tick every 50 ms, and a `blocker` makes one blocking call of
//! 150 ms. While the call runs, nothing else can: the ticker's next tick, due at `t=0.10`,
//! comes only when the blocker gives the loop back, at `t=0.21`. The warning goes to stderr:
//!
//! ```text
//! tinyloop: executing blocker (task-2) took 0.150 seconds: ...
//! ```
//!
//! The blocking call is [`simulate_blocking`]: `std::thread::sleep` on the real clock, and
//! on the virtual clock a jump of loop time with no yield, which is what a blocking call
//! looks like to the loop. (A real `std::thread::sleep` would be invisible to the virtual
//! clock, which moves only when the loop moves it.) So `--virtual` shows the same late tick
//! at the same exact time on every machine.

use std::time::Duration;

use tinyloop::runtime::trace::simulate_blocking;
use tinyloop::{now, sleep, spawn_named};

use crate::{Options, say};

// ANCHOR: blocker
async fn blocker() {
    sleep(Duration::from_millis(60)).await;
    say!("blocker: calling a blocking function (150 ms) without await");
    simulate_blocking(Duration::from_millis(150)); // std::thread::sleep(150 ms)
    say!("blocker: back; for 150 ms nothing else could run");
}
// ANCHOR_END: blocker

// ANCHOR: ticker
async fn ticker() {
    let start = now();
    for tick in 1..=4u32 {
        let due = start + Duration::from_millis(50) * tick;
        tinyloop::sleep_until(due).await;
        let late = now() - due;
        say!(
            "ticker: tick {tick} (due at {due}, late by {} ms)",
            late.as_millis()
        );
    }
}
// ANCHOR_END: ticker

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        let ticker = spawn_named("ticker", ticker());
        let blocker = spawn_named("blocker", blocker());
        blocker.await.expect("the blocker does not panic");
        ticker.await.expect("the ticker does not panic");
        say!("main: done");
    });
}
