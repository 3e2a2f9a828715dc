//! A task's slot: its future while it runs, then its outcome, in the same bytes.
//!
//! asyncio's `Task` keeps its coroutine and, once done, its `_result` or `_exception` in
//! separate attributes. A tinyloop task never needs both at once, so they share one
//! [`Slot`], an untagged union; which of the two it holds is the [`Stage`], one byte in the
//! task's header.
//!
//! # Why a union, and why that is sound
//!
//! The slot used to be a `RefCell<enum>`: an eight-byte borrow flag, the future, an
//! eight-byte tag. For a five-word future that made the task's `Arc` 120 bytes, which glibc
//! serves from its 128-byte class; without the 16 bytes it is 104, the 112-byte class.
//! Measured in the benchmark's `idle_tasks_memory` (`bench/`): 160 to 145 bytes per parked
//! task (the size test in `task.rs` keeps it there). The header's `Stage` does both jobs:
//! it is the tag, and `Polling` is the borrow flag.
//!
//! Every access to the union is in this file, on the loop's thread (a task and its trait
//! objects are `!Send`; wakers on other threads never touch the slot), and each first reads
//! the stage and does only what it allows:
//!
//! * the live field is always the one the stage names: each function that changes which
//!   field is live sets the stage in the same step, and sets it to `Consumed` *before* it
//!   drops a value in place, so a destructor that panics (caught) or runs user code never
//!   finds a stage naming a half-dropped value;
//! * no two accesses overlap: a poll sets `Polling` for its whole length and every other
//!   access refuses `Polling` with a panic, as `RefCell::borrow_mut` did; every other access
//!   finishes before user code runs (it moves the value out, or drops it with the stage
//!   already `Consumed`).

use std::cell::{Cell, UnsafeCell};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::task::{Context, Poll};

use super::JoinError;

/// What a task's [`Slot`] holds; kept in the task's header, where a byte was free.
///
/// ```text
///  Running ──poll──▶ Polling ──Pending──▶ Running
///     │                 └──Ready/panic──▶ Finished ──reported at the loop's end──▶ Reported
///     └──cancel──▶ Finished                  │                                        │
///                                            └──────taken or released──────▶ Consumed ◀┘
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stage {
    /// The slot holds the future, and nobody is polling it.
    Running,
    /// The slot holds the future and its poll is on the stack: nothing else may touch the
    /// slot (what the `RefCell`'s borrow flag checked).
    Polling,
    /// The slot holds the outcome, waiting to be taken by the `JoinHandle`.
    Finished,
    /// The slot holds the outcome, a panic the loop already reported at its end (asyncio's
    /// "Task exception was never retrieved"): a `JoinHandle` dropped later stays quiet.
    Reported,
    /// The slot holds nothing: the outcome was taken, or dropped because nobody will take it.
    Consumed,
}

/// The future or the outcome. Which field is live is the [`Stage`]: `future` in `Running`
/// and `Polling`, `outcome` in `Finished` and `Reported`, neither in `Consumed`.
union Contents<F: Future> {
    future: ManuallyDrop<F>,
    outcome: ManuallyDrop<Result<F::Output, JoinError>>,
}

/// A task's future, then its outcome; every method takes the task's [`Stage`].
///
/// # Invariant
///
/// The future is pinned from its first poll on: it lives inside the task's `Arc`
/// allocation, which never moves, and it is never moved out of the slot, only dropped in
/// place (`empty`, `drop_in_place`). That is what makes the `Pin::new_unchecked` in `poll`
/// sound.
pub(crate) struct Slot<F: Future>(UnsafeCell<Contents<F>>);

/// Panic as `RefCell` did for a second borrow: the slot is in use by the task's poll.
fn refuse_while_polling(stage: &Cell<Stage>, what: &str) {
    if stage.get() == Stage::Polling {
        panic!("tinyloop: {what} a task from inside its own poll");
    }
}

#[allow(unsafe_code)] // the untagged union: see the module docs
impl<F: Future> Slot<F> {
    /// A slot holding `future`: its stage is `Running`.
    pub(crate) fn new(future: F) -> Slot<F> {
        Slot(UnsafeCell::new(Contents {
            future: ManuallyDrop::new(future),
        }))
    }

