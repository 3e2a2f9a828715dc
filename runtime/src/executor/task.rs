//! A task: one spawned future, its state, the slot its result waits in, and its waker.
//!
//! asyncio's `Task` wraps a coroutine, steps it with `Task.__step`, and, being a `Future`,
//! keeps the coroutine's result or exception until someone awaits the task. A tinyloop task
//! is the same things in **one allocation**, an `Arc<Task<F>>`:
//!
//! * a [`Header`] that the loop reads without knowing the future's type: the task's id, its
//!   name, its [`TaskState`], whether a cancel was asked for, and the waker of whoever
//!   awaits its [`JoinHandle`](super::JoinHandle);
//! * the future itself, while it runs, then its outcome (`Ok(output)` or a [`JoinError`]),
//!   until the `JoinHandle` takes it, in the same bytes: the [`Slot`], whose [`Stage`] the
//!   header keeps;
//! * the reference count, which is also the task's **waker**: a `Waker` for the task is a
//!   pointer to this same allocation (see "The waker" below).
//!
//! The loop keeps tasks in a `Slab` as `Arc<dyn Runnable>` (it only needs to poll or cancel
//! them); the `JoinHandle<T>` holds the same `Arc` as `Arc<dyn Joinable<T>>` (it only needs
//! the output). Two trait objects over one allocation, so neither side names the future's
//! type.
//!
//! # Ground rules
//!
//! * Everything but the reference count lives on the loop's thread: `Cell`s, and the slot's
//!   `UnsafeCell` guarded by the header's [`Stage`] as a `RefCell` guards its value (see
//!   "Why a union" in `task/slot.rs`); never a lock.
//! * The loop never holds a borrow while user code runs, except the slot of the task being
//!   polled (`Stage::Polling`). A future's destructor can run arbitrary code (spawn, wake,
//!   cancel), so futures and outputs are dropped with no borrow held.
//! * A panic in a task's `poll` is caught here and becomes that task's outcome; the loop
//!   goes on, as asyncio's does when a task raises.
//!
//! # The waker, and why this file has `unsafe`
//!
//! A `Waker` may be cloned into another thread (a `to_thread` job, a user's thread) and
//! woken or dropped there, so it needs an *atomic* reference count. The safe way to make one,
//! `std::task::Wake`, wants its own `Arc` and a type that is `Send + Sync`; a task is
//! neither (its future may hold `Rc`s). So tinyloop used to give each task a second, small
//! allocation just for its waker (an `Arc` holding the task's slab key and id).
//!
//! Here the waker *is* the task's `Arc`, through a hand-written [`RawWakerVTable`]: clone
//! adds one to the count, drop takes one away, wake schedules the task. Measured on the
//! benchmarks (`bench/`), together with a slimmer header: one allocation instead of two took
//! `spawn_join` from 1.01× smol's time to 0.67×, and an idle task from 344 to 232 bytes
//! (chapter "How fast is it, and why").
//!
//! What makes it sound is one rule, kept by the loop and the `JoinHandle`, both of which
//! live on the loop's thread:
//!
//! > **The future and the output are dropped only on the loop's thread.** By the time the
//! > last loop-side owner (the slab, the `JoinHandle`, the loop's list of panicked tasks)
//! > lets go, the [`Slot`] holds nothing (`Consumed`) or a `JoinError` (which is `Send`).
//!
//! So when a waker on another thread happens to hold the last reference, freeing the
//! allocation there drops only thread-safe things: a `Waker`, the task's [`Origin`] (the
//! loop's `Remote` and the name). And another thread reads only the header's fields that
//! never change after spawn (`id`, `key`, `origin`); the `Cell`s are touched only by the
//! loop's thread.

use std::cell::Cell;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use super::join::JoinError;
use super::note::Note;
use super::waker::Remote;
use crate::context;
use crate::ids::panic_message;
pub use crate::ids::{TaskId, TaskState};
use slot::{Slot, Stage};

mod slot;

/// Where a task comes from: its loop's way in, and the name it was given at spawn.
///
/// One pointer in every task's header instead of two (a `remote` and a `name`): every
/// unnamed task of a loop shares the loop's one `Origin` (`Loop::unnamed`), and a named
/// task gets one of its own, an allocation a named spawn paid before too (for its boxed
/// name). The 8 bytes it saves are a whole malloc size class for a small task: measured in
/// the benchmark's `idle_tasks_memory`, see `Header`'s size test below.
///
/// Both fields are `Send + Sync` and never change: a waker on another thread reads
/// `remote`, and may be the one that frees a named task's `Origin`.
pub(crate) struct Origin {
    /// The way into the task's loop: how a wake from another thread gets there, and, by its
    /// address, which loop the task belongs to.
    pub(crate) remote: Arc<Remote>,
    /// The name given at spawn, if any.
    pub(crate) name: Option<Box<str>>,
}

