//! The waiting-on note a task keeps while it sits: what its last poll said it waits for
//! (`trace::waiting_on`), kept in one word.
//!
//! asyncio has nothing to keep here: a task waiting on a future holds the future itself
//! (`Task._fut_waiter`), and its `repr` shows it. A Rust future hides what it waits on, so
//! a tinyloop future *says* it, just before it returns `Pending`, and the loop files the
//! note on the task until its next poll, for the step snapshot and the deadlock report.
//!
//! # Why one word
//!
//! The note is a [`WaitingOn`]: a timer's deadline, a task's id, or a `&'static str` naming
//! a primitive or a socket. As an `Option<WaitingOn>` that is 24 bytes (the string's
//! pointer and length, and a tag), on every task. Measured in the benchmark's
//! `idle_tasks_memory`, those 16 bytes more than a word were a whole malloc size class of
//! a small task: a task parked on an `Event` took 144 bytes of heap, and takes 128 with the
//! note as a [`Note`], one `u64`.
//!
//! A [`Note`] is a tag in its top three bits and a payload in the other 61:
//!
//! * a timer's deadline (nanoseconds since the loop's start) or a task's id, inline, when
//!   it fits in 61 bits (a deadline within 73 years of the start; a task id below 2^61,
//!   which takes longer than that to spawn);
//! * anything else (the texts, and the rare number that does not fit) as an index into the
//!   loop's [`NoteBook`], where each distinct note is written once. A program names only so
//!   many primitives and sockets, so the book stays a few entries long.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use crate::ids::TaskId;
use crate::time::Instant;
use crate::trace::WaitingOn;

/// How far the tag is shifted: the payload has the 61 bits below it.
const TAG_SHIFT: u32 = 61;
/// The payload's bits.
const PAYLOAD: u64 = (1 << TAG_SHIFT) - 1;
/// The tags. `NONE` is 0, so that `Note::default()` is "said nothing".
const NONE: u64 = 0;
const TIMER: u64 = 1;
const TASK: u64 = 2;
const THREAD: u64 = 3;
const IN_BOOK: u64 = 4;

/// A task's waiting-on note in one word (see the module docs). Read it back with
/// [`NoteBook::read`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Note(u64);

impl Note {
    /// A tag and its payload.
    fn new(tag: u64, payload: u64) -> Note {
        Note(tag << TAG_SHIFT | payload)
    }
}

/// The loop's list of notes that do not fit in a word, each written once.
#[derive(Default)]
pub(crate) struct NoteBook {
    /// Every note written so far, by index.
    entries: RefCell<Vec<WaitingOn>>,
    /// The text written or found last, and its note: a task that parks again, or many
    /// tasks parked on one primitive, find theirs here, outside the `RefCell`, without a
    /// search.
    last: Cell<Option<(WaitingOn, Note)>>,
}

impl NoteBook {
    /// `what`, as a note to keep on a task.
    #[inline]
    pub(crate) fn write(&self, what: Option<WaitingOn>) -> Note {
        let inline = match what {
            None => return Note::new(NONE, 0),
            Some(WaitingOn::Thread) => return Note::new(THREAD, 0),
            Some(WaitingOn::Timer(at)) => (TIMER, nanos_since_start(at)),
            Some(WaitingOn::Task(id)) => (TASK, id.as_u64()),
            Some(_) => (IN_BOOK, u64::MAX), // a text: never inline
        };
        match inline {
            (tag, payload) if payload <= PAYLOAD => Note::new(tag, payload),
            _ => self.look_up(what.expect("matched Some")),
        }
    }

    /// The note `note` stands for.
    pub(crate) fn read(&self, note: Note) -> Option<WaitingOn> {
        let payload = note.0 & PAYLOAD;
        match note.0 >> TAG_SHIFT {
            NONE => None,
            TIMER => Some(WaitingOn::Timer(Instant::from_start(Duration::from_nanos(
                payload,
            )))),
            TASK => Some(WaitingOn::Task(TaskId(payload))),
            THREAD => Some(WaitingOn::Thread),
            _ => Some(self.entries.borrow()[payload as usize]),
        }
    }

    /// The note for `what`, from the book, writing it there the first time.
    #[inline]
    fn look_up(&self, what: WaitingOn) -> Note {
        match self.last.get() {
            Some((last, note)) if same_text(&last, &what) => note,
            _ => self.look_up_slowly(what),
        }
    }

    /// `look_up` when `what` is not the last text: search the book.
    fn look_up_slowly(&self, what: WaitingOn) -> Note {
        let mut entries = self.entries.borrow_mut();
        let index = match entries.iter().position(|entry| *entry == what) {
            Some(index) => index,
            None => {
                entries.push(what);
                entries.len() - 1
            }
        };
        let note = Note::new(IN_BOOK, index as u64);
        self.last.set(Some((what, note)));
        note
    }
}

/// True when both notes are the same text at the same address: the common case (one string
/// literal per primitive), told in two comparisons instead of a comparison of the texts.
/// False says nothing: the caller then compares the notes in full.
fn same_text(a: &WaitingOn, b: &WaitingOn) -> bool {
    match (a, b) {
        (WaitingOn::Primitive(a), WaitingOn::Primitive(b))
        | (WaitingOn::Io(a), WaitingOn::Io(b)) => std::ptr::eq(*a, *b),
        _ => false,
    }
}

/// A deadline as nanoseconds since the loop's start (`u64::MAX` for [`Instant::NEVER`]).
fn nanos_since_start(at: Instant) -> u64 {
    u64::try_from(at.since_start().as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{Note, NoteBook};
    use crate::ids::TaskId;
    use crate::time::Instant;
    use crate::trace::WaitingOn;

    #[test]
    fn every_kind_of_note_reads_back_as_written() {
        let book = NoteBook::default();
        let notes = [
            None,
            Some(WaitingOn::Thread),
            Some(WaitingOn::Timer(Instant::from_start(
                Duration::from_millis(2500),
            ))),
            Some(WaitingOn::Timer(Instant::NEVER)),
            Some(WaitingOn::Task(TaskId(7))),
            Some(WaitingOn::Task(TaskId(u64::MAX))),
            Some(WaitingOn::Primitive("Event.wait")),
            Some(WaitingOn::Io("TcpStream.read")),
            Some(WaitingOn::Primitive("TcpStream.read")), // same text, other kind
        ];
        for what in notes {
            assert_eq!(book.read(book.write(what)), what);
        }
    }

    #[test]
    fn a_text_is_written_in_the_book_once() {
        let book = NoteBook::default();
        let event = book.write(Some(WaitingOn::Primitive("Event.wait")));
        let queue = book.write(Some(WaitingOn::Primitive("Queue.get")));
        assert_eq!(book.write(Some(WaitingOn::Primitive("Event.wait"))), event);
        assert_ne!(event, queue);
        assert_eq!(book.entries.borrow().len(), 2);
    }

    #[test]
    fn a_note_is_one_word() {
        // The point of the type: see the module docs.
        assert_eq!(std::mem::size_of::<std::cell::Cell<Note>>(), 8);
    }
}
