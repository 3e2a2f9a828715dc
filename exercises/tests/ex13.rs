//! Grades exercise 13: a rate limiter built on tinyloop's public API, on the virtual clock.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex13_rate_limiter.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex13_rate_limiter.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex13;

use ex13::RateLimiter;
use exercises::expect_eq;
use tinyloop::{now, run_virtual, sleep, spawn};

#[test]
fn callers_in_a_row_are_spaced_one_interval_apart() {
    let times = run_virtual(async {
        let limiter = RateLimiter::new(2);
        let mut times = Vec::new();
        for _ in 0..5 {
            limiter.acquire().await;
            times.push(now().to_string());
        }
        times
    });
    expect_eq!(times, ["t=0.00", "t=0.50", "t=1.00", "t=1.50", "t=2.00"]);
}

#[test]
fn concurrent_callers_are_served_in_the_order_they_asked() {
    let log = run_virtual(async {
        let limiter = RateLimiter::new(4);
        let log = Rc::new(RefCell::new(Vec::new()));
        let handles: Vec<_> = ["a", "b", "c"]
            .into_iter()
            .map(|name| {
                let (limiter, log) = (limiter.clone(), log.clone());
                spawn(async move {
                    limiter.acquire().await;
                    log.borrow_mut().push(format!("{} {name}", now()));
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
        log.take()
    });
    expect_eq!(log, ["t=0.00 a", "t=0.25 b", "t=0.50 c"]);
}

#[test]
fn an_idle_limiter_does_not_bank_credit() {
    let times = run_virtual(async {
        let limiter = RateLimiter::new(2);
        limiter.acquire().await;
        sleep(Duration::from_secs(5)).await;
        let mut times = Vec::new();
        for _ in 0..2 {
            limiter.acquire().await;
            times.push(now().to_string());
        }
        times
    });
    expect_eq!(times, ["t=5.00", "t=5.50"]);
}

#[test]
fn try_acquire_takes_a_free_slot_and_refuses_a_busy_one() {
    run_virtual(async {
        let limiter = RateLimiter::new(2);
        assert!(limiter.try_acquire(), "the first slot is free");
        assert!(!limiter.try_acquire(), "the next is 0.5 s away");
        sleep(Duration::from_millis(500)).await;
        assert!(limiter.try_acquire());
        limiter.acquire().await;
        expect_eq!(
            now().to_string(),
            "t=1.00",
            "acquire queues after the slot try_acquire took"
        );
    });
}
