//! `Queue`, `LifoQueue`, `PriorityQueue`: order, backpressure, FIFO among waiters, no
//! barging, errors, `task_done`/`join`, Python 3.13 `shutdown`, and cancellation of getters
//! and putters before, while and after the hand-off.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{
    GetNowaitError, JoinHandle, LifoQueue, PriorityQueue, PutNowaitError, Queue, QueueShutDown,
    TaskDoneError, now, run_virtual, sleep, spawn, yield_now,
};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn getter<T: 'static>(queue: &Queue<T>) -> JoinHandle<Result<T, QueueShutDown>> {
    let queue = queue.clone();
    spawn(async move { queue.get().await })
}

fn putter<T: 'static>(queue: &Queue<T>, item: T) -> JoinHandle<Result<(), QueueShutDown<T>>> {
    let queue = queue.clone();
    spawn(async move { queue.put(item).await })
}

#[test]
fn items_come_out_in_the_order_they_were_put() {
    let queue = Queue::new(0);
    for n in 1..=4 {
        queue.put_nowait(n).unwrap();
    }
    assert_eq!(queue.qsize(), 4);
    let out: Vec<i32> = (0..4).map(|_| queue.get_nowait().unwrap()).collect();
    assert_eq!(out, [1, 2, 3, 4]);
    assert_eq!(queue.get_nowait(), Err(GetNowaitError::QueueEmpty));
}

#[test]
fn a_lifo_queue_returns_the_newest_and_a_priority_queue_the_smallest() {
    let lifo = LifoQueue::new(0);
    let priority = PriorityQueue::new(0);
    for n in [3, 1, 2] {
        lifo.put_nowait(n).unwrap();
        priority.put_nowait(n).unwrap();
    }
    let lifo_out: Vec<i32> = (0..3).map(|_| lifo.get_nowait().unwrap()).collect();
    let priority_out: Vec<i32> = (0..3).map(|_| priority.get_nowait().unwrap()).collect();
    assert_eq!(lifo_out, [2, 1, 3]);
    assert_eq!(priority_out, [1, 2, 3]);
}

#[test]
fn maxsize_zero_means_unbounded_and_a_bounded_queue_reports_full() {
    let unbounded = Queue::new(0);
    for n in 0..10_000 {
        unbounded.put_nowait(n).unwrap();
    }
    assert!(!unbounded.full());
    let bounded = Queue::new(2);
    bounded.put_nowait('a').unwrap();
    bounded.put_nowait('b').unwrap();
    assert!(bounded.full());
    assert_eq!(bounded.maxsize(), 2);
    assert_eq!(
        bounded.put_nowait('c'),
        Err(PutNowaitError::QueueFull('c')),
        "QueueFull hands the item back"
    );
    assert_eq!(bounded.put_nowait('d').unwrap_err().into_inner(), 'd');
}

#[test]
fn put_waits_while_the_queue_is_full_and_putters_are_served_in_order() {
    let out = run_virtual(async {
        let queue = Queue::new(1);
        queue.put(0).await.unwrap();
        let putters: Vec<_> = (1..=3).map(|n| putter(&queue, n)).collect();
        yield_now().await;
        assert_eq!(queue.qsize(), 1, "three putters wait");
        let mut out = Vec::new();
        for _ in 0..4 {
            sleep(ms(100)).await;
            out.push((queue.get().await.unwrap(), now().to_string()));
        }
        for p in putters {
            p.await.unwrap().unwrap();
        }
        out
    });
    assert_eq!(
        out,
        [
            (0, "t=0.10".to_string()),
            (1, "t=0.20".to_string()),
            (2, "t=0.30".to_string()),
            (3, "t=0.40".to_string())
        ]
    );
}

