//! `timeout` / `wait_for`: the inner future is dropped at the deadline.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{
    Builder, Elapsed, Instant, now, run_virtual, sleep, spawn, timeout, timeout_at, wait_for,
    yield_now,
};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

struct DropFlag(Rc<Cell<bool>>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.set(true);
    }
}

#[test]
fn a_timeout_drops_the_inner_future_at_the_deadline() {
    let dropped = Rc::new(Cell::new(false));
    let (result, t, dropped_at_deadline) = run_virtual({
        let dropped = dropped.clone();
        async move {
            let inner = {
                let dropped = dropped.clone();
                async move {
                    let _flag = DropFlag(dropped);
                    sleep(Duration::from_secs(5)).await;
                    "finished"
                }
            };
            let result = timeout(Duration::from_secs(3), inner).await;
            (result, now(), dropped.get())
        }
    });
    assert_eq!(result, Err(Elapsed));
    assert_eq!(t.to_string(), "t=3.00");
    assert!(dropped_at_deadline);
}

#[test]
fn a_future_that_beats_its_timeout_returns_its_output_and_cancels_the_timer() {
    let t = run_virtual(async {
        let result = timeout(Duration::from_secs(10), async {
            sleep(ms(200)).await;
            42
        })
        .await;
        assert_eq!(result, Ok(42));
        // If the 10 s timer were still filed, the loop's next jump would go to t=10.
        sleep(ms(100)).await;
        now()
    });
    assert_eq!(t.to_string(), "t=0.30");
}

#[test]
fn nested_timeouts_fire_at_exact_times_inner_first() {
    run_virtual(async {
        let outer = timeout(ms(500), async {
            let inner = timeout(ms(200), sleep(Duration::from_secs(1))).await;
            assert_eq!(inner, Err(Elapsed));
            assert_eq!(now().to_string(), "t=0.20");
            sleep(Duration::from_secs(1)).await;
            unreachable!("the outer timeout fires first");
        })
        .await;
        assert_eq!(outer, Err::<(), _>(Elapsed));
        assert_eq!(now().to_string(), "t=0.50");
    });
}

#[test]
fn a_zero_timeout_polls_the_inner_future_once_first_like_asyncio_timeout_and_tokio() {
    run_virtual(async {
        // Ready at once: it wins even against a zero timeout.
        assert_eq!(timeout(Duration::ZERO, async { 1 }).await, Ok(1));
        // Pending at its first poll: the zero timeout expires, and the future did start.
        let started = Rc::new(Cell::new(false));
        let result = timeout(Duration::ZERO, {
            let started = started.clone();
            async move {
                started.set(true);
                yield_now().await;
            }
        })
        .await;
        assert_eq!(result, Err(Elapsed));
        assert!(started.get(), "the inner future was polled once");
        assert_eq!(now(), Instant::ZERO);
    });
}

#[test]
fn a_timeout_around_a_ready_future_files_no_timer() {
    // A filed and never-cancelled timer would keep the virtual clock's next jump at t=60.
    let runtime = Builder::new().virtual_clock(true).build();
    runtime.block_on(async {
        for _ in 0..1000 {
            assert_eq!(timeout(Duration::from_secs(60), async { 1 }).await, Ok(1));
        }
    });
    assert_eq!(runtime.now(), Instant::ZERO);
    assert_eq!(runtime.pending_timers(), 0);
}

#[test]
fn wait_for_takes_asyncios_argument_order_and_timeout_at_an_instant() {
    run_virtual(async {
        assert_eq!(wait_for(sleep(ms(300)), ms(100)).await, Err(Elapsed));
        assert_eq!(now().to_string(), "t=0.10");
        let deadline = now() + ms(150);
        assert_eq!(
            timeout_at(deadline, sleep(Duration::from_secs(1))).await,
            Err(Elapsed)
        );
        assert_eq!(now(), deadline);
    });
}

#[test]
fn retrying_with_a_fresh_future_after_each_timeout_works() {
    // Example 24.3: every attempt gets a fresh future.
    let attempts = run_virtual(async {
        let delays = [900u64, 700, 200];
        let mut attempts = Vec::new();
        for delay in delays {
            let result = wait_for(
                async move {
                    sleep(ms(delay)).await;
                    delay
                },
                ms(500),
            )
            .await;
            attempts.push((now().to_string(), result.is_ok()));
            if result.is_ok() {
                break;
            }
        }
        attempts
    });
    assert_eq!(
        attempts,
        [
            ("t=0.50".to_string(), false),
            ("t=1.00".to_string(), false),
            ("t=1.20".to_string(), true)
        ]
    );
}

#[test]
fn a_timeout_around_a_join_handle_detaches_the_task_by_default() {
    // tokio's rule, and tinyloop's default: the timeout drops the *handle*, not the task.
    let finished = run_virtual(async {
        let task = spawn(async {
            sleep(ms(300)).await;
            "done"
        });
        let id = task.id();
        assert_eq!(timeout(ms(100), task).await, Err(Elapsed));
        sleep(ms(300)).await;
        id
    });
    assert_eq!(finished.as_u64(), 1);
}
