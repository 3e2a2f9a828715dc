//! `sleep` on the virtual clock: exact times, and a loop that never spins while it waits.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{Builder, Instant, current_step, now, run_virtual, sleep, sleep_until, spawn};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

#[test]
fn sleep_point_three_ends_at_exactly_t_0_30() {
    let t = run_virtual(async {
        sleep(ms(300)).await;
        now()
    });
    assert_eq!(t, Instant::from_start(ms(300)));
    assert_eq!(t.to_string(), "t=0.30");
}

#[test]
fn sleepers_wake_in_deadline_order_at_their_exact_times() {
    let log = Rc::new(RefCell::new(Vec::new()));
    run_virtual({
        let log = log.clone();
        async move {
            let mut handles = Vec::new();
            for (name, delay) in [("c", 300), ("a", 100), ("b", 200), ("a2", 100)] {
                let log = log.clone();
                handles.push(spawn(async move {
                    sleep(ms(delay)).await;
                    log.borrow_mut().push(format!("{name} {}", now()));
                }));
            }
            for handle in handles {
                handle.await.unwrap();
            }
        }
    });
    assert_eq!(
        *log.borrow(),
        ["a t=0.10", "a2 t=0.10", "b t=0.20", "c t=0.30"],
        "deadline order; the two 100 ms sleeps in the order they were set"
    );
}

#[test]
fn a_ten_minute_sleep_ends_at_once_in_a_handful_of_steps() {
    let runtime = Builder::new().virtual_clock(true).build();
    let started = std::time::Instant::now();
    let t = runtime.block_on(async {
        sleep(Duration::from_secs(600)).await;
        now()
    });
    assert_eq!(t.since_start(), Duration::from_secs(600));
    // Step 1 polls main, which files the timer; step 2 jumps to t=600 (cascading through
    // the wheel's levels within that one step) and polls main again.
    assert_eq!(runtime.steps(), 2, "the loop never spins while it waits");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn sleep_zero_yields_exactly_one_step_like_asyncio_sleep_0() {
    run_virtual(async {
        let before = current_step();
        sleep(Duration::ZERO).await;
        assert_eq!(current_step(), before + 1);
        assert_eq!(now(), Instant::ZERO);
    });
}

#[test]
fn sleep_until_a_past_instant_yields_once_and_does_not_panic() {
    run_virtual(async {
        sleep(ms(50)).await;
        let before = current_step();
        sleep_until(Instant::ZERO).await;
        assert_eq!(current_step(), before + 1);
        assert_eq!(now().to_string(), "t=0.05");
    });
}

#[test]
fn sleep_duration_max_saturates_instead_of_overflowing() {
    run_virtual(async {
        let forever = spawn(sleep(Duration::MAX));
        sleep(ms(10)).await;
        assert!(!forever.is_finished());
        forever.cancel();
        assert!(forever.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn a_sleep_deadline_counts_from_its_first_poll_not_its_creation() {
    run_virtual(async {
        let lazy = sleep(ms(100)); // created at t=0
        sleep(ms(250)).await;
        lazy.await; // first polled at t=0.25
        assert_eq!(now().to_string(), "t=0.35");
    });
}

#[test]
fn sub_millisecond_sleeps_never_end_early() {
    run_virtual(async {
        sleep(Duration::from_micros(1500)).await;
        assert!(now().since_start() >= Duration::from_micros(1500));
        assert_eq!(
            now().since_start(),
            ms(2),
            "rounded up to the wheel's 1 ms tick"
        );
    });
}

#[test]
fn on_the_real_clock_a_sleep_never_ends_early() {
    let elapsed = tinyloop::run(async {
        let start = now();
        sleep(ms(30)).await;
        start.elapsed()
    });
    assert!(elapsed >= ms(30), "{elapsed:?}");
}

#[test]
#[should_panic(expected = "the loop can never make progress")]
fn a_program_that_can_never_progress_is_reported_not_hung_on_the_virtual_clock() {
    run_virtual(std::future::pending::<()>());
}