#[test]
fn put_nowait_takes_a_free_slot_even_while_a_woken_putter_has_not_run() {
    // asyncio (3.10-3.13): the woken putter stores its item when it runs; put_nowait does
    // not look at the line, and the putter then finds the queue full and waits again.
    run_virtual(async {
        let queue = Queue::new(1);
        queue.put_nowait("first").unwrap();
        let waiting = putter(&queue, "second");
        yield_now().await;
        assert_eq!(queue.get_nowait(), Ok("first")); // wakes the putter; the slot is free
        assert_eq!(queue.put_nowait("barger"), Ok(()));
        yield_now().await;
        assert!(
            !waiting.is_finished(),
            "the putter found the queue full again"
        );
        assert_eq!(queue.get_nowait(), Ok("barger"));
        waiting.await.unwrap().unwrap();
        assert_eq!(queue.get_nowait(), Ok("second"));
    });
}

#[test]
fn a_put_with_getters_waiting_leaves_the_item_in_the_queue_until_a_getter_runs() {
    run_virtual(async {
        let queue = Queue::new(0);
        let getters: Vec<_> = (0..3).map(|_| getter(&queue)).collect();
        yield_now().await;
        for item in ["x", "y", "z"] {
            queue.put(item).await.unwrap();
        }
        assert_eq!(
            queue.qsize(),
            3,
            "asyncio's qsize(): the getters have not run"
        );
        let mut got = Vec::new();
        for g in getters {
            got.push(g.await.unwrap().unwrap());
        }
        assert_eq!(
            got,
            ["x", "y", "z"],
            "getters are served in the order they waited"
        );
        assert!(queue.empty());
    });
}

#[test]
fn get_nowait_takes_an_item_a_woken_getter_has_not_taken_yet_and_the_getter_waits_again() {
    run_virtual(async {
        let queue = Queue::new(0);
        let woken = getter(&queue);
        yield_now().await;
        queue.put_nowait(1).unwrap(); // wakes the getter
        assert_eq!(queue.get_nowait(), Ok(1), "asyncio lets get_nowait take it");
        yield_now().await;
        assert!(
            !woken.is_finished(),
            "the getter found the queue empty and waits again"
        );
        queue.put_nowait(2).unwrap();
        assert_eq!(woken.await.unwrap(), Ok(2));
    });
}

#[test]
fn a_getter_cancelled_before_the_hand_off_leaves_the_line() {
    run_virtual(async {
        let queue = Queue::new(0);
        let cancelled = getter(&queue);
        let next = getter(&queue);
        yield_now().await;
        cancelled.cancel();
        yield_now().await;
        queue.put_nowait(1).unwrap();
        assert_eq!(next.await.unwrap(), Ok(1));
        assert!(cancelled.await.unwrap_err().is_cancelled());
    });
}

#[test]
fn a_woken_getter_that_is_cancelled_passes_its_wake_up_to_the_next_getter() {
    run_virtual(async {
        let queue = Queue::new(0);
        let cancelled = getter(&queue);
        let next = getter(&queue);
        yield_now().await;
        queue.put_nowait(1).unwrap(); // wakes the first getter...
        cancelled.cancel(); // ...which is dropped before it runs
        assert_eq!(next.await.unwrap(), Ok(1));
        assert_eq!(queue.unfinished_tasks(), 1);
    });
}

#[test]
fn a_woken_getter_that_is_cancelled_leaves_the_item_in_place_and_the_order_holds() {
    run_virtual(async {
        let queue = Queue::new(2);
        let cancelled = getter(&queue);
        yield_now().await;
        queue.put_nowait(1).unwrap(); // wakes the getter; 1 stays in the queue
        queue.put_nowait(2).unwrap();
        assert_eq!(queue.put_nowait(3), Err(PutNowaitError::QueueFull(3)));
        cancelled.cancel();
        assert!(cancelled.await.unwrap_err().is_cancelled());
        assert_eq!(queue.qsize(), 2, "never more than maxsize");
        let out: Vec<i32> = (0..2).map(|_| queue.get_nowait().unwrap()).collect();
        assert_eq!(out, [1, 2], "put order");
    });
}

