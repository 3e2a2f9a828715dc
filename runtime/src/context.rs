//! The thread's current loop: how `spawn`, `sleep` and wakers find the loop they belong to.
//!
//! asyncio keeps the running loop in a thread-local too (`asyncio.get_running_loop()`
//! reads `_running_loop`), and raises when there is none. Here a `Runtime` enters its loop
//! into this thread-local for as long as `block_on` runs, and the free functions of the
//! crate (`spawn`, `sleep`, `now`) look it up.
//!
//! Only one loop can be running on a thread: starting another inside it is the error
//! asyncio reports as "asyncio.run() cannot be called from a running event loop".

use std::cell::RefCell;
use std::rc::Rc;

use crate::executor::Shared;

thread_local! {
    /// The loop running on this thread, if any. Set by [`enter`], cleared by its guard.
    static CURRENT: RefCell<Option<Rc<Shared>>> = const { RefCell::new(None) };
}

/// Proof that a loop is entered on this thread; leaving happens on drop, even when a
/// panic unwinds out of `block_on`.
pub(crate) struct EnterGuard {
    _private: (),
}

/// Make `shared` the thread's current loop.
///
/// # Panics
///
/// If a loop is already running on this thread.
pub(crate) fn enter(shared: Rc<Shared>) -> EnterGuard {
    CURRENT.with(|current| {
        let mut current = current.borrow_mut();
        if current.is_some() {
            panic!(
                "cannot start a loop from inside a running loop (asyncio: \"asyncio.run() \
                 cannot be called from a running event loop\"): inside a task, `.await` the \
                 future or `spawn` it instead of calling `run` or `block_on`"
            );
        }
        *current = Some(shared);
    });
    EnterGuard { _private: () }
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        // Take the loop out first and drop it after the borrow ends: dropping it may run
        // destructors that look at CURRENT again.
        let shared = CURRENT.with(|current| current.borrow_mut().take());
        drop(shared);
    }
}

/// Run `f` with the current loop, or `None` when no loop runs on this thread.
///
/// The loop is lent, not cloned (an `Rc` clone and drop on every `sleep` poll and every
/// wake add up), so `f` must not start or leave a loop; nothing in the crate does.
pub(crate) fn try_with<R>(f: impl FnOnce(Option<&Rc<Shared>>) -> R) -> R {
    let mut f = Some(f);
    let lent = CURRENT.try_with(|current| {
        let f = f.take().expect("called once");
        f(current.borrow().as_ref())
    });
    match lent {
        Ok(result) => result,
        // The thread is exiting and its thread-locals are gone: no loop runs here.
        Err(_) => (f.take().expect("not called yet"))(None),
    }
}

/// Run `f` with the current loop.
///
/// # Panics
///
/// With a message naming `what` when no loop is running on this thread.
pub(crate) fn with<R>(what: &str, f: impl FnOnce(&Rc<Shared>) -> R) -> R {
    try_with(|shared| match shared {
        Some(shared) => f(shared),
        None => panic!(
            "{what} called outside a running loop (asyncio: \"no running event loop\"): \
             call it from inside `tinyloop::run(async {{ ... }})` or a task spawned there"
        ),
    })
}
