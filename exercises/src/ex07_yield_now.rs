//! # Exercise 07: `yield_now` and fairness
//!
//! An event loop is cooperative: a task runs until it awaits something that is not ready. A
//! task that computes for a long time without awaiting holds the whole loop. asyncio's answer
//! is `await asyncio.sleep(0)`: "I could go on, but let the others run first". Its Rust name
//! is `yield_now()`.
//!
//! Fairness also needs the loop's help. asyncio's `_run_once` takes the number of ready
//! callbacks at the *start* of a step (`ntodo = len(self._ready)`) and runs only those: a task
//! that yields goes to the back and runs in the next step, after the loop has looked at timers
//! and I/O again. A loop that kept polling until the queue was empty would never get to its
//! timers while one task kept yielding.
//!
//! The executor is given, except for two pieces:
//!
//! - [`YieldNow`]'s `poll`: the first poll wakes its own task and returns `Pending`; the
//!   second returns `Ready(())`.
//! - [`Executor::run_step`]: take the ids that are in `ready` *when the step begins* (all of
//!   them, at once), poll each with `poll_task` in order, and return how many there were.
//!   Tasks woken or spawned during the step stay queued for the next step.
//!
//! Check it with `cargo run -- check 7`.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// A task's future, boxed so tasks of different types fit in one map.
type BoxedTask = Pin<Box<dyn Future<Output = ()>>>;

/// Exercise 03's executor, run one *step* at a time.
#[derive(Clone, Default)]
pub struct Executor {
    inner: Rc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Every live task's future, by id; the task being polled is taken out while it runs.
    tasks: RefCell<HashMap<usize, BoxedTask>>,
    /// The id the next spawned task gets.
    next_id: Cell<usize>,
    /// Ids of tasks to poll, FIFO.
    ready: Arc<Mutex<VecDeque<usize>>>,
}

impl Executor {
    /// An executor with no tasks.
    pub fn new() -> Executor {
        Executor::default()
    }

    /// How many tasks have been spawned and have not finished.
    pub fn live_tasks(&self) -> usize {
        self.inner.tasks.borrow().len()
    }

    /// Schedules a task.
    pub fn spawn(&self, future: impl Future<Output = ()> + 'static) {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        self.inner.tasks.borrow_mut().insert(id, Box::pin(future));
        self.inner.ready.lock().unwrap().push_back(id);
    }

    /// Runs steps until a step has nothing to poll.
    pub fn run(&self) {
        while self.run_step() > 0 {}
    }

    /// Polls task `id` once, if it is still alive.
    fn poll_task(&self, id: usize) {
        let Some(mut future) = self.inner.tasks.borrow_mut().remove(&id) else {
            return;
        };
        let ready = self.inner.ready.clone();
        let waker = waker_fn::waker_fn(move || ready.lock().unwrap().push_back(id));
        if future
            .as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_pending()
        {
            self.inner.tasks.borrow_mut().insert(id, future);
        }
    }

    // ANCHOR: run_step
    /// One step of the loop: polls the tasks that were ready when the step began, in order,
    /// and returns how many that was. Tasks woken (or spawned) during the step wait for the
    /// next step.
    pub fn run_step(&self) -> usize {
        // Your code: take the ids ready *now* out of `ready`, poll each (`poll_task`), and
        // return how many.
        todo!()
    }
    // ANCHOR_END: run_step
}

/// Lets the other ready tasks run before this one goes on: `await asyncio.sleep(0)`.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

/// The future returned by [`yield_now`].
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct YieldNow {
    /// Whether it has already returned `Pending` once.
    yielded: bool,
}

// ANCHOR: yield_now
impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Your code: the first poll wakes itself and is Pending; the second is Ready.
        todo!()
    }
}
// ANCHOR_END: yield_now