#[test]
fn a_putter_cancelled_while_waiting_puts_nothing() {
    run_virtual(async {
        let queue = Queue::new(1);
        queue.put_nowait("kept").unwrap();
        let cancelled = putter(&queue, "dropped");
        yield_now().await;
        cancelled.cancel();
        yield_now().await;
        assert_eq!(queue.get_nowait(), Ok("kept"));
        assert_eq!(queue.get_nowait(), Err(GetNowaitError::QueueEmpty));
        assert_eq!(queue.unfinished_tasks(), 1);
    });
}

#[test]
fn a_woken_putter_that_is_cancelled_puts_nothing_and_wakes_the_next_putter() {
    run_virtual(async {
        let queue = Queue::new(1);
        queue.put_nowait("a").unwrap();
        let late = putter(&queue, "b");
        let next = putter(&queue, "c");
        yield_now().await;
        assert_eq!(queue.get_nowait(), Ok("a")); // wakes "b"'s putter
        late.cancel(); // dropped before it stored "b"
        assert!(late.await.unwrap_err().is_cancelled());
        next.await.unwrap().unwrap();
        assert_eq!(queue.get_nowait(), Ok("c"));
        assert_eq!(queue.get_nowait(), Err(GetNowaitError::QueueEmpty));
        assert_eq!(queue.unfinished_tasks(), 2, "a and c were put");
    });
}

#[test]
fn task_done_called_too_many_times_is_an_error() {
    let queue = Queue::new(0);
    queue.put_nowait(1).unwrap();
    queue.get_nowait().unwrap();
    assert_eq!(queue.task_done(), Ok(()));
    assert_eq!(queue.task_done(), Err(TaskDoneError));
    assert!(
        TaskDoneError
            .to_string()
            .contains("task_done() called too many times")
    );
}

#[test]
fn join_counts_task_done_calls_not_gets() {
    let t = run_virtual(async {
        let queue = Queue::new(0);
        for n in 0..3 {
            queue.put_nowait(n).unwrap();
        }
        let worker = spawn({
            let queue = queue.clone();
            async move {
                while let Ok(_item) = queue.get_nowait() {}
                // every item is taken, none is done yet
                for _ in 0..3 {
                    sleep(ms(100)).await;
                    queue.task_done().unwrap();
                }
            }
        });
        queue.join().await;
        worker.await.unwrap();
        now()
    });
    assert_eq!(t.to_string(), "t=0.30");
}

#[test]
fn join_returns_at_once_when_nothing_is_unfinished() {
    let t = run_virtual(async {
        let queue: Queue<u8> = Queue::new(0);
        queue.join().await;
        now()
    });
    assert_eq!(t.to_string(), "t=0.00");
}

#[test]
fn after_shutdown_puts_fail_and_gets_drain_then_fail() {
    run_virtual(async {
        let queue = Queue::new(1);
        queue.put_nowait(1).unwrap();
        let waiting_putter = putter(&queue, 2);
        yield_now().await;
        queue.shutdown(false);
        assert!(queue.is_shut_down());
        assert_eq!(
            waiting_putter.await.unwrap(),
            Err(QueueShutDown(2)),
            "a waiting putter gets its item back"
        );
        assert_eq!(queue.put(3).await, Err(QueueShutDown(3)));
        assert_eq!(queue.put_nowait(4), Err(PutNowaitError::QueueShutDown(4)));
        assert_eq!(queue.get().await, Ok(1), "gets drain what is queued");
        assert_eq!(queue.get().await, Err(QueueShutDown(())));
        assert_eq!(queue.get_nowait(), Err(GetNowaitError::QueueShutDown));
    });
}

#[test]
fn shutdown_fails_the_waiting_getters() {
    run_virtual(async {
        let queue: Queue<u8> = Queue::new(0);
        let getters: Vec<_> = (0..2).map(|_| getter(&queue)).collect();
        sleep(ms(100)).await;
        queue.shutdown(false);
        for g in getters {
            assert_eq!(g.await.unwrap(), Err(QueueShutDown(())));
        }
    });
}

