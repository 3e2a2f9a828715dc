//! Grades exercise 14: a Lock with asyncio's semantics (wake the first waiter; it takes the
//! lock when it runs; newcomers queue meanwhile; a cancelled woken waiter passes the wake on).

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex14_lock.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex14_lock.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex14;

use ex14::Lock;
use exercises::{counting_waker, expect_eq};
use tinyloop::{now, run_virtual, sleep, spawn, timeout};

#[test]
fn a_free_lock_is_taken_at_once_and_dropping_the_guard_frees_it() {
    let lock = Lock::new();
    let mut cx = Context::from_waker(Waker::noop());
    let guard = match pin!(lock.acquire()).poll(&mut cx) {
        Poll::Ready(guard) => guard,
        Poll::Pending => panic!("acquire() on a free lock returned Pending"),
    };
    expect_eq!(lock.locked(), true, "while the guard lives");
    drop(guard);
    expect_eq!(lock.locked(), false, "after the guard is dropped");
}

#[test]
fn tasks_hold_the_lock_one_at_a_time_in_the_order_they_asked() {
    let log = run_virtual(async {
        let lock = Lock::new();
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut handles = Vec::new();
        for name in ["a", "b", "c"] {
            let (lock, log) = (lock.clone(), log.clone());
            handles.push(spawn(async move {
                let _guard = lock.acquire().await;
                log.borrow_mut().push(format!("{} {name} in", now()));
                sleep(Duration::from_millis(100)).await;
            }));
        }
        for handle in handles {
            handle.await.unwrap();
        }
        expect_eq!(lock.locked(), false, "every guard was dropped");
        log.take()
    });
    expect_eq!(log, ["t=0.00 a in", "t=0.10 b in", "t=0.20 c in"]);
}

#[test]
fn release_wakes_only_the_first_waiter() {
    let lock = Lock::new();
    let mut noop = Context::from_waker(Waker::noop());
    let Poll::Ready(guard) = pin!(lock.acquire()).poll(&mut noop) else {
        panic!("acquire() on a free lock returned Pending");
    };
    let (first_waker, first) = counting_waker();
    let (second_waker, second) = counting_waker();
    let mut a = Box::pin(lock.acquire());
    let mut b = Box::pin(lock.acquire());
    assert!(
        a.as_mut()
            .poll(&mut Context::from_waker(&first_waker))
            .is_pending()
    );
    assert!(
        b.as_mut()
            .poll(&mut Context::from_waker(&second_waker))
            .is_pending()
    );
    expect_eq!(lock.waiting(), 2, "two acquires queued");
    drop(guard);
    expect_eq!(first.get(), 1, "wakes of the first waiter after release");
    expect_eq!(second.get(), 0, "wakes of the second waiter after release");
}

#[test]
fn a_newcomer_queues_behind_a_woken_waiter_that_has_not_run_yet() {
    let lock = Lock::new();
    let mut cx = Context::from_waker(Waker::noop());
    let Poll::Ready(guard) = pin!(lock.acquire()).poll(&mut cx) else {
        panic!("acquire() on a free lock returned Pending");
    };
    let mut waiter = Box::pin(lock.acquire());
    assert!(waiter.as_mut().poll(&mut cx).is_pending());
    drop(guard); // the lock is free, the waiter is woken but has not run
    expect_eq!(
        lock.locked(),
        false,
        "between the release and the woken waiter's run"
    );
    let mut newcomer = Box::pin(lock.acquire());
    expect_eq!(
        newcomer.as_mut().poll(&mut cx).is_pending(),
        true,
        "a newcomer polled while a woken waiter has not run: is it kept waiting"
    );
    let Poll::Ready(_guard) = waiter.as_mut().poll(&mut cx) else {
        panic!("the woken waiter, polled at last, did not take the lock");
    };
    expect_eq!(lock.locked(), true, "after the woken waiter took it");
}

#[test]
fn a_woken_waiter_that_is_cancelled_passes_the_wake_to_the_next() {
    let lock = Lock::new();
    let mut noop = Context::from_waker(Waker::noop());
    let Poll::Ready(guard) = pin!(lock.acquire()).poll(&mut noop) else {
        panic!("acquire() on a free lock returned Pending");
    };
    let (second_waker, second) = counting_waker();
    let mut first = Box::pin(lock.acquire());
    let mut next = Box::pin(lock.acquire());
    assert!(first.as_mut().poll(&mut noop).is_pending());
    assert!(
        next.as_mut()
            .poll(&mut Context::from_waker(&second_waker))
            .is_pending()
    );
    drop(guard); // wakes `first`...
    drop(first); // ...which is cancelled before it runs
    expect_eq!(lock.waiting(), 1, "waiters after the woken one was dropped");
    expect_eq!(
        second.get(),
        1,
        "wakes of the next waiter once the woken one was cancelled"
    );
    let mut cx = Context::from_waker(&second_waker);
    expect_eq!(
        next.as_mut().poll(&mut cx).is_ready(),
        true,
        "the next waiter takes it"
    );
}

#[test]
fn a_waiter_that_times_out_leaves_the_queue_and_the_lock_still_works() {
    let log = run_virtual(async {
        let lock = Lock::new();
        let guard = lock.acquire().await;
        let impatient = {
            let lock = lock.clone();
            spawn(async move {
                timeout(Duration::from_millis(50), lock.acquire())
                    .await
                    .is_ok()
            })
        };
        let patient = {
            let lock = lock.clone();
            spawn(async move {
                let _guard = lock.acquire().await;
                format!("{} patient in", now())
            })
        };
        sleep(Duration::from_millis(10)).await;
        expect_eq!(lock.waiting(), 2, "queued at t=0.01");
        let got_it = impatient.await.unwrap();
        expect_eq!(got_it, false, "the impatient task's timeout, at t=0.05");
        expect_eq!(lock.waiting(), 1, "queued after the timeout");
        sleep(Duration::from_millis(50)).await;
        drop(guard);
        patient.await.unwrap()
    });
    expect_eq!(log, "t=0.10 patient in");
}
