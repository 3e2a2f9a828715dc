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

#[test]
fn a_stale_waker_fired_from_another_thread_does_not_wake_the_task_that_reuses_its_slot() {
    let polls = Rc::new(Cell::new(0u32));
    run({
        let polls = polls.clone();
        async move {
            let (sender, receiver) = std::sync::mpsc::channel::<Waker>();
            let first = spawn(poll_fn(move |cx| {
                sender.send(cx.waker().clone()).unwrap();
                Poll::Ready(())
            }));
            first.await.unwrap();
            let second = spawn({
                let polls = polls.clone();
                poll_fn(move |_cx| {
                    polls.set(polls.get() + 1);
                    Poll::<()>::Pending
                })
            });
            yield_now().await;
            let stale = receiver.recv().unwrap();
            std::thread::spawn(move || stale.wake()).join().unwrap();
            // The wake came through the loop's channel; give it two steps to arrive.
            yield_now().await;
            yield_now().await;
            assert_eq!(polls.get(), 1, "the stale wake from the thread was ignored");
            second.cancel();
        }
    });
}

#[test]
fn a_spawned_tasks_waker_fired_from_another_thread_wakes_it() {
    let polls = run(async {
        let task = spawn(async {
            let mut polls = 0;
            let mut helper = None;
            poll_fn(|cx| {
                polls += 1;
                if helper.is_some() {
                    return Poll::Ready(());
                }
                let waker = cx.waker().clone();
                helper = Some(std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(10));
                    waker.wake();
                }));
                Poll::Pending
            })
            .await;
            helper.unwrap().join().unwrap();
            polls
        });
        task.await.unwrap()
    });
    assert_eq!(polls, 2, "polled once, woken by the thread, polled again");
}

/// Records, when dropped, the thread it was dropped on.
struct DropsOn(std::sync::Arc<std::sync::Mutex<Vec<std::thread::ThreadId>>>);

impl Drop for DropsOn {
    fn drop(&mut self) {
        self.0.lock().unwrap().push(std::thread::current().id());
    }
}

/// A waker shares its task's allocation, and a waker on another thread can be the last
/// owner of it. The task's output must still be dropped on the loop's thread, when the loop
/// learns nobody will take it (the rule in `executor/task.rs`).
#[test]
fn an_output_nobody_takes_is_dropped_on_the_loop_thread_even_when_a_waker_elsewhere_outlives_it() {
    let drops = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (sender, receiver) = std::sync::mpsc::channel::<Waker>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let waker = receiver.recv().unwrap();
        released.recv().unwrap(); // hold the waker until the loop is gone
        waker.wake(); // a wake for a loop that no longer exists: ignored
    });
    run({
        let drops = drops.clone();
        async move {
            let task = spawn(async move {
                poll_fn(|cx| {
                    sender.send(cx.waker().clone()).unwrap();
                    Poll::Ready(())
                })
                .await;
                DropsOn(drops)
            });
            drop(task); // detached: nobody will take the output
            yield_now().await;
        }
    });
    let loop_thread = std::thread::current().id();
    assert_eq!(*drops.lock().unwrap(), vec![loop_thread]);
    release.send(()).unwrap();
    holder.join().unwrap();
    assert_eq!(drops.lock().unwrap().len(), 1, "dropped once");
}

/// The same for a future still pending when the loop ends: the loop cancels it, on its
/// own thread, though another thread still holds the task's waker.
#[test]
fn a_pending_future_is_dropped_on_the_loop_thread_when_the_loop_ends_though_a_waker_elsewhere_lives()
 {
    let drops = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (sender, receiver) = std::sync::mpsc::channel::<Waker>();
    let (release, released) = std::sync::mpsc::channel::<()>();
    let holder = std::thread::spawn(move || {
        let waker = receiver.recv().unwrap();
        released.recv().unwrap();
        drop(waker);
    });
    run({
        let drops = drops.clone();
        async move {
            let guard = DropsOn(drops);
            let task = spawn(async move {
                let _guard = guard;
                poll_fn(|cx| {
                    sender.send(cx.waker().clone()).unwrap();
                    Poll::<()>::Pending // never finishes
                })
                .await;
            });
            yield_now().await;
            drop(task);
        }
    });
    let loop_thread = std::thread::current().id();
    assert_eq!(*drops.lock().unwrap(), vec![loop_thread]);
    release.send(()).unwrap();
    holder.join().unwrap();
}

/// Many wakers, woken and dropped on four threads while their tasks finish on the loop: the
/// reference count is shared across threads, and every output must still be dropped once,
/// on the loop's thread. (Run it under valgrind to check the memory too; it was.)
#[test]
fn wakers_woken_and_dropped_on_other_threads_while_their_tasks_finish_leave_outputs_to_the_loop() {
    const TASKS: usize = 1_000;
    let drops = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (sender, receiver) = std::sync::mpsc::channel::<Waker>();
    let receiver = std::sync::Arc::new(std::sync::Mutex::new(receiver));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let receiver = receiver.clone();
            std::thread::spawn(move || {
                loop {
                    let next = receiver.lock().unwrap().recv();
                    let Ok(waker) = next else { break };
                    waker.wake_by_ref();
                    waker.wake();
                }
            })
        })
        .collect();
    run({
        let (drops, sender) = (drops.clone(), sender.clone());
        async move {
            let mut kept = Vec::new();
            for i in 0..TASKS {
                let (sender, drops) = (sender.clone(), drops.clone());
                let task = spawn(async move {
                    poll_fn(|cx| {
                        for _ in 0..3 {
                            sender.send(cx.waker().clone()).unwrap();
                        }
                        Poll::Ready(())
                    })
                    .await;
                    yield_now().await;
                    DropsOn(drops)
                });
                if i % 2 == 0 {
                    kept.push(task);
                } // else detached: the loop drops the output when the task ends
            }
            for task in kept {
                drop(task.await.unwrap());
            }
            // Let the detached ones finish too.
            while drops.lock().unwrap().len() < TASKS {
                yield_now().await;
            }
        }
    });
    drop(sender);
    for thread in threads {
        thread.join().unwrap();
    }
    let loop_thread = std::thread::current().id();
    let drops = drops.lock().unwrap();
    assert_eq!(drops.len(), TASKS);
    assert!(drops.iter().all(|&thread| thread == loop_thread));
}
