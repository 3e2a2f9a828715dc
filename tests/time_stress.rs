//! Heavy timer checks, ignored by default: run them in release mode with
//! `cargo test --release -p tinyloop --test time_stress -- --ignored --nocapture`.
//! They print their times; the benchmark crate compares them with tokio and smol.

use std::time::{Duration, Instant as WallClock};

use tinyloop::{Runtime, now, run, run_virtual, sleep, sleep_until, spawn, timeout, yield_now};

#[test]
#[ignore = "stress: run in release with --ignored"]
fn one_million_timeouts_are_armed_and_cancelled() {
    let started = WallClock::now();
    let runtime = Runtime::new();
    let completed = runtime.block_on(async {
        let mut completed = 0u32;
        for _ in 0..1_000_000 {
            // The inner future is pending once, so the timer is really filed, then cancelled.
            if timeout(Duration::from_secs(10), yield_now()).await.is_ok() {
                completed += 1;
            }
        }
        completed
    });
    let elapsed = started.elapsed();
    assert_eq!(completed, 1_000_000);
    assert_eq!(runtime.pending_timers(), 0, "every timer was cancelled");
    println!(
        "1 000 000 timeouts armed and cancelled in {elapsed:?} ({:.0} ns each)",
        elapsed.as_nanos() as f64 / 1e6
    );
}

#[test]
#[ignore = "stress: run in release with --ignored"]
fn one_hundred_thousand_timers_fire_on_the_real_clock() {
    let started = WallClock::now();
    let late = run(async {
        let start = now();
        let handles: Vec<_> = (0..100_000u64)
            .map(|i| {
                spawn(async move {
                    // Absolute deadlines from one start, spread over 0 ..= 200 ms.
                    let deadline = Duration::from_micros(i * 2);
                    sleep_until(start + deadline).await;
                    start.elapsed().saturating_sub(deadline)
                })
            })
            .collect();
        let mut late = Duration::ZERO;
        for handle in handles {
            late = late.max(handle.await.unwrap());
        }
        late
    });
    let elapsed = started.elapsed();
    println!(
        "100 000 timers over 200 ms fired in {elapsed:?} (overhead {:?}); the latest fired {late:?} after its deadline (the earliest ones wait for the 100 000 first polls)",
        elapsed.saturating_sub(Duration::from_millis(200))
    );
}

#[test]
#[ignore = "stress: run in release with --ignored"]
fn one_hundred_thousand_timers_fire_in_order_on_the_virtual_clock() {
    let order = run_virtual(async {
        let handles: Vec<_> = (0..100_000u64)
            .rev()
            .map(|i| {
                spawn(async move {
                    sleep(Duration::from_millis(i)).await;
                    (now().since_start(), i)
                })
            })
            .collect();
        let mut fired = Vec::new();
        for handle in handles {
            fired.push(handle.await.unwrap());
        }
        fired
    });
    for (at, i) in order {
        assert_eq!(
            at,
            Duration::from_millis(i),
            "timer {i} fired exactly at its deadline"
        );
    }
}
