//! The scheduler: every task, the ready queue, and which task runs now.
//!
//! asyncio's loop keeps `_ready`, a deque of callbacks (`Task.__step` among them), and
//! `call_soon` appends to it. tinyloop's ready queue holds tasks instead of callbacks: a
//! wake appends the task unless it is queued already, and stage 4 polls each task it finds
//! there once, in FIFO order.
//!
//! `main`, the future given to `block_on`, is a task like the others here: it has a
//! [`Header`] of its own (kept beside the slab, since its future is not `'static` and lives
//! on `block_on`'s stack), it is queued under the key [`MAIN_KEY`], and `schedule`,
//! `waiting_on` and the snapshot read it as they read any task.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::sync::Arc;

use slab::Slab;

use super::note::NoteBook;
use super::task::{Header, Origin, Runnable, Task};
use super::waker::{MAIN_KEY, Remote};
use super::{JoinHandle, Loop};
use crate::ids::{MAIN, TaskId, TaskState};
use crate::trace::{Event, WakeCause};

/// One place in the ready queue: a task's slab key and the low 32 bits of its id.
///
/// Eight bytes where `(usize, u64)` took sixteen: the queue's capacity grows to the largest
/// burst of ready tasks (a million after `spawn_join`'s spawns), and the idle-task benchmark
/// counts every byte of it. The id bits only tell a *stale* entry from a live one: a task
/// woken during the poll in which it finished leaves an entry behind, and the key may go to
/// a new task before that entry is reached. The entry is reached within one step; two tasks
/// whose ids agree in 32 bits are four billion spawns apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ReadyEntry {
    /// The task's slab key, or [`MAIN_KEY`].
    pub(super) key: u32,
    /// The low 32 bits of the task's id.
    id_bits: u32,
}

impl ReadyEntry {
    fn new(key: u32, id: u64) -> ReadyEntry {
        // Truncation is the point: see the type's docs.
        ReadyEntry {
            key,
            id_bits: id as u32,
        }
    }

    /// True when this entry was made for the task with `id`.
    pub(super) fn is_for(self, id: TaskId) -> bool {
        self.id_bits == id.0 as u32
    }
}

/// Every task and the queue of those that can make progress.
pub(super) struct Scheduler {
    /// Every spawned task not yet finished, by slab key. A finished task leaves the slab at
    /// once (its `JoinHandle` may keep it alive for its output).
    pub(super) tasks: RefCell<Slab<Arc<dyn Runnable>>>,
    /// `main`'s header: its state, what it waits on. Its future is `block_on`'s.
    pub(super) main: Header,
    /// Tasks that can make progress, in the order they became ready.
    /// Invariant: a task is here exactly when its state is `Scheduled` (an entry whose task
    /// finished or whose id no longer matches is skipped). [`MAIN_KEY`] stands for `main`.
    ready: RefCell<VecDeque<ReadyEntry>>,
    /// The id the next spawned task gets.
    next_task_id: Cell<u64>,
    /// The task being polled (or cancelled) right now, `main` as [`MAIN`].
    pub(super) current: Cell<Option<TaskId>>,
    /// Tasks that panicked while their `JoinHandle` was still held: reported at the loop's
    /// end if nobody awaited them by then.
    pub(super) panicked: RefCell<Vec<Arc<dyn Runnable>>>,
    /// The waiting-on notes too big for a task's one-word note (`note.rs`).
    pub(super) notes: NoteBook,
}

impl Scheduler {
    /// No tasks; `main` idle until `block_on` schedules it.
    pub(super) fn new(remote: Arc<Remote>) -> Scheduler {
        let origin = Origin {
            remote,
            name: Some("main".into()),
        };
        let main = Header::new(MAIN, MAIN_KEY, Arc::new(origin));
        main.state.set(TaskState::Idle);
        Scheduler {
            tasks: RefCell::new(Slab::new()),
            main,
            ready: RefCell::new(VecDeque::new()),
            next_task_id: Cell::new(1),
            current: Cell::new(None),
            panicked: RefCell::new(Vec::new()),
            notes: NoteBook::default(),
        }
    }

    /// The task being polled right now, if any.
    #[inline]
    pub(super) fn running(&self) -> Option<TaskId> {
        self.current.get()
    }

    /// How many entries the ready queue holds (stale ones included).
    #[inline]
    pub(super) fn ready_len(&self) -> usize {
        self.ready.borrow().len()
    }

    /// True when no task is ready.
    #[inline]
    pub(super) fn nothing_ready(&self) -> bool {
        self.ready.borrow().is_empty()
    }

    /// The next entry of the ready queue. A queue that has drained to a sixteenth of a large
    /// buffer gives the spare memory back here (see [`RELEASE_ABOVE`]).
    #[inline]
    pub(super) fn pop_ready(&self) -> Option<ReadyEntry> {
        let mut ready = self.ready.borrow_mut();
        let entry = ready.pop_front();
        let capacity = ready.capacity();
        if capacity >= RELEASE_ABOVE && ready.len() <= capacity / 16 {
            let keep = (ready.len() * 2).max(RELEASE_ABOVE / 16);
            ready.shrink_to(keep);
        }
        entry
    }

    /// Every entry of the ready queue, in order, for the snapshot; `None` if it is being
    /// changed at this moment.
    pub(super) fn ready_entries(&self) -> Option<Vec<ReadyEntry>> {
        Some(self.ready.try_borrow().ok()?.iter().copied().collect())
    }

    /// Forget every queued entry (the loop is shutting down).
    pub(super) fn clear_ready(&self) {
        self.ready.borrow_mut().clear();
    }
}

