//! # tinyloop: Python's asyncio event loop, rebuilt in Rust to be read
//!
//! `use tinyloop::...` is this project's `import asyncio`. This file is the table of
//! contents: every name a program needs, grouped the way the asyncio docs group them, each
//! defined in one of the workspace's crates (`runtime/` for the loop, `primitives/` for
//! the synchronisation primitives).
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

// Waiting for many things: gather, wait, races, TaskGroup, asyncio.Future (issue 4).
pub use tinyloop_runtime::compose::*;

// Sockets and threads: Async, TcpListener, TcpStream, UdpSocket, to_thread (issue 6).
pub use tinyloop_runtime::blocking::{ToThread, ToThreadError, to_thread};
pub use tinyloop_runtime::net::*;

// Synchronisation primitives: Semaphore, Lock, Event, Condition, Barrier, Queue (issue 5).
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
