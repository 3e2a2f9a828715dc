//! `gather`: asyncio's `asyncio.gather(*aws)`, results in argument order.
//!
//! # What asyncio does, and what we do
//!
//! `asyncio.gather(a(), b(), c())` wraps every coroutine in a `Task` (so each runs on its own,
//! scheduled by the loop) and returns a future that resolves to the list of results, in the
//! order of the arguments, whatever order they finished in.
//!
//! tinyloop's [`gather!`](crate::gather!) and [`gather_all`] do **not** spawn. They poll
//! every child *inside the task that awaits the gather*, the way `futures::join!` does: when
//! the awaiting task is woken, the gather polls each unfinished child once, in argument
//! order, with the awaiting task's waker. The children still run concurrently (their waits
//! overlap: three one-second sleeps take one second), but a gathered future is not a task:
//!
//! * it does not run while the gatherer is not being polled (a task would);
//! * it is dropped, which cancels it, when the gather is dropped;
//! * it may borrow from the caller, since it need not be `'static`.
//!
//! To get asyncio's behaviour exactly, spawn first and gather the [`JoinHandle`]s: a
//! `JoinHandle` is a future too, so `gather_all(handles)` waits for tasks that were already
//! running, and each result comes back as `Result<T, JoinError>`.
//!
//! # The two ways to fail
//!
//! asyncio's `gather(..., return_exceptions=True)` puts each child's exception in the result
//! list where its value would have been. That is simply [`gather!`] or [`gather_all`] over
//! futures whose output is a `Result`: every child's `Result` is kept, and a failure does not
//! stop its siblings.
//!
//! asyncio's *default* `gather` (`return_exceptions=False`) hands the first exception to the
//! awaiter at once, and **does not cancel the other children**: they are tasks, and they go
//! on running in the background. [`try_gather!`](crate::try_gather!) and [`try_gather_all`]
//! are the fail-fast form: the first `Err` is returned at once and the other children are
//! dropped. What "dropped" means depends on what you gathered:
//!
//! | gathered | after the first `Err` the others are | mirrors |
//! |---|---|---|
//! | plain futures | dropped, so cancelled | `TaskGroup`'s cancel-the-siblings rule |
//! | `JoinHandle`s | detached: the tasks keep running | asyncio's default `gather` |
//! | [`CancelOnDrop`](super::CancelOnDrop) handles | cancelled | `TaskGroup` |
//!
//! # How the tuple form is written
//!
//! A fixed list of futures of different types gives a tuple of different output types, which
//! a function cannot take for any length. `gather!(a, b, c)` is a one-line macro that calls
//! [`gather_tuple`]`((a, b, c))`, and [`GatherTuple`] is implemented for tuples of 1 to 12
//! futures by one template (`impl_gather_tuple!` below). Each child sits in a pinned
//! `Option`: `Some(future)` while it runs, set to `None` (which drops it) the moment it
//! finishes, so a finished child's destructors run at once, not when the whole gather ends.
//! Pinning an `Option` on the stack and projecting with `Option::as_pin_mut` needs no
//! `unsafe`, where `futures`' `MaybeDone` uses it.
//!
//! # Cost
//!
//! [`gather_all`] and [`try_gather_all`] give each child a waker of its own
//! ([`Children`], in `children.rs`), so a wake polls only the child that was woken: O(1)
//! work per child completion, as asyncio's one done callback per child. 100,000 children
//! take a fraction of a second. The tuple forms ([`gather!`], [`try_gather!`], at most 12
//! children) poll every unfinished child on each wake, as `futures::join!` does: for a
//! dozen children a shared waker is cheaper than a list.

use std::future::{Future, IntoFuture, poll_fn};
use std::pin::{Pin, pin};
use std::task::Poll;

use super::children::{Children, Visit};

