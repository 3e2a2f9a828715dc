//! `Promise`: asyncio's `Future`, a one-shot value that someone sets and many can await.
//!
//! # The name
//!
//! asyncio's `Future` (`loop.create_future()`) is a box that starts empty: low-level code
//! puts a result in it with `set_result`, or cancels it, and every coroutine awaiting it
//! resumes with that result. Rust already has a `Future`: the trait every `async` block
//! implements, which is a computation to be polled, not a box to be filled. Calling this
//! type `Future` too would make every sentence about it ambiguous, so it borrows the word the
//! seed uses to explain asyncio's: "It's similar to a Promise in JavaScript". (A JavaScript
//! promise is settled by code its constructor was handed; this one by whoever holds a clone:
//! JavaScript's "deferred". The awaiting side is the same.)
//!
//! # The rules, as asyncio's
//!
//! * [`Promise::set_result`] settles it once; a second call, or a call after
//!   [`Promise::cancel`], is an error, [`InvalidState`] (asyncio `InvalidStateError`).
//! * Any number of tasks await it through clones of the handle; each gets its own copy of
//!   the value, so awaiting requires `T: Clone`. asyncio hands every awaiter the same
//!   object; for that, or for a value that cannot be cloned, use `Promise<Rc<T>>`.
//! * Done callbacks ([`Promise::add_done_callback`]) never run inside `set_result` or
//!   `cancel`: asyncio schedules each with `call_soon`, tinyloop spawns a small task for each.
//!   They run in a later step, in the order added; one that panics is reported and affects no
//!   other (asyncio logs "Exception in callback ..."). One added after settling: the same.
//! * [`Promise::remove_done_callback`] takes back a callback while the promise is pending.
//!   asyncio removes every callback *equal* to the function it is given; Rust closures cannot
//!   be compared, so `add_done_callback` returns a [`CallbackId`] to remove by. Once the
//!   promise has settled its callbacks are already scheduled, and removing one is too late, as
//!   in asyncio (where it returns 0 and the callback still runs).
//!
//! # Ground rules
//!
//! Single-threaded, like asyncio's Future: `Rc` and `RefCell`, and **no borrow held while user
//! code runs**: a waker (waking, or dropping one that is replaced), a callback, the value's
//! `clone` or destructor. That is why the value is kept in an `Rc`: a reader clones the `Rc`
//! under the borrow, lets the borrow go, and only then clones the value, whose `clone` may
//! look at, or even try to settle, the very promise it came from.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use slab::Slab;

use crate::executor::spawn_named;

/// Why [`Promise::set_result`] or [`Promise::result`] refused (asyncio `InvalidStateError`).
/// ```
/// use tinyloop_runtime::compose::{InvalidState, Promise};
/// assert_eq!(Promise::<u8>::new().result(), Err(InvalidState::NotDone));
/// ```
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
/// ```
/// let promise = tinyloop_runtime::compose::Promise::<u8>::new();
/// assert!(promise.cancel()); // no loop needed while no callback is registered
/// let awaited = tinyloop_runtime::block_on(promise.wait());
/// assert_eq!(awaited, Err(tinyloop_runtime::compose::PromiseCancelled));
/// ```
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

/// Names a done callback, to take it back with [`Promise::remove_done_callback`]. Unique
/// within its promise.
/// ```
/// let (promise, callback) = (tinyloop_runtime::compose::Promise::<u8>::new(), |_: &_| {});
/// assert_ne!(promise.add_done_callback(callback), promise.add_done_callback(callback));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CallbackId(u64);

