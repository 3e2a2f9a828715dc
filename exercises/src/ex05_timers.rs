//! # Exercise 05: timers on a heap, and `sleep`
//!
//! `await asyncio.sleep(1)` does not block the loop: it schedules a timer (`loop.call_at`,
//! which pushes onto a heap, `loop._scheduled`) and suspends the task. In every step the loop
//! looks at the heap's earliest deadline to decide how long it may wait, and runs every timer
//! whose time has come.
//!
//! Here the clock is *virtual*, as in tinyloop's `run_virtual`: when no task is ready, the
//! clock jumps straight to the earliest deadline, so a test of a one-hour sleep takes no time
//! and can assert exact times. The executor is given (the loop of exercise 03 plus `now`,
//! `sleep`, `add_timer`, `update_timer`); write two pieces:
//!
//! - [`Sleep`]'s `poll`: `Ready` once `executor.now() >= deadline`. Otherwise register a timer
//!   with the waker, **once** (`add_timer` returns its id; keep it in `self.timer`; when polled
//!   again, refresh the waker with `update_timer`), and return `Pending`.
//! - `Executor::fire_timers`, which `run` calls whenever no task is ready: with no timer left
//!   it returns `false` (the loop is done). Otherwise it moves the clock to the earliest
//!   deadline (never backwards), pops *every* timer due by then, wakes each, and returns `true`.
//!
//! Concurrent sleeps overlap: ten tasks sleeping one second each finish together at `1s`, not at
//! `10s`: that is the whole point of an event loop.
//!
//! Check it with `cargo run -- check 5`.

use std::cell::{Cell, RefCell};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// A task's future, boxed so tasks of different types fit in one map.
type BoxedTask = Pin<Box<dyn Future<Output = ()>>>;

/// Exercise 03's executor with a virtual clock and a heap of timers.
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
    /// The loop's clock: time since the executor was made. Virtual: it moves only when
    /// `fire_timers` jumps it to the next deadline.
    now: Cell<Duration>,
    /// Pending timers as `(deadline, timer id)`, smallest deadline on top. The id breaks ties
    /// in the order the timers were made, and finds the waker in `wakers`.
    timers: RefCell<BinaryHeap<Reverse<(Duration, u64)>>>,
    /// The waker of each pending timer, by timer id. A timer is in `wakers` exactly while it
    /// is in `timers`.
    wakers: RefCell<HashMap<u64, Waker>>,
    /// The id the next timer gets.
    next_timer: Cell<u64>,
}

impl Executor {
    /// An executor with no tasks, its clock at zero.
    pub fn new() -> Executor {
        Executor::default()
    }

    /// The loop's clock.
    pub fn now(&self) -> Duration {
        self.inner.now.get()
    }

    /// How many timers are waiting to fire.
    pub fn pending_timers(&self) -> usize {
        self.inner.timers.borrow().len()
    }

    /// Schedules a task.
    pub fn spawn(&self, future: impl Future<Output = ()> + 'static) {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        self.inner.tasks.borrow_mut().insert(id, Box::pin(future));
        self.inner.ready.lock().unwrap().push_back(id);
    }

    /// A future that is ready once the clock reaches `now() + duration`, like
    /// `asyncio.sleep(duration)`.
    pub fn sleep(&self, duration: Duration) -> Sleep {
        Sleep {
            executor: self.clone(),
            deadline: self.now() + duration,
            timer: None,
        }
    }

    /// Runs tasks until none is ready, then fires timers, and again, until there is neither a
    /// ready task nor a timer.
    pub fn run(&self) {
        loop {
            self.run_ready();
            if !self.fire_timers() {
                return;
            }
        }
    }

    /// Polls ready tasks, FIFO, until none is ready.
    fn run_ready(&self) {
        loop {
            let Some(id) = self.inner.ready.lock().unwrap().pop_front() else {
                return;
            };
            let Some(mut future) = self.inner.tasks.borrow_mut().remove(&id) else {
                continue;
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
    }

    /// Adds a timer that wakes `waker` at `deadline`; returns its id.
    fn add_timer(&self, deadline: Duration, waker: Waker) -> u64 {
        let id = self.inner.next_timer.get();
        self.inner.next_timer.set(id + 1);
        self.inner.timers.borrow_mut().push(Reverse((deadline, id)));
        self.inner.wakers.borrow_mut().insert(id, waker);
        id
    }

    /// Replaces the waker of pending timer `id` (a task may be polled with a new waker).
    fn update_timer(&self, id: u64, waker: &Waker) {
        if let Some(stored) = self.inner.wakers.borrow_mut().get_mut(&id) {
            stored.clone_from(waker);
        }
    }

    // ANCHOR: fire_timers
    /// Called when no task is ready. If there is no timer, returns `false`: nothing can ever
    /// happen again. Otherwise jumps the clock to the earliest deadline, wakes every timer
    /// whose deadline has come, in deadline order, and returns `true`.
    fn fire_timers(&self) -> bool {
        // Your code: no timer -> false. Otherwise move the clock to the earliest deadline,
        // pop and wake every timer due by then (its waker is in `wakers`), return true.
        todo!()
    }
    // ANCHOR_END: fire_timers
}

/// The future returned by [`Executor::sleep`].
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Sleep {
    /// The loop whose clock and timers it uses.
    executor: Executor,
    /// When it is ready.
    deadline: Duration,
    /// Its timer's id, once it has registered one.
    timer: Option<u64>,
}

// ANCHOR: sleep_poll
impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Your code: Ready once the clock has reached the deadline; otherwise register a timer
        // (once: `add_timer`, keep its id; later polls `update_timer`) and return Pending.
        todo!()
    }
}
// ANCHOR_END: sleep_poll
