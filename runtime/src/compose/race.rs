//! Races: the first future to finish wins, and the others are dropped (Rust's `select`).
//!
//! asyncio has no race function; its idiom is Example 24.2's: `wait(FIRST_COMPLETED)`, take
//! the winner, cancel the rest by hand. Rust's idiom is `select!`: poll several futures, and
//! when one finishes, drop the others. Dropping a future cancels it, so the race cancels its
//! losers without being asked. Two differences from [`wait`](super::wait) follow:
//!
//! * `wait` cancels nothing and hands the pending tasks back; a race drops its losers.
//! * A race works on any futures, `wait` on spawned tasks only. In a race over
//!   [`JoinHandle`](crate::JoinHandle)s, the losers' *handles* are dropped, which detaches
//!   their tasks; race [`CancelOnDrop`](super::CancelOnDrop) guards to cancel them.
//!
//! Ties are broken by position: the children are polled in argument order and the first
//! ready one wins, so a race under the virtual clock gives the same winner every run.
//! (`futures_lite::future::race` picks at random for fairness; `or`, which [`race`] uses, is
//! biased to the first, like `tokio::select!` with `biased;`.)

use std::future::{Future, IntoFuture, poll_fn};
use std::task::Poll;

use super::children::{Children, Visit};

/// Await two futures with the same output; return the output of the first to finish and
/// drop the other.
///
/// This is `futures_lite::future::or` under a name that says what it is for.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::compose::race;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{now, sleep};
///
/// async fn answer(seconds: u64, who: &'static str) -> &'static str {
///     sleep(Duration::from_secs(seconds)).await;
///     who
/// }
///
/// run_virtual(async {
///     assert_eq!(race(answer(2, "slow"), answer(1, "fast")).await, "fast");
///     assert_eq!(now().to_string(), "t=1.00");
///     assert_eq!(race(async { "first" }, async { "second" }).await, "first"); // a tie
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the race drops both futures.
pub async fn race<T, A, B>(a: A, b: B) -> T
where
    A: IntoFuture<Output = T>,
    B: IntoFuture<Output = T>,
{
    futures_lite::future::or(a.into_future(), b.into_future()).await
}

/// Await any number of futures of one type; return the index and output of the first to
/// finish, and drop the others. Ties go to the lowest index.
///
/// # Panics
///
/// If `futures` is empty: a race with no runners would never end (asyncio's `wait` raises
/// `ValueError` on an empty set for the same reason).
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::compose::race_all;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{now, sleep};
///
/// run_virtual(async {
///     let regions = [("us-east", 200), ("eu-west", 300), ("ap-south", 400)].map(
///         |(name, millis)| async move {
///             sleep(Duration::from_millis(millis)).await;
///             name
///         },
///     );
///     assert_eq!(race_all(regions).await, (0, "us-east"));
///     assert_eq!(now().to_string(), "t=0.20");
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the race drops every future.
pub async fn race_all<I>(futures: I) -> (usize, <I::Item as IntoFuture>::Output)
where
    I: IntoIterator,
    I::Item: IntoFuture,
{
    let mut runners = Children::new(futures.into_iter().map(IntoFuture::into_future));
    assert!(
        runners.len() > 0,
        "race_all was given no futures: a race with no runners would never finish"
    );
    let mut winner = None;
    poll_fn(|cx| {
        // Only the runners woken since the last poll are polled (see `children.rs`), in
        // index order, so a tie still goes to the lowest index.
        let decided = runners.poll_woken(cx, |index, runner, cx| match runner.poll(cx) {
            Poll::Ready(output) => {
                winner = Some((index, output));
                Visit::Decided
            }
            Poll::Pending => Visit::Running,
        });
        if decided {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    // The losers are dropped with `runners`, when this function returns.
    winner.expect("the race was decided by a winner")
}
