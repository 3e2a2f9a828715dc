//! Grades exercise 05: timers on a heap, and `sleep`, on a virtual clock.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex05_timers.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex05_timers.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex05;

use ex05::Executor;
use exercises::expect_eq;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn sleeps_finish_in_deadline_order_at_exact_virtual_times() {
    let ex = Executor::new();
    let log = Rc::new(RefCell::new(Vec::new()));
    for (name, after) in [("a", 300), ("b", 100), ("c", 200)] {
        let (ex2, log) = (ex.clone(), log.clone());
        ex.spawn(async move {
            ex2.sleep(ms(after)).await;
            log.borrow_mut().push((name, ex2.now()));
        });
    }
    ex.run();
    expect_eq!(
        *log.borrow(),
        [("b", ms(100)), ("c", ms(200)), ("a", ms(300))]
    );
}

#[test]
fn concurrent_sleeps_overlap_and_sequential_sleeps_add_up() {
    let ex = Executor::new();
    for _ in 0..10 {
        let ex2 = ex.clone();
        ex.spawn(async move { ex2.sleep(Duration::from_secs(1)).await });
    }
    ex.run();
    expect_eq!(
        ex.now(),
        Duration::from_secs(1),
        "ten 1 s sleeps at once take 1 s"
    );

    let ex = Executor::new();
    let ex2 = ex.clone();
    ex.spawn(async move {
        ex2.sleep(ms(100)).await;
        ex2.sleep(ms(200)).await;
    });
    ex.run();
    expect_eq!(
        ex.now(),
        ms(300),
        "a 100 ms then a 200 ms sleep take 300 ms"
    );
}

#[test]
fn a_zero_sleep_is_ready_at_once_and_sets_no_timer() {
    let ex = Executor::new();
    let done = Rc::new(RefCell::new(false));
    let (ex2, flag) = (ex.clone(), done.clone());
    ex.spawn(async move {
        ex2.sleep(Duration::ZERO).await;
        *flag.borrow_mut() = true;
        expect_eq!(ex2.pending_timers(), 0);
    });
    ex.run();
    assert!(*done.borrow());
    expect_eq!(
        ex.now(),
        Duration::ZERO,
        "nothing waited, so the clock did not move"
    );
}

#[test]
fn timers_with_the_same_deadline_all_fire_together() {
    let ex = Executor::new();
    let log = Rc::new(RefCell::new(Vec::new()));
    for name in ["x", "y", "z"] {
        let (ex2, log) = (ex.clone(), log.clone());
        ex.spawn(async move {
            ex2.sleep(ms(50)).await;
            log.borrow_mut().push((name, ex2.now()));
        });
    }
    ex.run();
    expect_eq!(*log.borrow(), [("x", ms(50)), ("y", ms(50)), ("z", ms(50))]);
    expect_eq!(ex.pending_timers(), 0);
}

#[test]
fn a_sleep_polled_twice_keeps_one_timer() {
    let ex = Executor::new();
    let ex2 = ex.clone();
    ex.spawn(async move {
        let sleep = ex2.sleep(ms(100));
        let mut sleep = std::pin::pin!(sleep);
        // Poll it once by hand, then await it: the same Sleep is polled again.
        std::future::poll_fn(|cx| {
            assert!(sleep.as_mut().poll(cx).is_pending());
            std::task::Poll::Ready(())
        })
        .await;
        expect_eq!(ex2.pending_timers(), 1);
        sleep.await;
    });
    ex.run();
    expect_eq!(ex.now(), ms(100));
}

#[test]
fn timers_set_after_others_fired_count_from_the_new_now() {
    let ex = Executor::new();
    let log = Rc::new(RefCell::new(Vec::new()));
    let (ex2, log2) = (ex.clone(), log.clone());
    ex.spawn(async move {
        ex2.sleep(ms(100)).await;
        let (ex3, log3) = (ex2.clone(), log2.clone());
        ex2.spawn(async move {
            ex3.sleep(ms(50)).await;
            log3.borrow_mut().push(ex3.now());
        });
        ex2.sleep(ms(100)).await;
        log2.borrow_mut().push(ex2.now());
    });
    ex.run();
    expect_eq!(*log.borrow(), [ms(150), ms(200)]);
}