/// The type-free part of a task: what the loop and the tracer read.
///
/// `id`, `key` and `origin` never change after spawn: they are the only fields a waker on
/// another thread reads. Every `Cell` belongs to the loop's thread.
pub(crate) struct Header {
    /// Unique within the loop; also guards against stale wakes after a slab key is reused.
    pub(crate) id: TaskId,
    /// Where the task sits in the loop's slab. Valid while `state` is not finished. A `u32`
    /// to share eight bytes with the `Cell`s below (`spawn` checks that it fits).
    pub(crate) key: u32,
    /// The task's loop and its name (see [`Origin`]).
    pub(crate) origin: Arc<Origin>,
    /// See [`TaskState`].
    pub(crate) state: Cell<TaskState>,
    /// Set once by `JoinHandle::cancel`; the loop drops the future at the task's next turn.
    pub(crate) cancel_requested: Cell<bool>,
    /// True once the `JoinHandle` was dropped: nobody can retrieve the outcome any more, so
    /// the loop drops it as soon as the task finishes, and reports a panic at once.
    pub(crate) detached: Cell<bool>,
    /// What the task's slot holds (see [`Stage`]): the tag of the `Task`'s union, kept here
    /// where a byte was free, and the guard a `RefCell` used to be.
    stage: Cell<Stage>,
    /// The waker of the task awaiting our `JoinHandle`, woken when we finish.
    pub(crate) join_waker: Cell<Option<Waker>>,
    /// What the task said it waits for when its last poll returned `Pending`, in one word
    /// (`note.rs`: as an `Option<WaitingOn>` it took 24 bytes).
    pub(crate) waiting_on: Cell<Note>,
}

impl Header {
    pub(crate) fn new(id: TaskId, key: u32, origin: Arc<Origin>) -> Header {
        Header {
            id,
            key,
            origin,
            state: Cell::new(TaskState::Scheduled),
            cancel_requested: Cell::new(false),
            detached: Cell::new(false),
            stage: Cell::new(Stage::Running),
            join_waker: Cell::new(None),
            waiting_on: Cell::new(Note::default()),
        }
    }

    /// The task's name: the one given at spawn, or `task-N`.
    pub(crate) fn name(&self) -> String {
        match &self.origin.name {
            Some(name) => name.to_string(),
            None => self.id.to_string(),
        }
    }

    /// Wake whoever awaits this task's `JoinHandle`.
    pub(crate) fn wake_joiner(&self) {
        if let Some(waker) = self.join_waker.take() {
            waker.wake();
        }
    }

    /// What every wake of this task does. On the loop's own thread, while it runs: straight
    /// into the ready queue. Anywhere else: through the loop's channel (`executor::waker`).
    ///
    /// Safe to call from any thread: it reads only `id`, `key` and `origin` before it knows
    /// it is on the loop's thread.
    pub(crate) fn wake(&self) {
        let local = context::try_with_loop(|current| match current {
            Some(this) if this.owns(&self.origin.remote) => {
                this.schedule_task(self);
                true
            }
            _ => false,
        });
        if !local {
            self.origin.remote.wake(self.key, self.id.0);
        }
    }
}

/// One spawned future with its header. Lives in an `Arc`, shared by the loop's slab, the
/// `JoinHandle` and every waker of the task.
pub(crate) struct Task<F: Future> {
    header: Header,
    /// The future, then the outcome: which, `header.stage` says (`task/slot.rs`).
    slot: Slot<F>,
}

impl<F: Future + 'static> Task<F> {
    /// A new task, ready to be shared by the slab and the `JoinHandle`.
    ///
    /// An `Arc` although a task is neither `Send` nor `Sync`: only its wakers cross threads,
    /// and they touch nothing but the atomic count and the fields that never change (see the
    /// module docs). The loop and the handle stay on the loop's thread because they are
    /// `!Send` themselves (`Arc<dyn Runnable>` is).
    #[allow(clippy::arc_with_non_send_sync)]
    pub(crate) fn new(header: Header, future: F) -> Arc<Task<F>> {
        header.stage.set(Stage::Running);
        Arc::new(Task {
            header,
            slot: Slot::new(future),
        })
    }
}

impl<F: Future> Drop for Task<F> {
    /// The last owner let go. By the module's rule, what the slot still holds is an
    /// `Err(JoinError)` or nothing when this runs on another thread.
    fn drop(&mut self) {
        self.slot.drop_in_place(self.header.stage.get());
    }
}

