//! Waiting for many things: `gather`, `wait`, races, `TaskGroup`, and asyncio's `Future`.
//!
//! Everything here is built *on top of* the loop, out of the pieces the executor and the
//! timer wheel already give: futures polled inside the awaiting task, `JoinHandle`s, wakers
//! and `spawn`. None of it needs a hook in the executor. Each asyncio idea has one file:
//!
//! | asyncio | tinyloop | file |
//! |---|---|---|
//! | `await asyncio.gather(a, b, c)` | [`gather!`](crate::gather!)`(a, b, c)`, [`gather_all`]`(iter)` | `gather.rs` |
//! | `gather(...)` failing on the first exception | [`try_gather!`](crate::try_gather!), [`try_gather_all`] | `gather.rs` |
//! | `asyncio.wait(tasks, return_when=...)` | [`wait`]`(handles, `[`ReturnWhen`]`, timeout)` | `wait.rs` |
//! | (no asyncio function; Rust's `select`) | [`race`], [`race_all`] | `race.rs` |
//! | `asyncio.TaskGroup` (3.11) | [`TaskGroup`] | `task_group.rs` |
//! | `asyncio.Future` (`loop.create_future()`) | [`Promise`] | `promise.rs` |
//! | `asyncio.wait_for(task, timeout)` | [`wait_for`](crate::time::wait_for), [`wait_for_task`], [`CancelOnDrop`] | `time/timeout.rs`, `cancel.rs` |
//! | `asyncio.shield(task)` | [`shield`] | `shield.rs` |
//!
//! # Futures and tasks
//!
//! asyncio's `gather` and `wait` wrap coroutines in tasks. Here, `gather!`, `gather_all` and
//! the races poll plain futures inside the task that awaits them (no spawn, no `'static`),
//! and take `JoinHandle`s as well, since a handle is a future; `wait` and `TaskGroup` work
//! on spawned tasks, because what they report (done and pending, failures) is about tasks.
//! Each item's docs say which, and what changes when a future is not a task.
//!
//! # Dropping is cancelling, except for handles
//!
//! Whenever one of these gives up on a child (a race's losers, a fail-fast gather's other
//! children, a timeout's inner future), it drops it. A dropped future is cancelled. A dropped
//! `JoinHandle` is not: its task is detached and keeps running, as in tokio. Wrap handles in
//! [`CancelOnDrop`] to have them cancelled instead.
//!
//! One exception keeps asyncio's `wait_for`: when [`wait_for`](crate::time::wait_for) gives
//! up at its deadline, the handles dropped with its future cancel their tasks, and `wait_for`
//! waits for them (`time/timeout.rs`, "the give-up scope"). [`shield`] and [`wait`] opt out.
//!
//! # Cost
//!
//! The forms over many children ([`gather_all`], [`try_gather_all`], [`race_all`], [`wait`],
//! [`TaskGroup::join`]) give each child a waker of its own (`children.rs`), so a child that
//! finishes costs O(1), as asyncio's done callback per child.

mod cancel;
mod children;
mod gather;
mod promise;
mod race;
mod shield;
mod task_group;
mod wait;
#[allow(unsafe_code)] // the child wakers' vtable: see "Why a hand-written waker" there
mod wake_list;

pub use cancel::{CancelOnDrop, wait_for_task};
pub use gather::{
    GatherTuple, TryGatherTuple, gather_all, gather_tuple, try_gather_all, try_gather_tuple,
};
pub use promise::{CallbackId, InvalidState, Promise, PromiseCancelled, PromiseWait};
pub use race::{race, race_all};
pub use shield::{Shielded, shield};
pub use task_group::{ChildFailure, Failure, TaskGroup, TaskGroupError};
pub use wait::{Finished, ReturnWhen, wait};

pub use crate::{gather, try_gather};
