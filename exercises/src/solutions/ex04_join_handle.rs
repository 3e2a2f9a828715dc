//! Reference solution of exercise 04 (see `src/ex04_join_handle.rs` for the instructions).

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// A task's future, boxed so tasks of different types fit in one map.
type BoxedTask = Pin<Box<dyn Future<Output = ()>>>;

/// Exercise 03's executor, complete: `spawn_detached` schedules a task whose output is `()`,
/// `run` polls ready tasks until none is ready.
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

    /// Schedules a task whose output nobody waits for.
    pub fn spawn_detached(&self, future: impl Future<Output = ()> + 'static) {
        let id = self.inner.next_id.get();
        self.inner.next_id.set(id + 1);
        self.inner.tasks.borrow_mut().insert(id, Box::pin(future));
        self.inner.ready.lock().unwrap().push_back(id);
    }

    /// Polls ready tasks, FIFO, until none is ready.
    pub fn run(&self) {
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

    // ANCHOR: spawn
    /// Schedules `future` as a task and returns a handle that can be awaited for its output.
    /// Dropping the handle does not stop the task (it is detached).
    pub fn spawn<T: 'static>(&self, future: impl Future<Output = T> + 'static) -> JoinHandle<T> {
        let slot = Rc::new(RefCell::new(Slot::Running(None)));
        let task_slot = slot.clone();
        self.spawn_detached(async move {
            let output = future.await;
            let previous = std::mem::replace(&mut *task_slot.borrow_mut(), Slot::Finished(output));
            // Wake the awaiting task, if one is waiting: after the borrow above has ended.
            if let Slot::Running(Some(waker)) = previous {
                waker.wake();
            }
        });
        JoinHandle { slot }
    }
    // ANCHOR_END: spawn
}

/// Where a task's output waits for its handle.
pub enum Slot<T> {
    /// The task has not finished; the waker of the task awaiting the handle, if any.
    Running(Option<Waker>),
    /// The task finished with this output; the handle has not taken it yet.
    Finished(T),
    /// The handle has returned the output.
    Taken,
}

/// Awaits a task's output, like awaiting an asyncio `Task`.
#[must_use = "dropping a JoinHandle detaches the task; await it to get its output"]
pub struct JoinHandle<T> {
    /// Shared with the task, which fills it when it finishes.
    slot: Rc<RefCell<Slot<T>>>,
}

impl<T> JoinHandle<T> {
    // ANCHOR: is_finished
    /// Whether the task has finished (its output is ready, or was already taken).
    pub fn is_finished(&self) -> bool {
        !matches!(*self.slot.borrow(), Slot::Running(_))
    }
    // ANCHOR_END: is_finished
}

// ANCHOR: poll
impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = self.slot.borrow_mut();
        match std::mem::replace(&mut *slot, Slot::Taken) {
            Slot::Finished(output) => Poll::Ready(output),
            Slot::Running(_) => {
                // Not done: leave our waker for the task to call when it finishes.
                *slot = Slot::Running(Some(cx.waker().clone()));
                Poll::Pending
            }
            Slot::Taken => panic!("JoinHandle polled after it returned the output"),
        }
    }
}
// ANCHOR_END: poll