// ANCHOR: vtable
#[allow(unsafe_code)] // the waker's vtable: see "The waker" in the module docs
impl<F: Future + 'static> Task<F> {
    /// The four things a `Waker` can do, for a waker whose data pointer is an
    /// `Arc<Task<F>>` turned into a raw pointer (`Arc::into_raw`). One table per future type.
    const WAKER_VTABLE: RawWakerVTable = RawWakerVTable::new(
        Self::clone_waker,
        Self::wake_by_value,
        Self::wake_by_ref,
        Self::drop_waker,
    );

    /// Waker clone: one more owner of the allocation.
    ///
    /// # Safety
    ///
    /// `ptr` must come from a `RawWaker` made by this vtable: a pointer to a live
    /// `Task<F>` whose `Arc` count includes the waker being cloned.
    unsafe fn clone_waker(ptr: *const ()) -> RawWaker {
        // SAFETY: `ptr` came from `Arc::into_raw` on an `Arc<Task<F>>` (in `poll`, or an
        // earlier clone), and the waker being cloned still owns one count, so the
        // allocation is alive. Incrementing the count from any thread is what `Arc` is for.
        unsafe { Arc::increment_strong_count(ptr.cast::<Task<F>>()) };
        RawWaker::new(ptr, &Self::WAKER_VTABLE)
    }

    /// `waker.wake()`: schedule the task, then give up this waker's count.
    ///
    /// # Safety
    ///
    /// `ptr` must come from a `RawWaker` made by this vtable: a pointer to a live
    /// `Task<F>` whose `Arc` count includes the waker being woken (its count is given up here).
    unsafe fn wake_by_value(ptr: *const ()) {
        // SAFETY: this waker owns one count (see `clone_waker`); `from_raw` takes that
        // count back, and dropping the `Arc` at the end of this function gives it up.
        let task = unsafe { Arc::from_raw(ptr.cast::<Task<F>>()) };
        task.header.wake();
        // If this was the last count, the task is freed here, maybe on another thread:
        // sound by the module's rule (only `Send` things are left in it by then).
    }

    /// `waker.wake_by_ref()`: schedule the task; the waker keeps its count.
    ///
    /// # Safety
    ///
    /// `ptr` must come from a `RawWaker` made by this vtable: a pointer to a live
    /// `Task<F>` whose `Arc` count includes the waker being woken.
    unsafe fn wake_by_ref(ptr: *const ()) {
        // SAFETY: the waker owns one count for as long as this call lasts, so the task is
        // alive. `Header::wake` reads only the fields that never change unless it is on the
        // loop's thread.
        let task = unsafe { &*ptr.cast::<Task<F>>() };
        task.header.wake();
    }

    /// Waker drop: one owner fewer.
    ///
    /// # Safety
    ///
    /// `ptr` must come from a `RawWaker` made by this vtable: a pointer to a live
    /// `Task<F>` whose `Arc` count includes the waker being dropped (its count is given up here).
    unsafe fn drop_waker(ptr: *const ()) {
        // SAFETY: this waker owns one count (see `clone_waker`), given up exactly once here.
        // Freeing the task on another thread is sound by the module's rule.
        unsafe { Arc::decrement_strong_count(ptr.cast::<Task<F>>()) };
    }
}
// ANCHOR_END: vtable

/// How one poll of a task ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Polled {
    /// The future is not done.
    Pending,
    /// The future returned: its output waits for the `JoinHandle`.
    Returned,
    /// The future panicked: the panic is its outcome. The loop checks for an unretrieved
    /// panic only after this (measured: asking every finished task's stage cost 22 of
    /// `spawn_join`'s instructions per task).
    Panicked,
}

/// What the loop needs from a task: poll it, or drop its future to cancel it.
pub(crate) trait Runnable {
    fn header(&self) -> &Header;

    /// Poll the future once with the task's own waker. When the task is finished (returned
    /// a value or panicked), its outcome is stored for the handle.
    fn poll(&self) -> Polled;

    /// Drop the future without polling it (asyncio's cancellation, Rust style) and store
    /// `Err(JoinError::Cancelled)`. The future's destructors run here.
    fn cancel(&self);

    /// The panic message if the task panicked and nobody has taken the outcome yet.
    fn unretrieved_panic(&self) -> Option<String>;

    /// `unretrieved_panic`, for the loop's end, which reports it: the `JoinHandle`, if
    /// dropped later, will not report it again.
    fn report_panic(&self) -> Option<String>;

    /// Drop the outcome, here on the loop's thread, because nobody will take it.
    fn release(&self);
}

/// What a `JoinHandle<T>` needs from a task: its header and its output.
pub(crate) trait Joinable<T> {
    fn header(&self) -> &Header;

    /// Take the outcome of a finished task. Panics if it was already taken.
    fn take_output(&self) -> Result<T, JoinError>;

    /// Drop the outcome if it was not taken; returns its panic message if it was a panic.
    fn release(&self) -> Option<String>;

