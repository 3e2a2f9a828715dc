//! `Event`: set wakes every waiter, set-then-clear still wakes them, waits after set return
//! at once, cancelled waiters leave no trace.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{Event, now, run_virtual, sleep, spawn, yield_now};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

#[test]
fn set_wakes_every_waiter_at_the_moment_it_is_set() {
    let times = run_virtual(async {
        let event = Event::new();
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let event = event.clone();
                spawn(async move {
                    event.wait().await;
                    now().to_string()
                })
            })
            .collect();
        sleep(ms(400)).await;
        assert_eq!(event.waiting(), 3);
        event.set();
        let mut times = Vec::new();
        for waiter in waiters {
            times.push(waiter.await.unwrap());
        }
        times
    });
    assert_eq!(times, ["t=0.40", "t=0.40", "t=0.40"]);
}

#[test]
fn set_then_clear_at_once_still_wakes_every_waiter() {
    run_virtual(async {
        let event = Event::new();
        let woken = Rc::new(Cell::new(0));
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let (event, woken) = (event.clone(), woken.clone());
                spawn(async move {
                    event.wait().await;
                    woken.set(woken.get() + 1);
                })
            })
            .collect();
        yield_now().await;
        event.set();
        event.clear(); // before any waiter runs again
        for waiter in waiters {
            waiter.await.unwrap();
        }
        assert_eq!(woken.get(), 3);
        assert!(!event.is_set());
    });
}

#[test]
fn a_wait_after_set_returns_at_once_and_after_clear_waits_again() {
    run_virtual(async {
        let event = Event::new();
        event.set();
        event.set(); // setting twice is harmless
        event.wait().await;
        event.clear();
        let late = spawn({
            let event = event.clone();
            async move {
                event.wait().await;
                now().to_string()
            }
        });
        sleep(ms(200)).await;
        assert!(!late.is_finished());
        event.set();
        assert_eq!(late.await.unwrap(), "t=0.20");
    });
}

#[test]
fn a_cancelled_waiter_leaves_and_the_others_are_still_woken() {
    run_virtual(async {
        let event = Event::new();
        let cancelled = spawn({
            let event = event.clone();
            async move { event.wait().await }
        });
        let kept = spawn({
            let event = event.clone();
            async move { event.wait().await }
        });
        yield_now().await;
        cancelled.cancel();
        yield_now().await;
        assert_eq!(event.waiting(), 1);
        event.set();
        kept.await.unwrap();
        assert!(cancelled.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn a_waiter_cancelled_after_set_does_not_disturb_the_next_round() {
    run_virtual(async {
        let event = Event::new();
        let cancelled = spawn({
            let event = event.clone();
            async move { event.wait().await }
        });
        yield_now().await;
        event.set(); // woken...
        cancelled.cancel(); // ...and dropped before it ran: its slab entry is already gone
        event.clear();
        let next = spawn({
            let event = event.clone();
            async move { event.wait().await }
        });
        yield_now().await;
        yield_now().await;
        assert_eq!(event.waiting(), 1);
        event.set();
        next.await.unwrap();
    });
}

#[test]
fn a_wait_future_stays_small() {
    let event = Event::new();
    let size = std::mem::size_of_val(&event.wait());
    assert!(size <= 40, "an EventWait is {size} bytes");
}

#[test]
fn set_wakes_waiters_in_the_order_they_began_waiting_even_after_one_left() {
    // asyncio's set() walks its deque of futures in order (checked on 3.11-3.13: b, c).
    let log = run_virtual(async {
        let event = Event::new();
        let log: Rc<RefCell<Vec<&str>>> = Rc::default();
        let waiter = |name: &'static str| {
            let (event, log) = (event.clone(), log.clone());
            spawn(async move {
                event.wait().await;
                log.borrow_mut().push(name);
            })
        };
        let a = waiter("a");
        let _b = waiter("b");
        yield_now().await;
        a.cancel(); // a leaves the line...
        yield_now().await;
        let _c = waiter("c"); // ...and c, who came later, must not take its place
        yield_now().await;
        event.set();
        yield_now().await;
        log.take()
    });
    assert_eq!(log, ["b", "c"]);
}
