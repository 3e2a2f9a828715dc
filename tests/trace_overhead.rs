//! The cost of tracing when it is off: a ping-pong of two tasks that each yield 1 000 000
//! times, timed with no tracer (the default) and with a tracer that ignores every event.
//!
//! Run it in release mode, where the numbers mean something:
//!
//! ```text
//! cargo test --release -p tinyloop --test trace_overhead -- --ignored --nocapture
//! ```
//!
//! It prints three numbers: the default loop (no tracer, the slow-poll check on), the loop
//! with the slow-poll check off, and the loop with a tracer that counts events. On the
//! project's shared 2-core machine, five alternating runs of the loop as it was before the
//! tracing work gave 63 to 98 ns per yield; the default loop now gives 53 to 104 ns: the
//! difference is within the noise. (Timing every poll with its own clock reading, a first
//! version, doubled it; see `runtime/src/trace/diagnostics.rs` for the windows that fixed it.)

use std::time::{Duration, Instant};

use tinyloop::runtime::trace::{Event, Tracer};
use tinyloop::{Builder, spawn, yield_now};

const YIELDS: u32 = 1_000_000;

/// A tracer that looks at every event and keeps nothing: the cost of the report points.
struct CountingTracer(u64);

impl Tracer for CountingTracer {
    fn event(&mut self, _event: &Event) {
        self.0 += 1;
    }
}

fn ping_pong(builder: Builder) -> Duration {
    let runtime = builder.build();
    let start = Instant::now();
    runtime.block_on(async {
        let a = spawn(async {
            for _ in 0..YIELDS {
                yield_now().await;
            }
        });
        let b = spawn(async {
            for _ in 0..YIELDS {
                yield_now().await;
            }
        });
        a.await.unwrap();
        b.await.unwrap();
    });
    start.elapsed()
}

/// The best of five runs, in nanoseconds per yield.
fn best_ns_per_yield(make: impl Fn() -> Builder) -> f64 {
    (0..5)
        .map(|_| ping_pong(make()).as_nanos() as f64 / f64::from(2 * YIELDS))
        .fold(f64::INFINITY, f64::min)
}

#[test]
#[ignore = "a measurement: run in release mode with --ignored --nocapture"]
fn yield_ping_pong_costs_the_same_with_tracing_off() {
    let off = best_ns_per_yield(Builder::new);
    println!("ping-pong, 2 tasks x {YIELDS} yields, no tracer:       {off:.1} ns/yield");
    let unchecked = best_ns_per_yield(|| Builder::new().slow_poll_threshold(None));
    println!("ping-pong, 2 tasks x {YIELDS} yields, no slow-poll check: {unchecked:.1} ns/yield");
    let on = best_ns_per_yield(|| Builder::new().tracer(CountingTracer(0)));
    println!("ping-pong, 2 tasks x {YIELDS} yields, counting tracer: {on:.1} ns/yield");
}
