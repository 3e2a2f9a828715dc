//! Reference solution of exercise 03 (see `src/ex03_spawn.rs` for the instructions).

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
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        self.inner.tasks.borrow_mut().insert(id, Box::pin(future));
        self.inner.ready.lock().unwrap().push_back(id);
    }
    // ANCHOR_END: spawn

    // ANCHOR: run
    /// Polls ready tasks, in FIFO order, until none is ready. Returns then, even if some tasks
    /// are still alive (waiting for a wake that has not come).
    pub fn run(&self) {
        loop {
            // Take the lock only to pop: a task's poll may wake tasks, which locks again.
            let Some(id) = self.inner.ready.lock().unwrap().pop_front() else {
                return;
            };
            // A finished task may still be woken (a stale waker): its id is gone, skip it.
            let Some(mut future) = self.inner.tasks.borrow_mut().remove(&id) else {
                continue;
            };
            let waker = self.waker_for(id);
            let mut cx = Context::from_waker(&waker);
            if future.as_mut().poll(&mut cx).is_pending() {
                self.inner.tasks.borrow_mut().insert(id, future);
            }
            // Ready: `future` is dropped here, and with it everything the task owned.
        }
    }
    // ANCHOR_END: run
}
