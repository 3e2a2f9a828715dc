//! The waiting-line machinery every primitive is built from, and the only place it lives.
//!
//! asyncio writes each primitive over the same two tools: a `collections.deque` of futures
//! (the waiters, woken first in, first out) and a counter or flag beside it. tinyloop does
//! the same with four small pieces here, which every primitive imports and none reaches
//! around:
//!
//! | piece | what it is | used by |
//! |---|---|---|
//! | [`wait_list`] | a FIFO line of waiters in a `Slab`; the front one is *assigned* what is released | every primitive but `Event` |
//! | [`permits`] | a counter of permits over a wait list, and the `Waiter` an acquire future holds | `Semaphore`, `BoundedSemaphore`, `Lock` |
//! | [`ticket_line`] | a FIFO of bare wakers in a `Vec`, found again by ticket, woken all at once | `Broadcast` |
//! | [`broadcast`] | a flag whose `set()` wakes a whole crowd | `Event`, `Queue::join` |
//!
//! Arrows point one way: the primitives (`semaphore`, `lock`, `condition`, `event`,
//! `barrier`, `queue`) import from `core`, and `core` imports nothing of them. A primitive
//! built on another (`Condition` on `Lock`) uses that primitive's public face, not its
//! insides.

pub(crate) mod broadcast;
pub(crate) mod permits;
pub(crate) mod ticket_line;
pub(crate) mod wait_list;
