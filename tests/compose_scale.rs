//! Waiting for many things scales as asyncio's does: one child's completion costs O(1) work,
//! not a poll of every child (asyncio attaches one done callback per child).
//!
//! The claims are made twice: exactly, by counting polls (a child is polled when it starts and
//! when *it* is woken, never because a sibling was), and roughly, by timing 100,000 children,
//! which took minutes when every wake polled every child.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use tinyloop::{
    ReturnWhen, gather_all, now, race_all, run_virtual, sleep, spawn, try_gather_all, wait,
    yield_now,
};

/// A future that counts how often it is polled.
struct Counted<F> {
    inner: Pin<Box<F>>,
    polls: Rc<Cell<u64>>,
}

impl<F: Future> Future for Counted<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.set(self.polls.get() + 1);
        self.inner.as_mut().poll(cx)
    }
}

/// `n` children; child `i` sleeps `i` ms (so they finish one per timer step) and returns `i`.
fn children(n: u64, polls: &Rc<Cell<u64>>) -> Vec<Counted<impl Future<Output = u64>>> {
    (0..n)
        .map(|i| Counted {
            inner: Box::pin(async move {
                sleep(Duration::from_millis(i)).await;
                i
            }),
            polls: polls.clone(),
        })
        .collect()
}

#[test]
fn gather_all_polls_each_child_only_when_it_starts_and_when_it_is_woken() {
    let polls = Rc::new(Cell::new(0));
    let results = run_virtual(gather_all(children(2_000, &polls)));
    assert_eq!(results, (0..2_000).collect::<Vec<_>>());
    // Child 0 finishes at its first poll (a zero sleep is a yield: two polls); every other
    // child is polled once to start and once when its timer fires.
    assert!(
        polls.get() <= 2 * 2_000,
        "{} polls for 2,000 children: siblings were polled on each other's wakes",
        polls.get()
    );
}

#[test]
fn try_gather_all_polls_each_child_only_when_it_starts_and_when_it_is_woken() {
    let polls = Rc::new(Cell::new(0));
    let ok = children(2_000, &polls)
        .into_iter()
        .map(|child| async move { Ok::<u64, ()>(child.await) });
    let results = run_virtual(try_gather_all(ok));
    assert_eq!(results, Ok((0..2_000).collect::<Vec<_>>()));
    assert!(polls.get() <= 2 * 2_000, "{} polls", polls.get());
}

#[test]
fn race_all_polls_each_runner_only_when_it_starts_and_when_it_is_woken() {
    let polls = Rc::new(Cell::new(0));
    // Runner 0 sleeps 5 s and wins. Runner i > 0 wakes once at i ms (one timer step each),
    // then sleeps 10 s more: 1,999 wakes, each of which must poll only the runner woken.
    let runners = (0..2_000u64).map(|i| Counted {
        inner: Box::pin(async move {
            if i == 0 {
                sleep(Duration::from_secs(5)).await;
            } else {
                sleep(Duration::from_millis(i)).await;
                sleep(Duration::from_secs(10)).await;
            }
            i
        }),
        polls: polls.clone(),
    });
    let (winner, t) = run_virtual(async move { (race_all(runners).await, now()) });
    assert_eq!(winner, (0, 0));
    assert_eq!(t.to_string(), "t=5.00");
    assert_eq!(
        polls.get(),
        2_000 + 1_999 + 1,
        "one poll each to start, one per runner's own wake, one for the winner"
    );
}

#[test]
fn gather_all_of_100_000_children_takes_well_under_a_second() {
    let polls = Rc::new(Cell::new(0));
    let start = Instant::now();
    let results = run_virtual(gather_all(children(100_000, &polls)));
    let took = start.elapsed();
    eprintln!("took {took:?}");
    assert_eq!(results.len(), 100_000);
    assert!(polls.get() <= 2 * 100_000, "{} polls", polls.get());
    // Measured alone: 0.4 to 0.8 s in a debug build on a shared 2-core machine (most of it
    // spawning and timers, not the gather); 2 to 3.5 s with the other tests of this file
    // running beside it under a load of 9. The bound is loose so a busy machine does not
    // fail it; when every wake polled every child, the handle tests below took 23 to 25 s
    // alone, and the TaskGroup one 44 s. For scale: awaiting the same 100,000 handles one
    // by one took 0.45 to 0.6 s, and gather_all 0.55 to 0.6 s in the same run. The poll
    // counts above are the exact claims.
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn gather_all_of_100_000_task_handles_takes_well_under_a_second() {
    let start = Instant::now();
    let results = run_virtual(async {
        let handles: Vec<_> = (0..100_000u64)
            .map(|i| {
                spawn(async move {
                    sleep(Duration::from_millis(i % 5_000)).await;
                    i
                })
            })
            .collect();
        gather_all(handles).await
    });
    let took = start.elapsed();
    eprintln!("took {took:?}");
    assert_eq!(results.len(), 100_000);
    assert_eq!(results[99_999], Ok(99_999));
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn wait_for_all_of_100_000_tasks_takes_well_under_a_second() {
    let start = Instant::now();
    let (done, pending) = run_virtual(async {
        let handles: Vec<_> = (0..100_000u64)
            .map(|i| {
                spawn(async move {
                    sleep(Duration::from_millis(i % 5_000)).await;
                    i
                })
            })
            .collect();
        wait(handles, ReturnWhen::AllCompleted, None).await
    });
    let took = start.elapsed();
    eprintln!("took {took:?}");
    assert_eq!((done.len(), pending.len()), (100_000, 0));
    assert_eq!(
        done[99_999].result(),
        Ok(&99_999),
        "done keeps argument order"
    );
    assert!(took < Duration::from_secs(10), "took {took:?}");
}

#[test]
fn wait_first_completed_among_100_000_tasks_returns_the_first_and_leaves_the_rest() {
    let (done, pending, t) = run_virtual(async {
        let handles: Vec<_> = (0..100_000u64)
            .map(|i| {
                spawn(async move {
                    sleep(Duration::from_millis(1 + (99_999 - i))).await;
                    i
                })
            })
            .collect();
        let (done, pending) = wait(handles, ReturnWhen::FirstCompleted, None).await;
        let t = now();
        // wait cancels nothing: the others are still running. End them on purpose.
        let still_running = pending.iter().filter(|task| !task.is_finished()).count();
        pending.iter().for_each(|task| _ = task.cancel());
        yield_now().await; // a cancelled task's future is dropped at its next turn
        (done, still_running, t)
    });
    assert_eq!(t.to_string(), "t=0.00"); // 1 ms: the clock prints hundredths
    assert_eq!(done.len(), 1);
    assert_eq!(done[0].result(), Ok(&99_999));
    assert_eq!(pending, 99_999);
}

#[test]
fn task_group_join_of_100_000_children_takes_well_under_a_second() {
    let start = Instant::now();
    let values = run_virtual(async {
        let group = tinyloop::TaskGroup::<u64, ()>::new();
        for i in 0..100_000u64 {
            group.spawn(async move {
                sleep(Duration::from_millis(i % 5_000)).await;
                Ok(i)
            });
        }
        group.join().await
    })
    .expect("no child failed");
    let took = start.elapsed();
    eprintln!("took {took:?}");
    assert_eq!(values.len(), 100_000);
    assert_eq!(values[99_999], 99_999, "values in spawn order");
    assert!(took < Duration::from_secs(10), "took {took:?}");
}
