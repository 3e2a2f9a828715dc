//! # tinyloop-primitives: asyncio's synchronisation primitives
//!
//! | type | asyncio | what it is for |
//! |---|---|---|
//! | [`Semaphore`], [`BoundedSemaphore`] | `asyncio.Semaphore`, `BoundedSemaphore` | at most N tasks inside at once |
//! | [`Lock`] | `asyncio.Lock` | one task at a time across an `await` |
//! | [`Event`] | `asyncio.Event` | tasks wait for a flag to be set |
//! | [`Condition`] | `asyncio.Condition` | wait, under a lock, to be told to look again |
//! | [`Barrier`] | `asyncio.Barrier` (3.11) | N tasks meet before any goes on |
//! | [`Queue`], [`LifoQueue`], [`PriorityQueue`] (one [`GenericQueue`] over three storages) | `asyncio.Queue` family (3.13 `shutdown`) | hand work from producers to consumers |
//!
//! # Where they sit in the loop
//!
//! None of them talks to the loop directly. A waiting future stores its task's `Waker` in
//! the primitive and returns `Pending`; whoever releases a permit, sets the event or puts an
//! item calls that waker, and the loop puts the task back in its ready queue for the next
//! step. They are built on wakers only, so they also work under any other executor.
//!
//! # Ground rules
//!
//! * **One thread, like asyncio.** State lives in `Rc<RefCell<..>>` behind cheap-to-clone
//!   handles; the types are neither `Send` nor `Sync`, and need no atomics. A `RefCell`
//!   borrow is never held while a waker runs or a user value is dropped.
//! * **What a program can observe is asyncio's** (CPython 3.12/3.13; checked on 3.10 to
//!   3.13): `locked()`, `qsize()`, the order items come out, who gets a permit first. A
//!   semaphore or lock *hands* a released permit to the longest waiter, as asyncio's has
//!   since gh-97545; a queue *wakes* the first getter, which takes from the buffer when it
//!   runs, as asyncio's does. The crate's tests run thousands of scripts against CPython
//!   itself (`tests/*_against_asyncio.rs`). Each deliberate difference is listed, with its
//!   reason, in the module that makes it.
//! * **Cancellation is a drop, and loses nothing.** A waiting future dropped after it was
//!   woken passes on what it was woken for (a permit, the lock, a notification, the wake-up
//!   for a queued item) in its `Drop`, as asyncio's `except` blocks do.
//! * **No circles.** The waiting-line machinery lives in `core` (the wait list, permits,
//!   the broadcast flag); every primitive imports it and none reaches around it.
//! * **The loop can tell who woke whom.** Wakes go through `trace::wake_as("Semaphore")`,
//!   and a future about to return `Pending` says what it waits on
//!   (`trace::waiting_on("Queue.get")`), which the deadlock report prints.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod barrier;
mod condition;
mod core;
mod event;
mod lock;
mod queue;
mod semaphore;

pub use barrier::{Barrier, BarrierWait, BrokenBarrierError};
pub use condition::{Condition, ConditionWait};
pub use event::{Event, EventWait};
pub use lock::{Lock, LockAcquire, LockGuard};
pub use queue::{
    FifoStorage, GenericQueue, GetNowaitError, LifoQueue, LifoStorage, PriorityQueue,
    PriorityStorage, PutNowaitError, Queue, QueueGet, QueueJoin, QueuePut, QueueShutDown,
    QueueStorage, TaskDoneError,
};
pub use semaphore::{
    BoundedReleaseError, BoundedSemaphore, Semaphore, SemaphoreAcquire, SemaphorePermit,
};
