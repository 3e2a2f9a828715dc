//! Wakers: same-thread wakes, wakes from other threads, and deduplication.

use std::cell::Cell;
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use tinyloop::{current_step, run, spawn, yield_now};

#[test]
fn a_waker_fired_from_another_thread_wakes_the_task() {
    let value = run(async {
        let (sender, receiver) = std::sync::mpsc::channel::<Waker>();
        let helper = std::thread::spawn(move || {
            let waker = receiver.recv().unwrap();
            std::thread::sleep(Duration::from_millis(20));
            waker.wake();
        });
        let mut sent = Some(sender);
        let mut polls = 0;
        poll_fn(|cx| {
            polls += 1;
            match sent.take() {
                Some(sender) => {
                    sender.send(cx.waker().clone()).unwrap();
                    Poll::Pending
                }
                None => Poll::Ready(()),
            }
        })
        .await;
        helper.join().unwrap();
        polls
    });
    assert_eq!(value, 2, "polled once, woken by the thread, polled again");
}

/// A future that, on its first poll, wakes the task `times` times and returns Pending,
/// then counts its polls.
struct WakeMany {
    times: u32,
    polls: Rc<Cell<u32>>,
}

impl Future for WakeMany {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.polls.set(self.polls.get() + 1);
        if self.polls.get() == 1 {
            for _ in 0..self.times {
                cx.waker().wake_by_ref();
            }
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    }
}

#[test]
fn a_task_woken_ten_times_in_one_step_runs_once() {
    let polls = Rc::new(Cell::new(0));
    run({
        let polls = polls.clone();
        async move {
            let task = spawn(WakeMany { times: 10, polls });
            task.await.unwrap();
        }
    });
    assert_eq!(polls.get(), 2, "first poll, then exactly one more");
}

#[test]
fn a_task_woken_by_another_task_many_times_runs_once_per_step() {
    let polls = Rc::new(Cell::new(0u32));
    run({
        let polls = polls.clone();
        async move {
            let (tx, rx) = std::sync::mpsc::channel::<Waker>();
            let sleeper = spawn({
                let polls = polls.clone();
                poll_fn(move |cx| {
                    polls.set(polls.get() + 1);
                    if polls.get() == 1 {
                        tx.send(cx.waker().clone()).unwrap();
                        Poll::Pending
                    } else {
                        Poll::Ready(current_step())
                    }
                })
            });
            yield_now().await; // the sleeper runs its first poll and hands us its waker
            let waker = rx.recv().unwrap();
            for _ in 0..10 {
                waker.wake_by_ref();
            }
            let woken_in = current_step();
            assert_eq!(sleeper.await.unwrap(), woken_in + 1);
        }
    });
    assert_eq!(polls.get(), 2);
}

#[test]
fn a_stale_waker_of_a_finished_task_does_not_wake_the_task_that_reuses_its_slot() {
    let polls = Rc::new(Cell::new(0u32));
    run({
        let polls = polls.clone();
        async move {
            let stale = Rc::new(std::cell::RefCell::new(None::<Waker>));
            let first = spawn({
                let stale = stale.clone();
                poll_fn(move |cx| {
                    *stale.borrow_mut() = Some(cx.waker().clone());
                    Poll::Ready(())
                })
            });
            first.await.unwrap();
            // The next task takes the freed slab slot.
            let second = spawn({
                let polls = polls.clone();
                poll_fn(move |_cx| {
                    polls.set(polls.get() + 1);
                    Poll::<()>::Pending // never wakes itself
                })
            });
            yield_now().await;
            assert_eq!(polls.get(), 1);
            let waker = stale.borrow_mut().take().unwrap();
            waker.wake();
            yield_now().await;
            yield_now().await;
            assert_eq!(polls.get(), 1, "the stale wake was ignored");
            second.cancel();
        }
    });
}
