//! # Exercise 04: a JoinHandle
//!
//! In asyncio, `task = asyncio.create_task(coro)` gives back the task itself, and
//! `await task` waits for it and returns its result. In Rust the task's future is owned by the
//! executor, so `spawn` returns a separate *handle* that shares a slot with the task: the task
//! writes its output there, and awaiting the handle reads it.
//!
//! The executor of exercise 03 is given, with `spawn_detached` for tasks whose output is `()`.
//! Write:
//!
//! - [`Executor::spawn`]: make a shared `Rc<RefCell<Slot<T>>>` (starting `Running(None)`),
//!   spawn a detached task that awaits `future`, puts its output in the slot as `Finished`, and
//!   wakes the waker that was waiting in `Running(Some(waker))`, if any; return the handle.
//! - [`JoinHandle::poll`](JoinHandle): if the slot is `Finished`, take the output (leaving
//!   `Taken`) and return it; if it is `Running`, store `cx.waker()` in it and return `Pending`.
//!   Do not wake yourself: the finishing task wakes you, once.
//! - [`JoinHandle::is_finished`].
//!
//! Dropping a handle must not stop the task (Rust's handles *detach*; tinyloop's
//! `JoinHandle::cancel` is the explicit way to stop one). Release the `RefCell` borrow before
//! calling `wake`: a waker may run code that looks at the slot.
//!
//! Check it with `cargo run -- check 4`.

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
        // Your code: a shared Slot; spawn_detached a task that awaits `future`, stores the
        // output in the slot and wakes the waiting handle; return the handle.
        todo!()
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
        todo!()
    }
    // ANCHOR_END: is_finished
}

// ANCHOR: poll
impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // Your code: take the output if it is there; otherwise store cx's waker, Pending.
        todo!()
    }
}
// ANCHOR_END: poll