/// Where a promise is in its one-way life: `Pending` to `Done` or `Cancelled`, never back.
enum Outcome<T> {
    /// Not settled yet; awaiters wait, callbacks are stored.
    Pending,
    /// Settled by `set_result`; every awaiter gets a clone. In an `Rc` so that a reader can
    /// hold it without holding the borrow (see the ground rules).
    Done(Rc<T>),
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
    /// Callbacks to schedule when the promise settles, in the order they were added, each
    /// with the id `add_done_callback` returned. Empty once settled (later callbacks are
    /// scheduled at once).
    callbacks: RefCell<Vec<(CallbackId, Callback<T>)>>,
    /// The id the next callback gets.
    next_callback: Cell<u64>,
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
                next_callback: Cell::new(0),
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
        let refused = {
            let mut outcome = self.state.outcome.borrow_mut();
            match *outcome {
                Outcome::Pending => {
                    *outcome = Outcome::Done(Rc::new(value));
                    None
                }
                Outcome::Done(_) => Some((InvalidState::AlreadySet, value)),
                Outcome::Cancelled => Some((InvalidState::Cancelled, value)),
            }
        };
        if let Some((why, value)) = refused {
            drop(value); // its destructor is user code: run it with no borrow held
            return Err(why);
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
        let value = match &*self.state.outcome.borrow() {
            Outcome::Done(value) => value.clone(), // the `Rc`: no user code
            Outcome::Pending => return Err(InvalidState::NotDone),
            Outcome::Cancelled => return Err(InvalidState::Cancelled),
        };
        Ok(T::clone(&value)) // the value's own `clone`, with the borrow released
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
    /// Returns the callback's id, for [`remove_done_callback`](Promise::remove_done_callback).
    ///
    /// # Panics
    ///
    /// If the promise is already settled and no loop is running on this thread.
    pub fn add_done_callback(&self, callback: impl FnOnce(&Promise<T>) + 'static) -> CallbackId
    where
        T: 'static,
    {
        let id = CallbackId(self.state.next_callback.get());
        self.state.next_callback.set(id.0 + 1);
        if self.done() {
            self.schedule_callbacks(vec![(id, Box::new(callback))]);
        } else {
            self.state
                .callbacks
                .borrow_mut()
                .push((id, Box::new(callback)));
        }
        id
    }

    /// Take back the callback `id` before it is scheduled; true if it was removed (asyncio
    /// `Future.remove_done_callback`, which returns how many it removed).
    /// Only a pending promise holds its callbacks (see the module docs).
    ///
    /// ```
    /// use tinyloop_runtime::compose::Promise;
    /// use tinyloop_runtime::{run, yield_now};
    ///
    /// run(async {
    ///     let promise = Promise::new();
    ///     let id = promise.add_done_callback(|_: &Promise<u8>| unreachable!("removed"));
    ///     assert!(promise.remove_done_callback(id));
    ///     assert!(!promise.remove_done_callback(id)); // nothing left to remove
    ///     promise.set_result(1).unwrap();
    ///     yield_now().await; // the removed callback does not run
    /// });
    /// ```
    pub fn remove_done_callback(&self, id: CallbackId) -> bool {
        let removed = {
            let mut callbacks = self.state.callbacks.borrow_mut();
            callbacks
                .iter()
                .position(|(each, _)| *each == id)
                .map(|index| callbacks.remove(index))
        };
        // Dropping the closure runs its captures' destructors: user code, after the borrow.
        removed.is_some()
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

    /// Run each of `callbacks` in a task of its own, asyncio's `call_soon` handle: `spawn`
    /// never polls the task it creates, so they run at the earliest in the next step, after
    /// the tasks already ready, in order. A panicking callback ends its own task only, and
    /// is reported, as asyncio logs "Exception in callback ..." and goes on.
    fn schedule_callbacks(&self, callbacks: Vec<(CallbackId, Callback<T>)>)
    where
        T: 'static,
    {
        for (_, callback) in callbacks {
            let promise = self.clone();
            let task = spawn_named("promise callback", async move { callback(&promise) });
            drop(task); // detached: a panic in it is reported, nobody awaits it
        }
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
/// ```
/// let promise = tinyloop_runtime::compose::Promise::new();
/// promise.set_result(3).unwrap();
/// assert_eq!(tinyloop_runtime::block_on(promise.wait()), Ok(3));
/// ```
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
    ///
    /// No borrow is held while user code runs: the value is cloned after the borrow of the
    /// outcome is released, and a replaced waker is dropped after the borrow of the waiters.
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let done = match &*this.state.outcome.borrow() {
            Outcome::Done(value) => Some(Ok(value.clone())), // the `Rc`
            Outcome::Cancelled => Some(Err(PromiseCancelled)),
            Outcome::Pending => None,
        };
        if let Some(done) = done {
            this.key = None; // the waiters were drained when it settled
            return Poll::Ready(done.map(|value| T::clone(&value)));
        }
        crate::trace::waiting_on(crate::trace::WaitingOn::Primitive("Promise"));
        let replaced = match this.key {
            Some(key) => {
                let mut waiters = this.state.waiters.borrow_mut();
                match waiters.get_mut(key) {
                    Some(waker) if !waker.will_wake(cx.waker()) => {
                        Some(std::mem::replace(waker, cx.waker().clone()))
                    }
                    _ => None,
                }
            }
            None => {
                let waker = cx.waker().clone();
                this.key = Some(this.state.waiters.borrow_mut().insert(waker));
                None
            }
        };
        drop(replaced); // the old waker's destructor may be user code: no borrow held now
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
