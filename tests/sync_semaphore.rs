//! `Semaphore` and `BoundedSemaphore`: FIFO hand-off, no barging, cancellation before, while
//! and after the hand-off, exact timing under the virtual clock.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{
    BoundedReleaseError, BoundedSemaphore, JoinHandle, Semaphore, now, run_virtual, sleep, spawn,
    yield_now,
};

type Log = Rc<RefCell<Vec<String>>>;

/// A task that waits for a permit, logs `"{name} got it"`, holds it for `hold`, and logs
/// `"{name} released"`.
fn worker(sem: &Semaphore, log: &Log, name: &'static str, hold: Duration) -> JoinHandle<()> {
    let (sem, log) = (sem.clone(), log.clone());
    spawn(async move {
        let _permit = sem.acquire().await;
        log.borrow_mut().push(format!("{} {name} got it", now()));
        sleep(hold).await;
        log.borrow_mut().push(format!("{} {name} released", now()));
    })
}

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

#[test]
fn nine_sessions_through_three_permits_run_in_three_batches() {
    let starts = run_virtual(async {
        let sem = Semaphore::new(3);
        let log: Log = Rc::default();
        let tasks: Vec<_> = (0..9)
            .map(|i| {
                let (sem, log) = (sem.clone(), log.clone());
                spawn(async move {
                    let _permit = sem.acquire().await;
                    log.borrow_mut().push(format!("{} {i}", now()));
                    sleep(ms(300)).await;
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(now().to_string(), "t=0.90");
        log.take()
    });
    assert_eq!(
        starts,
        [
            "t=0.00 0", "t=0.00 1", "t=0.00 2", "t=0.30 3", "t=0.30 4", "t=0.30 5", "t=0.60 6",
            "t=0.60 7", "t=0.60 8"
        ]
    );
}

#[test]
fn waiters_get_permits_in_the_order_they_asked() {
    let log = run_virtual(async {
        let sem = Semaphore::new(1);
        let log: Log = Rc::default();
        let tasks: Vec<_> = ["a", "b", "c", "d"]
            .into_iter()
            .map(|name| worker(&sem, &log, name, ms(100)))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        log.take()
    });
    assert_eq!(
        log,
        [
            "t=0.00 a got it",
            "t=0.10 a released",
            "t=0.10 b got it",
            "t=0.20 b released",
            "t=0.20 c got it",
            "t=0.30 c released",
            "t=0.30 d got it",
            "t=0.40 d released"
        ]
    );
}

#[test]
fn a_newcomer_gets_nothing_while_someone_waits() {
    run_virtual(async {
        let sem = Semaphore::new(1);
        let held = sem.acquire().await;
        let waiter = spawn({
            let sem = sem.clone();
            async move {
                let _permit = sem.acquire().await;
            }
        });
        yield_now().await; // the waiter is in line
        assert_eq!(sem.waiting(), 1);
        drop(held); // the permit is handed to the waiter, not put back on the counter
        assert_eq!(sem.available(), 0);
        assert!(sem.try_acquire().is_none(), "a newcomer must not barge in");
        assert!(sem.locked());
        waiter.await.unwrap();
        assert_eq!(sem.available(), 1);
    });
}

#[test]
fn a_waiter_cancelled_before_the_hand_off_leaves_the_line_and_the_next_proceeds() {
    let log = run_virtual(async {
        let sem = Semaphore::new(1);
        let log: Log = Rc::default();
        let holder = worker(&sem, &log, "a", ms(100));
        let cancelled = worker(&sem, &log, "b", ms(100));
        let next = worker(&sem, &log, "c", ms(100));
        sleep(ms(50)).await; // b and c wait
        assert!(cancelled.cancel());
        assert!(cancelled.await.unwrap_err().is_cancelled());
        assert_eq!(sem.waiting(), 1);
        holder.await.unwrap();
        next.await.unwrap();
        assert_eq!(sem.available(), 1);
        log.take()
    });
    assert_eq!(
        log,
        [
            "t=0.00 a got it",
            "t=0.10 a released",
            "t=0.10 c got it",
            "t=0.20 c released"
        ]
    );
}

#[test]
fn a_waiter_cancelled_after_the_hand_off_passes_its_permit_on() {
    let log = run_virtual(async {
        let sem = Semaphore::new(1);
        let log: Log = Rc::default();
        let held = sem.acquire().await;
        let handed = worker(&sem, &log, "b", ms(100));
        let next = worker(&sem, &log, "c", ms(100));
        yield_now().await; // b and c wait
        drop(held); // the permit is assigned to b, which has not run yet...
        assert!(handed.cancel()); // ...and b is cancelled before it can
        assert!(handed.await.unwrap_err().is_cancelled());
        next.await.unwrap();
        assert_eq!(sem.available(), 1, "no permit was lost");
        log.take()
    });
    assert_eq!(log, ["t=0.00 c got it", "t=0.10 c released"]);
}

#[test]
fn a_task_cancelled_while_holding_a_permit_releases_it() {
    let log = run_virtual(async {
        let sem = Semaphore::new(1);
        let log: Log = Rc::default();
        let holder = worker(&sem, &log, "a", ms(1000));
        let next = worker(&sem, &log, "b", ms(100));
        sleep(ms(200)).await;
        holder.cancel();
        next.await.unwrap();
        assert_eq!(sem.available(), 1);
        log.take()
    });
    assert_eq!(
        log,
        ["t=0.00 a got it", "t=0.20 b got it", "t=0.30 b released"]
    );
}

#[test]
fn one_release_hands_out_as_many_permits_as_are_freed_in_the_same_step() {
    // Ten tasks hold the ten permits and release them all in one step: the next ten waiters
    // must all run in the following step, not one per step.
    run_virtual(async {
        let sem = Semaphore::new(10);
        let started_at: Rc<RefCell<Vec<u64>>> = Rc::default();
        let tasks: Vec<_> = (0..30)
            .map(|_| {
                let (sem, started_at) = (sem.clone(), started_at.clone());
                spawn(async move {
                    let _permit = sem.acquire().await;
                    started_at.borrow_mut().push(tinyloop::current_step());
                    yield_now().await;
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        let steps = started_at.take();
        let distinct: std::collections::BTreeSet<u64> = steps.iter().copied().collect();
        assert_eq!(distinct.len(), 3, "three batches of ten: {steps:?}");
    });
}

#[test]
fn release_by_hand_adds_a_permit_for_the_longest_waiter() {
    run_virtual(async {
        let sem = Semaphore::new(0);
        let waiter = spawn({
            let sem = sem.clone();
            async move {
                sem.acquire().await.forget();
                now()
            }
        });
        sleep(ms(250)).await;
        sem.release();
        assert_eq!(waiter.await.unwrap().to_string(), "t=0.25");
        assert_eq!(sem.available(), 0, "the waiter forgot its permit");
        sem.release();
        assert_eq!(sem.available(), 1);
    });
}

#[test]
fn a_bounded_semaphore_refuses_to_go_above_its_initial_value() {
    run_virtual(async {
        let sem = BoundedSemaphore::new(2);
        assert_eq!(sem.release(), Err(BoundedReleaseError));
        let guard = sem.acquire().await;
        assert_eq!(
            sem.release(),
            Err(BoundedReleaseError),
            "a guarded permit is released by its drop, not by hand"
        );
        sem.acquire().await.forget();
        assert_eq!(sem.available(), 0);
        assert_eq!(sem.release(), Ok(()));
        assert_eq!(sem.release(), Err(BoundedReleaseError));
        drop(guard);
        assert_eq!(sem.available(), 2);
        assert!(
            BoundedReleaseError
                .to_string()
                .contains("released too many times")
        );
    });
}

#[test]
fn a_bounded_semaphore_hands_permits_over_fifo_too() {
    run_virtual(async {
        let sem = BoundedSemaphore::new(1);
        let held = sem.acquire().await;
        let order: Rc<RefCell<Vec<u32>>> = Rc::default();
        let tasks: Vec<_> = (1..=3)
            .map(|i| {
                let (sem, order) = (sem.clone(), order.clone());
                spawn(async move {
                    let _permit = sem.acquire().await;
                    order.borrow_mut().push(i);
                })
            })
            .collect();
        yield_now().await;
        drop(held);
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(*order.borrow(), [1, 2, 3]);
    });
}

#[test]
fn a_task_stuck_in_acquire_is_named_in_the_deadlock_report() {
    let result = catch_unwind(AssertUnwindSafe(|| {
        run_virtual(async {
            let sem = Semaphore::new(1);
            let _held = sem.acquire().await;
            let _again = sem.acquire().await; // waits for itself forever
        })
    }));
    let message = *result.unwrap_err().downcast::<String>().unwrap();
    assert!(message.contains("can never make progress"), "{message}");
    assert!(message.contains("Semaphore.acquire"), "{message}");
}

#[test]
fn the_tracer_names_the_semaphore_as_the_waker_and_what_the_waiter_waits_on() {
    use tinyloop::runtime::trace::Recorder;
    let recorder = Recorder::new();
    let runtime = tinyloop::Builder::new()
        .virtual_clock(true)
        .tracer(recorder.clone())
        .build();
    runtime.block_on(async {
        let sem = Semaphore::new(1);
        let held = sem.acquire().await;
        let waiter = tinyloop::spawn_named("waiter", {
            let sem = sem.clone();
            async move {
                let _permit = sem.acquire().await;
            }
        });
        yield_now().await;
        drop(held);
        waiter.await.unwrap();
    });
    let lines = recorder.lines();
    assert!(
        lines
            .iter()
            .any(|line| line == "pending  waiter (task-1): waiting on Semaphore.acquire"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line == "wake     waiter (task-1) by a Semaphore"),
        "{lines:#?}"
    );
}

#[test]
fn releasing_a_semaphore_at_usize_max_permits_saturates_instead_of_wrapping() {
    run_virtual(async {
        let semaphore = Semaphore::new(usize::MAX);
        semaphore.release(); // would wrap to 0 free permits in a release build
        assert_eq!(semaphore.available(), usize::MAX);
        let permit = semaphore.acquire().await;
        assert_eq!(semaphore.available(), usize::MAX - 1);
        drop(permit);
        assert_eq!(semaphore.available(), usize::MAX);
    });
}

#[test]
fn locked_stays_true_while_a_woken_waiter_has_not_run_even_with_a_permit_free() {
    // asyncio (3.10-3.13): release() hands the permit to the first waiter (`_value` is
    // decremented on its behalf), and `locked()` is true while any waiter, woken or not,
    // is in the deque: a second release leaves `_value == 1` and `locked()` still true.
    run_virtual(async {
        let sem = Semaphore::new(1);
        sem.acquire().await.forget();
        let waiter = spawn({
            let sem = sem.clone();
            async move { sem.acquire().await.forget() }
        });
        yield_now().await;
        sem.release(); // handed over to the waiter
        assert_eq!(sem.available(), 0);
        assert!(sem.locked());
        sem.release(); // nobody else in line: the counter
        assert_eq!(sem.available(), 1);
        assert!(sem.locked(), "the woken waiter has not run yet");
        assert!(sem.try_acquire().is_none(), "no newcomer ahead of it");
        waiter.await.unwrap();
        assert!(!sem.locked());
        assert!(sem.try_acquire().is_some());
    });
}
