//! `Promise`: asyncio's `Future`, a one-shot value that someone sets and many can await.
//!
//! # The name
//!
//! asyncio's `Future` (`loop.create_future()`) is a box that starts empty: low-level code
//! puts a result in it with `set_result`, or cancels it, and every coroutine awaiting it
//! resumes with that result. Rust already has a `Future`: the trait every `async` block
//! implements, which is a computation to be polled, not a box to be filled. Calling this
//! type `Future` too would make every sentence about it ambiguous, so it borrows the word
//! the seed uses to explain asyncio's: "It's similar to a Promise in JavaScript". (A
//! JavaScript promise is settled by code its constructor was handed; this one by whoever
//! holds a clone, which JavaScript calls a "deferred". The awaiting side is the same.)
//!
//! # The rules, as asyncio's
//!
//! * [`Promise::set_result`] settles it once; a second call, or a call after
//!   [`Promise::cancel`], is an error, [`InvalidState`] (asyncio `InvalidStateError`).
//! * Any number of tasks await it through clones of the handle; each gets its own copy of
//!   the value, so awaiting requires `T: Clone`. asyncio hands every awaiter the same
//!   object; for that, or for a value that cannot be cloned, use `Promise<Rc<T>>`.
//! * Done callbacks ([`Promise::add_done_callback`]) never run inside `set_result` or
//!   `cancel`: asyncio schedules them with `call_soon`, and tinyloop spawns a small task
//!   that runs them, so they run in a later step of the loop, in the order they were added.
//!   A callback added after the promise settled is scheduled the same way.
//!
//! # Ground rules
//!
//! Single-threaded, like asyncio's Future: `Rc` and `RefCell`, no borrow held while user
//! code runs (a waker, a callback, the value's `clone` or destructor).

use std::cell::RefCell;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use slab::Slab;

use crate::executor::spawn_named;

/// Why [`Promise::set_result`] or [`Promise::result`] refused (asyncio `InvalidStateError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InvalidState {
    /// `set_result` on a promise that already has a result.
    AlreadySet,
    /// `set_result` on, or `result` of, a cancelled promise.
    Cancelled,
    /// `result` of a promise that is not settled yet (asyncio: "Result is not set.").
    NotDone,
}

impl fmt::Display for InvalidState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidState::AlreadySet => write!(
                f,
                "invalid state: the promise already has a result; a promise is set once \
                 (asyncio: InvalidStateError)"
            ),
            InvalidState::Cancelled => write!(
                f,
                "invalid state: the promise was cancelled (asyncio: InvalidStateError, or \
                 CancelledError from result())"
            ),
            InvalidState::NotDone => write!(
                f,
                "invalid state: the result is not set yet; await the promise first \
                 (asyncio: InvalidStateError \"Result is not set.\")"
            ),
        }
    }
}

impl std::error::Error for InvalidState {}

/// What awaiting a cancelled [`Promise`] gives (asyncio raises `CancelledError`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PromiseCancelled;

impl fmt::Display for PromiseCancelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the promise was cancelled (asyncio: CancelledError)")
    }
}

impl std::error::Error for PromiseCancelled {}

/// A done callback, as boxed by [`Promise::add_done_callback`].
type Callback<T> = Box<dyn FnOnce(&Promise<T>)>;

/// Where a promise is in its one-way life: `Pending` to `Done` or `Cancelled`, never back.
enum Outcome<T> {
    /// Not settled yet; awaiters wait, callbacks are stored.
    Pending,
    /// Settled by `set_result`; every awaiter gets a clone.
    Done(T),
    /// Settled by `cancel`; every awaiter gets `Err(PromiseCancelled)`.
    Cancelled,
}

/// The state every clone of a [`Promise`] shares.
struct State<T> {
    /// Pending until settled, then fixed for good.
    outcome: RefCell<Outcome<T>>,
    /// The wakers of tasks awaiting the promise, by key (a [`PromiseWait`] holds its key to
    /// remove itself when dropped). Drained when the promise settles; empty after that.
    waiters: RefCell<Slab<Waker>>,
    /// Callbacks to schedule when the promise settles, in the order they were added.
    /// Empty once settled (later callbacks are scheduled at once).
    callbacks: RefCell<Vec<Callback<T>>>,
}

