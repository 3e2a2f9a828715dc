//! `Lock`: mutual exclusion across an `await`, FIFO hand-off, cancellation before, while and
//! after the hand-off.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{JoinHandle, Lock, now, run_virtual, sleep, spawn, yield_now};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Seed 001's `modify_shared_resource`: read the last value, sleep, append value + 1.
fn modify(lock: &Lock<Vec<u32>>) -> JoinHandle<()> {
    let lock = lock.clone();
    spawn(async move {
        let mut list = lock.lock().await;
        let current = list.last().copied().unwrap_or(0);
        sleep(ms(100)).await; // another task runs here, but cannot enter
        list.push(current + 1);
    })
}

#[test]
fn with_the_lock_every_read_modify_write_sees_the_previous_one() {
    let (list, t) = run_virtual(async {
        let lock = Lock::new(Vec::new());
        let tasks: Vec<_> = (0..5).map(|_| modify(&lock)).collect();
        for task in tasks {
            task.await.unwrap();
        }
        let list = lock.lock().await.clone();
        (list, now())
    });
    assert_eq!(list, [1, 2, 3, 4, 5]);
    assert_eq!(t.to_string(), "t=0.50", "one at a time: five times 0.1 s");
}

#[test]
fn the_lock_goes_to_waiters_in_the_order_they_asked() {
    let order = run_virtual(async {
        let lock = Lock::new(Vec::new());
        let held = lock.lock().await;
        let tasks: Vec<_> = ["a", "b", "c"]
            .into_iter()
            .map(|name| {
                let lock = lock.clone();
                spawn(async move { lock.lock().await.push(name) })
            })
            .collect();
        yield_now().await;
        assert_eq!(lock.waiting(), 3);
        drop(held);
        assert!(
            lock.try_lock().is_none(),
            "handed to a, not free for a newcomer"
        );
        for task in tasks {
            task.await.unwrap();
        }
        lock.lock().await.clone()
    });
    assert_eq!(order, ["a", "b", "c"]);
}

#[test]
fn a_waiter_cancelled_before_the_hand_off_is_skipped() {
    run_virtual(async {
        let lock = Lock::new(Vec::new());
        let held = lock.lock().await;
        let b = spawn({
            let lock = lock.clone();
            async move { lock.lock().await.push("b") }
        });
        let c = spawn({
            let lock = lock.clone();
            async move { lock.lock().await.push("c") }
        });
        yield_now().await;
        b.cancel();
        yield_now().await; // b's future is dropped: it leaves the line
        assert_eq!(lock.waiting(), 1);
        drop(held);
        c.await.unwrap();
        assert!(b.await.unwrap_err().is_cancelled());
        assert_eq!(*lock.lock().await, ["c"]);
    });
}

#[test]
fn a_waiter_cancelled_after_the_hand_off_passes_the_lock_on() {
    run_virtual(async {
        let lock = Lock::new(Vec::new());
        let held = lock.lock().await;
        let b = spawn({
            let lock = lock.clone();
            async move { lock.lock().await.push("b") }
        });
        let c = spawn({
            let lock = lock.clone();
            async move { lock.lock().await.push("c") }
        });
        yield_now().await;
        drop(held); // assigned to b...
        b.cancel(); // ...which is dropped before it runs
        c.await.unwrap();
        assert!(!lock.locked(), "the lock is not left held by nobody");
        assert_eq!(*lock.lock().await, ["c"]);
    });
}

#[test]
fn a_task_cancelled_while_holding_the_lock_unlocks_it() {
    let t = run_virtual(async {
        let lock: Lock = Lock::default();
        let holder = spawn({
            let lock = lock.clone();
            async move {
                let _guard = lock.lock().await;
                sleep(ms(10_000)).await;
            }
        });
        let next = spawn({
            let lock = lock.clone();
            async move {
                let _guard = lock.lock().await;
                now()
            }
        });
        sleep(ms(300)).await;
        holder.cancel();
        next.await.unwrap()
    });
    assert_eq!(t.to_string(), "t=0.30");
}

#[test]
fn the_lock_is_not_reentrant_and_the_deadlock_report_says_where() {
    let result = catch_unwind(AssertUnwindSafe(|| {
        run_virtual(async {
            let lock: Lock = Lock::default();
            let _outer = lock.lock().await;
            let _inner = lock.lock().await;
        })
    }));
    let message = *result.unwrap_err().downcast::<String>().unwrap();
    assert!(message.contains("Lock.acquire"), "{message}");
}

#[test]
fn try_lock_takes_a_free_lock_and_the_guard_gives_mutable_access() {
    let lock = Lock::new(41);
    {
        let mut guard = lock.try_lock().expect("free");
        *guard += 1;
        assert!(lock.locked());
        assert!(lock.try_lock().is_none());
    }
    assert!(!lock.locked());
    assert_eq!(*lock.try_lock().unwrap(), 42);
}

#[test]
fn the_guard_ends_its_borrow_before_the_next_holder_runs() {
    // A RefCell-based guard that unlocked before releasing its borrow would make the next
    // holder's borrow fail; this exercises the hand-off from one guard to the next.
    let log: Rc<RefCell<Vec<u32>>> = Rc::default();
    run_virtual({
        let log = log.clone();
        async move {
            let lock = Lock::new(0u32);
            let tasks: Vec<_> = (0..3)
                .map(|_| {
                    let (lock, log) = (lock.clone(), log.clone());
                    spawn(async move {
                        let mut n = lock.lock().await;
                        *n += 1;
                        log.borrow_mut().push(*n);
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
        }
    });
    assert_eq!(*log.borrow(), [1, 2, 3]);
}

#[test]
fn after_an_unlock_with_a_waiter_locked_is_false_yet_no_newcomer_can_take_the_lock() {
    // asyncio (3.10-3.13): release() sets `_locked = False` and wakes the first waiter,
    // which sets it again when it runs; a newcomer sees the woken waiter in the line.
    run_virtual(async {
        let lock: Lock = Lock::default();
        let guard = lock.lock().await;
        let waiter = spawn({
            let lock = lock.clone();
            async move {
                let _guard = lock.lock().await;
                yield_now().await;
            }
        });
        yield_now().await;
        drop(guard);
        assert!(
            !lock.locked(),
            "asyncio: not locked until the woken waiter runs"
        );
        assert!(
            lock.try_lock().is_none(),
            "yet a newcomer cannot jump the line"
        );
        yield_now().await; // the waiter runs and takes the lock
        assert!(lock.locked());
        waiter.await.unwrap();
        assert!(!lock.locked());
    });
}
