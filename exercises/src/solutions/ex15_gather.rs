//! Reference solution of exercise 15 (see `src/ex15_gather.rs` for the instructions).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Waits for every future in `futures`; their outputs come back in the order given.
pub fn gather_all<F: Future>(futures: Vec<F>) -> GatherAll<F> {
    let outputs = futures.iter().map(|_| None).collect();
    GatherAll {
        children: futures.into_iter().map(|f| Some(Box::pin(f))).collect(),
        outputs,
    }
}

/// Like [`gather_all`] for futures that may fail: the first `Err` comes back at once, with
/// the index of the child that failed, and the other children are dropped.
pub fn try_gather_all<F, T, E>(futures: Vec<F>) -> TryGatherAll<F, T>
where
    F: Future<Output = Result<T, E>>,
{
    let outputs = futures.iter().map(|_| None).collect();
    TryGatherAll {
        children: futures.into_iter().map(|f| Some(Box::pin(f))).collect(),
        outputs,
    }
}

/// The future [`gather_all`] returns.
pub struct GatherAll<F: Future> {
    /// Each child, `Some` while it runs, `None` (dropped) once it has finished.
    children: Vec<Option<Pin<Box<F>>>>,
    /// Each child's output, at its index, once it has finished.
    outputs: Vec<Option<F::Output>>,
}

/// The future [`try_gather_all`] returns.
pub struct TryGatherAll<F, T> {
    /// Each child, `Some` while it runs, `None` (dropped) once it has finished.
    children: Vec<Option<Pin<Box<F>>>>,
    /// Each child's `Ok` value, at its index, once it has finished.
    outputs: Vec<Option<T>>,
}

// Every field is boxed or plain data, so the gathers can be moved after a poll.
impl<F: Future> Unpin for GatherAll<F> {}
impl<F, T> Unpin for TryGatherAll<F, T> {}

// ANCHOR: gather
impl<F: Future> Future for GatherAll<F> {
    type Output = Vec<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<F::Output>> {
        let this = &mut *self;
        for (child, output) in this.children.iter_mut().zip(&mut this.outputs) {
            if let Some(future) = child
                && let Poll::Ready(value) = future.as_mut().poll(cx)
            {
                *output = Some(value);
                // Dropped now: a finished child is never polled again, and its destructors
                // run when it finishes, not when the whole gather does.
                *child = None;
            }
        }
        if this.children.iter().any(Option::is_some) {
            return Poll::Pending;
        }
        let outputs = std::mem::take(&mut this.outputs);
        Poll::Ready(outputs.into_iter().map(|o| o.expect("finished")).collect())
    }
}
// ANCHOR_END: gather

// ANCHOR: try_gather
impl<F, T, E> Future for TryGatherAll<F, T>
where
    F: Future<Output = Result<T, E>>,
{
    type Output = Result<Vec<T>, (usize, E)>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        for (index, (child, output)) in this.children.iter_mut().zip(&mut this.outputs).enumerate()
        {
            let Some(future) = child else { continue };
            match future.as_mut().poll(cx) {
                Poll::Pending => {}
                Poll::Ready(Ok(value)) => {
                    *output = Some(value);
                    *child = None;
                }
                Poll::Ready(Err(error)) => {
                    // Fail fast: drop every other child now (a plain future is cancelled;
                    // a JoinHandle detaches, and its task runs on, as under asyncio.gather).
                    this.children.clear();
                    return Poll::Ready(Err((index, error)));
                }
            }
        }
        if this.children.iter().any(Option::is_some) {
            return Poll::Pending;
        }
        let outputs = std::mem::take(&mut this.outputs);
        Poll::Ready(Ok(outputs
            .into_iter()
            .map(|o| o.expect("finished"))
            .collect()))
    }
}
// ANCHOR_END: try_gather
