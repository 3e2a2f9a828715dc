//! Grades exercise 08: a fair, cancel-safe Semaphore, on tinyloop's virtual clock.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex08_semaphore.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex08_semaphore.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex08;

use ex08::Semaphore;
use exercises::expect_eq;
use tinyloop::{now, run_virtual, sleep, spawn, timeout};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn at_most_n_tasks_hold_a_permit_and_the_rest_run_in_batches() {
    let log = run_virtual(async {
        let sem = Semaphore::new(2);
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut handles = Vec::new();
        for i in 0..5 {
            let (sem, log) = (sem.clone(), log.clone());
            handles.push(spawn(async move {
                let _permit = sem.acquire().await;
                log.borrow_mut().push(format!("{} worker {i} in", now()));
                sleep(ms(100)).await;
            }));
        }
        for handle in handles {
            handle.await.unwrap();
        }
        expect_eq!(sem.available_permits(), 2, "every permit came back");
        log.take()
    });
    expect_eq!(
        log,
        [
            "t=0.00 worker 0 in",
            "t=0.00 worker 1 in",
            "t=0.10 worker 2 in",
            "t=0.10 worker 3 in",
            "t=0.20 worker 4 in",
        ]
    );
}

#[test]
fn waiters_get_permits_in_the_order_they_asked() {
    let order = run_virtual(async {
        let sem = Semaphore::new(1);
        let first = sem.acquire().await;
        let order = Rc::new(RefCell::new(Vec::new()));
        let mut handles = Vec::new();
        for name in ["a", "b", "c"] {
            let (sem, order) = (sem.clone(), order.clone());
            handles.push(spawn(async move {
                let _permit = sem.acquire().await;
                order.borrow_mut().push(name);
                sleep(ms(10)).await;
            }));
            sleep(ms(1)).await; // a queues before b, b before c
        }
        expect_eq!(sem.waiting(), 3);
        drop(first);
        for handle in handles {
            handle.await.unwrap();
        }
        order.take()
    });
    expect_eq!(order, ["a", "b", "c"]);
}

#[test]
fn a_newcomer_does_not_barge_past_a_waiter() {
    let noop = std::task::Waker::noop();
    let mut cx = Context::from_waker(noop);
    let sem = Semaphore::new(1);
    let held = match pin!(sem.acquire()).poll(&mut cx) {
        Poll::Ready(permit) => permit,
        Poll::Pending => panic!("a free permit must be taken at once"),
    };
    let mut waiter = pin!(sem.acquire());
    assert!(waiter.as_mut().poll(&mut cx).is_pending());
    drop(held); // the permit is handed to `waiter`...
    let mut newcomer = pin!(sem.acquire());
    assert!(
        newcomer.as_mut().poll(&mut cx).is_pending(),
        "the released permit belongs to the waiter that queued first, not to a newcomer"
    );
    assert!(waiter.as_mut().poll(&mut cx).is_ready());
}

#[test]
fn a_waiter_cancelled_by_timeout_leaves_the_queue() {
    run_virtual(async {
        let sem = Semaphore::new(1);
        let held = sem.acquire().await;
        let gave_up = timeout(ms(50), sem.acquire()).await;
        assert!(gave_up.is_err(), "nobody released within 50 ms");
        expect_eq!(
            sem.waiting(),
            0,
            "the cancelled acquire must leave the queue"
        );
        drop(held);
        expect_eq!(
            sem.available_permits(),
            1,
            "the permit went back to the pool, not to a ghost"
        );
    });
}

#[test]
fn a_permit_handed_to_a_waiter_that_is_then_dropped_passes_on() {
    let noop = std::task::Waker::noop();
    let mut cx = Context::from_waker(noop);
    let sem = Semaphore::new(1);
    let held = match pin!(sem.acquire()).poll(&mut cx) {
        Poll::Ready(permit) => permit,
        Poll::Pending => panic!("a free permit must be taken at once"),
    };
    let mut first = Box::pin(sem.acquire());
    let mut second = pin!(sem.acquire());
    assert!(first.as_mut().poll(&mut cx).is_pending());
    assert!(second.as_mut().poll(&mut cx).is_pending());
    drop(held); // handed to `first`...
    drop(first); // ...which is cancelled before it runs: the permit must go to `second`
    assert!(
        second.as_mut().poll(&mut cx).is_ready(),
        "a permit handed to a cancelled waiter was lost"
    );
}

#[test]
fn a_waiting_task_is_woken_when_a_permit_comes_back() {
    let woke_at = run_virtual(async {
        let sem = Semaphore::new(1);
        let held = sem.acquire().await;
        let sem2 = sem.clone();
        let waiter = spawn(async move {
            let _permit = sem2.acquire().await;
            now().to_string()
        });
        sleep(ms(300)).await;
        drop(held);
        waiter.await.unwrap()
    });
    expect_eq!(woke_at, "t=0.30");
}