#[test]
fn an_immediate_shutdown_discards_the_items_and_releases_join() {
    run_virtual(async {
        let queue = Queue::new(0);
        for n in 0..3 {
            queue.put_nowait(n).unwrap();
        }
        assert_eq!(queue.get_nowait(), Ok(0)); // taken, not yet done
        let joiner = spawn({
            let queue = queue.clone();
            async move {
                queue.join().await;
                now().to_string()
            }
        });
        sleep(ms(100)).await;
        queue.shutdown(true);
        assert_eq!(queue.qsize(), 0);
        assert_eq!(queue.get().await, Err(QueueShutDown(())));
        assert_eq!(queue.unfinished_tasks(), 1, "the taken item still counts");
        sleep(ms(100)).await;
        queue.task_done().unwrap();
        assert_eq!(joiner.await.unwrap(), "t=0.20");
    });
}

#[test]
fn the_items_of_a_cancelled_getter_after_an_immediate_shutdown_count_as_done() {
    run_virtual(async {
        let queue = Queue::new(0);
        let cancelled = getter(&queue);
        yield_now().await;
        queue.put_nowait(7).unwrap(); // handed over
        queue.shutdown(true);
        cancelled.cancel();
        assert!(cancelled.await.unwrap_err().is_cancelled());
        assert_eq!(queue.unfinished_tasks(), 0);
        queue.join().await;
    });
}

#[test]
fn items_of_a_dropped_queue_are_dropped_once() {
    struct Counted(Rc<RefCell<u32>>);
    impl Drop for Counted {
        fn drop(&mut self) {
            *self.0.borrow_mut() += 1;
        }
    }
    let drops = Rc::new(RefCell::new(0));
    run_virtual({
        let drops = drops.clone();
        async move {
            let queue = Queue::new(1);
            queue.put_nowait(Counted(drops.clone())).unwrap();
            let blocked = {
                let queue = queue.clone();
                let item = Counted(drops.clone());
                spawn(async move { queue.put(item).await.is_ok() })
            };
            yield_now().await;
            blocked.cancel(); // drops the waiting putter's item
            yield_now().await;
            assert_eq!(*drops.borrow(), 1);
        }
    });
    assert_eq!(*drops.borrow(), 2);
}

#[test]
fn the_tracer_names_the_queue_as_the_waker_of_a_getter() {
    use tinyloop::runtime::trace::Recorder;
    let recorder = Recorder::new();
    let runtime = tinyloop::Builder::new()
        .virtual_clock(true)
        .tracer(recorder.clone())
        .build();
    runtime.block_on(async {
        let queue = Queue::new(0);
        let consumer = tinyloop::spawn_named("consumer", {
            let queue = queue.clone();
            async move { queue.get().await }
        });
        yield_now().await;
        queue.put_nowait(1).unwrap();
        assert_eq!(consumer.await.unwrap(), Ok(1));
    });
    let lines = recorder.lines();
    assert!(
        lines.contains(&"pending  consumer (task-1): waiting on Queue.get".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"wake     consumer (task-1) by a Queue".to_string()),
        "{lines:#?}"
    );
}

#[test]
fn join_waits_for_an_item_a_waiting_putter_brought_in_after_the_count_reached_zero() {
    run_virtual(async {
        let queue = Queue::new(1);
        queue.put_nowait(1).unwrap();
        assert_eq!(queue.get_nowait(), Ok(1));
        queue.put_nowait(2).unwrap(); // full
        let third = putter(&queue, 3);
        yield_now().await; // the putter waits for room
        queue.task_done().unwrap();
        queue.task_done().unwrap(); // the count reaches zero: join would return now
        assert_eq!(queue.get_nowait(), Ok(2)); // room: the putter's 3 goes in
        third.await.unwrap().unwrap();
        assert_eq!(queue.unfinished_tasks(), 1);
        let joined = tinyloop::timeout(ms(50), queue.join()).await;
        assert!(joined.is_err(), "join returned while item 3 was unfinished");
        queue.task_done().unwrap();
        queue.join().await;
    });
}
