//! The tracer sees every step and every task transition, in order, and names who woke whom.

use std::time::Duration;

use tinyloop::runtime::trace::{Event, MAIN, Recorder, WaitingOn, WakeCause};
use tinyloop::{Builder, Instant, sleep, spawn_named, yield_now};

fn traced_virtual() -> (Recorder, tinyloop::Runtime) {
    let recorder = Recorder::new();
    let runtime = Builder::new()
        .virtual_clock(true)
        .tracer(recorder.clone())
        .build();
    (recorder, runtime)
}

#[test]
fn a_small_program_produces_exactly_this_event_sequence() {
    let (recorder, runtime) = traced_virtual();
    let answer = runtime.block_on(async {
        let child = spawn_named("child", async {
            sleep(Duration::from_millis(100)).await;
            7
        });
        child.await.unwrap()
    });
    assert_eq!(answer, 7);
    let expected = [
        "spawn    main",
        "wake     main by spawn",
        "── step 1: a task is ready: no waiting",
        "poll     main",
        "spawn    child (task-1)",
        "pending  main: waiting on child (task-1)",
        "── step 2: a task is ready: no waiting",
        "poll     child (task-1)",
        "pending  child (task-1): waiting on a timer at t=0.10",
        "── step 3: nothing ready: the virtual clock jumps to the next timer",
        "wake     child (task-1) by a timer",
        "poll     child (task-1)",
        "done     child (task-1)",
        "wake     main by task-1",
        "── step 4: a task is ready: no waiting",
        "poll     main",
        "done     main",
    ];
    assert_eq!(recorder.lines(), expected);
}

#[test]
fn step_started_carries_the_step_number_time_and_wait() {
    let (recorder, runtime) = traced_virtual();
    runtime.block_on(sleep(Duration::from_millis(250)));
    let steps: Vec<Event> = recorder
        .events()
        .into_iter()
        .filter(|event| matches!(event, Event::StepStarted { .. }))
        .collect();
    assert_eq!(steps.len(), 2);
    let Event::StepStarted { step, now, .. } = &steps[1] else {
        unreachable!()
    };
    assert_eq!((*step, *now), (2, Instant::ZERO)); // the jump happens after the step starts
}

#[test]
fn pending_says_what_the_task_waits_on() {
    let (recorder, runtime) = traced_virtual();
    runtime.block_on(sleep(Duration::from_secs(2)));
    let deadline = Instant::from_start(Duration::from_secs(2));
    assert!(recorder.events().contains(&Event::Pending {
        task: MAIN,
        waiting_on: Some(WaitingOn::Timer(deadline)),
    }));
}

#[test]
fn a_task_that_yields_is_woken_by_itself() {
    let (recorder, runtime) = traced_virtual();
    let id = runtime.block_on(async {
        let task = spawn_named("yielder", yield_now());
        let id = task.id();
        task.await.unwrap();
        id
    });
    assert!(recorder.events().contains(&Event::Woken {
        task: id,
        by: WakeCause::Task(id),
    }));
}

#[test]
fn a_cancelled_task_is_reported_as_cancelled_not_completed() {
    let (recorder, runtime) = traced_virtual();
    let id = runtime.block_on(async {
        let task = spawn_named("doomed", sleep(Duration::from_secs(10)));
        yield_now().await;
        task.cancel();
        let id = task.id();
        assert!(task.await.is_err());
        id
    });
    let events = recorder.events();
    assert!(events.contains(&Event::Woken {
        task: id,
        by: WakeCause::Cancel, // main called cancel(), which wakes the task
    }));
    assert!(events.contains(&Event::Cancelled { task: id }));
    assert!(!events.contains(&Event::Completed { task: id }));
}
