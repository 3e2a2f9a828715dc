//! `Condition`: wait releases the lock and relocks, notify(n) wakes the longest waiters,
//! wait_for re-checks its predicate, a notification is never lost to a cancelled waiter.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{Condition, JoinHandle, now, run_virtual, sleep, spawn, yield_now};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

type Log = Rc<RefCell<Vec<&'static str>>>;

/// A task that locks, waits for one notification, and logs its name.
fn waiter(cond: &Condition, log: &Log, name: &'static str) -> JoinHandle<()> {
    let (cond, log) = (cond.clone(), log.clone());
    spawn(async move {
        let guard = cond.lock().await;
        let _guard = cond.wait(guard).await;
        log.borrow_mut().push(name);
    })
}

#[test]
fn wait_releases_the_lock_while_waiting_and_holds_it_again_on_return() {
    run_virtual(async {
        let cond = Condition::new(0);
        let task = spawn({
            let cond = cond.clone();
            async move {
                let guard = cond.lock().await;
                let guard = cond.wait(guard).await;
                assert!(cond.locked(), "wait returns with the lock held");
                *guard
            }
        });
        yield_now().await;
        assert!(!cond.locked(), "the waiter released the lock");
        *cond.lock().await = 7;
        cond.notify(1);
        assert_eq!(task.await.unwrap(), 7);
        assert!(!cond.locked());
    });
}

#[test]
fn notify_wakes_the_longest_waiters_first_and_notify_all_the_rest() {
    let log = run_virtual(async {
        let cond: Condition = Condition::default();
        let log: Log = Rc::default();
        let tasks: Vec<_> = ["a", "b", "c", "d"]
            .into_iter()
            .map(|name| waiter(&cond, &log, name))
            .collect();
        yield_now().await;
        assert_eq!(cond.waiting(), 4);
        assert_eq!(cond.notify(2), 2);
        sleep(ms(10)).await;
        assert_eq!(*log.borrow(), ["a", "b"]);
        assert_eq!(cond.notify_all(), 2);
        for task in tasks {
            task.await.unwrap();
        }
        log.take()
    });
    assert_eq!(log, ["a", "b", "c", "d"]);
}

#[test]
fn a_notification_assigned_to_a_cancelled_waiter_goes_to_the_next_one() {
    let log = run_virtual(async {
        let cond: Condition = Condition::default();
        let log: Log = Rc::default();
        let a = waiter(&cond, &log, "a");
        let b = waiter(&cond, &log, "b");
        yield_now().await;
        cond.notify(1); // assigned to a...
        a.cancel(); // ...which is dropped before it runs
        b.await.unwrap();
        assert!(a.await.unwrap_err().is_cancelled());
        log.take()
    });
    assert_eq!(log, ["b"]);
}

#[test]
fn a_waiter_cancelled_before_any_notify_wakes_the_next_one_as_asyncio_3_13_does() {
    // asyncio 3.13: `wait()` ends in `except BaseException: self._notify(1)`, so a cancelled
    // waiter wakes the next one even if it was never notified (a spurious wake-up; checked:
    // 3.12 wakes no one). A notification sent later still wakes exactly one waiter.
    let log = run_virtual(async {
        let cond: Condition = Condition::default();
        let log: Log = Rc::default();
        let a = waiter(&cond, &log, "a");
        let b = waiter(&cond, &log, "b");
        let c = waiter(&cond, &log, "c");
        yield_now().await;
        a.cancel();
        b.await.unwrap(); // woken by a's cancellation
        assert_eq!(cond.waiting(), 1);
        sleep(ms(10)).await;
        assert!(!c.is_finished());
        assert_eq!(cond.notify(1), 1);
        c.await.unwrap();
        log.take()
    });
    assert_eq!(log, ["b", "c"]);
}

#[test]
fn a_waiter_cancelled_while_relocking_leaves_the_lock_free() {
    run_virtual(async {
        let cond: Condition = Condition::default();
        let log: Log = Rc::default();
        let a = waiter(&cond, &log, "a");
        yield_now().await;
        let guard = cond.lock().await;
        cond.notify(1); // a is notified but the lock is held: it waits for the lock
        yield_now().await;
        a.cancel();
        yield_now().await;
        drop(guard);
        assert!(!cond.locked());
        assert!(a.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn wait_for_checks_the_predicate_after_every_notification() {
    let t = run_virtual(async {
        let cond = Condition::new(0u32);
        let consumer = spawn({
            let cond = cond.clone();
            async move {
                let guard = cond.lock().await;
                let guard = cond.wait_for(guard, |n| *n >= 3).await;
                (*guard, now())
            }
        });
        for _ in 0..3 {
            sleep(ms(100)).await;
            *cond.lock().await += 1;
            cond.notify_all();
        }
        let (n, t) = consumer.await.unwrap();
        assert_eq!(n, 3);
        t
    });
    assert_eq!(t.to_string(), "t=0.30");
}

#[test]
#[should_panic(expected = "guard of a different lock")]
fn wait_with_another_locks_guard_panics() {
    run_virtual(async {
        let cond: Condition = Condition::default();
        let other: Condition = Condition::default();
        let guard = other.lock().await;
        let _ = cond.wait(guard).await;
    });
}

#[test]
fn a_waiter_cancelled_while_relocking_after_a_notify_passes_the_notification_on() {
    // asyncio 3.13's `wait()` notifies another waiter when it is cancelled after being
    // notified (also while it waits to relock); 3.12 loses the notification.
    let log = run_virtual(async {
        let cond: Condition = Condition::default();
        let log: Log = Rc::default();
        let a = waiter(&cond, &log, "a");
        let b = waiter(&cond, &log, "b");
        yield_now().await;
        let guard = cond.lock().await; // held, so that a's relock has to wait
        assert_eq!(cond.notify(1), 1);
        yield_now().await; // a runs: notified, now in the lock's line
        a.cancel();
        yield_now().await; // a is dropped while relocking
        drop(guard);
        let b_finished = tinyloop::timeout(ms(100), b).await;
        assert!(
            b_finished.is_ok(),
            "b was never notified: the notification was lost"
        );
        log.take()
    });
    assert_eq!(log, ["b"]);
}
