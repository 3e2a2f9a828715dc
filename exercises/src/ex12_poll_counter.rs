//! # Exercise 12: counting polls with the tracer
//!
//! asyncio's debug mode tells you when one callback held the loop too long; `loop.slow_callback_duration`
//! and the `Task` repr are most of what it offers for looking inside. tinyloop lets you watch
//! everything: a [`Tracer`] installed with `Builder::tracer` receives one [`Event`] for every
//! thing the loop does (a step starts, a task is spawned, polled, woken, completes...).
//!
//! Build a tracer that counts polls per task. That count is a health check: a task polled far
//! more often than it makes progress is busy-waiting (waking itself for nothing), and one
//! polled once and never again is waiting for a wake that never comes.
//!
//! Given: [`PollCounter`], its shared `Counts`, and `report`. Write:
//!
//! - `Tracer::event` for `PollCounter`: on `Event::Spawned { task, name }` remember the name;
//!   on `Event::Polled { task }` add one to the task's count; ignore every other event (the
//!   enum is `#[non_exhaustive]`, so the `match` needs a `_ => {}` arm).
//! - [`PollCounter::polls`]: the total polls of the tasks with that name.
//!
//! The `main` future of `block_on` counts as a task named `main`. Check it with
//! `cargo run -- check 12`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use tinyloop::TaskId;
use tinyloop::runtime::trace::{Event, Tracer};

/// A tracer that counts how often each task is polled. Clones share the counts: give one
/// clone to `Builder::tracer` and keep the other to read them.
#[derive(Clone, Default)]
pub struct PollCounter {
    counts: Rc<RefCell<Counts>>,
}

/// What the counter has seen so far.
#[derive(Default)]
pub struct Counts {
    /// Each task's name, from its `Spawned` event.
    names: HashMap<TaskId, String>,
    /// How many `Polled` events each task has had. A task spawned and never polled has no
    /// entry.
    polls: HashMap<TaskId, u64>,
}

impl PollCounter {
    /// A counter that has seen nothing.
    pub fn new() -> PollCounter {
        PollCounter::default()
    }

    /// Every task's name and poll count, most-polled first, ties by name. Tasks that were
    /// never polled are left out. The loop's `main` future is the task named `main`.
    pub fn report(&self) -> Vec<(String, u64)> {
        let counts = self.counts.borrow();
        let mut report: Vec<(String, u64)> = counts
            .polls
            .iter()
            .map(|(task, polls)| (counts.names.get(task).cloned().unwrap_or_default(), *polls))
            .collect();
        report.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        report
    }

    // ANCHOR: polls
    /// How many times the tasks named `name` were polled, all together.
    pub fn polls(&self, name: &str) -> u64 {
        // Your code: sum the counts of the tasks whose name is `name`.
        todo!()
    }
    // ANCHOR_END: polls
}

// ANCHOR: event
impl Tracer for PollCounter {
    fn event(&mut self, event: &Event) {
        // Your code: on Spawned remember the name; on Polled count one; ignore the rest.
        todo!()
    }
}
// ANCHOR_END: event
