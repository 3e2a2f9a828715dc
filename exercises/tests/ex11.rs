//! Grades exercise 11: a timeout, on tinyloop's virtual clock.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex11_timeout.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex11_timeout.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex11;

use ex11::{Elapsed, timeout};
use exercises::expect_eq;
use tinyloop::{now, run_virtual, sleep};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Sets its flag when dropped.
struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn work_that_finishes_in_time_returns_its_output_when_it_finishes() {
    run_virtual(async {
        let out = timeout(ms(500), async {
            sleep(ms(200)).await;
            "fetched"
        })
        .await;
        expect_eq!(out, Ok("fetched"));
        expect_eq!(now().to_string(), "t=0.20", "no waiting for the deadline");
    });
}

#[test]
fn work_that_is_too_slow_is_cut_off_at_the_deadline() {
    run_virtual(async {
        let out = timeout(ms(100), async {
            sleep(ms(1000)).await;
            "fetched"
        })
        .await;
        expect_eq!(out, Err(Elapsed));
        expect_eq!(now().to_string(), "t=0.10");
    });
}

#[test]
fn the_work_is_dropped_the_moment_the_deadline_passes() {
    run_virtual(async {
        let dropped = Rc::new(Cell::new(false));
        let flag = DropFlag(dropped.clone());
        let mut limited = std::pin::pin!(timeout(ms(100), async move {
            let _flag = flag;
            sleep(ms(1000)).await;
        }));
        expect_eq!(limited.as_mut().await, Err(Elapsed));
        assert!(
            dropped.get(),
            "timed out: the work must be cancelled (dropped) at once, not when the Timeout is"
        );
    });
}

#[test]
fn work_ready_at_the_deadline_counts_as_in_time() {
    run_virtual(async {
        let out = timeout(ms(100), async {
            sleep(ms(100)).await;
            7
        })
        .await;
        expect_eq!(out, Ok(7));
    });
}

#[test]
fn a_zero_timeout_still_lets_ready_work_through() {
    run_virtual(async {
        expect_eq!(timeout(Duration::ZERO, async { 1 }).await, Ok(1));
        expect_eq!(
            timeout(Duration::ZERO, sleep(ms(1))).await,
            Err(Elapsed),
            "work that must wait cannot finish in zero time"
        );
    });
}