/// Await a fixed list of futures concurrently; their outputs, in argument order, as a tuple
/// (asyncio `await asyncio.gather(a, b, c)`).
///
/// The futures may have different types. They are polled inside the awaiting task, not
/// spawned (see the [`compose`](crate::compose) module docs for what that changes); spawn
/// first and gather the `JoinHandle`s to have them run as tasks.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::{gather, run_virtual};
/// use tinyloop_runtime::time::{now, sleep};
///
/// async fn slow(seconds: u64, value: &'static str) -> &'static str {
///     sleep(Duration::from_secs(seconds)).await;
///     value
/// }
///
/// run_virtual(async {
///     // They finish in the order c, b, a; the results come back in argument order.
///     let (a, b, n) = gather!(slow(3, "a"), slow(2, "b"), async { 7 }).await;
///     assert_eq!((a, b, n), ("a", "b", 7));
///     assert_eq!(now().to_string(), "t=3.00"); // the waits overlapped: 3 s, not 5
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the gather drops every child that has not finished, cancelling it.
#[macro_export]
macro_rules! gather {
    ($($future:expr),+ $(,)?) => {
        $crate::compose::gather_tuple(($($future,)+))
    };
}

/// Await a fixed list of futures of `Result`s, failing fast: the first `Err` is returned at
/// once and the other children are dropped. On success, the `Ok` values in argument order.
///
/// The fail-fast counterpart of [`gather!`]. All children must share the error type.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::{run_virtual, try_gather};
/// use tinyloop_runtime::time::{now, sleep};
///
/// async fn fetch(seconds: u64, ok: bool) -> Result<u64, String> {
///     sleep(Duration::from_secs(seconds)).await;
///     if ok { Ok(seconds) } else { Err(format!("failed after {seconds} s")) }
/// }
///
/// run_virtual(async {
///     assert_eq!(try_gather!(fetch(1, true), fetch(2, true)).await, Ok((1, 2)));
///     let failed = try_gather!(fetch(5, true), fetch(1, false)).await;
///     assert_eq!(failed, Err("failed after 1 s".to_string()));
///     assert_eq!(now().to_string(), "t=3.00"); // 2 s, then 1 s: the 5 s child was dropped
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the gather drops every child that has not finished.
#[macro_export]
macro_rules! try_gather {
    ($($future:expr),+ $(,)?) => {
        $crate::compose::try_gather_tuple(($($future,)+))
    };
}

/// A tuple of futures that [`gather!`] can await together. Implemented for tuples of 1 to
/// 12 values that are [`IntoFuture`].
///
/// ```
/// use tinyloop_runtime::compose::gather_tuple;
/// let pair = tinyloop_runtime::block_on(gather_tuple((async { 1 }, async { "two" })));
/// assert_eq!(pair, (1, "two"));
/// ```
pub trait GatherTuple {
    /// The tuple of the children's outputs, in the same order.
    type Output;

    /// Poll every child until all are done; see [`gather_tuple`].
    fn gather(self) -> impl Future<Output = Self::Output>;
}

/// A tuple of futures of `Result<_, E>` that [`try_gather!`] can await together.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::compose::try_gather_tuple;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{now, sleep};
///
/// run_virtual(async {
///     let slow = async {
///         sleep(Duration::from_secs(9)).await;
///         Ok::<u8, &str>(1)
///     };
///     let failing = async {
///         sleep(Duration::from_secs(1)).await;
///         Err::<u8, &str>("broke")
///     };
///     assert_eq!(try_gather_tuple((slow, failing)).await, Err("broke"));
///     assert_eq!(now().to_string(), "t=1.00"); // the first Err ends the wait
/// });
/// ```
pub trait TryGatherTuple<E> {
    /// The tuple of the children's `Ok` values, in the same order.
    type Output;

    /// Poll every child until all are `Ok` or one is `Err`; see [`try_gather_tuple`].
    fn try_gather(self) -> impl Future<Output = Result<Self::Output, E>>;
}

