//! `Promise` done callbacks as asyncio's `Future` runs them: each in a handle of its own, so
//! one that panics affects no other; `remove_done_callback` while pending; and no borrow held
//! while user code (the value's `clone`, a waker's destructor) runs.
//!
//! Checked against CPython 3.10 to 3.13 with a small program: a raising callback is logged
//! ("Exception in callback ...") and the callbacks after it still run; `remove_done_callback`
//! on a pending future removes the callback; after `set_result` it returns 0 and the
//! callback still runs (they were already handed to `call_soon`).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use tinyloop::{Promise, PromiseCancelled, run_virtual, yield_now};

type Log = Rc<RefCell<Vec<&'static str>>>;

fn note(log: &Log, what: &'static str) -> impl FnOnce(&Promise<u8>) + 'static {
    let log = log.clone();
    move |_| log.borrow_mut().push(what)
}

#[test]
fn a_panicking_done_callback_does_not_stop_the_callbacks_after_it() {
    let log: Log = Rc::default();
    run_virtual({
        let log = log.clone();
        async move {
            let promise = Promise::new();
            promise.add_done_callback(note(&log, "a"));
            promise.add_done_callback(|_: &Promise<u8>| panic!("boom in a done callback"));
            promise.add_done_callback(note(&log, "c"));
            promise.set_result(1).unwrap();
            yield_now().await;
        }
    });
    assert_eq!(
        *log.borrow(),
        ["a", "c"],
        "c ran although the callback before it panicked"
    );
}

#[test]
fn remove_done_callback_while_pending_removes_it_and_keeps_the_others_in_order() {
    let log: Log = Rc::default();
    let removed = run_virtual({
        let log = log.clone();
        async move {
            let promise = Promise::new();
            promise.add_done_callback(note(&log, "a"));
            let b = promise.add_done_callback(note(&log, "b"));
            promise.add_done_callback(note(&log, "c"));
            let removed = (
                promise.remove_done_callback(b),
                promise.remove_done_callback(b),
            );
            promise.set_result(1).unwrap();
            yield_now().await;
            removed
        }
    });
    assert_eq!(
        removed,
        (true, false),
        "removed once; the second time there is nothing"
    );
    assert_eq!(*log.borrow(), ["a", "c"]);
}

#[test]
fn remove_done_callback_after_the_promise_settled_is_too_late_as_in_asyncio() {
    let log: Log = Rc::default();
    let removed = run_virtual({
        let log = log.clone();
        async move {
            let promise = Promise::new();
            let a = promise.add_done_callback(note(&log, "a"));
            promise.set_result(1).unwrap();
            let removed = promise.remove_done_callback(a); // already scheduled
            yield_now().await;
            removed
        }
    });
    assert!(!removed);
    assert_eq!(*log.borrow(), ["a"], "the callback still ran");
}

/// A value whose `clone` touches the promise that holds it (through a slot filled after the
/// promise is made): asyncio has no such trap, and tinyloop must not either.
#[derive(Debug)]
struct Touchy {
    promise: Rc<RefCell<Option<Promise<Touchy>>>>,
    clones: Rc<Cell<u32>>,
}

impl Clone for Touchy {
    fn clone(&self) -> Touchy {
        if let Some(promise) = self.promise.borrow().as_ref() {
            // Settling again is refused, but it must be *asked* without a borrow panic.
            assert!(!promise.cancel(), "already settled");
            assert!(promise.done());
        }
        self.clones.set(self.clones.get() + 1);
        Touchy {
            promise: self.promise.clone(),
            clones: self.clones.clone(),
        }
    }
}

#[test]
fn a_value_whose_clone_touches_the_promise_is_read_and_awaited_without_a_borrow_panic() {
    let clones = Rc::new(Cell::new(0));
    run_virtual({
        let clones = clones.clone();
        async move {
            let slot = Rc::new(RefCell::new(None));
            let promise = Promise::new();
            *slot.borrow_mut() = Some(promise.clone());
            promise
                .set_result(Touchy {
                    promise: slot.clone(),
                    clones: clones.clone(),
                })
                .unwrap();
            assert!(promise.result().is_ok());
            assert!(promise.wait().await.is_ok());
            slot.borrow_mut().take(); // break the cycle promise -> value -> promise
        }
    });
    assert_eq!(clones.get(), 2, "result() and the await each cloned once");
}

/// A waker whose destructor settles a promise: dropped when the promise replaces it with a
/// newer waker, which must happen with no borrow of the promise held. (A waker must be
/// `Send + Sync` and a promise is not, so the waker reaches it through a thread-local.)
struct CancelOnWakerDrop {
    /// Whether dropping this waker cancels the promise in `TARGET`.
    armed: bool,
}

thread_local! {
    static TARGET: RefCell<Option<Promise<u8>>> = const { RefCell::new(None) };
}

impl Wake for CancelOnWakerDrop {
    fn wake(self: Arc<Self>) {}
}

impl Drop for CancelOnWakerDrop {
    fn drop(&mut self) {
        if self.armed {
            let promise = TARGET.with(|target| target.borrow().clone());
            if let Some(promise) = promise {
                promise.cancel();
            }
        }
    }
}

#[test]
fn a_waker_whose_drop_settles_the_promise_is_replaced_without_a_borrow_panic() {
    run_virtual(async {
        let promise: Promise<u8> = Promise::new();
        TARGET.with(|target| *target.borrow_mut() = Some(promise.clone()));
        let mut wait = pin!(promise.wait());
        {
            // Only the promise keeps this waker once the block ends.
            let first = Waker::from(Arc::new(CancelOnWakerDrop { armed: true }));
            let polled = wait.as_mut().poll(&mut Context::from_waker(&first));
            assert!(polled.is_pending());
        }
        // A different waker: the promise drops the first one, which cancels the promise.
        let second = Waker::from(Arc::new(CancelOnWakerDrop { armed: false }));
        let polled = wait.as_mut().poll(&mut Context::from_waker(&second));
        assert!(promise.cancelled(), "the old waker's destructor ran");
        // Cancelled during this poll, after the check: the next poll sees it.
        let outcome = match polled {
            Poll::Ready(outcome) => outcome,
            Poll::Pending => wait.as_mut().await,
        };
        assert_eq!(outcome, Err(PromiseCancelled));
        TARGET.with(|target| target.borrow_mut().take());
    });
}
