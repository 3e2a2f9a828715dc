//! Grades exercise 15: `gather_all` and `try_gather_all`, on tinyloop's virtual clock.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex15_gather.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex15_gather.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex15;

use ex15::{gather_all, try_gather_all};
use exercises::expect_eq;
use tinyloop::{now, run_virtual, sleep, spawn};

/// A child of any shape: the tests gather different `async` blocks together.
type Child<T> = Pin<Box<dyn Future<Output = T>>>;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Sleeps `ms` milliseconds, then returns `value`.
async fn after<T>(ms_: u64, value: T) -> T {
    sleep(ms(ms_)).await;
    value
}

/// Logs "NAME dropped at t=..." when dropped.
struct DropLog(&'static str, Rc<RefCell<Vec<String>>>);

impl Drop for DropLog {
    fn drop(&mut self) {
        self.1
            .borrow_mut()
            .push(format!("{} dropped at {}", self.0, now()));
    }
}

#[test]
fn outputs_come_back_in_argument_order_not_finishing_order() {
    let (out, at) = run_virtual(async {
        let out = gather_all(vec![
            Box::pin(after(30, "a")) as Child<&str>,
            Box::pin(after(10, "b")),
            Box::pin(after(20, "c")),
        ])
        .await;
        (out, now().to_string())
    });
    expect_eq!(out, ["a", "b", "c"]);
    expect_eq!(
        at,
        "t=0.03",
        "time when the gather finished (the waits overlap)"
    );
}

#[test]
fn three_one_second_sleeps_gathered_take_one_second() {
    let at = run_virtual(async {
        let sleeps = (0..3).map(|i| after(1000, i)).collect();
        let out = gather_all(sleeps).await;
        expect_eq!(out, [0, 1, 2]);
        now().to_string()
    });
    expect_eq!(at, "t=1.00", "time when three gathered 1 s sleeps finished");
}

#[test]
fn an_empty_gather_is_ready_at_once() {
    let out: Vec<u8> = run_virtual(gather_all(Vec::<std::future::Ready<u8>>::new()));
    expect_eq!(out, Vec::<u8>::new());
}

/// Ready on its first poll; panics if polled again, as a finished `async` block does.
struct Once(bool);

impl Future for Once {
    type Output = u8;
    fn poll(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u8> {
        assert!(!self.0, "a finished child was polled again");
        self.0 = true;
        Poll::Ready(7)
    }
}

#[test]
fn a_finished_child_is_dropped_at_once_and_never_polled_again() {
    let log = run_virtual(async {
        let log = Rc::new(RefCell::new(Vec::new()));
        let quick = {
            let guard = DropLog("quick", log.clone());
            async move {
                let _guard = guard;
                after(10, 1u8).await
            }
        };
        let children: Vec<Child<u8>> = vec![
            Box::pin(quick),
            Box::pin(Once(false)),
            Box::pin(after(50, 2u8)),
        ];
        let out = gather_all(children).await;
        expect_eq!(out, [1, 7, 2]);
        log.borrow_mut().push(format!("gather done at {}", now()));
        log.take()
    });
    expect_eq!(log, ["quick dropped at t=0.01", "gather done at t=0.05"]);
}

#[test]
fn try_gather_returns_all_values_when_nothing_fails() {
    let out = run_virtual(try_gather_all(vec![
        after(20, Ok::<u8, String>(1)),
        after(10, Ok(2)),
    ]));
    expect_eq!(out, Ok(vec![1, 2]));
}

#[test]
fn try_gather_returns_the_first_error_at_once_and_cancels_the_other_futures() {
    let (out, log) = run_virtual(async {
        let log = Rc::new(RefCell::new(Vec::new()));
        let slow = {
            let guard = DropLog("slow", log.clone());
            async move {
                let _guard = guard;
                after(1000, Ok::<u8, String>(1)).await
            }
        };
        let children: Vec<Child<Result<u8, String>>> = vec![
            Box::pin(slow),
            Box::pin(after(20, Err("boom".to_string()))),
            Box::pin(after(30, Err("later".to_string()))),
        ];
        let out = try_gather_all(children).await;
        log.borrow_mut()
            .push(format!("gather returned at {}", now()));
        (out, log.take())
    });
    expect_eq!(
        out,
        Err((1, "boom".to_string())),
        "the first error, with its index"
    );
    expect_eq!(log, ["slow dropped at t=0.02", "gather returned at t=0.02"]);
}

#[test]
fn try_gather_over_tasks_leaves_them_running_as_asyncio_gather_does() {
    let log = run_virtual(async {
        let log = Rc::new(RefCell::new(Vec::new()));
        let worker = {
            let log = log.clone();
            spawn(async move {
                sleep(ms(100)).await;
                log.borrow_mut()
                    .push(format!("worker finished at {}", now()));
                Ok::<u8, String>(1)
            })
        };
        let failing = spawn(after(10, Err::<u8, String>("boom".into())));
        let children = [worker, failing].map(|handle| async move { handle.await.unwrap() });
        let out = try_gather_all(Vec::from(children)).await;
        expect_eq!(out, Err((1, "boom".to_string())));
        sleep(ms(200)).await;
        log.take()
    });
    expect_eq!(log, ["worker finished at t=0.10"]);
}
