//! Where the loop's reports go: the tracer, who is waking tasks right now, and what the
//! future being polled said it waits for.
//!
//! The loop's parts report to this one small object and never to each other: the executor
//! says "task 3 was polled", the timer stage says "the timers are waking tasks now", a
//! future says "I wait on `Queue.get`". With no tracer installed, every report is one
//! branch on a `bool` that is false (see [`TraceSink::emit`]).
//!
//! # Who is waking
//!
//! A waker does not know who calls it. So whoever is about to call wakers on someone
//! else's behalf says so first, with [`TraceSink::with_cause`]: the timer stage says
//! `Timer`, the reactor's stage `Io`, a primitive its name. A wake with no cause set was
//! made by the task (or `main`) being polled: the executor knows which.

use std::cell::{Cell, RefCell};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{Event, Tracer, WaitingOn, WakeCause};
use crate::ids::panic_message;

/// The loop's one channel to its tracer (see the module docs).
pub(crate) struct TraceSink {
    /// The tracer, if one is installed.
    tracer: RefCell<Option<Box<dyn Tracer>>>,
    /// True when a tracer is installed: the one branch each report point costs. Cleared
    /// if the tracer panics.
    tracing: Cell<bool>,
    /// Who is waking tasks right now, if not the task being polled.
    cause: Cell<Option<WakeCause>>,
    /// What the future being polled right now said it waits for (`trace::waiting_on`).
    note: Cell<Option<WaitingOn>>,
}

impl TraceSink {
    /// A sink that reports to `tracer`, or nowhere.
    pub(crate) fn new(tracer: Option<Box<dyn Tracer>>) -> TraceSink {
        TraceSink {
            tracing: Cell::new(tracer.is_some()),
            tracer: RefCell::new(tracer),
            cause: Cell::new(None),
            note: Cell::new(None),
        }
    }

    /// True while a tracer is installed (and has not panicked).
    #[inline]
    pub(crate) fn active(&self) -> bool {
        self.tracing.get()
    }

    /// Report an event to the tracer. The closure runs only when one is installed.
    #[inline]
    pub(crate) fn emit(&self, event: impl FnOnce() -> Event) {
        if self.tracing.get() {
            self.emit_now(&event());
        }
    }

    /// Give `event` to the tracer. A tracer is user code: if it panics, the panic is
    /// contained as a task's is (the loop goes on), and the tracer is switched off.
    fn emit_now(&self, event: &Event) {
        let mut tracer = self.tracer.borrow_mut();
        let Some(active) = tracer.as_mut() else {
            return;
        };
        if let Err(payload) = catch_unwind(AssertUnwindSafe(|| active.event(event))) {
            self.tracing.set(false);
            let broken = tracer.take();
            drop(tracer);
            // Its destructor is user code too.
            let _ = catch_unwind(AssertUnwindSafe(move || drop(broken)));
            eprintln!(
                "tinyloop: the tracer panicked and is switched off for the rest of this \
                 loop; the program goes on: {}",
                panic_message(payload.as_ref())
            );
        }
    }

    /// Run `wake` with `cause` as who wakes, then put the previous cause back. The one
    /// place a cause is set: the timer stage, the reactor's stage, the channel from other
    /// threads, `spawn`, `cancel` and the primitives all come through here.
    #[inline]
    pub(crate) fn with_cause<R>(&self, cause: WakeCause, wake: impl FnOnce() -> R) -> R {
        if !self.tracing.get() {
            return wake(); // nobody reads the cause
        }
        let before = self.cause.replace(Some(cause));
        let result = wake();
        self.cause.set(before);
        result
    }

    /// Who is waking tasks now, if someone said so.
    #[inline]
    pub(crate) fn cause(&self) -> Option<WakeCause> {
        self.cause.get()
    }

    /// Record what the future being polled waits for (see `trace::waiting_on`).
    #[inline]
    pub(crate) fn note(&self, what: WaitingOn) {
        self.note.set(Some(what));
    }

    /// Take what the future just polled said it waits for, leaving nothing for the next.
    #[inline]
    pub(crate) fn take_note(&self) -> Option<WaitingOn> {
        self.note.take()
    }
}
