//! # tinyloop: Python's asyncio event loop, rebuilt in Rust to be read
//!
//! tinyloop is asyncio's event loop, written again from nothing in Rust, one concept per
//! file, so that a Python programmer can learn how an event loop works by reading one,
//! running it and extending it. It is also a real single-threaded runtime, measured
//! against tokio, smol and CPython.
//!
//! `use tinyloop::...` is this project's `import asyncio`. This file is the table of
//! contents: every name a program needs, grouped the way the asyncio docs group them, each
//! defined in one of the workspace's crates (`runtime/` for the loop, `primitives/` for
//! the synchronisation primitives). The items' examples run as tests; most run on the
//! virtual clock ([`run_virtual`]), where a sleep ends at once and times are exact.
//!
//! ```
//! use std::time::Duration;
//! use tinyloop::{now, run_virtual, sleep, spawn};
//!
//! async fn fetch_data(url: &'static str) -> String {
//!     sleep(Duration::from_secs(1)).await; // simulate network delay
//!     format!("Data from {url}")
//! }
//!
//! let data = run_virtual(async {
//!     let task = spawn(fetch_data("example.com")); // asyncio.create_task
//!     task.await.unwrap()
//! });
//! assert_eq!(data, "Data from example.com");
//! ```
//!
//! # What is here, in the order of asyncio's documentation
//!
//! | asyncio's section | its names | here |
//! |---|---|---|
//! | Runners, the event loop | `asyncio.run`, `new_event_loop`, `run_until_complete` | [`run`], [`run_virtual`], [`Runtime`], [`Builder`], [`block_on()`], [`current_step`] |
//! | Coroutines and tasks | `create_task`, `Task`, `Task.cancel`, `sleep(0)` | [`spawn`], [`spawn_named`], [`JoinHandle`], [`JoinError`], [`TaskId`], [`TaskState`], [`yield_now`] |
//! | Sleeping, timeouts | `sleep`, `loop.time`, `wait_for`, `timeout` | [`sleep`], [`sleep_until`], [`now`], [`Instant`], [`wait_for`], [`timeout`], [`timeout_at`], [`Elapsed`] |
//! | Running tasks concurrently | `gather`, `wait`, `as_completed`, `TaskGroup`, `Future` | the [`compose`](runtime::compose) module, re-exported here: [`gather!`], [`wait`], [`TaskGroup`], [`Promise`], … |
//! | Running in threads | `to_thread` | [`to_thread`], [`ToThread`], [`ToThreadError`] |
//! | Streams, low-level sockets | `open_connection`, `start_server`, `loop.sock_*` | the [`net`](runtime::net) module, re-exported here: [`TcpListener`], [`TcpStream`], [`UdpSocket`], [`Async`] |
//! | Synchronisation primitives, queues | `Lock`, `Event`, `Condition`, `Semaphore`, `Barrier`, `Queue` | the [`primitives`] crate, re-exported here: [`Lock`], [`Semaphore`], [`Queue`], … |
//! | Debug mode | `debug=True`, slow-callback warnings | [`runtime::trace`]: tracers, snapshots, `--trace`/`--step` |
//!
//! # Where to go next
//!
//! All paths are relative to the repository's root.
//!
//! * **The book**, `book/`: the loop explained chapter by chapter, from "Why async" and the
//!   smallest executor to the reactor and the benchmarks. Read it in a browser with
//!   `cargo install mdbook --locked --version 0.5.4` then `mdbook serve book`, or as
//!   Markdown in `book/src/` (start at `book/src/introduction.md`; there the code listings
//!   are `{{#include ...}}` lines naming the file they come from).
//! * **The demos**, `demos/`: every example of the asyncio texts, runnable.
//!   `cargo run -p tinyloop-demos -- tour` walks through them;
//!   `cargo run -p tinyloop-demos -- list` names them all; `-- NAME --virtual` runs one on
//!   the virtual clock.
//! * **The exercises**, `exercises/`: twenty graded exercises, from a hand-written future to
//!   extending tinyloop. `cd exercises && cargo run -- watch` starts at the first,
//!   `exercises/src/ex01_countdown.rs`.
//! * **These docs**: `cargo doc --open -p tinyloop`; the [`runtime`] crate's modules are
//!   the book's source code, each with a module doc tying it to the asyncio idea it mirrors.

#![forbid(unsafe_code)]

// Running a loop: asyncio.run, loop.run_until_complete, and the smallest executor.
pub use tinyloop_runtime::{Builder, Runtime, block_on, current_step, run, run_virtual};

// Tasks: asyncio.create_task, Task.cancel, await task, asyncio.sleep(0).
pub use tinyloop_runtime::executor::TaskState;
pub use tinyloop_runtime::{
    JoinError, JoinHandle, TaskId, YieldNow, spawn, spawn_named, yield_now,
};

// Time: asyncio.sleep, loop.time, asyncio.wait_for / asyncio.timeout.
pub use tinyloop_runtime::time::{
    Elapsed, Instant, Sleep, now, sleep, sleep_until, timeout, timeout_at, wait_for,
};

// Waiting for many things: gather, wait, races, TaskGroup, asyncio.Future.
pub use tinyloop_runtime::compose::*;

// Sockets and threads: Async, TcpListener, TcpStream, UdpSocket, to_thread.
pub use tinyloop_runtime::blocking::{ToThread, ToThreadError, to_thread};
pub use tinyloop_runtime::net::*;

// Synchronisation primitives: Semaphore, Lock, Event, Condition, Barrier, Queue.
pub use tinyloop_primitives::*;

/// The whole runtime crate, for what the table above leaves out (`time`, `trace`,
/// `executor` internals documented for the book).
pub use tinyloop_runtime as runtime;

/// The synchronisation primitives crate (Semaphore, Lock, Queue, …).
pub use tinyloop_primitives as primitives;

#[cfg(doctest)]
mod book_doctests;

/// The README's code blocks are compiled and run as doctests, so it cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