/// What [`gather!`] expands to: `gather!(a, b)` is `gather_tuple((a, b))`.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::compose::gather_tuple;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{now, sleep};
///
/// async fn after(seconds: u64) -> u64 {
///     sleep(Duration::from_secs(seconds)).await;
///     seconds
/// }
///
/// run_virtual(async {
///     assert_eq!(gather_tuple((after(2), after(1))).await, (2, 1)); // argument order
///     assert_eq!(now().to_string(), "t=2.00"); // side by side: 2 s, not 3
/// });
/// ```
pub fn gather_tuple<G: GatherTuple>(futures: G) -> impl Future<Output = G::Output> {
    futures.gather()
}

/// What [`try_gather!`] expands to: `try_gather!(a, b)` is `try_gather_tuple((a, b))`.
///
/// ```
/// use tinyloop_runtime::block_on;
/// use tinyloop_runtime::compose::try_gather_tuple;
///
/// let both = block_on(try_gather_tuple((async { Ok::<_, String>(1) }, async { Ok('b') })));
/// assert_eq!(both, Ok((1, 'b')));
/// ```
pub fn try_gather_tuple<E, G: TryGatherTuple<E>>(
    futures: G,
) -> impl Future<Output = Result<G::Output, E>> {
    futures.try_gather()
}

/// Poll the child in `slot` if it is still running; when it finishes, drop it and keep its
/// output in `out`. Returns true while it is still running.
fn poll_child<F: Future>(
    mut slot: Pin<&mut Option<F>>,
    out: &mut Option<F::Output>,
    cx: &mut std::task::Context<'_>,
) -> bool {
    let Some(future) = slot.as_mut().as_pin_mut() else {
        return false; // finished earlier
    };
    match future.poll(cx) {
        Poll::Ready(output) => {
            *out = Some(output);
            slot.set(None); // drop the finished child now: its destructors run here
            false
        }
        Poll::Pending => true,
    }
}

/// The `Ok` value a finished child left in its output slot.
fn take_ok<T, E>(out: &mut Option<Result<T, E>>) -> T {
    match out.take() {
        Some(Ok(value)) => value,
        _ => unreachable!("every child finished with Ok"),
    }
}

/// One template, instantiated for each tuple length: `F` is a child's type, `f` the variable
/// holding it, `o` the variable holding its output, `T` its `Ok` type in the `try` form.
macro_rules! impl_gather_tuple {
    ($($F:ident $f:ident $o:ident $T:ident),+) => {
        impl<$($F: IntoFuture),+> GatherTuple for ($($F,)+) {
            type Output = ($($F::Output,)+);

            fn gather(self) -> impl Future<Output = Self::Output> {
                let ($($f,)+) = self;
                $(let $f = $f.into_future();)+
                async move {
                    $(
                        let mut $f = pin!(Some($f));
                        let mut $o = None;
                    )+
                    poll_fn(|cx| {
                        let mut running = false;
                        $(running |= poll_child($f.as_mut(), &mut $o, cx);)+
                        if running {
                            return Poll::Pending;
                        }
                        Poll::Ready(($($o.take().expect("a finished child left its output"),)+))
                    })
                    .await
                }
            }
        }

        impl<E, $($T,)+ $($F: IntoFuture<Output = Result<$T, E>>),+> TryGatherTuple<E>
            for ($($F,)+)
        {
            type Output = ($($T,)+);

            fn try_gather(self) -> impl Future<Output = Result<Self::Output, E>> {
                let ($($f,)+) = self;
                $(let $f = $f.into_future();)+
                async move {
                    $(
                        let mut $f = pin!(Some($f));
                        let mut $o = None;
                    )+
                    poll_fn(|cx| {
                        let mut running = false;
                        let mut failed: Option<E> = None;
                        $(
                            if failed.is_none() {
                                running |= poll_child($f.as_mut(), &mut $o, cx);
                                if matches!($o, Some(Err(_)))
                                    && let Some(Err(error)) = $o.take()
                                {
                                    failed = Some(error);
                                }
                            }
                        )+
                        if let Some(error) = failed {
                            // The first `Err` wins; the others are dropped now, in argument
                            // order, which cancels them.
                            $($f.set(None);)+
                            return Poll::Ready(Err(error));
                        }
                        if running {
                            return Poll::Pending;
                        }
                        Poll::Ready(Ok(($(take_ok(&mut $o),)+)))
                    })
                    .await
                }
            }
        }
    };
}

