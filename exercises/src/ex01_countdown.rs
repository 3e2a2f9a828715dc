//! # Exercise 01: a future that counts down and wakes itself
//!
//! In asyncio, a coroutine that awaits something hands control back to the loop, and the loop
//! resumes it later. In Rust that "hand back" is a `poll` returning `Poll::Pending`, and the
//! "resume me later" is a call to the [`Waker`](std::task::Waker) found in the
//! [`Context`]. Forget the waker and the task sleeps forever: nobody will poll it again.
//!
//! Write `poll` for [`Countdown`]:
//!
//! - `Countdown::new(n)` is ready on its `n + 1`-th poll and returns `n`, the number of times
//!   it said "not yet". `Countdown::new(0)` is ready on its first poll.
//! - Each poll before that counts `remaining` down by one, **wakes its own task** with
//!   `cx.waker().wake_by_ref()` (so an executor polls it again), and returns `Poll::Pending`.
//! - The ready poll does not wake anyone.
//!
//! Check it with `cargo run -- check 1` (from `exercises/`). The tests poll your future by hand
//! with a waker that counts its calls.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// A future that returns `Pending` `n` times, waking itself each time, then `Ready(n)`.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Countdown {
    /// How many more polls return `Pending`.
    pub remaining: u32,
    /// The `n` it was created with: the value it is ready with.
    pub start: u32,
}

impl Countdown {
    /// A countdown from `n`.
    pub fn new(n: u32) -> Countdown {
        Countdown {
            remaining: n,
            start: n,
        }
    }
}

// ANCHOR: poll
impl Future for Countdown {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // Your code: count down, wake, return Pending; or return Ready(self.start).
        todo!()
    }
}
// ANCHOR_END: poll
