//! Stage 4 of a step: poll each task that was ready when the stage began, once, in FIFO
//! order, and file it by what happened.
//!
//! asyncio's stage 4 runs `ntodo = len(self._ready)` callbacks, each popped from the left
//! of `_ready`; a callback that schedules another (a task that yields) puts it at the back,
//! for the next iteration. A task here is polled the same way, and `main` (the future given
//! to `block_on`) takes its turn among the tasks.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::Loop;
use super::scheduler::ReadyEntry;
use super::shutdown::report_unretrieved_panic;
use super::task::{Header, Polled, Runnable};
use crate::ids::{MAIN, TaskId, TaskState};
use crate::trace::{Event, WakeCause};

impl Loop {
    // ANCHOR: run_task
    /// Stage 4 for one task: cancel it or poll it, then file it by what happened.
    pub(super) fn run_task(&self, entry: ReadyEntry) {
        let task: *const dyn Runnable = {
            let tasks = self.scheduler.tasks.borrow();
            let Some(task) = tasks.get(entry.key as usize) else {
                return; // finished since it was queued
            };
            let header = task.header();
            if !entry.is_for(header.id) || header.state.get() != TaskState::Scheduled {
                return; // finished since it was queued (and its key maybe reused)
            }
            Arc::as_ptr(task)
        };
        // The task is borrowed from the slab, not cloned: a clone and its drop were two
        // atomic operations on every poll (the count is atomic because wakers may cross
        // threads).
        #[allow(unsafe_code)]
        // SAFETY: the slab's `Arc` keeps the task alive while this reference is used. A task
        // leaves the slab only in `finish`, which for this task runs either below, and keeps
        // the `Arc` it takes out of the slab until it returns, or in `cancel_all`, which
        // runs only in `Runtime::drop`, never during a step (`block_on` borrows the
        // `Runtime`). A spawn during the poll may move the slab's buffer, which moves the
        // `Arc`, not the task it points to.
        let task = unsafe { &*task };
        // Asked for once and handed down: `header()` is a call through the task's vtable.
        let header = task.header();
        if header.cancel_requested.get() {
            self.finish(task, header, TaskState::Cancelled, false);
            return;
        }
        let polled = self.poll_task(task, header);
        self.after_poll(header.id);
        self.file_task(task, header, polled);
    }
    // ANCHOR_END: run_task

    /// Poll `task` once, as the running task; put back whichever task was running before
    /// (none in stage 4; the spawner, for an eager start).
    #[inline]
    pub(super) fn poll_task(&self, task: &dyn Runnable, header: &Header) -> Polled {
        self.polling(header, || task.poll())
    }

    /// Run `poll` as the poll of the task `header` describes (a spawned task's or `main`'s):
    /// mark it running, report it, and record what it said it waits on.
    #[inline]
    fn polling<R>(&self, header: &Header, poll: impl FnOnce() -> R) -> R {
        header.state.set(TaskState::Running);
        let before = self.scheduler.current.replace(Some(header.id));
        let note_before = self.trace.take_note();
        self.trace.emit(|| Event::Polled { task: header.id });
        let result = poll();
        let note = self.scheduler.notes.write(self.trace.take_note());
        header.waiting_on.set(note);
        if let Some(note) = note_before {
            self.trace.note(note);
        }
        self.scheduler.current.set(before);
        result
    }

    /// A poll of `task` returned: finish it, or file it as waiting.
    #[inline]
    pub(super) fn file_task(&self, task: &dyn Runnable, header: &Header, polled: Polled) {
        match polled {
            Polled::Pending => self.file_pending(header),
            Polled::Returned => self.finish(task, header, TaskState::Completed, false),
            Polled::Panicked => self.finish(task, header, TaskState::Completed, true),
        }
    }