impl_gather_tuple!(F1 f1 o1 T1);
impl_gather_tuple!(F1 f1 o1 T1, F2 f2 o2 T2);
impl_gather_tuple!(F1 f1 o1 T1, F2 f2 o2 T2, F3 f3 o3 T3);
impl_gather_tuple!(F1 f1 o1 T1, F2 f2 o2 T2, F3 f3 o3 T3, F4 f4 o4 T4);
impl_gather_tuple!(F1 f1 o1 T1, F2 f2 o2 T2, F3 f3 o3 T3, F4 f4 o4 T4, F5 f5 o5 T5);
impl_gather_tuple!(
    F1 f1 o1 T1, F2 f2 o2 T2, F3 f3 o3 T3, F4 f4 o4 T4, F5 f5 o5 T5, F6 f6 o6 T6
);
impl_gather_tuple!(
    F1 f1 o1 T1, F2 f2 o2 T2, F3 f3 o3 T3, F4 f4 o4 T4, F5 f5 o5 T5, F6 f6 o6 T6,
    F7 f7 o7 T7
);
impl_gather_tuple!(
    F1 f1 o1 T1, F2 f2 o2 T2, F3 f3 o3 T3, F4 f4 o4 T4, F5 f5 o5 T5, F6 f6 o6 T6,
    F7 f7 o7 T7, F8 f8 o8 T8
);
impl_gather_tuple!(
    F1 f1 o1 T1, F2 f2 o2 T2, F3 f3 o3 T3, F4 f4 o4 T4, F5 f5 o5 T5, F6 f6 o6 T6,
    F7 f7 o7 T7, F8 f8 o8 T8, F9 f9 o9 T9
);
impl_gather_tuple!(
    F1 f1 o1 T1, F2 f2 o2 T2, F3 f3 o3 T3, F4 f4 o4 T4, F5 f5 o5 T5, F6 f6 o6 T6,
    F7 f7 o7 T7, F8 f8 o8 T8, F9 f9 o9 T9, F10 f10 o10 T10
);
impl_gather_tuple!(
    F1 f1 o1 T1, F2 f2 o2 T2, F3 f3 o3 T3, F4 f4 o4 T4, F5 f5 o5 T5, F6 f6 o6 T6,
    F7 f7 o7 T7, F8 f8 o8 T8, F9 f9 o9 T9, F10 f10 o10 T10, F11 f11 o11 T11
);
impl_gather_tuple!(
    F1 f1 o1 T1, F2 f2 o2 T2, F3 f3 o3 T3, F4 f4 o4 T4, F5 f5 o5 T5, F6 f6 o6 T6,
    F7 f7 o7 T7, F8 f8 o8 T8, F9 f9 o9 T9, F10 f10 o10 T10, F11 f11 o11 T11, F12 f12 o12 T12
);