    /// Schedule the task, as its waker would.
    fn wake(&self) {
        self.header().wake();
    }
}

impl<F: Future + 'static> Runnable for Task<F> {
    fn header(&self) -> &Header {
        &self.header
    }

    #[allow(unsafe_code)]
    fn poll(&self) -> Polled {
        // The task's own waker, lent to the future without touching the count: whoever
        // calls `poll` holds an `Arc` to the task for the call, and `ManuallyDrop` keeps this
        // borrowed waker from giving up a count it never took. A future that keeps the
        // waker clones it, and the clone takes its own count.
        let data = std::ptr::from_ref(self).cast::<()>();
        // SAFETY: every `Task` lives in an `Arc` (`Task::new` is its only constructor), so
        // `data` is what `Arc::into_raw` would give for it, which is what the vtable's
        // functions expect; and the task outlives the poll, which is all the lent waker needs.
        let waker = ManuallyDrop::new(unsafe {
            Waker::from_raw(RawWaker::new(data, &Task::<F>::WAKER_VTABLE))
        });
        let mut cx = Context::from_waker(&waker);
        let Some(polled) = self.slot.poll(&self.header.stage, &mut cx) else {
            return Polled::Returned;
        };
        let (outcome, polled) = match polled {
            Ok(Poll::Pending) => return Polled::Pending,
            Ok(Poll::Ready(output)) => (Ok(output), Polled::Returned),
            Err(payload) => {
                let message = panic_message(payload.as_ref());
                drop_quietly(payload);
                (Err(JoinError::Panicked(message)), Polled::Panicked)
            }
        };
        // The future is dropped in place here, its outcome written over it.
        self.slot.empty(&self.header.stage);
        self.slot.put_outcome(&self.header.stage, outcome);
        polled
    }

    fn cancel(&self) {
        self.slot.empty(&self.header.stage);
        self.slot
            .put_outcome(&self.header.stage, Err(JoinError::Cancelled));
    }

    fn unretrieved_panic(&self) -> Option<String> {
        self.slot.panic_message(&self.header.stage)
    }

    fn report_panic(&self) -> Option<String> {
        let message = self.unretrieved_panic()?;
        self.header.stage.set(Stage::Reported);
        Some(message)
    }

    fn release(&self) {
        Joinable::release(self);
    }
}

impl<F: Future + 'static> Joinable<F::Output> for Task<F> {
    fn header(&self) -> &Header {
        &self.header
    }

    fn take_output(&self) -> Result<F::Output, JoinError> {
        match self.slot.take_outcome(&self.header.stage) {
            Some((outcome, _)) => outcome,
            None => panic!("a JoinHandle was polled again after it returned its task's result"),
        }
    }

    fn release(&self) -> Option<String> {
        // Moved out first, dropped outside the slot: the output's destructor is user code.
        match self.slot.take_outcome(&self.header.stage)? {
            (Err(JoinError::Panicked(message)), Stage::Finished) => Some(message),
            (other, _) => {
                drop_quietly(other);
                None
            }
        }
    }
}

/// Drop a value whose destructor is user code, outside every borrow, and keep the loop
/// alive if that destructor panics (the panic hook has already printed it).
fn drop_quietly<T>(value: T) {
    let _ = catch_unwind(AssertUnwindSafe(move || drop(value)));
}

#[cfg(test)]
mod tests {
    use std::future::Future;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    use super::{Header, Task};

    #[test]
    fn a_task_header_is_eight_words() {
        // With a future of five words (a task parked on an `Event` in the benchmark's
        // `idle_tasks_memory`), 48 bytes of header make the task's `Arc` 104 bytes (see the
        // next test). At 72 bytes (a name and a `Remote` side by side, and the note as an
        // `Option<WaitingOn>`) it was 160.
        assert_eq!(std::mem::size_of::<Header>(), 48);
    }

    /// A future of five words, the size of the benchmark's parked `idle_tasks_memory` task.
    #[allow(dead_code)] // only its size matters
    struct FiveWords([usize; 5]);

    impl Future for FiveWords {
        type Output = ();
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
            Poll::Ready(())
        }
    }

    #[test]
    fn a_task_with_a_five_word_future_fits_mallocs_112_byte_class() {
        // The `Arc`'s allocation: two counts, then the task. glibc serves a request of n
        // bytes from a chunk of (n + 8) rounded up to 16: 104 bytes from the 112-byte
        // class, 105 to 120 from the 128-byte one. With the slot a `RefCell<enum>` (a borrow
        // flag and a tag of its own) the task was 120 bytes.
        let counts = 2 * std::mem::size_of::<usize>();
        assert_eq!(std::mem::size_of::<FiveWords>(), 40);
        assert_eq!(counts + std::mem::size_of::<Task<FiveWords>>(), 104);
    }
}
