//! Grades exercise 09: a Queue with `task_done` and `join`, on tinyloop's virtual clock.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex09_queue.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex09_queue.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex09;

use ex09::{Queue, QueueError};
use exercises::expect_eq;
use tinyloop::{now, run_virtual, sleep, spawn, timeout};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[test]
fn items_come_out_in_the_order_they_went_in() {
    let out = run_virtual(async {
        let queue = Queue::new();
        for i in 1..=3 {
            queue.put(i);
        }
        expect_eq!(queue.len(), 3);
        vec![queue.get().await, queue.get().await, queue.get().await]
    });
    expect_eq!(out, [1, 2, 3]);
}

#[test]
fn get_waits_for_a_put() {
    let got = run_virtual(async {
        let queue = Queue::new();
        let consumer = {
            let queue = queue.clone();
            spawn(async move {
                let item = queue.get().await;
                format!("{} got {item}", now())
            })
        };
        sleep(ms(200)).await;
        queue.put("job");
        consumer.await.unwrap()
    });
    expect_eq!(got, "t=0.20 got job");
}

#[test]
fn join_returns_when_every_item_has_been_marked_done() {
    let log = run_virtual(async {
        let queue = Queue::new();
        let log = Rc::new(RefCell::new(Vec::new()));
        for item in 0..6 {
            queue.put(item);
        }
        for _ in 0..3 {
            let (queue, log) = (queue.clone(), log.clone());
            // Workers loop for ever; they are dropped with the loop when main returns.
            let _worker = spawn(async move {
                loop {
                    let item = queue.get().await;
                    sleep(ms(100)).await;
                    log.borrow_mut().push(item);
                    queue.task_done().unwrap();
                }
            });
        }
        queue.join().await;
        log.borrow_mut().push(100);
        expect_eq!(
            now().to_string(),
            "t=0.20",
            "six jobs of 0.1 s on three workers"
        );
        log.take()
    });
    expect_eq!(log.len(), 7);
    expect_eq!(
        log.last(),
        Some(&100),
        "join returned only after all six were done"
    );
}

#[test]
fn join_waits_for_task_done_not_for_an_empty_queue() {
    run_virtual(async {
        let queue = Queue::new();
        queue.put("a");
        let _ = queue.get().await;
        assert!(queue.is_empty());
        assert!(
            timeout(ms(50), queue.join()).await.is_err(),
            "taken but not marked done: join must still wait"
        );
        queue.task_done().unwrap();
        timeout(ms(50), queue.join())
            .await
            .expect("marked done: join returns at once");
    });
}

#[test]
fn join_on_a_fresh_queue_returns_at_once() {
    run_virtual(async {
        let queue: Queue<u8> = Queue::new();
        queue.join().await;
        expect_eq!(now().to_string(), "t=0.00");
    });
}

#[test]
fn task_done_more_often_than_put_is_an_error() {
    run_virtual(async {
        let queue = Queue::new();
        queue.put(1);
        let _ = queue.get().await;
        expect_eq!(queue.task_done(), Ok(()));
        expect_eq!(queue.task_done(), Err(QueueError::TaskDoneTooManyTimes));
    });
}

#[test]
fn a_cancelled_get_does_not_lose_an_item() {
    run_virtual(async {
        let queue = Queue::new();
        assert!(timeout(ms(10), queue.get()).await.is_err());
        queue.put("kept");
        expect_eq!(queue.get().await, "kept");
    });
}