/// Await any number of futures of one type concurrently; their outputs in the order the
/// iterator gave them (asyncio `await asyncio.gather(*tasks)`).
///
/// Works on spawned tasks too: gather their [`JoinHandle`](crate::JoinHandle)s and each
/// result is a `Result<T, JoinError>`, asyncio's `return_exceptions=True`.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::compose::gather_all;
/// use tinyloop_runtime::{run_virtual, spawn};
/// use tinyloop_runtime::time::{now, sleep};
///
/// run_virtual(async {
///     let handles: Vec<_> = [3u64, 1, 2]
///         .into_iter()
///         .map(|delay| spawn(async move {
///             sleep(Duration::from_secs(delay)).await;
///             delay * 10
///         }))
///         .collect();
///     let results = gather_all(handles).await;
///     assert_eq!(results, [Ok(30), Ok(10), Ok(20)]); // argument order, not finishing order
///     assert_eq!(now().to_string(), "t=3.00");
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the gather drops every child that has not finished (for `JoinHandle`s: detaches
/// their tasks).
pub async fn gather_all<I>(futures: I) -> Vec<<I::Item as IntoFuture>::Output>
where
    I: IntoIterator,
    I::Item: IntoFuture,
{
    let mut children = Children::new(futures.into_iter().map(IntoFuture::into_future));
    let mut outputs: Vec<Option<<I::Item as IntoFuture>::Output>> =
        (0..children.len()).map(|_| None).collect();
    poll_fn(|cx| {
        children.poll_woken(cx, |index, child, cx| match child.poll(cx) {
            Poll::Ready(output) => {
                outputs[index] = Some(output);
                Visit::Finished
            }
            Poll::Pending => Visit::Running,
        });
        if children.running() > 0 {
            return Poll::Pending;
        }
        Poll::Ready(())
    })
    .await;
    // By value: the list is collected in place, into the buffer of `outputs` (an
    // `Option<T>` the size of a `T` when `T` has a niche, as `Result<_, JoinError>` has),
    // instead of a second list of n outputs beside the first.
    outputs
        .into_iter()
        .map(|out| out.expect("a finished child left its output"))
        .collect()
}

/// [`gather_all`], failing fast: the first `Err` is returned at once and the other children
/// are dropped; on success, the `Ok` values in order.
///
/// Over [`JoinHandle`](crate::JoinHandle)s, dropping detaches, so the other tasks keep
/// running: that is asyncio's default `gather`. Wrap the handles in
/// [`CancelOnDrop`](super::CancelOnDrop) to cancel them instead.
///
/// ```
/// use std::time::Duration;
/// use tinyloop_runtime::compose::try_gather_all;
/// use tinyloop_runtime::run_virtual;
/// use tinyloop_runtime::time::{now, sleep};
///
/// run_virtual(async {
///     let children = [(1u64, true), (2, false), (9, true)].map(|(delay, ok)| async move {
///         sleep(Duration::from_secs(delay)).await;
///         if ok { Ok(delay) } else { Err(delay) }
///     });
///     assert_eq!(try_gather_all(children).await, Err(2));
///     assert_eq!(now().to_string(), "t=2.00"); // the 9 s child was dropped at t=2
/// });
/// ```
///
/// # Cancel safety
///
/// Dropping the gather drops every child that has not finished.
pub async fn try_gather_all<I, T, E>(futures: I) -> Result<Vec<T>, E>
where
    I: IntoIterator,
    I::Item: IntoFuture<Output = Result<T, E>>,
{
    let mut children = Children::new(futures.into_iter().map(IntoFuture::into_future));
    let mut outputs: Vec<Option<T>> = (0..children.len()).map(|_| None).collect();
    let mut failed: Option<E> = None;
    poll_fn(|cx| {
        let decided = children.poll_woken(cx, |index, child, cx| match child.poll(cx) {
            Poll::Ready(Ok(value)) => {
                outputs[index] = Some(value);
                Visit::Finished
            }
            Poll::Ready(Err(error)) => {
                failed = Some(error);
                Visit::Decided
            }
            Poll::Pending => Visit::Running,
        });
        if decided {
            return Poll::Ready(());
        }
        if children.running() > 0 {
            return Poll::Pending;
        }
        Poll::Ready(())
    })
    .await;
    if let Some(error) = failed {
        // The first `Err` wins; the others are dropped now, in order (a boxed slice drops
        // its elements in index order), which cancels them.
        drop(children);
        return Err(error);
    }
    Ok(outputs
        .into_iter()
        .map(|out| out.expect("a finished child left its output"))
        .collect())
}
