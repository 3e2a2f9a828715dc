//! `semaphore_per_task`: "Week 11, Day 4: Concurrency Patterns", "Common Mistakes: Creating a
//! new semaphore for each task": "A semaphore or lock must be created *once* and then passed
//! as an argument to all the tasks that need to share it."
//!
//! Six one-second fetches, meant to run at most two at a time, run twice. With one
//! `Semaphore(2)` shared by every task, two fetch at once and the last pair ends at t=3.00.
//! With a `Semaphore(2)` created inside each task, every task holds a permit of its own
//! semaphore, nobody ever waits, and all six fetch at once: done at t=1.00, six in flight.
//! The program runs and looks faster; the limit is simply gone. Each fetch counts how many
//! are in flight, so the output says the peak.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{Semaphore, gather_all, sleep, spawn};

use crate::{Options, say};

/// How many fetches are in flight now, and the most there ever were.
#[derive(Default)]
struct InFlight {
    /// Fetches started and not yet finished.
    now: Cell<usize>,
    /// The largest `now` seen.
    peak: Cell<usize>,
}

async fn fetch(url: usize, in_flight: Rc<InFlight>) {
    in_flight.now.set(in_flight.now.get() + 1);
    in_flight
        .peak
        .set(in_flight.peak.get().max(in_flight.now.get()));
    say!("fetching url_{url} ({} in flight)", in_flight.now.get());
    sleep(Duration::from_secs(1)).await;
    in_flight.now.set(in_flight.now.get() - 1);
}

// ANCHOR: shared
async fn shared_semaphore(in_flight: Rc<InFlight>) {
    let semaphore = Semaphore::new(2); // ✅ created once, a clone given to every task
    let tasks = (0..6).map(|url| {
        let (semaphore, in_flight) = (semaphore.clone(), in_flight.clone());
        spawn(async move {
            let _permit = semaphore.acquire().await;
            fetch(url, in_flight).await;
        })
    });
    gather_all(tasks.collect::<Vec<_>>()).await;
}
// ANCHOR_END: shared

// ANCHOR: per_task
async fn semaphore_per_task(in_flight: Rc<InFlight>) {
    let tasks = (0..6).map(|url| {
        let in_flight = in_flight.clone();
        spawn(async move {
            let semaphore = Semaphore::new(2); // ❌ a new semaphore in every task
            let _permit = semaphore.acquire().await; // never waits: nobody else uses it
            fetch(url, in_flight).await;
        })
    });
    gather_all(tasks.collect::<Vec<_>>()).await;
}
// ANCHOR_END: per_task

/// The demo's program.
pub fn run(options: &Options) {
    println!("--- one Semaphore(2), shared by every task ---");
    let in_flight = Rc::new(InFlight::default());
    options.run(shared_semaphore(in_flight.clone()));
    println!("at most {} in flight", in_flight.peak.get());
    println!("--- a new Semaphore(2) inside each task ---");
    let in_flight = Rc::new(InFlight::default());
    options.run(semaphore_per_task(in_flight.clone()));
    println!("at most {} in flight", in_flight.peak.get());
}
