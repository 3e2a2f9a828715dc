//! # Exercise 02: `block_on` with waker-fn
//!
//! `asyncio.run(main())` is the door from ordinary code into async code: it runs one coroutine
//! to the end and returns its result. Its Rust cousin is `block_on(future)`, the smallest
//! executor there is: poll the future; if it is `Pending`, put the thread to sleep until its
//! waker is called; poll again; repeat until `Ready`.
//!
//! Write [`block_on`]:
//!
//! - Build a [`Waker`](std::task::Waker) with [`waker_fn::waker_fn`]: its closure records "woken"
//!   in an `Arc<AtomicBool>` and unparks the thread that runs `block_on`
//!   ([`std::thread::current`], [`std::thread::Thread::unpark`]).
//! - Pin the future (`std::pin::pin!`) and poll it in a loop with a
//!   [`Context`](std::task::Context) made from that waker.
//! - Between polls, sleep with [`std::thread::park`] until the flag says "woken" (park can
//!   return spuriously, so loop on the flag), then clear the flag and poll again.
//!
//! The waker may be called from another thread, and even during the poll itself (a future that
//! wakes itself, as in exercise 01): neither must hang. And `block_on` must not spin: a future
//! that waits 200 ms for another thread should be polled a handful of times, not millions.
//!
//! Check it with `cargo run -- check 2`.

use std::future::Future;

// ANCHOR: block_on
/// Runs `future` to completion on this thread and returns its output.
pub fn block_on<F: Future>(future: F) -> F::Output {
    // Your code: a waker from waker_fn that sets a flag and unparks this thread; then
    // poll, park until woken, poll again.
    todo!()
}
// ANCHOR_END: block_on
