//! Cancellation around tasks: `wait_for_task` (asyncio's `wait_for` on a task), `CancelOnDrop`,
//! and races that drop their losers.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{
    CancelOnDrop, Elapsed, now, race, race_all, run_virtual, sleep, spawn, timeout, wait_for_task,
};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

type Log = Rc<RefCell<Vec<String>>>;

struct Cleanup(&'static str, Log);

impl Drop for Cleanup {
    fn drop(&mut self) {
        self.1
            .borrow_mut()
            .push(format!("{} {} cleanup", now(), self.0));
    }
}

async fn job(name: &'static str, millis: u64, log: Log) -> &'static str {
    let _cleanup = Cleanup(name, log.clone());
    sleep(ms(millis)).await;
    log.borrow_mut().push(format!("{} {name} finished", now()));
    name
}

#[test]
fn wait_for_task_cancels_the_task_at_the_deadline_and_returns_after_its_cleanup() {
    let log = Log::default();
    run_virtual({
        let log = log.clone();
        async move {
            let task = spawn(job("task", 5000, log.clone()));
            let result = wait_for_task(task, ms(3000)).await;
            assert_eq!(result, Err(Elapsed));
            log.borrow_mut().push(format!("{} timed out", now()));
            sleep(ms(5000)).await;
        }
    });
    assert_eq!(
        *log.borrow(),
        ["t=3.00 task cleanup", "t=3.00 timed out"],
        "cleanup ran before wait_for_task returned, and the task never finished"
    );
}

#[test]
fn wait_for_task_returns_the_output_of_a_task_that_beats_the_deadline() {
    run_virtual(async {
        let log = Log::default();
        let task = spawn(job("quick", 100, log));
        assert_eq!(wait_for_task(task, ms(3000)).await, Ok(Ok("quick")));
        assert_eq!(now().to_string(), "t=0.10");
    });
}

#[test]
fn wait_for_task_with_a_zero_timeout_checks_the_task_once_first() {
    run_virtual(async {
        let done = spawn(async { 5 });
        sleep(ms(1)).await;
        assert_eq!(wait_for_task(done, Duration::ZERO).await, Ok(Ok(5)));
        let log = Log::default();
        let slow = spawn(job("slow", 100, log.clone()));
        assert_eq!(wait_for_task(slow, Duration::ZERO).await, Err(Elapsed));
        // Spawned but never polled, then cancelled: its body never started, so there was
        // nothing to clean up (asyncio 3.12 likewise cancels a task that never ran).
        assert!(log.borrow().is_empty());
        assert_eq!(now().to_string(), "t=0.00");
    });
}

#[test]
fn timeout_around_a_cancel_on_drop_guard_cancels_where_a_plain_handle_detaches() {
    let log = Log::default();
    run_virtual({
        let log = log.clone();
        async move {
            let detached = spawn(job("detached", 300, log.clone()));
            let guarded = CancelOnDrop::new(spawn(job("guarded", 300, log.clone())));
            assert_eq!(timeout(ms(100), detached).await, Err(Elapsed));
            assert_eq!(timeout(ms(100), guarded).await, Err(Elapsed));
            sleep(ms(500)).await;
        }
    });
    assert_eq!(
        *log.borrow(),
        [
            "t=0.20 guarded cleanup",
            "t=0.30 detached finished",
            "t=0.30 detached cleanup"
        ]
    );
}

#[test]
fn a_detached_guard_gives_the_plain_handle_back() {
    run_virtual(async {
        let guard = CancelOnDrop::new(spawn(async { 1 }));
        let handle = guard.detach(); // dropping the guard now cancels nothing
        assert_eq!(handle.await, Ok(1));
    });
}

#[test]
fn a_race_returns_the_first_output_and_drops_the_loser() {
    let log = Log::default();
    let winner = run_virtual({
        let log = log.clone();
        async move { race(job("slow", 300, log.clone()), job("fast", 100, log.clone())).await }
    });
    assert_eq!(winner, "fast");
    assert_eq!(
        *log.borrow(),
        [
            "t=0.10 fast finished",
            "t=0.10 fast cleanup",
            "t=0.10 slow cleanup"
        ]
    );
}

#[test]
fn race_all_breaks_a_tie_by_position() {
    let (index, value) = run_virtual(async {
        let runners = [300u64, 100, 100].map(|millis| async move {
            sleep(ms(millis)).await;
            millis
        });
        race_all(runners).await
    });
    assert_eq!((index, value), (1, 100));
}

#[test]
fn a_race_of_guarded_tasks_cancels_the_losing_task() {
    let log = Log::default();
    let winner = run_virtual({
        let log = log.clone();
        async move {
            let runners = [("a", 200), ("b", 100)]
                .map(|(name, millis)| CancelOnDrop::new(spawn(job(name, millis, log.clone()))));
            let winner = race_all(runners).await;
            sleep(ms(500)).await;
            winner
        }
    });
    assert_eq!(winner, (1, Ok("b")));
    assert_eq!(
        *log.borrow(),
        ["t=0.10 b finished", "t=0.10 b cleanup", "t=0.10 a cleanup"]
    );
}