    /// A poll returned `Pending`: report what the task waits on, and let it sit (unless it
    /// woke itself during the poll, and is queued already).
    #[inline]
    fn file_pending(&self, header: &Header) {
        self.trace.emit(|| Event::Pending {
            task: header.id,
            waiting_on: self.scheduler.notes.read(header.waiting_on.get()),
        });
        if header.state.get() == TaskState::Running {
            header.state.set(TaskState::Idle);
        }
    }

    /// Stage 4 for `main`: the same turn as `run_task`'s, for the future `block_on` was given.
    pub(super) fn run_main<F: Future>(
        &self,
        main: Pin<&mut F>,
        cx: &mut Context<'_>,
    ) -> Poll<F::Output> {
        let header = &self.scheduler.main;
        let poll = self.polling(header, || main.poll(cx));
        self.after_poll(MAIN);
        if poll.is_ready() {
            header.state.set(TaskState::Idle);
            self.trace.emit(|| Event::Completed { task: MAIN });
            // The loop stops here: close the slow-poll window.
            if let Some(slow) = self.diagnostics.polls_end(&self.time, || true) {
                self.report_slow(slow);
            }
            return poll;
        }
        self.file_pending(header);
        Poll::Pending
    }

    /// A poll of `task` just returned: let the slow-poll check time it.
    #[inline]
    fn after_poll(&self, task: TaskId) {
        let nothing_ready = || self.scheduler.nothing_ready();
        if let Some(slow) = self.diagnostics.poll_done(&self.time, task, nothing_ready) {
            self.report_slow(slow);
        }
    }

    /// Stage 4 is over: close the slow-poll check's window if the loop may now wait.
    #[inline]
    pub(super) fn end_polls(&self) {
        let nothing_ready = || self.scheduler.nothing_ready();
        if let Some(slow) = self.diagnostics.polls_end(&self.time, nothing_ready) {
            self.report_slow(slow);
        }
    }

    /// A task is done: record how, take it out of the slab, wake its joiner. `panicked`
    /// says its last poll panicked (a cancel never does: its outcome is `Cancelled`).
    ///
    /// `task` may be borrowed from the slab (`run_task`): the `Arc` taken out of the slab
    /// here is kept to the end, so `task` and `header` stay valid for the whole call.
    pub(super) fn finish(
        &self,
        task: &dyn Runnable,
        header: &Header,
        how: TaskState,
        panicked: bool,
    ) {
        if how == TaskState::Cancelled {
            // The future is dropped here: its destructors are its `finally` blocks.
            self.scheduler.current.set(Some(header.id));
            task.cancel();
            self.scheduler.current.set(None);
            self.trace.emit(|| Event::Cancelled { task: header.id });
        }
        header.state.set(how);
        let panic = if panicked {
            task.unretrieved_panic()
        } else {
            None
        };
        if header.detached.get() {
            // Nobody can take the outcome any more: drop it now, on the loop's thread, as
            // the rule in `task.rs` requires (a waker elsewhere may outlive every owner here).
            task.release();
        }
        let removed = self
            .scheduler
            .tasks
            .borrow_mut()
            .try_remove(header.key as usize);
        // Held to the end, outside the slab's borrow: it may be the last reference.
        match &panic {
            Some(message) => self.trace.emit(|| Event::Panicked {
                task: header.id,
                message: message.clone(),
            }),
            None if how == TaskState::Completed => {
                self.trace.emit(|| Event::Completed { task: header.id })
            }
            None => {}
        }
        if let Some(message) = panic {
            if header.detached.get() {
                report_unretrieved_panic(&header.name(), &message);
            } else {
                // Its handle may yet be awaited; if it is not by the loop's end, say so then.
                let mut panicked = self.scheduler.panicked.borrow_mut();
                if panicked.len().is_power_of_two() {
                    // Forget the ones whose handles were awaited since (amortised O(1)).
                    panicked.retain(|task| task.unretrieved_panic().is_some());
                }
                panicked.extend(removed.clone());
            }
        }
        self.trace
            .with_cause(WakeCause::Task(header.id), || header.wake_joiner());
        drop(removed);
    }
}
