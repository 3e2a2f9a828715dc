//! `event_condition_barrier`: the asyncio Q&A README's "`asyncio.Event` for allowing one
//! coroutine or task to signal one or more other coroutines or tasks", with its two
//! relatives: `Condition` ("wait until the shared state looks like this") and `Barrier`
//! ("wait until all of us are here").
//!
//! Three small scenes, each on its own loop:
//!
//! 1. **Event**: three guests wait for the doors to open; the host opens them at t=1.00 with
//!    one `set()`, and all three come in at once. A guest arriving after that (t=1.50) does
//!    not wait at all: the flag stays up until `clear()`.
//! 2. **Condition**: a cook puts a dish on the counter every 0.5 s and calls `notify_all()`;
//!    each waiter waits for the number of dishes it needs (`wait_for(predicate)`), rechecked
//!    under the lock after every notification, so the waiter who needs one dish goes at 0.50,
//!    the one who needs three at 1.50.
//! 3. **Barrier**: three runners reach the start line at 0.20, 0.50 and 0.30; nobody starts
//!    until the third is there, and then all start at 0.50.

use std::time::Duration;

use tinyloop::{Barrier, Condition, Event, gather_all, sleep, spawn};

use crate::{Options, say};

// ANCHOR: event
async fn guest(name: &'static str, arrives_ms: u64, doors: Event) {
    sleep(Duration::from_millis(arrives_ms)).await;
    say!("{name}: at the door (open: {})", doors.is_set());
    doors.wait().await; // returns at once if the doors are already open
    say!("{name}: comes in");
}

async fn event_scene() {
    let doors = Event::new();
    let guests = vec![
        spawn(guest("ada", 0, doors.clone())),
        spawn(guest("bob", 200, doors.clone())),
        spawn(guest("cy", 500, doors.clone())),
        spawn(guest("dee", 1500, doors.clone())), // comes after the doors opened
    ];
    sleep(Duration::from_secs(1)).await;
    say!("host: opening the doors");
    doors.set(); // wakes every guest waiting; later wait()s return at once
    gather_all(guests).await;
}
// ANCHOR_END: event

// ANCHOR: condition
async fn waiter(name: &'static str, needs: usize, counter: Condition<usize>) {
    let guard = counter.lock().await;
    say!("{name}: waiting for {needs} dish(es)");
    let guard = counter.wait_for(guard, |dishes| *dishes >= needs).await;
    say!("{name}: {} dish(es) on the counter, serving", *guard);
}

async fn cook(counter: Condition<usize>) {
    for _ in 0..3 {
        sleep(Duration::from_millis(500)).await;
        let mut dishes = counter.lock().await;
        *dishes += 1;
        say!("cook: dish {} ready", *dishes);
        counter.notify_all(); // every waiter rechecks its own predicate
    }
}

async fn condition_scene() {
    let counter = Condition::new(0);
    let tasks = vec![
        spawn(waiter("waiter A", 3, counter.clone())),
        spawn(waiter("waiter B", 1, counter.clone())),
        spawn(cook(counter.clone())),
    ];
    gather_all(tasks).await;
}
// ANCHOR_END: condition

// ANCHOR: barrier
async fn runner(name: &'static str, arrives_ms: u64, start_line: Barrier) {
    sleep(Duration::from_millis(arrives_ms)).await;
    say!("{name}: at the start line");
    start_line.wait().await.expect("never aborted");
    say!("{name}: running");
}

async fn barrier_scene() {
    let start_line = Barrier::new(3);
    let runners = vec![
        spawn(runner("runner 1", 200, start_line.clone())),
        spawn(runner("runner 2", 500, start_line.clone())),
        spawn(runner("runner 3", 300, start_line.clone())),
    ];
    gather_all(runners).await;
}
// ANCHOR_END: barrier

/// The demo's program.
pub fn run(options: &Options) {
    println!("--- Event: one set() wakes every waiter ---");
    options.run(event_scene());
    println!("--- Condition: wait until the state is right ---");
    options.run(condition_scene());
    println!("--- Barrier: wait until all three are here ---");
    options.run(barrier_scene());
}
