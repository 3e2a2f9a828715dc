//! The loop looking at itself: the snapshot `--step` prints, and the diagnostics that name
//! tasks (slow poll, tasks left pending, the deadlock report).
//!
//! A child module of `executor`, so it may read the `Loop`'s private fields; everything here
//! only reads them. The data types and their printing live in `trace/snapshot.rs`.
//!
//! Every borrow here is a `try_borrow`: a tracer may ask for a snapshot at any event, and if
//! the loop is in the middle of changing the ready queue or the slab at that moment, the
//! honest answer is "no snapshot now" rather than a panic.

use super::task::Header;
use super::{Loop, MAIN_KEY};
use crate::ids::{MAIN, TaskId, TaskState};
use crate::trace::snapshot_label as label;
use crate::trace::{Event, PRECISE_POLLS, Slow, Snapshot, TaskSnapshot};

/// How many pending tasks the end-of-loop report lists by name; the rest are counted. (A
/// million forgotten tasks are one bug, not a million lines.)
const PENDING_LISTED: usize = 20;

impl Loop {
    /// The loop's state now; `None` if one of its parts is borrowed at this moment.
    pub(crate) fn snapshot(&self) -> Option<Snapshot> {
        let tasks = self.scheduler.tasks.try_borrow().ok()?;
        let ready = self
            .scheduler
            .ready_entries()?
            .into_iter()
            .filter_map(|entry| {
                if entry.key == MAIN_KEY {
                    return Some(MAIN);
                }
                let task = tasks.get(entry.key as usize)?;
                let header = task.header();
                (entry.is_for(header.id) && header.state.get() == TaskState::Scheduled)
                    .then_some(header.id)
            })
            .collect();
        let timers = self.time.describe()?;
        let mut all = vec![self.describe_task(&self.scheduler.main)];
        let mut spawned: Vec<TaskSnapshot> = tasks
            .iter()
            .map(|(_, task)| self.describe_task(task.header()))
            .collect();
        spawned.sort_by_key(|task| task.id);
        all.extend(spawned);
        Some(Snapshot {
            step: self.step.get(),
            now: self.time.now(),
            ready,
            timers,
            io_registered: self.reactor.sources(),
            io_waiters: self.reactor.waiters(),
            io: self.reactor.describe(),
            outside_wakers: self.waiting_outside(),
            tasks: all,
        })
    }

    /// Every task (and `main`) with what it waits on, one indented line each: the body of
    /// the deadlock report and of the real clock's idle warning.
    pub(crate) fn waiting_report(&self) -> String {
        let Some(snapshot) = self.snapshot() else {
            return "\n  (the loop's state could not be read at this moment)".to_string();
        };
        let width = snapshot
            .tasks
            .iter()
            .map(|task| task.label().len())
            .max()
            .unwrap_or(0);
        let mut report = String::new();
        for task in &snapshot.tasks {
            report.push_str(&format!(
                "\n  {:width$}  {}",
                task.label(),
                snapshot.describe(task)
            ));
        }
        report
    }

    /// A slow poll, or a slow window of polls (see `trace/diagnostics.rs`): say so on
    /// stderr, as asyncio's debug mode logs "Executing <Task …> took 0.105 seconds", and tell
    /// the tracer.
    pub(crate) fn report_slow(&self, slow: Slow) {
        match slow {
            Slow::Poll(task, took) => {
                eprintln!(
                    "tinyloop: executing {} took {:.3} seconds: while a poll runs, no other \
                     task, timer or I/O can (asyncio: \"Executing <Task …> took {:.3} \
                     seconds\"). Move blocking work to a thread, or split it with \
                     yield_now().await.",
                    self.label_now(task),
                    took.as_secs_f64(),
                    took.as_secs_f64(),
                );
                self.trace.emit(|| Event::SlowPoll { task, took });
            }
            Slow::Polls(tasks, took) => {
                let mut names: Vec<String> = Vec::new();
                for name in self.labels_now(&tasks) {
                    if !names.contains(&name) {
                        names.push(name);
                    }
                }
                eprintln!(
                    "tinyloop: {} polls held the loop for {:.3} seconds without a break, one \
                     of them probably blocking (timed together while the loop was busy): {}. \
                     Timing the next {PRECISE_POLLS} polls one by one, to name it if it \
                     happens again.",
                    tasks.len(),
                    took.as_secs_f64(),
                    names.join(", "),
                );
                self.trace.emit(|| Event::SlowPolls { tasks, took });
            }
        }
    }

