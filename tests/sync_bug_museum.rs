//! The bug museum: one regression test per historic asyncio primitive bug.
//!
//! Each of these bugs lived in the gap between "a waiter was woken" and "the waiter ran":
//! asyncio's primitives wake a future and let the woken task come back for the permit or
//! the item, and anything that happened in between (a cancellation, another task grabbing
//! it first) could lose it. asyncio fixed them one by one, and tinyloop keeps the fixes: a
//! semaphore or lock hands the permit over at release (as asyncio has since gh-97545), and a
//! waiter dropped after it was woken passes on what it was woken for (the permit, the lock,
//! the notification, or the wake-up for an item still in the queue). The book's chapter
//! "The bug museum" tells each story.

use std::cell::RefCell;
use std::rc::Rc;

use tinyloop::{Builder, Event, Lock, Queue, Semaphore, run_virtual, spawn, yield_now};

type Log = Rc<RefCell<Vec<String>>>;

/// python/asyncio#270 (2015). Two tasks wait in `acquire()`; one `release()` wakes the
/// first; the first is cancelled before it runs. asyncio's cancelled waiter swallowed the
/// wake-up: the permit sat in the counter while the second waiter slept on, though the
/// semaphore said it could go. In tinyloop the permit was *assigned* to the first waiter,
/// and its `Drop` hands it to the second.
#[test]
fn asyncio_270_a_woken_waiter_cancelled_before_it_runs_passes_the_permit_on() {
    run_virtual(async {
        let sem = Semaphore::new(0);
        let first = spawn({
            let sem = sem.clone();
            async move { sem.acquire().await.forget() }
        });
        let second = spawn({
            let sem = sem.clone();
            async move { sem.acquire().await.forget() }
        });
        yield_now().await;
        sem.release();
        first.cancel();
        second.await.expect("the second waiter gets the permit");
        assert!(first.await.unwrap_err().is_cancelled());
    });
}

/// bpo-45997 (2021). A task that released and acquired again without awaiting in between
/// took its own permit back: `release()` had only woken the waiter, the counter said 1, and
/// the re-acquire saw it first. The woken waiter found 0 and queued again, so one task could
/// hold the semaphore for as long as it liked. tinyloop's release gives the permit to the
/// waiter, so the re-acquire finds 0 and queues behind it.
#[test]
fn bpo_45997_releasing_and_reacquiring_at_once_cannot_starve_a_waiter() {
    let log = run_virtual(async {
        let sem = Semaphore::new(1);
        let log: Log = Rc::default();
        let greedy = spawn({
            let (sem, log) = (sem.clone(), log.clone());
            async move {
                let mut permit = sem.acquire().await;
                for _ in 0..3 {
                    log.borrow_mut().push("greedy".into());
                    yield_now().await;
                    drop(permit);
                    permit = sem.acquire().await; // no await between release and acquire
                }
            }
        });
        let patient = spawn({
            let (sem, log) = (sem.clone(), log.clone());
            async move {
                for _ in 0..3 {
                    let _permit = sem.acquire().await;
                    log.borrow_mut().push("patient".into());
                    yield_now().await;
                }
            }
        });
        greedy.await.unwrap();
        patient.await.unwrap();
        log.take()
    });
    assert_eq!(
        log,
        [
            "greedy", "patient", "greedy", "patient", "greedy", "patient"
        ]
    );
}

/// gh-90155 (2022). The fix for bpo-45997 added a "wake-up scheduled" flag; a task that
/// released the semaphore and at once cancelled the waiter it had just woken left the flag
/// set forever, and from then on every `acquire()` blocked: the semaphore was broken for
/// good. tinyloop keeps no such flag: the cancelled waiter's `Drop` returns the permit, and
/// the semaphore is whole again.
#[test]
fn gh_90155_cancelling_the_waiter_you_just_woke_does_not_break_the_semaphore() {
    run_virtual(async {
        let sem = Semaphore::new(1);
        let permit = sem.acquire().await;
        let victim = spawn({
            let sem = sem.clone();
            async move {
                let _permit = sem.acquire().await;
                unreachable!("cancelled before it runs");
            }
        });
        yield_now().await;
        drop(permit); // wakes the victim...
        victim.cancel(); // ...and cancels it in the same breath
        assert!(victim.await.unwrap_err().is_cancelled());
        assert_eq!(sem.available(), 1, "the permit came back");
        let later: Vec<_> = (0..3)
            .map(|_| {
                let sem = sem.clone();
                spawn(async move {
                    let _permit = sem.acquire().await;
                    yield_now().await;
                })
            })
            .collect();
        for task in later {
            task.await.expect("the semaphore still works");
        }
    });
}

