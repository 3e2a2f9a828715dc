//! The book's inline Rust examples, compiled and run as doctests of the facade.
//!
//! Each chapter in `book/src/` that has a ```` ```rust ```` block not marked `ignore` is mounted
//! here as the documentation of one item, so `cargo test` (which runs the facade's doctests)
//! compiles and runs every such block exactly as the reader sees it, with `use tinyloop::...`
//! paths like a user's program. No mdbook is needed. Blocks that show code included from real
//! files are fenced ```` ```rust,ignore ````: that code is compiled and tested where it lives.
//!
//! `tests/book.rs` fails when a chapter with runnable blocks is missing from this list. Mounted in
//! `src/lib.rs` as `#[cfg(doctest)] mod book_doctests;`, so it is compiled only by rustdoc.

#[doc = include_str!("../book/src/smallest_executor.md")]
pub struct SmallestExecutor;

#[doc = include_str!("../book/src/tasks_and_join_handles.md")]
pub struct TasksAndJoinHandles;

#[doc = include_str!("../book/src/one_step_of_the_loop.md")]
pub struct OneStepOfTheLoop;

#[doc = include_str!("../book/src/virtual_time.md")]
pub struct VirtualTime;

#[doc = include_str!("../book/src/coroutines_tasks_futures.md")]
pub struct CoroutinesTasksFutures;

#[doc = include_str!("../book/src/waiting_for_many_things.md")]
pub struct WaitingForManyThings;

#[doc = include_str!("../book/src/cancellation.md")]
pub struct Cancellation;

#[doc = include_str!("../book/src/semaphore.md")]
pub struct Semaphore;

#[doc = include_str!("../book/src/lock.md")]
pub struct Lock;

#[doc = include_str!("../book/src/queue.md")]
pub struct Queue;

#[doc = include_str!("../book/src/event_condition_barrier.md")]
pub struct EventConditionBarrier;

#[doc = include_str!("../book/src/reactor.md")]
pub struct Reactor;

#[doc = include_str!("../book/src/sockets.md")]
pub struct Sockets;

#[doc = include_str!("../book/src/threads.md")]
pub struct Threads;
