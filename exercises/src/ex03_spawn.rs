//! # Exercise 03: a ready queue and `spawn`
//!
//! `asyncio.create_task(coro)` schedules a coroutine to run "soon", and the loop's heart is a
//! queue of ready callbacks (`loop._ready`) that it runs in order. Here you build that heart:
//! an executor with a FIFO ready queue of task ids and a map from id to task.
//!
//! Everything is given except two methods:
//!
//! - [`Executor::spawn`] gives the future a fresh id, boxes it into `tasks`, and pushes the id
//!   on the `ready` queue. It does not poll: like `create_task`, it only schedules.
//! - [`Executor::run`] pops ids from `ready` and polls each task once with its waker
//!   (`waker_for(id)`, given: waking pushes the id back on the queue). A task that returns
//!   `Pending` goes back into `tasks`; one that returns `Ready` is dropped at once. An id whose
//!   task is gone (a stale wake after it finished) is skipped. `run` returns when the queue is
//!   empty, even if tasks are still alive.
//!
//! Take the future *out* of `tasks` while you poll it: the task may call `spawn`, which needs
//! to borrow `tasks` too. And do not hold the `ready` lock during a poll: the task may wake.
//!
//! Check it with `cargo run -- check 3`.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Waker};

/// A task's future, boxed so tasks of different types fit in one map.
type BoxedTask = Pin<Box<dyn Future<Output = ()>>>;

/// A single-threaded executor: a map of tasks and a FIFO ready queue of their ids.
/// Clones share the same loop, so a task can hold one and spawn more tasks.
#[derive(Clone, Default)]
pub struct Executor {
    inner: Rc<Inner>,
}

#[derive(Default)]
struct Inner {
    /// Every live task's future, by id. The task being polled is taken out while it runs, so
    /// that it can spawn (which inserts here) without a double borrow.
    tasks: RefCell<HashMap<usize, BoxedTask>>,
    /// The id the next spawned task gets. Ids are never reused.
    next_id: Cell<usize>,
    /// Ids of tasks to poll, in the order they became ready. Behind an `Arc<Mutex>` because a
    /// `Waker` must be `Send + Sync`: it may be called from any thread.
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

    /// The waker of task `id`: waking it puts `id` at the back of the ready queue.
    fn waker_for(&self, id: usize) -> Waker {
        let ready = self.inner.ready.clone();
        waker_fn::waker_fn(move || ready.lock().unwrap().push_back(id))
    }

    // ANCHOR: spawn
    /// Adds a task. It runs when [`run`](Executor::run) is called (or, if `run` is running,
    /// after the tasks already ready).
    pub fn spawn(&self, future: impl Future<Output = ()> + 'static) {
        // Your code: a new id, the boxed future into `tasks`, the id onto `ready`.
        todo!()
    }
    // ANCHOR_END: spawn

    // ANCHOR: run
    /// Polls ready tasks, in FIFO order, until none is ready. Returns then, even if some tasks
    /// are still alive (waiting for a wake that has not come).
    pub fn run(&self) {
        // Your code: pop an id; take its future out of `tasks`; poll it with its waker;
        // put it back if it is still pending.
        todo!()
    }
    // ANCHOR_END: run
}