/// The ready queue's capacity (in entries: 512 KiB) from which a mostly empty queue gives
/// its memory back, in [`Scheduler::pop_ready`].
///
/// The queue's buffer grows to the largest burst of ready tasks (a million spawns make it
/// 8 MiB) and a `VecDeque` never shrinks by itself, so a loop whose million tasks all went
/// to sleep used to keep 8 bytes per task for a queue holding almost nothing (measured: 8 of
/// the 224 bytes per parked task in the benchmark's `idle_tasks_memory`). Only a buffer this
/// large that is at most one sixteenth full is shrunk, to twice what it holds, so draining a
/// burst of a million costs a few copies of under a sixteenth of it, and a small queue never
/// reallocates.
const RELEASE_ABOVE: usize = 1 << 16;

impl Loop {
    /// Who is waking a task right now, for the tracer.
    fn current_cause(&self) -> WakeCause {
        match (self.trace.cause(), self.scheduler.running()) {
            (Some(cause), _) => cause,
            (None, Some(MAIN)) => WakeCause::Main,
            (None, Some(task)) => WakeCause::Task(task),
            (None, None) => WakeCause::Loop,
        }
    }

    // ANCHOR: schedule
    /// Put task `(key, id)` in the ready queue unless it is there already or finished.
    /// Called for wakes that arrive by key: from other threads, and `main`'s.
    pub(crate) fn schedule(&self, key: u32, id: u64) {
        if key == MAIN_KEY {
            self.schedule_task(&self.scheduler.main);
            return;
        }
        let Some(task) = self.scheduler.tasks.borrow().get(key as usize).cloned() else {
            return;
        };
        if task.header().id.0 == id {
            self.schedule_task(task.header());
        } // else a stale waker of a finished task whose key was reused
    }

    /// Put this task in the ready queue unless it is there already or finished. Called by
    /// every wake of a task on the loop's thread, with the task's header in hand (its waker
    /// points at it), so no lookup is needed.
    pub(crate) fn schedule_task(&self, header: &Header) {
        match header.state.get() {
            // Running: woken during its own poll (yield_now); it runs again next step.
            TaskState::Idle | TaskState::Running => {
                header.state.set(TaskState::Scheduled);
                let entry = ReadyEntry::new(header.key, header.id.0);
                self.scheduler.ready.borrow_mut().push_back(entry);
                self.trace.emit(|| Event::Woken {
                    task: header.id,
                    by: self.current_cause(),
                });
            }
            TaskState::Scheduled | TaskState::Completed | TaskState::Cancelled => {}
        }
    }
    // ANCHOR_END: schedule

    // ANCHOR: spawn
    /// `spawn`: give the future a slot, a waker and a place at the back of the ready queue.
    pub(super) fn spawn<F>(&self, name: Option<Box<str>>, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        if self.closing.get() {
            self.refused_spawns.set(self.refused_spawns.get() + 1);
            // Abandoned, not dropped: its destructor may be the one that spawns again.
            std::mem::forget(future);
            panic!(
                "tinyloop::spawn() on a loop that is closing (asyncio: \"Event loop is \
                 closed\"): a destructor run at shutdown tried to start a new task"
            );
        }
        let scheduler = &self.scheduler;
        let id = scheduler.next_task_id.get();
        scheduler.next_task_id.set(id + 1);
        let mut tasks = scheduler.tasks.borrow_mut();
        let entry = tasks.vacant_entry();
        let key = u32::try_from(entry.key())
            .ok()
            .filter(|&key| key != MAIN_KEY)
            .expect("tinyloop holds at most 4 294 967 294 tasks at once");
        let origin = match name {
            None => self.unnamed.clone(),
            Some(name) => Arc::new(Origin {
                remote: self.remote.clone(),
                name: Some(name),
            }),
        };
        let header = Header::new(TaskId(id), key, origin);
        let task = Task::new(header, future);
        entry.insert(task.clone());
        drop(tasks);
        self.trace.emit(|| Event::Spawned {
            task: TaskId(id),
            name: Runnable::header(&*task).name(),
        });
        if self.eager_tasks {
            // asyncio 3.12's eager_task_factory: the first step runs now, inside spawn.
            let runnable: &dyn Runnable = &*task;
            let header = runnable.header();
            let polled = self.poll_task(runnable, header);
            self.file_task(runnable, header, polled);
        } else {
            let entry = ReadyEntry::new(key, id);
            scheduler.ready.borrow_mut().push_back(entry);
        }
        JoinHandle::new(task)
    }
    // ANCHOR_END: spawn
}

#[cfg(test)]
mod tests {
    use crate::{context, run, spawn, yield_now};

    /// The ready queue's capacity on the running loop.
    fn ready_capacity() -> usize {
        context::with_loop("the test", |this| this.scheduler.ready.borrow().capacity())
    }

    #[test]
    fn a_drained_ready_queue_gives_back_the_memory_of_a_burst() {
        run(async {
            let handles: Vec<_> = (0..200_000).map(|_| spawn(async {})).collect();
            assert!(ready_capacity() >= 200_000, "the burst grew the queue");
            // The next step polls the whole burst, and `main` last: by then the queue has
            // given its memory back, while it drained.
            yield_now().await;
            assert!(
                ready_capacity() <= super::RELEASE_ABOVE,
                "the drained queue still holds {} entries",
                ready_capacity()
            );
            for handle in handles {
                handle.await.unwrap();
            }
        });
    }

    #[test]
    fn a_small_ready_queue_keeps_its_buffer() {
        run(async {
            let handles: Vec<_> = (0..1_000).map(|_| spawn(async {})).collect();
            let grown = ready_capacity();
            yield_now().await;
            assert_eq!(ready_capacity(), grown);
            for handle in handles {
                handle.await.unwrap();
            }
        });
    }
}
