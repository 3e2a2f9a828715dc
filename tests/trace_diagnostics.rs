//! The loop's diagnostics: the slow-poll warning at the threshold and not below, and the
//! report of a program that can never make progress.

use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::rc::Rc;
use std::time::Duration;

use tinyloop::runtime::trace::{Event, MAIN, Recorder, SLOW_POLL_THRESHOLD, simulate_blocking};
use tinyloop::{Builder, JoinHandle, Queue, TaskId, run_virtual, spawn_named};

/// The slow polls a program makes, on the virtual clock with the default threshold.
fn slow_polls(block_for: Duration) -> Vec<(TaskId, Duration)> {
    let recorder = Recorder::new();
    let runtime = Builder::new()
        .virtual_clock(true)
        .tracer(recorder.clone())
        .build();
    runtime.block_on(async move {
        spawn_named("blocker", async move { simulate_blocking(block_for) })
            .await
            .unwrap();
    });
    recorder
        .events()
        .into_iter()
        .filter_map(|event| match event {
            Event::SlowPoll { task, took } => Some((task, took)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_slow_poll_threshold_is_asyncios_100_ms() {
    assert_eq!(SLOW_POLL_THRESHOLD, Duration::from_millis(100));
}

#[test]
fn a_poll_of_100_ms_is_reported_naming_its_task() {
    let slow = slow_polls(Duration::from_millis(100));
    assert_eq!(slow.len(), 1);
    assert_eq!(slow[0].0.as_u64(), 1); // the blocker, task-1
    assert_eq!(slow[0].1, Duration::from_millis(100));
}

#[test]
fn a_poll_of_50_ms_is_not_reported() {
    assert!(slow_polls(Duration::from_millis(50)).is_empty());
}

#[test]
fn a_slow_main_is_reported_as_main() {
    let recorder = Recorder::new();
    let runtime = Builder::new()
        .virtual_clock(true)
        .tracer(recorder.clone())
        .build();
    runtime.block_on(async { simulate_blocking(Duration::from_millis(120)) });
    assert!(recorder.events().contains(&Event::SlowPoll {
        task: MAIN,
        took: Duration::from_millis(120),
    }));
}

#[test]
fn the_threshold_can_be_changed_or_turned_off() {
    let count = |threshold: Option<Duration>| {
        let recorder = Recorder::new();
        Builder::new()
            .virtual_clock(true)
            .slow_poll_threshold(threshold)
            .tracer(recorder.clone())
            .build()
            .block_on(async { simulate_blocking(Duration::from_millis(50)) });
        recorder
            .events()
            .iter()
            .filter(|event| matches!(event, Event::SlowPoll { .. }))
            .count()
    };
    assert_eq!(count(Some(Duration::from_millis(40))), 1);
    assert_eq!(count(None), 0);
}

#[test]
fn in_a_busy_stretch_a_blocking_poll_is_reported_with_its_window_then_by_name() {
    let recorder = Recorder::new();
    let runtime = Builder::new()
        .virtual_clock(true)
        .tracer(recorder.clone())
        .build();
    let blocker = runtime.block_on(async {
        let spinner = spawn_named("spinner", async {
            for _ in 0..400 {
                tinyloop::yield_now().await;
            }
        });
        let blocker = spawn_named("blocker", async {
            for i in 0..400 {
                if i == 100 || i == 300 {
                    simulate_blocking(Duration::from_millis(120));
                }
                tinyloop::yield_now().await;
            }
        });
        let id = blocker.id();
        blocker.await.unwrap();
        spinner.await.unwrap();
        id
    });
    let slow: Vec<Event> = recorder
        .events()
        .into_iter()
        .filter(|e| matches!(e, Event::SlowPoll { .. } | Event::SlowPolls { .. }))
        .collect();
    assert_eq!(slow.len(), 2, "{slow:?}");
    // The first time, the loop was busy: one reading covered many polls of both tasks.
    let Event::SlowPolls { tasks, took } = &slow[0] else {
        panic!("{slow:?}")
    };
    assert!(tasks.len() > 2 && tasks.contains(&blocker));
    assert_eq!(*took, Duration::from_millis(120));
    // Then each poll was timed on its own, so the second time names the blocker alone.
    assert_eq!(
        slow[1],
        Event::SlowPoll {
            task: blocker,
            took: Duration::from_millis(120)
        }
    );
}

type Slot = Rc<RefCell<Option<JoinHandle<()>>>>;

async fn await_the_other(slot: Slot) {
    let other = slot.borrow_mut().take().unwrap();
    other.await.unwrap();
}

fn spawn_the_pair() {
    let (for_a, for_b): (Slot, Slot) = Default::default();
    let a = spawn_named("a", await_the_other(for_a.clone()));
    let b = spawn_named("b", await_the_other(for_b.clone()));
    *for_a.borrow_mut() = Some(b); // a awaits b's handle
    *for_b.borrow_mut() = Some(a); // b awaits a's handle
}

#[test]
fn two_tasks_waiting_on_each_other_are_reported_with_what_each_waits_on() {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        run_virtual(async {
            spawn_the_pair();
            std::future::pending::<()>().await;
        })
    }));
    let message = *outcome.unwrap_err().downcast::<String>().unwrap();
    assert!(
        message.starts_with("tinyloop: the loop can never make progress"),
        "{message}"
    );
    let report = message.split_once("Every task is waiting:").unwrap().1;
    assert_eq!(
        report,
        "
  main        waiting on something that did not say what
  a (task-1)  waiting on b (task-2)
  b (task-2)  waiting on a (task-1)"
    );
}

#[test]
fn a_stuck_pair_is_no_deadlock_while_main_can_still_progress() {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        run_virtual(async {
            spawn_the_pair();
            tinyloop::sleep(Duration::from_millis(10)).await;
        })
    }));
    // main's timer fires, main returns, and the pair is cancelled (and reported on stderr
    // as still pending).
    assert!(outcome.is_ok());
}

#[test]
fn two_tasks_each_waiting_for_the_others_queue_are_reported() {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        run_virtual(async {
            let (to_ping, to_pong) = (Queue::<u32>::new(0), Queue::<u32>::new(0));
            // Each waits for a message before it sends one: nobody sends first.
            let ping = spawn_named("ping", {
                let (inbox, outbox) = (to_ping.clone(), to_pong.clone());
                async move {
                    let n = inbox.get().await.unwrap();
                    outbox.put(n + 1).await.unwrap();
                }
            });
            let pong = spawn_named("pong", async move {
                let n = to_pong.get().await.unwrap();
                to_ping.put(n + 1).await.unwrap();
            });
            ping.await.unwrap();
            pong.await.unwrap();
        })
    }));
    let message = *outcome.unwrap_err().downcast::<String>().unwrap();
    let report = message.split_once("Every task is waiting:").unwrap().1;
    assert_eq!(
        report,
        "
  main           waiting on ping (task-1)
  ping (task-1)  waiting on Queue.get
  pong (task-2)  waiting on Queue.get"
    );
}
