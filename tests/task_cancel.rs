//! Cancellation: asyncio's `Task.cancel()`, delivered as a drop at the task's next turn.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use tinyloop::{JoinError, current_step, run, run_virtual, sleep, spawn, yield_now};

/// Counts its drops: a stand-in for a `finally:` block.
struct DropCounter(Rc<Cell<u32>>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn cancel_before_the_first_poll_never_runs_the_body() {
    let ran = Rc::new(Cell::new(false));
    let result = run({
        let ran = ran.clone();
        async move {
            let handle = spawn(async move { ran.set(true) });
            assert!(handle.cancel());
            handle.await
        }
    });
    assert_eq!(result, Err(JoinError::Cancelled));
    assert!(!ran.get());
}

#[test]
fn cancel_drops_the_future_at_its_next_turn_and_its_destructor_runs_then() {
    let drops = Rc::new(Cell::new(0));
    let dropped_in = Rc::new(Cell::new(0u64));
    run({
        let drops = drops.clone();
        let dropped_in = dropped_in.clone();
        async move {
            let handle = spawn({
                let drops = drops.clone();
                async move {
                    let _guard = DropCounter(drops);
                    sleep(Duration::from_secs(3600)).await;
                }
            });
            yield_now().await; // the task runs once and parks on its sleep
            assert_eq!(drops.get(), 0);
            assert!(handle.cancel());
            // Not inside cancel(): the drop happens at the task's turn in a later step.
            assert_eq!(drops.get(), 0);
            let cancelled_at = current_step();
            assert_eq!(handle.await, Err(JoinError::Cancelled));
            assert_eq!(drops.get(), 1);
            dropped_in.set(current_step() - cancelled_at);
        }
    });
    assert_eq!(drops.get(), 1);
    assert!(dropped_in.get() >= 1);
}

#[test]
fn cancel_returns_false_once_asked_or_finished() {
    run(async {
        let handle = spawn(async { 1 });
        let finished = spawn(async { 2 });
        yield_now().await;
        assert!(finished.is_finished());
        assert!(!finished.cancel(), "a finished task cannot be cancelled");
        assert!(handle.is_finished());
        let pending = spawn(sleep(Duration::from_secs(1)));
        assert!(pending.cancel());
        assert!(!pending.cancel(), "the second request is not new");
        assert_eq!(pending.await, Err(JoinError::Cancelled));
        assert_eq!(finished.await, Ok(2));
        assert_eq!(handle.await, Ok(1));
    });
}

#[test]
fn a_cancelled_sleep_removes_its_timer_so_the_loop_does_not_wait_for_it() {
    // On the virtual clock, a leftover timer would make the loop jump to t=3600.
    let end = run_virtual(async {
        let handle = spawn(sleep(Duration::from_secs(3600)));
        yield_now().await;
        handle.cancel();
        let _ = handle.await;
        sleep(Duration::from_secs(1)).await;
        tinyloop::now()
    });
    assert_eq!(end.to_string(), "t=1.00");
}

#[test]
fn run_cancels_leftover_tasks_and_their_destructors_run() {
    let drops = Rc::new(Cell::new(0));
    let started = Rc::new(Cell::new(0));
    run({
        let drops = drops.clone();
        let started = started.clone();
        async move {
            for _ in 0..3 {
                let drops = drops.clone();
                let started = started.clone();
                drop(spawn(async move {
                    let _guard = DropCounter(drops);
                    started.set(started.get() + 1);
                    sleep(Duration::from_secs(60)).await;
                }));
            }
            yield_now().await;
            assert_eq!(drops.get(), 0, "they are alive while main runs");
        }
    });
    assert_eq!(started.get(), 3);
    assert_eq!(drops.get(), 3, "run() dropped every leftover task");
}

#[test]
fn a_destructor_that_spawns_during_shutdown_does_not_leak_the_new_task() {
    struct SpawnOnDrop(Rc<Cell<u32>>);
    impl Drop for SpawnOnDrop {
        fn drop(&mut self) {
            // Captured by the future, so dropping it unpolled drops the counter too.
            let guard = DropCounter(self.0.clone());
            drop(spawn(async move {
                let _guard = guard;
                sleep(Duration::from_secs(1)).await;
            }));
        }
    }
    let drops = Rc::new(Cell::new(0));
    run({
        let drops = drops.clone();
        async move {
            drop(spawn(async move {
                let _guard = SpawnOnDrop(drops);
                sleep(Duration::from_secs(60)).await;
            }));
            yield_now().await;
        }
    });
    assert_eq!(
        drops.get(),
        1,
        "the task spawned during shutdown was cancelled too"
    );
}

#[test]
fn a_task_can_cancel_itself_through_its_own_handle() {
    let log = Rc::new(RefCell::new(Vec::new()));
    run({
        let log = log.clone();
        async move {
            let slot = Rc::new(RefCell::new(None));
            let handle = spawn({
                let slot = slot.clone();
                let log = log.clone();
                async move {
                    let me: tinyloop::JoinHandle<()> = slot.borrow_mut().take().unwrap();
                    assert!(me.cancel());
                    log.borrow_mut().push("asked to cancel myself");
                    yield_now().await;
                    log.borrow_mut().push("never printed");
                }
            });
            let watcher = spawn(async { 5 });
            *slot.borrow_mut() = Some(handle);
            assert_eq!(watcher.await, Ok(5));
            yield_now().await;
        }
    });
    assert_eq!(*log.borrow(), ["asked to cancel myself"]);
}
