//! Reference solution of exercise 01 (see `src/ex01_countdown.rs` for the instructions).

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
        if self.remaining == 0 {
            return Poll::Ready(self.start);
        }
        self.remaining -= 1;
        // Not done yet: ask to be polled again. Without this line nobody ever would.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: poll
