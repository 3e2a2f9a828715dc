//! The recording holds what the explorer page shows, on both clocks.

use std::time::Duration;

use super::{Explorer, output};
use crate::blocking::to_thread;
use crate::time::sleep;
use crate::{Builder, spawn_named};

/// Run `main` with an explorer on the chosen clock; the recording's JSON text.
fn record(virtual_clock: bool, main: impl Future<Output = ()> + 'static) -> String {
    let explorer = Explorer::new();
    let runtime = Builder::new()
        .virtual_clock(virtual_clock)
        .tracer(explorer.clone())
        .build();
    runtime.block_on(main);
    drop(runtime);
    explorer.json()
}

/// The text of position `step` (the state before that step) in a recording.
fn position(json: &str, step: u64) -> &str {
    let start = json
        .find(&format!("\n{{\"step\":{step},"))
        .unwrap_or_else(|| panic!("no step {step} in {json}"));
    let rest = &json[start + 1..];
    &rest[..rest.find("\n{").unwrap_or(rest.len())]
}

#[test]
fn each_step_records_the_ready_queue_timers_with_their_wheel_place_and_task_states() {
    let json = record(true, async {
        let sleeper = spawn_named("sleeper", sleep(Duration::from_millis(300)));
        sleeper.await.unwrap();
    });
    assert!(json.contains("\"clock\":\"virtual\""), "{json}");
    // Before step 2: the sleeper is ready, main waits on it.
    let step2 = position(&json, 2);
    assert!(step2.contains("\"ready\":[1]"), "{step2}");
    assert!(step2.contains("{\"id\":0,\"state\":\"idle\",\"says\":\"waiting on sleeper (task-1)\",\"woken_by\":\"spawn\""), "{step2}");
    // Before step 3: its timer, 300 ms ahead of tick 0, waits on level 1, slot 4
    // (300 = 4 × 64 + 44), and the step jumps the clock to it.
    let step3 = position(&json, 3);
    assert!(step3.contains("\"timers\":[{\"deadline\":\"t=0.30\",\"deadline_ms\":300,\"owner\":1,\"list\":\"slot\",\"level\":1,\"slot\":4}]"), "{step3}");
    assert!(
        step3.contains("\"wait\":\"nothing ready: the virtual clock jumps to the next timer\""),
        "{step3}"
    );
    // Step 3 fired it: the sleeper is woken by a timer and completes.
    assert!(step3.contains("\"did\":[\"wake     sleeper (task-1) by a timer\",\"poll     sleeper (task-1)\",\"done     sleeper (task-1)\",\"wake     main by task-1\"]"), "{step3}");
    // The end: main has finished.
    assert!(json.contains("\"end\":true"), "{json}");
}

#[test]
fn output_lines_are_tied_to_the_step_that_printed_them() {
    let json = record(true, async {
        output("t=0.00 before the sleep");
        sleep(Duration::from_millis(50)).await;
        output("t=0.05 after the sleep");
    });
    assert!(
        position(&json, 1).contains("\"output\":[\"t=0.00 before the sleep\"]"),
        "{json}"
    );
    assert!(
        position(&json, 2).contains("\"output\":[\"t=0.05 after the sleep\"]"),
        "{json}"
    );
    // With no explorer recording, `output` does nothing (and does not panic).
    output("nobody listens");
}

#[test]
fn to_thread_jobs_in_flight_are_recorded_on_the_real_clock() {
    let json = record(false, async {
        let job = to_thread(|| std::thread::sleep(Duration::from_millis(20)));
        job.await.unwrap();
    });
    assert!(json.contains("\"clock\":\"real\""), "{json}");
    // Before step 2 main waits on the job, which is in flight.
    let step2 = position(&json, 2);
    assert!(step2.contains("\"threads\":1"), "{step2}");
    assert!(
        step2.contains("\"says\":\"waiting on a job on another thread\""),
        "{step2}"
    );
}

#[test]
fn a_task_woken_by_another_is_recorded_with_the_wakers_label() {
    let json = record(true, async {
        spawn_named("sleeper", sleep(Duration::from_millis(300)))
            .await
            .unwrap();
    });
    // Before step 4, main is ready: the sleeper's completion woke it.
    assert!(
        position(&json, 4).contains(
            "{\"id\":0,\"state\":\"ready\",\"says\":\"ready\",\"woken_by\":\"sleeper (task-1)\""
        ),
        "{json}"
    );
}