    /// Poll the future once, catching a panic. `None` if there is no future to poll.
    pub(crate) fn poll(
        &self,
        stage: &Cell<Stage>,
        cx: &mut Context<'_>,
    ) -> Option<std::thread::Result<Poll<F::Output>>> {
        match stage.get() {
            Stage::Running => {}
            Stage::Polling => panic!("tinyloop: a task was polled from inside its own poll"),
            Stage::Finished | Stage::Reported | Stage::Consumed => return None,
        }
        stage.set(Stage::Polling);
        // SAFETY: `Running` names `future` as the live field; `Polling`, set just above,
        // keeps every other access away until this poll is over, so this is the only
        // reference into the slot.
        let future = unsafe { &mut *(*self.0.get()).future };
        // SAFETY: the type's invariant: the future never moves until it is dropped in place.
        let future = unsafe { Pin::new_unchecked(future) };
        let polled = catch_unwind(AssertUnwindSafe(|| future.poll(cx)));
        stage.set(Stage::Running);
        Some(polled)
    }

    /// Drop what the slot holds, in place, and leave it `Consumed`. A panicking destructor
    /// is caught (the hook has printed it) and the loop goes on.
    pub(crate) fn empty(&self, stage: &Cell<Stage>) {
        refuse_while_polling(stage, "dropped the future of");
        let was = stage.replace(Stage::Consumed);
        let contents = self.0.get();
        let _ = catch_unwind(AssertUnwindSafe(|| match was {
            // SAFETY: `Running` names `future`; no poll is on the stack (refused above);
            // the stage already says `Consumed`, so nothing reaches the future again.
            // Dropped in place, as the pinning invariant requires.
            Stage::Running => unsafe { ManuallyDrop::drop(&mut (*contents).future) },
            // SAFETY: as above, for `outcome`, which these stages name.
            Stage::Finished | Stage::Reported => unsafe {
                ManuallyDrop::drop(&mut (*contents).outcome)
            },
            Stage::Polling => unreachable!("refused above"),
            Stage::Consumed => {}
        }));
    }

    /// Store the outcome in an empty slot: the stage becomes `Finished`.
    pub(crate) fn put_outcome(&self, stage: &Cell<Stage>, outcome: Result<F::Output, JoinError>) {
        assert_eq!(
            stage.get(),
            Stage::Consumed,
            "an outcome goes in an empty slot"
        );
        // SAFETY: the slot holds nothing (`Consumed`), so writing a whole union over it
        // drops and leaks nothing; no reference into it is alive (a poll sets `Polling`).
        unsafe {
            self.0.get().write(Contents {
                outcome: ManuallyDrop::new(outcome),
            })
        };
        stage.set(Stage::Finished);
    }

    /// Move the outcome out, leaving the slot `Consumed`; with the stage it was in.
    pub(crate) fn take_outcome(
        &self,
        stage: &Cell<Stage>,
    ) -> Option<(Result<F::Output, JoinError>, Stage)> {
        let was = stage.get();
        if !matches!(was, Stage::Finished | Stage::Reported) {
            return None;
        }
        stage.set(Stage::Consumed);
        // SAFETY: `Finished` and `Reported` name `outcome`; it is read out exactly once,
        // since the stage now says the slot is empty. (An outcome is not pinned.)
        let outcome = unsafe { ManuallyDrop::take(&mut (*self.0.get()).outcome) };
        Some((outcome, was))
    }

    /// The panic message of a `Finished` (not yet reported) panic.
    pub(crate) fn panic_message(&self, stage: &Cell<Stage>) -> Option<String> {
        if stage.get() != Stage::Finished {
            return None;
        }
        // SAFETY: `Finished` names `outcome`; this shared reference ends before the
        // function returns, and nothing in between touches the slot.
        match unsafe { &*(*self.0.get()).outcome } {
            Err(JoinError::Panicked(message)) => Some(message.clone()),
            _ => None,
        }
    }

    /// The task's last owner let go: drop what the slot still holds.
    pub(crate) fn drop_in_place(&mut self, stage: Stage) {
        let contents = self.0.get_mut();
        match stage {
            // SAFETY: these stages name `future`; `&mut self` means nothing else can reach
            // the slot; the future is dropped in place.
            Stage::Running | Stage::Polling => unsafe { ManuallyDrop::drop(&mut contents.future) },
            // SAFETY: these stages name `outcome`; `&mut self` as above.
            Stage::Finished | Stage::Reported => unsafe {
                ManuallyDrop::drop(&mut contents.outcome)
            },
            Stage::Consumed => {}
        }
    }
}
