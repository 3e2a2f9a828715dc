//! The errors of the queues, each mirroring an asyncio exception: `QueueShutDown`,
//! `QueueFull`, `QueueEmpty`, and `task_done()`'s `ValueError`. Those raised by a put hand the
//! item back, since a Rust put takes the item by value and would otherwise drop it.

use std::fmt;

/// The queue was shut down: asyncio's `QueueShutDown`. From `put`, it hands the item back
/// (`QueueShutDown(item)`); from `get`, it carries nothing (`QueueShutDown(())`).
///
/// ```
/// use tinyloop_primitives::{Queue, QueueShutDown};
///
/// tinyloop_runtime::run_virtual(async {
///     let queue = Queue::new(0);
///     queue.put_nowait("queued").unwrap();
///     queue.shutdown(false);
///     assert_eq!(queue.put("late").await, Err(QueueShutDown("late"))); // handed back
///     assert_eq!(queue.get().await, Ok("queued")); // what was queued still comes out
///     assert_eq!(queue.get().await, Err(QueueShutDown(())));
/// });
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct QueueShutDown<T = ()>(pub T);

impl<T> fmt::Debug for QueueShutDown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("QueueShutDown(..)")
    }
}

impl<T> fmt::Display for QueueShutDown<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the queue was shut down: no more puts, and gets fail once it is empty"
        )
    }
}

impl<T> std::error::Error for QueueShutDown<T> {}

/// Why `put_nowait` did not put; both hand the item back.
///
/// ```
/// use tinyloop_primitives::{PutNowaitError, Queue};
///
/// let queue = Queue::new(1);
/// queue.put_nowait(String::from("first")).unwrap();
/// let error = queue.put_nowait(String::from("second")).unwrap_err();
/// assert!(matches!(error, PutNowaitError::QueueFull(_)));
/// assert_eq!(error.into_inner(), "second"); // the item is not lost
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PutNowaitError<T> {
    /// The queue is full (asyncio `QueueFull`).
    QueueFull(T),
    /// The queue is shut down (asyncio `QueueShutDown`).
    QueueShutDown(T),
}

impl<T> PutNowaitError<T> {
    /// The item that was not put.
    pub fn into_inner(self) -> T {
        match self {
            PutNowaitError::QueueFull(item) | PutNowaitError::QueueShutDown(item) => item,
        }
    }
}

impl<T> fmt::Debug for PutNowaitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutNowaitError::QueueFull(_) => f.write_str("QueueFull(..)"),
            PutNowaitError::QueueShutDown(_) => f.write_str("QueueShutDown(..)"),
        }
    }
}

impl<T> fmt::Display for PutNowaitError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PutNowaitError::QueueFull(_) => write!(
                f,
                "the queue is full: await put() to wait for room, or get() items first"
            ),
            PutNowaitError::QueueShutDown(_) => {
                write!(f, "the queue was shut down: it accepts no more items")
            }
        }
    }
}

impl<T> std::error::Error for PutNowaitError<T> {}

/// Why `get_nowait` returned no item.
///
/// ```
/// use tinyloop_primitives::{GetNowaitError, Queue};
///
/// let queue = Queue::<u32>::new(0);
/// assert_eq!(queue.get_nowait(), Err(GetNowaitError::QueueEmpty)); // one may come
/// queue.shutdown(false);
/// assert_eq!(queue.get_nowait(), Err(GetNowaitError::QueueShutDown)); // none will
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GetNowaitError {
    /// No item is queued (asyncio `QueueEmpty`).
    QueueEmpty,
    /// No item is queued and none will come: the queue is shut down (asyncio
    /// `QueueShutDown`).
    QueueShutDown,
}

impl fmt::Display for GetNowaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetNowaitError::QueueEmpty => {
                write!(f, "the queue is empty: await get() to wait for an item")
            }
            GetNowaitError::QueueShutDown => {
                write!(f, "the queue is shut down and empty: no item will come")
            }
        }
    }
}

impl std::error::Error for GetNowaitError {}

/// `task_done()` was called more times than items were put: asyncio's
/// `ValueError('task_done() called too many times')`.
///
/// ```
/// use tinyloop_primitives::{Queue, TaskDoneError};
///
/// let queue = Queue::new(0);
/// queue.put_nowait("job").unwrap();
/// queue.get_nowait().unwrap();
/// assert_eq!(queue.task_done(), Ok(())); // one per item put
/// assert_eq!(queue.task_done(), Err(TaskDoneError));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaskDoneError;

impl fmt::Display for TaskDoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "task_done() called too many times: call it once per item taken with get()"
        )
    }
}

impl std::error::Error for TaskDoneError {}