/// asyncio's `Future`: a one-shot value, set once by [`set_result`](Promise::set_result),
/// awaited by any number of tasks. Clones share one promise.
///
/// ```
/// use tinyloop_runtime::compose::{InvalidState, Promise};
/// use tinyloop_runtime::{run, spawn};
///
/// run(async {
///     let promise = Promise::new();
///     let waiters: Vec<_> = (0..3).map(|_| spawn(promise.wait())).collect();
///     assert!(!promise.done());
///     promise.set_result("ready").unwrap();
///     assert_eq!(promise.set_result("again"), Err(InvalidState::AlreadySet));
///     for waiter in waiters {
///         assert_eq!(waiter.await.unwrap(), Ok("ready")); // every awaiter gets a copy
///     }
///     assert_eq!(promise.result(), Ok("ready"));
/// });
/// ```
pub struct Promise<T> {
    /// Shared by every clone and every [`PromiseWait`].
    state: Rc<State<T>>,
}

impl<T> Clone for Promise<T> {
    fn clone(&self) -> Promise<T> {
        Promise {
            state: self.state.clone(),
        }
    }
}

impl<T> Default for Promise<T> {
    fn default() -> Promise<T> {
        Promise::new()
    }
}

impl<T> Promise<T> {
    /// An empty, pending promise (asyncio `loop.create_future()`).
    pub fn new() -> Promise<T> {
        Promise {
            state: Rc::new(State {
                outcome: RefCell::new(Outcome::Pending),
                waiters: RefCell::new(Slab::new()),
                callbacks: RefCell::new(Vec::new()),
            }),
        }
    }

    /// True once the promise has a result or was cancelled (asyncio `Future.done()`).
    pub fn done(&self) -> bool {
        !matches!(*self.state.outcome.borrow(), Outcome::Pending)
    }

    /// True if the promise was cancelled (asyncio `Future.cancelled()`).
    pub fn cancelled(&self) -> bool {
        matches!(*self.state.outcome.borrow(), Outcome::Cancelled)
    }

    /// Settle the promise with `value` and wake every awaiter; done callbacks are scheduled
    /// for a later step (asyncio `Future.set_result`).
    ///
    /// # Errors
    ///
    /// [`InvalidState::AlreadySet`] or [`InvalidState::Cancelled`] if the promise was
    /// already settled; `value` is dropped and the promise is unchanged.
    ///
    /// # Panics
    ///
    /// If done callbacks are registered and no loop is running on this thread (they are
    /// run by a task).
    pub fn set_result(&self, value: T) -> Result<(), InvalidState>
    where
        T: 'static,
    {
        {
            let mut outcome = self.state.outcome.borrow_mut();
            match *outcome {
                Outcome::Pending => *outcome = Outcome::Done(value),
                Outcome::Done(_) => return Err(InvalidState::AlreadySet),
                Outcome::Cancelled => return Err(InvalidState::Cancelled),
            }
        }
        self.settled();
        Ok(())
    }

    /// Cancel the promise: every awaiter resumes with `Err(PromiseCancelled)`, done callbacks
    /// are scheduled. Returns `false` if it was already settled (asyncio `Future.cancel()`).
    pub fn cancel(&self) -> bool
    where
        T: 'static,
    {
        {
            let mut outcome = self.state.outcome.borrow_mut();
            if !matches!(*outcome, Outcome::Pending) {
                return false;
            }
            *outcome = Outcome::Cancelled;
        }
        self.settled();
        true
    }

    /// The result, without waiting (asyncio `Future.result()`).
    ///
    /// # Errors
    ///
    /// [`InvalidState::NotDone`] while pending, [`InvalidState::Cancelled`] if cancelled.
    pub fn result(&self) -> Result<T, InvalidState>
    where
        T: Clone,
    {
        match &*self.state.outcome.borrow() {
            Outcome::Done(value) => Ok(value.clone()),
            Outcome::Pending => Err(InvalidState::NotDone),
            Outcome::Cancelled => Err(InvalidState::Cancelled),
        }
    }

