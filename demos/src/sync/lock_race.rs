//! `lock_race`: *Concurrency Patterns*'s `modify_shared_resource`, with and without the `asyncio.Lock`.
//!
//! Five tasks each read the last value of a shared list, sleep 0.1 s, and append value + 1.
//! With the lock, each read-sleep-write is done before the next begins: the list is
//! `[1, 2, 3, 4, 5]` and it takes 0.50 s. Without it, all five read the empty list before
//! any of them writes: `[1, 1, 1, 1, 1]`, in 0.10 s. The seed says the list "would likely"
//! be all ones; on a single-threaded loop it is not likely but certain: the interleaving at
//! an `await` is deterministic.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{Instant, Lock, now, sleep, spawn};

use crate::{Options, say};

// ANCHOR: with_lock
async fn modify_shared_resource(lock: Lock<Vec<u32>>) {
    let mut shared_list = lock.lock().await; // async with lock:
    say!("Acquired lock...");
    let current_value = shared_list.last().copied().unwrap_or(0);
    sleep(Duration::from_millis(100)).await; // another task may run, but not enter
    shared_list.push(current_value + 1);
    say!("...Released lock");
}
// ANCHOR_END: with_lock

// ANCHOR: without_lock
async fn modify_without_lock(shared_list: Rc<RefCell<Vec<u32>>>) {
    let current_value = shared_list.borrow().last().copied().unwrap_or(0);
    sleep(Duration::from_millis(100)).await; // every other task reads the same value here
    shared_list.borrow_mut().push(current_value + 1);
}
// ANCHOR_END: without_lock

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        say!("=== With the lock ===");
        let start: Instant = now();
        let lock = Lock::new(Vec::new());
        let tasks: Vec<_> = (0..5)
            .map(|_| spawn(modify_shared_resource(lock.clone())))
            .collect();
        for task in tasks {
            task.await.expect("no panic");
        }
        say!(
            "Final list: {:?} (took {:.2} s)",
            *lock.lock().await,
            start.elapsed().as_secs_f64()
        );

        say!("=== Without it ===");
        let start: Instant = now();
        let shared_list = Rc::new(RefCell::new(Vec::new()));
        let tasks: Vec<_> = (0..5)
            .map(|_| spawn(modify_without_lock(shared_list.clone())))
            .collect();
        for task in tasks {
            task.await.expect("no panic");
        }
        say!(
            "Final list: {:?} (took {:.2} s)",
            shared_list.borrow(),
            start.elapsed().as_secs_f64()
        );
    });
}