/// gh-97545 (2022). After the gh-90155 fix, `release()` woke a waiter only if no wake-up
/// was already pending, so when fifty permit holders released in one loop iteration, only
/// one waiter was woken per iteration: Guido's benchmark ran 27 times slower. tinyloop
/// assigns each released permit to its own waiter, so fifty releases in one step start
/// fifty waiters in the next.
#[test]
fn gh_97545_a_burst_of_releases_starts_a_burst_of_waiters() {
    let runtime = Builder::new().virtual_clock(true).build();
    runtime.block_on(async {
        let sem = Semaphore::new(50);
        let tasks: Vec<_> = (0..500)
            .map(|_| {
                let sem = sem.clone();
                spawn(async move {
                    let _permit = sem.acquire().await;
                    yield_now().await;
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    // Ten batches of fifty, two steps each (acquire, then release after one yield), plus a
    // few steps to start and finish. One waiter per step would take over 500.
    assert!(runtime.steps() <= 30, "{} steps", runtime.steps());
}

/// gh-108042 (2023), the latest of a family of queue races. A putter interrupted after it
/// was woken must wake the next putter if the queue has room, or the slot goes to no one.
/// asyncio checks `not putter.cancelled()` after `putter.cancel()`: a woken putter's future
/// is already done, so `cancel()` does nothing and the check passes, and the next putter is
/// woken. tinyloop's `Drop for QueuePut` does the same (checked on 3.10 to 3.13: the second
/// putter's item goes in).
#[test]
fn gh_108042_a_woken_putter_that_is_cancelled_does_not_strand_the_next_putter() {
    run_virtual(async {
        let queue = Queue::new(1);
        queue.put_nowait("queued").unwrap();
        let first = spawn({
            let queue = queue.clone();
            async move { queue.put("first").await }
        });
        let second = spawn({
            let queue = queue.clone();
            async move { queue.put("second").await }
        });
        yield_now().await;
        assert_eq!(queue.get_nowait(), Ok("queued")); // wakes `first` for the free slot...
        first.cancel(); // ...which is interrupted before it runs
        assert!(first.await.unwrap_err().is_cancelled());
        assert_eq!(
            second.await.unwrap(),
            Ok(()),
            "the next putter was not stranded"
        );
        assert_eq!(queue.get_nowait(), Ok("second"));
        assert!(queue.empty(), "the interrupted put stored nothing");
    });
}

/// The same family on the getter side: bpo-23812 (python/asyncio#256, 2015) and the
/// `wait_for(queue.get(), timeout)` reports (python/asyncio#201, #343): `put_nowait()` woke
/// a getter, the getter was cancelled (often by a timeout) before it ran, and the next
/// getter slept beside the item. The item never left the queue (asyncio keeps it in the
/// buffer until a getter runs), so nothing is lost as long as the wake-up is passed on:
/// the cancelled getter's `Drop` wakes the next getter.
#[test]
fn gh_108042_class_a_woken_getter_that_is_cancelled_wakes_the_next_getter() {
    run_virtual(async {
        let queue = Queue::new(0);
        let first = spawn({
            let queue = queue.clone();
            async move { queue.get().await }
        });
        let second = spawn({
            let queue = queue.clone();
            async move { queue.get().await }
        });
        yield_now().await;
        queue.put_nowait(42).unwrap();
        first.cancel();
        assert_eq!(second.await.unwrap(), Ok(42));
        assert!(first.await.unwrap_err().is_cancelled());
    });
}

/// gh-83055 (bpo-38874, 2019): with a full queue and putters
/// waiting, a `put_nowait()` can take the slot a woken putter was about to use; the woken
/// putter then finds the queue full and waits again. Items still come out in the order
/// they went *in* (the buffer is the only way out), but not in the order the puts began.
/// tinyloop keeps asyncio's behaviour here on purpose (checked on 3.10 to 3.13: out comes
/// 2, then 1), so a program ported from Python sees the same order.
#[test]
fn gh_83055_put_nowait_takes_the_slot_a_woken_putter_has_not_used_yet_as_in_asyncio() {
    run_virtual(async {
        let queue = Queue::new(1);
        queue.put_nowait(0).unwrap();
        let waiting = spawn({
            let queue = queue.clone();
            async move { queue.put(1).await }
        });
        yield_now().await;
        assert_eq!(queue.get_nowait(), Ok(0));
        assert_eq!(queue.put_nowait(2), Ok(()), "asyncio lets it in");
        yield_now().await;
        assert_eq!(queue.get_nowait(), Ok(2));
        waiting.await.unwrap().unwrap();
        assert_eq!(queue.get_nowait(), Ok(1));
    });
}

/// bpo-27585 (2016-2017): a task woken to take an `asyncio.Lock` was cancelled before it
/// ran; its stale entry stayed at the head of the waiters, later `acquire()` calls queued
/// behind it, and nobody woke them: every later acquire deadlocked. tinyloop's cancelled
/// waiter passes the lock on, as it passes on any permit.
#[test]
fn bpo_27585_a_lock_handed_to_a_cancelled_waiter_is_passed_on() {
    run_virtual(async {
        let lock: Lock = Lock::default();
        let guard = lock.lock().await;
        let first = spawn({
            let lock = lock.clone();
            async move { drop(lock.lock().await) }
        });
        let second = spawn({
            let lock = lock.clone();
            async move { drop(lock.lock().await) }
        });
        yield_now().await;
        drop(guard);
        first.cancel();
        second.await.expect("the lock reached the second waiter");
        assert!(!lock.locked());
    });
}

/// `Event.set()` followed at once by `clear()`: the waiters were woken by the set, but a
/// waiter that re-checked the flag when it ran would see it down and go back to sleep.
/// asyncio gets this right by resolving each waiter's future inside `set()`. tinyloop's
/// waiters compare the event's set-count with the one they registered under, so a set they
/// slept through still counts.
#[test]
fn event_set_then_clear_still_wakes_every_waiter() {
    run_virtual(async {
        let event = Event::new();
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let event = event.clone();
                spawn(async move { event.wait().await })
            })
            .collect();
        yield_now().await;
        event.set();
        event.clear();
        for waiter in waiters {
            waiter
                .await
                .expect("woken by the set, whatever the flag says now");
        }
    });
}
