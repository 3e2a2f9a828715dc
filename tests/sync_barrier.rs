//! `Barrier` (Python 3.11): nobody passes until all parties arrive, arrival indices, rounds,
//! abort, reset, cancellation.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{
    Barrier, BrokenBarrierError, JoinHandle, now, run_virtual, sleep, spawn, yield_now,
};

/// (task, round, index) in the order the tasks returned from `wait()`.
type Log = Rc<RefCell<Vec<(&'static str, usize, usize)>>>;

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// A task that sleeps `delay` ms, then waits at the barrier; returns its result and time.
fn arrive(
    barrier: &Barrier,
    delay: u64,
) -> JoinHandle<(Result<usize, BrokenBarrierError>, String)> {
    let barrier = barrier.clone();
    spawn(async move {
        sleep(ms(delay)).await;
        let result = barrier.wait().await;
        (result, now().to_string())
    })
}

#[test]
fn nobody_passes_until_the_last_party_arrives() {
    run_virtual(async {
        let barrier = Barrier::new(3);
        let tasks = [
            arrive(&barrier, 100),
            arrive(&barrier, 300),
            arrive(&barrier, 200),
        ];
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        assert_eq!(
            results,
            [
                (Ok(0), "t=0.30".to_string()),
                (Ok(2), "t=0.30".to_string()),
                (Ok(1), "t=0.30".to_string())
            ]
        );
        assert_eq!(barrier.n_waiting(), 0);
    });
}

#[test]
fn the_barrier_can_be_used_for_round_after_round() {
    run_virtual(async {
        let barrier = Barrier::new(2);
        for round in 1..=3u64 {
            let a = arrive(&barrier, 100);
            let b = arrive(&barrier, 100);
            assert_eq!(a.await.unwrap().1, format!("t=0.{round}0"));
            assert_eq!(b.await.unwrap().0, Ok(1));
        }
    });
}

#[test]
fn abort_breaks_the_waiters_and_every_later_wait() {
    run_virtual(async {
        let barrier = Barrier::new(3);
        let a = arrive(&barrier, 0);
        sleep(ms(50)).await;
        assert_eq!(barrier.n_waiting(), 1);
        barrier.abort();
        assert!(barrier.broken());
        assert_eq!(a.await.unwrap().0, Err(BrokenBarrierError));
        assert_eq!(barrier.wait().await, Err(BrokenBarrierError));
    });
}

#[test]
fn reset_breaks_the_current_round_and_makes_the_barrier_usable_again() {
    run_virtual(async {
        let barrier = Barrier::new(2);
        let a = arrive(&barrier, 0);
        yield_now().await;
        yield_now().await;
        barrier.reset();
        assert_eq!(a.await.unwrap().0, Err(BrokenBarrierError));
        assert!(!barrier.broken());
        let b = arrive(&barrier, 0);
        let c = arrive(&barrier, 10);
        assert_eq!(b.await.unwrap().0, Ok(0));
        assert_eq!(c.await.unwrap().0, Ok(1));
    });
}

#[test]
fn a_party_cancelled_before_the_round_fills_must_be_replaced() {
    run_virtual(async {
        let barrier = Barrier::new(2);
        let leaver = arrive(&barrier, 0);
        let stayer = arrive(&barrier, 10);
        sleep(ms(5)).await;
        leaver.cancel();
        sleep(ms(100)).await;
        assert!(
            !stayer.is_finished(),
            "one party left: the round is not full"
        );
        assert_eq!(barrier.n_waiting(), 1);
        let late = arrive(&barrier, 0);
        assert_eq!(stayer.await.unwrap(), (Ok(0), "t=0.10".to_string()));
        assert_eq!(late.await.unwrap().0, Ok(1));
    });
}

#[test]
fn a_party_cancelled_after_release_changes_nothing_for_the_others() {
    run_virtual(async {
        let barrier = Barrier::new(3);
        let a = arrive(&barrier, 0);
        let b = arrive(&barrier, 0);
        yield_now().await;
        yield_now().await;
        assert_eq!(barrier.wait().await, Ok(2)); // releases a and b
        a.cancel(); // released, then dropped before it ran
        assert_eq!(b.await.unwrap().0, Ok(1));
        assert_eq!(barrier.n_waiting(), 0);
    });
}

#[test]
#[should_panic(expected = "parties must be > 0")]
fn a_barrier_for_zero_parties_is_refused() {
    let _ = Barrier::new(0);
}

#[test]
fn a_task_that_passes_and_waits_again_at_once_waits_for_the_round_to_drain() {
    // asyncio (3.11-3.13): after a round fills, the barrier "drains" until every released
    // task has left `wait()`; an arrival meanwhile waits for the next round to open. So the
    // last arrival of round 1, coming straight back, arrives *after* the other party in
    // round 2, and the indices swap: [('y',0,1), ('x',0,0), ('y',1,1), ('x',1,0)].
    let order = run_virtual(async {
        let barrier = Barrier::new(2);
        let order: Log = Rc::default();
        let party = |name: &'static str| {
            let (barrier, order) = (barrier.clone(), order.clone());
            spawn(async move {
                for round in 0..2 {
                    let index = barrier.wait().await.unwrap();
                    order.borrow_mut().push((name, round, index));
                }
            })
        };
        let x = party("x");
        let y = party("y");
        x.await.unwrap();
        y.await.unwrap();
        order.take()
    });
    assert_eq!(order, [("y", 0, 1), ("x", 0, 0), ("y", 1, 1), ("x", 1, 0)]);
}
