//! Waiting for many things: `gather`, `wait`, races, `TaskGroup`, and asyncio's `Future`.
//! (Being written; see issue 4.)
