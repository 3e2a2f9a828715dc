//! `Promise`: asyncio's `Future`. Set once, awaited by many, callbacks a step later.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{
    InvalidState, Promise, PromiseCancelled, current_step, gather_all, now, run_virtual, sleep,
    spawn, yield_now,
};

#[test]
fn every_awaiter_gets_the_result_when_it_is_set() {
    let results = run_virtual(async {
        let promise: Promise<String> = Promise::new();
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let promise = promise.clone();
                spawn(async move {
                    let value = promise.await;
                    (value, now().to_string())
                })
            })
            .collect();
        sleep(Duration::from_millis(250)).await;
        promise.set_result("hello".to_string()).unwrap();
        gather_all(waiters).await
    });
    for result in results {
        assert_eq!(
            result.unwrap(),
            (Ok("hello".to_string()), "t=0.25".to_string())
        );
    }
}

#[test]
fn setting_twice_is_an_invalid_state_error_and_keeps_the_first_value() {
    run_virtual(async {
        let promise = Promise::new();
        assert_eq!(promise.set_result(1), Ok(()));
        assert_eq!(promise.set_result(2), Err(InvalidState::AlreadySet));
        assert_eq!(promise.result(), Ok(1));
        assert_eq!((&promise).await, Ok(1));
    });
}

#[test]
fn result_before_done_is_an_invalid_state_error() {
    let promise: Promise<u8> = Promise::new();
    assert!(!promise.done());
    assert_eq!(promise.result(), Err(InvalidState::NotDone));
    assert!(
        InvalidState::NotDone
            .to_string()
            .contains("Result is not set")
    );
}

#[test]
fn done_callbacks_run_in_a_later_step_never_inside_set_result() {
    let (set_step, callback_step) = run_virtual(async {
        let promise = Promise::new();
        let ran_in = Rc::new(Cell::new(None));
        promise.add_done_callback({
            let ran_in = ran_in.clone();
            move |promise: &Promise<&str>| {
                assert_eq!(promise.result(), Ok("value"));
                ran_in.set(Some(current_step()));
            }
        });
        let set_step = current_step();
        promise.set_result("value").unwrap();
        assert_eq!(ran_in.get(), None, "not run inside set_result");
        yield_now().await;
        (set_step, ran_in.get())
    });
    assert_eq!(callback_step, Some(set_step + 1));
}

#[test]
fn callbacks_run_in_the_order_they_were_added_and_late_ones_still_run() {
    let order = Rc::new(RefCell::new(Vec::new()));
    run_virtual({
        let order = order.clone();
        async move {
            let promise = Promise::new();
            for n in 1..=3 {
                let order = order.clone();
                promise.add_done_callback(move |_: &Promise<()>| order.borrow_mut().push(n));
            }
            promise.set_result(()).unwrap();
            yield_now().await;
            // Added after it settled: scheduled at once, still not run inline.
            let order_late = order.clone();
            promise.add_done_callback(move |_| order_late.borrow_mut().push(4));
            assert_eq!(*order.borrow(), [1, 2, 3]);
            yield_now().await;
        }
    });
    assert_eq!(*order.borrow(), [1, 2, 3, 4]);
}

#[test]
fn cancel_wakes_awaiters_with_cancelled_and_forbids_set_result() {
    run_virtual(async {
        let promise: Promise<u8> = Promise::new();
        let waiter = spawn(promise.wait());
        yield_now().await;
        assert!(promise.cancel());
        assert!(!promise.cancel(), "already settled");
        assert!(promise.cancelled() && promise.done());
        assert_eq!(waiter.await.unwrap(), Err(PromiseCancelled));
        assert_eq!(promise.set_result(1), Err(InvalidState::Cancelled));
        assert_eq!(promise.result(), Err(InvalidState::Cancelled));
    });
}

#[test]
fn a_dropped_awaiter_leaves_no_waker_behind() {
    run_virtual(async {
        let promise: Promise<u8> = Promise::new();
        let waiter = spawn(promise.wait());
        yield_now().await; // the waiter registered
        waiter.cancel();
        yield_now().await; // ...and was dropped
        let second = spawn(promise.wait());
        yield_now().await;
        promise.set_result(9).unwrap();
        assert_eq!(second.await.unwrap(), Ok(9));
    });
}
