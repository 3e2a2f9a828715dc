//! # tinyloop-runtime: the event loop itself
//!
//! This crate is Python's `asyncio` event loop rebuilt in Rust, one concept per module,
//! written to be read beside the book (`book/`). Learners normally use it through the
//! `tinyloop` facade crate; the modules here are the chapters' source code.
//!
//! | module | what it is | asyncio counterpart |
//! |---|---|---|
//! | [`block_on`](mod@block_on) | the smallest possible executor, the book's first lesson | `asyncio.run` of one coroutine |
//! | [`executor`] | the loop: ready queue, steps, tasks, `JoinHandle`s, wakers | `BaseEventLoop._run_once`, `Task` |
//! | [`time`] | the clock (real or virtual), the timer wheel, `sleep`, `timeout` | `loop.call_at`, `asyncio.sleep`, `wait_for` |
//! | [`compose`] | waiting for many things: `gather!`, `wait`, `race`, `TaskGroup`, `Promise` | `gather`, `wait`, `TaskGroup`, `Future` |
//! | [`reactor`] | the poller and the sources registered with it | the selector in `BaseSelectorEventLoop` |
//! | [`net`] | sockets on the reactor: `Async<T>`, TCP, UDP | `loop.sock_*`, streams |
//! | [`blocking`] | `to_thread`: blocking work on a small pool of threads | `asyncio.to_thread` |
//! | [`reactor`] | asking the OS which sockets are ready; waking their tasks | `selectors`, the `select()` in `_run_once` |
//! | [`net`] | `Async<T>`, `TcpListener`, `TcpStream`, `UdpSocket` | `loop.sock_*`, streams, `start_server` |
//! | [`blocking`] | `to_thread`: blocking work on a pool of threads | `asyncio.to_thread`, the default executor |
//! | [`trace`] | what the loop reports to a tracer as it runs | asyncio's debug mode |
//!
//! One loop runs on one thread. Tasks need not be `Send`; wakers are `Send + Sync`, as the
//! standard library requires, so another thread can wake a task.

#![deny(unsafe_code)]
#![warn(missing_docs)]
#![warn(clippy::undocumented_unsafe_blocks)]

pub mod block_on;
pub mod blocking;
pub mod compose;
mod context;
pub mod executor;
pub mod net;
pub mod reactor;
pub mod time;
pub mod trace;

pub use block_on::block_on;
pub use executor::{
    Builder, JoinError, JoinHandle, Runtime, TaskId, YieldNow, current_step, run, run_virtual,
    spawn, spawn_named, yield_now,
};