    /// A task's label (`blocker (task-2)`, `main`) while it is still in the slab, or its id
    /// once it has finished.
    fn label_now(&self, task: TaskId) -> String {
        self.labels_now(&[task]).remove(0)
    }

    /// [`label_now`](Self::label_now) for each of `tasks`, in one walk of the slab.
    ///
    /// A window of slow polls names up to `POLLS_PER_READING` tasks, mostly finished ones
    /// that no walk finds. A walk per name cost 35 walks of a 100 000-slot slab after
    /// `spawn_join`'s burst under callgrind (20 million instructions, 200 per task of the
    /// benchmark); one walk with a sorted list of the wanted ids costs one.
    fn labels_now(&self, tasks: &[TaskId]) -> Vec<String> {
        let mut wanted: Vec<TaskId> = tasks.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        let mut found: Vec<Option<String>> = vec![None; wanted.len()];
        for (_, task) in self.scheduler.tasks.borrow().iter() {
            let header = task.header();
            if let Ok(at) = wanted.binary_search(&header.id) {
                found[at] = Some(label(header.id, &header.name()));
            }
        }
        tasks
            .iter()
            .map(|&task| match wanted.binary_search(&task) {
                _ if task == MAIN => "main".to_string(),
                Ok(at) => found[at].clone().unwrap_or_else(|| task.to_string()),
                Err(_) => task.to_string(),
            })
            .collect()
    }

    /// The loop is being closed with tasks still unfinished: name them and what each waits
    /// on, on stderr, before they are cancelled. asyncio.run cancels such tasks too; when a
    /// loop is closed under a pending task instead, asyncio warns "Task was destroyed but it
    /// is pending!".
    pub(crate) fn report_pending_at_end(&self) {
        if self
            .scheduler
            .tasks
            .try_borrow()
            .is_ok_and(|tasks| tasks.is_empty())
        {
            // The common case, and worth checking first: a snapshot walks every slot of the
            // task slab and the timer wheel, which after a burst of 100 000 timers is 15 MB
            // of empty slots (measured: 1 to 2 ms of `timers_fire`'s teardown).
            return;
        }
        let Some(snapshot) = self.snapshot() else {
            return;
        };
        let pending: Vec<&TaskSnapshot> = snapshot
            .tasks
            .iter()
            .filter(|task| task.id != MAIN && !task.cancel_requested)
            .collect();
        if pending.is_empty() {
            return;
        }
        let listed = &pending[..pending.len().min(PENDING_LISTED)];
        let width = listed.iter().map(|t| t.label().len()).max().unwrap_or(0);
        let mut report = String::new();
        for task in listed {
            report.push_str(&format!(
                "\n  {:width$}  {}",
                task.label(),
                snapshot.describe(task)
            ));
        }
        if pending.len() > listed.len() {
            report.push_str(&format!(
                "\n  ... and {} more",
                pending.len() - listed.len()
            ));
        }
        eprintln!(
            "tinyloop: the loop is closing at {} with {} task(s) still pending; they are \
             cancelled now, as asyncio.run cancels them (await them, or cancel them \
             yourself, to end them on purpose):{report}",
            snapshot.now,
            pending.len()
        );
    }
}

impl Loop {
    /// One task as the snapshot shows it.
    fn describe_task(&self, header: &Header) -> TaskSnapshot {
        TaskSnapshot {
            id: header.id,
            name: header.name(),
            state: header.state.get(),
            waiting_on: self.scheduler.notes.read(header.waiting_on.get()),
            cancel_requested: header.cancel_requested.get(),
        }
    }
}
