//! Reference solution of exercise 12 (see `src/ex12_poll_counter.rs` for the instructions).

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
        let counts = self.counts.borrow();
        counts
            .polls
            .iter()
            .filter(|(task, _)| counts.names.get(task).is_some_and(|n| n == name))
            .map(|(_, polls)| polls)
            .sum()
    }
    // ANCHOR_END: polls
}

// ANCHOR: event
impl Tracer for PollCounter {
    fn event(&mut self, event: &Event) {
        let mut counts = self.counts.borrow_mut();
        match event {
            Event::Spawned { task, name } => {
                counts.names.insert(*task, name.clone());
            }
            Event::Polled { task } => {
                *counts.polls.entry(*task).or_insert(0) += 1;
            }
            // Event is `#[non_exhaustive]`: new kinds of events may come; ignore the rest.
            _ => {}
        }
    }
}
// ANCHOR_END: event
