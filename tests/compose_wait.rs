//! `wait(handles, ReturnWhen, timeout)`: done and pending, in argument order; nothing cancelled.

use std::time::Duration;

use tinyloop::{JoinHandle, ReturnWhen, now, run_virtual, sleep, spawn_named, wait};

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

fn sleeper(name: &str, millis: u64) -> JoinHandle<u64> {
    spawn_named(name, async move {
        sleep(ms(millis)).await;
        millis
    })
}

fn names<T>(done: &[tinyloop::Finished<T>]) -> Vec<&str> {
    done.iter().map(|task| task.name()).collect()
}

#[test]
fn first_completed_returns_the_first_task_and_leaves_the_others_running() {
    run_virtual(async {
        let tasks = vec![sleeper("a", 300), sleeper("b", 100), sleeper("c", 200)];
        let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted, None).await;
        assert_eq!(now().to_string(), "t=0.10");
        assert_eq!(names(&done), ["b"]);
        assert_eq!(done[0].result(), Ok(&100));
        let pending_names: Vec<String> = pending.iter().map(|task| task.name()).collect();
        assert_eq!(pending_names, ["a", "c"], "pending keeps argument order");
        // Nothing was cancelled: both finish.
        for task in pending {
            assert!(task.await.is_ok());
        }
        assert_eq!(now().to_string(), "t=0.30");
    });
}

#[test]
fn first_completed_with_a_tie_returns_both_tasks_done() {
    run_virtual(async {
        let tasks = vec![sleeper("a", 200), sleeper("b", 100), sleeper("c", 100)];
        let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted, None).await;
        assert_eq!(now().to_string(), "t=0.10");
        assert_eq!(
            names(&done),
            ["b", "c"],
            "both finished at t=0.10, in argument order"
        );
        assert_eq!(pending.len(), 1);
    });
}

#[test]
fn all_completed_waits_for_every_task() {
    run_virtual(async {
        let tasks = vec![sleeper("a", 300), sleeper("b", 100)];
        let (done, pending) = wait(tasks, ReturnWhen::AllCompleted, None).await;
        assert_eq!(now().to_string(), "t=0.30");
        assert_eq!(names(&done), ["a", "b"]);
        assert!(pending.is_empty());
    });
}

#[test]
fn first_exception_returns_at_the_first_panic_not_the_first_completion() {
    run_virtual(async {
        let ok = sleeper("ok", 100);
        let panics = spawn_named("panics", async {
            sleep(ms(200)).await;
            panic!("broken");
        });
        let slow = sleeper("slow", 500);
        let (done, pending) = wait([ok, panics, slow], ReturnWhen::FirstException, None).await;
        assert_eq!(now().to_string(), "t=0.20");
        assert_eq!(names(&done), ["ok", "panics"]);
        assert!(done[1].is_panic());
        assert_eq!(pending.len(), 1);
    });
}

#[test]
fn first_exception_without_a_failure_waits_for_all() {
    run_virtual(async {
        let tasks = vec![sleeper("a", 100), sleeper("b", 200)];
        let (done, pending) = wait(tasks, ReturnWhen::FirstException, None).await;
        assert_eq!(now().to_string(), "t=0.20");
        assert_eq!(done.len(), 2);
        assert!(pending.is_empty());
    });
}

#[test]
fn a_timeout_returns_what_finished_by_the_deadline_and_cancels_nothing() {
    run_virtual(async {
        let tasks = vec![sleeper("a", 100), sleeper("b", 500)];
        let (done, pending) = wait(tasks, ReturnWhen::AllCompleted, Some(ms(250))).await;
        assert_eq!(now().to_string(), "t=0.25");
        assert_eq!(names(&done), ["a"]);
        assert_eq!(pending.len(), 1);
        let rest = pending.into_iter().next().unwrap();
        assert_eq!(rest.await, Ok(500));
        assert_eq!(now().to_string(), "t=0.50");
    });
}

#[test]
fn first_completed_with_a_timeout_that_comes_first_returns_nothing_done() {
    run_virtual(async {
        let tasks = vec![sleeper("a", 300), sleeper("b", 200)];
        let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted, Some(ms(150))).await;
        assert_eq!(now().to_string(), "t=0.15");
        assert!(done.is_empty());
        assert_eq!(pending.len(), 2);
    });
}

#[test]
fn a_zero_timeout_checks_once_without_waiting() {
    run_virtual(async {
        let quick = spawn_named("quick", async { 1 });
        sleep(ms(10)).await; // let it finish
        let tasks = vec![quick, sleeper("slow", 100)];
        let (done, pending) = wait(tasks, ReturnWhen::AllCompleted, Some(Duration::ZERO)).await;
        assert_eq!(now().to_string(), "t=0.01", "no time passed");
        assert_eq!(names(&done), ["quick"]);
        assert_eq!(pending.len(), 1);
    });
}

#[test]
fn cancelled_tasks_count_as_done_and_are_reported_as_cancelled() {
    run_virtual(async {
        let doomed = sleeper("doomed", 500);
        doomed.cancel();
        let (done, pending) = wait(vec![doomed], ReturnWhen::FirstCompleted, None).await;
        assert!(done[0].is_cancelled());
        assert!(pending.is_empty());
        assert_eq!(now().to_string(), "t=0.00");
    });
}

#[test]
fn an_empty_list_returns_at_once() {
    run_virtual(async {
        let (done, pending) = wait(
            Vec::<JoinHandle<()>>::new(),
            ReturnWhen::FirstCompleted,
            None,
        )
        .await;
        assert!(done.is_empty() && pending.is_empty());
    });
}
