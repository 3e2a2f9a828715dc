//! Reference solution of exercise 02 (see `src/ex02_block_on.rs` for the instructions).

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

// ANCHOR: block_on
/// Runs `future` to completion on this thread and returns its output.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let woken = Arc::new(AtomicBool::new(false));
    let thread = std::thread::current();
    let waker = {
        let woken = woken.clone();
        waker_fn::waker_fn(move || {
            woken.store(true, Ordering::SeqCst);
            thread.unpark();
        })
    };
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        // Sleep until the waker runs. `park` may return for no reason, so check the flag;
        // and if the waker already ran during the poll, the flag is set and we do not sleep.
        while !woken.swap(false, Ordering::SeqCst) {
            std::thread::park();
        }
    }
}
// ANCHOR_END: block_on
