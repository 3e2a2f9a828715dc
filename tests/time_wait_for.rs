//! `wait_for` as asyncio's: a zero timeout never starts the future; at the deadline a task
//! is cancelled and waited for; `shield` leaves it running.
//!
//! Each claim was checked with a small program on CPython 3.10.13, 3.11.7, 3.12.1 and 3.13.0:
//! `wait_for(coro, 0)` raises `TimeoutError` and the coroutine's first line never runs, even
//! for a coroutine that would return at once; `asyncio.timeout(0)` runs the body to its first
//! `await`; `wait_for(task, t)` cancels the task and returns only after its cleanup; so does
//! `wait_for(coro, t)` for the task the coroutine was awaiting; `wait_for(shield(task), t)`
//! leaves the task running to its end.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{
    Elapsed, ReturnWhen, now, run_virtual, shield, sleep, spawn, timeout, wait, wait_for, yield_now,
};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

type Log = Rc<RefCell<Vec<String>>>;

/// Logs when it is dropped: a task's `finally`.
struct Cleanup(&'static str, Log);

impl Drop for Cleanup {
    fn drop(&mut self) {
        self.1
            .borrow_mut()
            .push(format!("{} cleanup at {}", self.0, now()));
    }
}

/// asyncio's `body(name)` of the Python check: logs its start, sleeps 1 s, logs its end.
async fn body(name: &'static str, log: Log) -> &'static str {
    log.borrow_mut().push(format!("{name} started"));
    let _cleanup = Cleanup(name, log.clone());
    sleep(ms(1000)).await;
    log.borrow_mut().push(format!("{name} finished"));
    name
}

#[test]
fn wait_for_with_a_zero_timeout_never_starts_the_future() {
    let log: Log = Rc::default();
    run_virtual({
        let log = log.clone();
        async move {
            assert_eq!(
                wait_for(body("A", log.clone()), Duration::ZERO).await,
                Err(Elapsed)
            );
            // Even a future that would finish at its first poll: asyncio wraps it in a task
            // and cancels the task before its first step.
            let quick = {
                let log = log.clone();
                async move { log.borrow_mut().push("quick started".into()) }
            };
            assert_eq!(wait_for(quick, Duration::ZERO).await, Err(Elapsed));
        }
    });
    assert_eq!(
        *log.borrow(),
        Vec::<String>::new(),
        "neither body ran a line"
    );
}

#[test]
fn a_zero_timeout_scope_runs_the_body_to_its_first_await_like_asyncio_timeout() {
    let log: Log = Rc::default();
    let (late, quick) = run_virtual({
        let log = log.clone();
        async move {
            let late = timeout(Duration::ZERO, body("B", log.clone())).await;
            // A body that finishes without awaiting beats the deadline, as in asyncio.
            let quick = timeout(Duration::ZERO, async { 7 }).await;
            (late, quick)
        }
    });
    assert_eq!(late, Err(Elapsed));
    assert_eq!(quick, Ok(7));
    assert_eq!(*log.borrow(), ["B started", "B cleanup at t=0.00"]);
}

#[test]
fn wait_for_a_task_cancels_it_at_the_deadline_and_returns_after_its_cleanup() {
    let log: Log = Rc::default();
    run_virtual({
        let log = log.clone();
        async move {
            let task = spawn(body("C", log.clone()));
            let id = task.id();
            assert_eq!(wait_for(task, ms(300)).await, Err(Elapsed));
            log.borrow_mut()
                .push(format!("wait_for returned at {} ({id})", now()));
            sleep(ms(2000)).await; // had it been left running, it would finish now
        }
    });
    assert_eq!(
        *log.borrow(),
        [
            "C started",
            "C cleanup at t=0.30",
            "wait_for returned at t=0.30 (task-1)"
        ]
    );
}

#[test]
fn wait_for_a_future_that_awaits_a_task_cancels_that_task_too() {
    let log: Log = Rc::default();
    run_virtual({
        let log = log.clone();
        async move {
            let task = spawn(body("E", log.clone()));
            // A future that awaits the task: asyncio cancels the task it awaits.
            let awaits = async move { task.await.map(|name| name.len()) };
            assert_eq!(wait_for(awaits, ms(300)).await, Err(Elapsed));
            log.borrow_mut()
                .push(format!("wait_for returned at {}", now()));
            sleep(ms(2000)).await;
        }
    });
    assert_eq!(
        *log.borrow(),
        [
            "E started",
            "E cleanup at t=0.30",
            "wait_for returned at t=0.30"
        ]
    );
}

#[test]
fn wait_for_a_task_with_a_zero_timeout_cancels_it() {
    let log: Log = Rc::default();
    run_virtual({
        let log = log.clone();
        async move {
            let task = spawn(body("B", log.clone()));
            yield_now().await; // it started
            assert_eq!(wait_for(task, Duration::ZERO).await, Err(Elapsed));
            log.borrow_mut()
                .push(format!("wait_for returned at {}", now()));
            sleep(ms(2000)).await;
        }
    });
    assert_eq!(
        *log.borrow(),
        [
            "B started",
            "B cleanup at t=0.00",
            "wait_for returned at t=0.00"
        ]
    );
}

#[test]
fn wait_for_a_shielded_task_stops_waiting_and_leaves_the_task_running() {
    let log: Log = Rc::default();
    let later = run_virtual({
        let log = log.clone();
        async move {
            let task = spawn(body("D", log.clone()));
            let result = wait_for(shield(task), ms(300)).await;
            assert_eq!(result, Err(Elapsed));
            log.borrow_mut()
                .push(format!("wait_for returned at {}", now()));
            sleep(ms(2000)).await;
            now()
        }
    });
    assert_eq!(later.to_string(), "t=2.30");
    assert_eq!(
        *log.borrow(),
        [
            "D started",
            "wait_for returned at t=0.30",
            "D finished",
            "D cleanup at t=1.00"
        ]
    );
}

#[test]
fn a_shielded_task_is_awaited_like_its_handle() {
    run_virtual(async {
        let task = spawn(async { 6 * 7 });
        assert_eq!(wait_for(shield(task), ms(300)).await, Ok(Ok(42)));
    });
}

#[test]
fn wait_given_up_by_wait_for_leaves_its_tasks_running_like_asyncio_wait() {
    let log: Log = Rc::default();
    run_virtual({
        let log = log.clone();
        async move {
            let tasks = [spawn(body("F", log.clone())), spawn(body("G", log.clone()))];
            let waiting = wait(tasks, ReturnWhen::AllCompleted, None);
            assert!(wait_for(waiting, ms(300)).await.is_err());
            sleep(ms(2000)).await;
        }
    });
    assert_eq!(
        *log.borrow(),
        [
            "F started",
            "G started",
            "F finished",
            "F cleanup at t=1.00",
            "G finished",
            "G cleanup at t=1.00"
        ]
    );
}