    /// Run `callback` with the promise once it is settled, in a later step of the loop,
    /// never inside `set_result` or `cancel` (asyncio `Future.add_done_callback`).
    ///
    /// ```
    /// use std::cell::Cell;
    /// use std::rc::Rc;
    /// use tinyloop_runtime::compose::Promise;
    /// use tinyloop_runtime::{current_step, run, yield_now};
    ///
    /// run(async {
    ///     let promise = Promise::new();
    ///     let ran_at = Rc::new(Cell::new(0));
    ///     let at = ran_at.clone();
    ///     promise.add_done_callback(move |p: &Promise<u32>| {
    ///         assert_eq!(p.result(), Ok(5));
    ///         at.set(current_step());
    ///     });
    ///     let set_at = current_step();
    ///     promise.set_result(5).unwrap();
    ///     assert_eq!(ran_at.get(), 0); // not inside set_result
    ///     yield_now().await;
    ///     assert_eq!(ran_at.get(), set_at + 1); // in the next step
    /// });
    /// ```
    ///
    /// # Panics
    ///
    /// If the promise is already settled and no loop is running on this thread.
    pub fn add_done_callback(&self, callback: impl FnOnce(&Promise<T>) + 'static)
    where
        T: 'static,
    {
        if self.done() {
            self.schedule_callbacks(vec![Box::new(callback)]);
        } else {
            self.state.callbacks.borrow_mut().push(Box::new(callback));
        }
    }

    /// A future that resolves when the promise settles: `Ok(value)` (a clone) or
    /// `Err(PromiseCancelled)`. `promise.wait()` and `(&promise).await` are the same.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future removes its waker and nothing else: the promise, its value and
    /// the other awaiters are not affected.
    pub fn wait(&self) -> PromiseWait<T> {
        PromiseWait {
            state: self.state.clone(),
            key: None,
        }
    }

    /// Called once, right after the outcome left `Pending`: wake the awaiters, schedule the
    /// callbacks.
    fn settled(&self)
    where
        T: 'static,
    {
        let waiters: Vec<Waker> = self.state.waiters.borrow_mut().drain().collect();
        for waker in waiters {
            crate::trace::wake_as(waker, "Promise");
        }
        let callbacks = std::mem::take(&mut *self.state.callbacks.borrow_mut());
        if !callbacks.is_empty() {
            self.schedule_callbacks(callbacks);
        }
    }

    /// Run `callbacks` in a later step: `spawn` never polls the task it creates, so the
    /// callbacks run at the earliest in the next step, after the tasks already ready.
    fn schedule_callbacks(&self, callbacks: Vec<Callback<T>>)
    where
        T: 'static,
    {
        let promise = self.clone();
        let task = spawn_named("promise callbacks", async move {
            for callback in callbacks {
                callback(&promise);
            }
        });
        drop(task); // detached: a panicking callback is reported, as asyncio logs it
    }
}

impl<T> fmt::Debug for Promise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match *self.state.outcome.borrow() {
            Outcome::Pending => "pending",
            Outcome::Done(_) => "done",
            Outcome::Cancelled => "cancelled",
        };
        f.debug_struct("Promise").field("state", &state).finish()
    }
}

impl<T: Clone> IntoFuture for &Promise<T> {
    type Output = Result<T, PromiseCancelled>;
    type IntoFuture = PromiseWait<T>;

    fn into_future(self) -> PromiseWait<T> {
        self.wait()
    }
}

impl<T: Clone> IntoFuture for Promise<T> {
    type Output = Result<T, PromiseCancelled>;
    type IntoFuture = PromiseWait<T>;

    fn into_future(self) -> PromiseWait<T> {
        self.wait()
    }
}

/// The future returned by [`Promise::wait`]: one awaiter of a promise.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct PromiseWait<T> {
    /// The promise's shared state.
    state: Rc<State<T>>,
    /// Our waker's key in `state.waiters`, while registered and the promise is pending.
    key: Option<usize>,
}

impl<T: Clone> Future for PromiseWait<T> {
    type Output = Result<T, PromiseCancelled>;

    /// Check, then register: single-threaded, nothing can settle the promise between the
    /// check and the registration, so the usual "check again" is not needed.
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let outcome = this.state.outcome.borrow();
        match &*outcome {
            Outcome::Done(value) => {
                let value = value.clone();
                this.key = None; // the waiters were drained when it settled
                return Poll::Ready(Ok(value));
            }
            Outcome::Cancelled => {
                this.key = None;
                return Poll::Ready(Err(PromiseCancelled));
            }
            Outcome::Pending => {}
        }
        drop(outcome);
        crate::trace::waiting_on(crate::trace::WaitingOn::Primitive("Promise"));
        let mut waiters = this.state.waiters.borrow_mut();
        match this.key {
            Some(key) => {
                if let Some(waker) = waiters.get_mut(key)
                    && !waker.will_wake(cx.waker())
                {
                    *waker = cx.waker().clone();
                }
            }
            None => this.key = Some(waiters.insert(cx.waker().clone())),
        }
        Poll::Pending
    }
}

impl<T> Drop for PromiseWait<T> {
    fn drop(&mut self) {
        // Only while pending is the key ours: settling drains the slab.
        if let Some(key) = self.key
            && matches!(*self.state.outcome.borrow(), Outcome::Pending)
        {
            let removed = self.state.waiters.borrow_mut().try_remove(key);
            drop(removed);
        }
    }
}

impl<T> fmt::Debug for PromiseWait<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PromiseWait")
            .field("registered", &self.key.is_some())
            .finish()
    }
}
