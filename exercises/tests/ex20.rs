//! Grades exercise 20: a bounded Queue with asyncio's buffer-and-wake-up model.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex20_bounded_queue.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex20_bounded_queue.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex20;

use ex20::Queue;
use exercises::{counting_waker, expect_eq};
use tinyloop::{now, run_virtual, sleep, spawn};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Polls `future` once with `waker`.
fn poll<F: Future + Unpin>(future: &mut F, waker: &Waker) -> Poll<F::Output> {
    std::pin::Pin::new(future).poll(&mut Context::from_waker(waker))
}

#[test]
fn a_get_waits_for_a_put() {
    let log = run_virtual(async {
        let queue = Queue::new(0);
        let consumer = {
            let queue = queue.clone();
            spawn(async move { format!("got {} at {}", queue.get().await, now()) })
        };
        sleep(ms(50)).await;
        queue.put("x").await;
        consumer.await.unwrap()
    });
    expect_eq!(log, "got x at t=0.05");
}

#[test]
fn a_put_into_a_full_queue_waits_for_a_get() {
    let log = run_virtual(async {
        let queue = Queue::new(2);
        let log = Rc::new(RefCell::new(Vec::new()));
        let producer = {
            let (queue, log) = (queue.clone(), log.clone());
            spawn(async move {
                for i in 0..4 {
                    queue.put(i).await;
                    log.borrow_mut().push(format!("put {i} at {}", now()));
                }
            })
        };
        for _ in 0..4 {
            sleep(ms(100)).await;
            let item = queue.get().await;
            log.borrow_mut().push(format!("got {item} at {}", now()));
        }
        producer.await.unwrap();
        log.take()
    });
    expect_eq!(
        log,
        [
            "put 0 at t=0.00",
            "put 1 at t=0.00",
            "got 0 at t=0.10",
            "put 2 at t=0.10",
            "got 1 at t=0.20",
            "put 3 at t=0.20",
            "got 2 at t=0.30",
            "got 3 at t=0.40",
        ]
    );
}

#[test]
fn a_put_wakes_one_getter_not_all() {
    let queue = Queue::new(0);
    let counters: Vec<_> = (0..3).map(|_| counting_waker()).collect();
    let mut getters: Vec<_> = (0..3).map(|_| queue.get()).collect();
    for (getter, (waker, _)) in getters.iter_mut().zip(&counters) {
        assert!(poll(getter, waker).is_pending());
    }
    expect_eq!(queue.waiting_getters(), 3, "getters in line");
    assert!(poll(&mut queue.put(1), Waker::noop()).is_ready());
    let wakes: Vec<usize> = counters.iter().map(|(_, count)| count.get()).collect();
    expect_eq!(wakes, [1, 0, 0], "wakes of the three getters after one put");
    expect_eq!(queue.waiting_getters(), 2, "getters in line after the put");
}

#[test]
fn a_woken_getter_can_lose_the_item_to_a_newcomer_and_waits_again_at_the_back() {
    let queue = Queue::new(0);
    let (a_waker, _) = counting_waker();
    let (b_waker, _) = counting_waker();
    let mut a = queue.get();
    assert!(poll(&mut a, &a_waker).is_pending());
    assert!(poll(&mut queue.put("x"), Waker::noop()).is_ready()); // wakes a
    expect_eq!(
        queue.get_nowait(),
        Some("x"),
        "a newcomer's get_nowait (asyncio allows it)"
    );
    let mut b = queue.get();
    assert!(poll(&mut b, &b_waker).is_pending()); // b queues while a is out of line
    expect_eq!(
        poll(&mut a, &a_waker),
        Poll::Pending,
        "the woken getter, finding the buffer empty"
    );
    expect_eq!(queue.waiting_getters(), 2, "getters in line");
    // a queued again behind b: the next put goes to b.
    assert!(poll(&mut queue.put("y"), Waker::noop()).is_ready());
    expect_eq!(
        poll(&mut b, &b_waker),
        Poll::Ready("y"),
        "b, first in line now"
    );
}

#[test]
fn a_woken_getter_that_is_cancelled_passes_the_wake_on() {
    let queue = Queue::new(0);
    let (a_waker, _) = counting_waker();
    let (b_waker, b_wakes) = counting_waker();
    let mut a = queue.get();
    let mut b = queue.get();
    assert!(poll(&mut a, &a_waker).is_pending());
    assert!(poll(&mut b, &b_waker).is_pending());
    assert!(poll(&mut queue.put(7), Waker::noop()).is_ready()); // wakes a
    drop(a); // cancelled before it ran
    expect_eq!(
        b_wakes.get(),
        1,
        "wakes of the next getter after the woken one was cancelled"
    );
    expect_eq!(poll(&mut b, &b_waker), Poll::Ready(7));
}

#[test]
fn a_get_wakes_one_waiting_putter() {
    let queue = Queue::new(1);
    assert!(poll(&mut queue.put(0), Waker::noop()).is_ready());
    let (p_waker, p_wakes) = counting_waker();
    let (q_waker, q_wakes) = counting_waker();
    let mut p = queue.put(1);
    let mut q = queue.put(2);
    assert!(poll(&mut p, &p_waker).is_pending());
    assert!(poll(&mut q, &q_waker).is_pending());
    expect_eq!(
        queue.waiting_putters(),
        2,
        "putters in line on a full queue"
    );
    expect_eq!(queue.get_nowait(), Some(0));
    expect_eq!(
        (p_wakes.get(), q_wakes.get()),
        (1, 0),
        "wakes of the two putters after one get"
    );
    expect_eq!(poll(&mut p, &p_waker), Poll::Ready(()), "the woken putter");
    expect_eq!(queue.qsize(), 1, "items after the woken putter put");
}

#[test]
fn many_items_come_out_in_order_and_the_buffer_never_exceeds_maxsize() {
    let (got, most) = run_virtual(async {
        let queue = Queue::new(3);
        let producer = {
            let queue = queue.clone();
            spawn(async move {
                for i in 0..20 {
                    queue.put(i).await;
                }
            })
        };
        let mut got = Vec::new();
        let mut most = 0;
        for _ in 0..20 {
            most = most.max(queue.qsize());
            got.push(queue.get().await);
            sleep(ms(1)).await;
        }
        producer.await.unwrap();
        (got, most)
    });
    expect_eq!(got, (0..20).collect::<Vec<_>>());
    expect_eq!(most, 3, "the most items the buffer held (maxsize 3)");
}
