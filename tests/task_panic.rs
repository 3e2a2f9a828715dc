//! Panics: a task's panic is its exception, handed to whoever awaits it.

use tinyloop::{JoinError, run, spawn, yield_now};

#[test]
fn a_panic_reaches_the_handle_and_the_loop_survives_it() {
    let (first, second) = run(async {
        let boom = spawn(async { panic!("boom in a task") });
        let fine = spawn(async { "still here" });
        (boom.await, fine.await)
    });
    assert_eq!(
        first,
        Err(JoinError::Panicked("boom in a task".to_string()))
    );
    assert_eq!(second, Ok("still here"));
}

#[test]
fn a_formatted_panic_message_is_kept() {
    let result = run(async {
        let n = 3;
        spawn(async move { panic!("item {n} is bad") }).await
    });
    match result {
        Err(JoinError::Panicked(message)) => assert_eq!(message, "item 3 is bad"),
        other => panic!("expected a panic, got {other:?}"),
    }
}

#[test]
fn an_unretrieved_panic_does_not_stop_the_loop() {
    let after = run(async {
        drop(spawn(async { panic!("nobody listens") }));
        yield_now().await;
        yield_now().await;
        "the loop went on"
    });
    assert_eq!(after, "the loop went on");
}

#[test]
#[should_panic(expected = "main failed")]
fn a_panic_in_main_propagates_out_of_run() {
    run(async { panic!("main failed") })
}

#[test]
#[should_panic(expected = "cannot start a loop from inside a running loop")]
fn run_inside_a_running_loop_panics_with_asyncios_message() {
    run(async { run(async {}) })
}

#[test]
#[should_panic(expected = "tinyloop::spawn() called outside a running loop")]
fn spawn_outside_a_loop_panics_with_a_clear_message() {
    drop(spawn(async {}));
}

#[test]
fn a_nested_run_panic_inside_a_task_is_caught_like_any_task_panic() {
    let result = run(async { spawn(async { run(async {}) }).await });
    assert!(
        matches!(&result, Err(JoinError::Panicked(message)) if message.contains("from inside a running loop")),
        "{result:?}"
    );
}

/// Panics when dropped: a `finally` block that raises.
struct PanicOnDrop;

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        panic!("a destructor failed");
    }
}

#[test]
fn a_destructor_that_panics_while_its_task_is_cancelled_does_not_stop_the_loop() {
    let result = run(async {
        let handle = spawn(async {
            let _guard = PanicOnDrop;
            std::future::pending::<()>().await;
        });
        yield_now().await; // the task runs and parks, holding the guard
        handle.cancel();
        let outcome = handle.await;
        yield_now().await;
        (outcome, "the loop went on")
    });
    assert_eq!(result, (Err(JoinError::Cancelled), "the loop went on"));
}

/// Ready at once with 5; its field panics when the spent future is dropped, which the
/// loop does after the poll returned, while it stores the output.
struct ReadyWithFailingDrop {
    _guard: PanicOnDrop,
}

impl std::future::Future for ReadyWithFailingDrop {
    type Output = u32;

    fn poll(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<u32> {
        std::task::Poll::Ready(5)
    }
}

#[test]
fn a_destructor_that_panics_after_its_future_returned_keeps_the_output() {
    let result = run(async {
        let handle = spawn(ReadyWithFailingDrop {
            _guard: PanicOnDrop,
        });
        let output = handle.await;
        yield_now().await;
        output
    });
    assert_eq!(
        result,
        Ok(5),
        "the output was stored although the drop panicked"
    );
}

/// Runs `scenario` in a child process (this same test binary, this one test) and returns
/// what it printed on stderr: the reports go to the real stderr, which a test cannot
/// capture in-process.
fn stderr_of_child(test_name: &str, scenario: impl FnOnce()) -> Option<String> {
    if std::env::var_os("TINYLOOP_PANIC_CHILD").is_some() {
        scenario();
        return None;
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test_name, "--nocapture", "--test-threads=1"])
        .env("TINYLOOP_PANIC_CHILD", "1")
        .output()
        .unwrap();
    assert!(output.status.success(), "the child run failed: {output:?}");
    Some(String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
#[expect(
    clippy::async_yields_async,
    reason = "the handle is handed out of the loop on purpose, to outlive it"
)]
fn a_panic_whose_handle_outlives_the_loop_is_reported_once_when_the_loop_ends() {
    let stderr = stderr_of_child(
        "a_panic_whose_handle_outlives_the_loop_is_reported_once_when_the_loop_ends",
        || {
            let runtime = tinyloop::Runtime::new();
            let handle = runtime.block_on(async {
                let handle = tinyloop::spawn_named("doomed", async { panic!("lost for ever") });
                yield_now().await;
                yield_now().await;
                handle
            });
            drop(runtime); // the loop ends: the panic was never retrieved
            eprintln!("MARK: the loop has ended");
            drop(handle); // must not report it a second time
        },
    );
    if let Some(stderr) = stderr {
        let (before, after) = stderr.split_once("MARK: the loop has ended").unwrap();
        let report = "task 'doomed' panicked and nobody awaited";
        assert_eq!(
            before.matches(report).count(),
            1,
            "reported at the end: {stderr}"
        );
        assert_eq!(after.matches(report).count(), 0, "and not again: {stderr}");
        assert!(before.contains("lost for ever"), "{stderr}");
    }
}

#[test]
fn an_awaited_panic_is_not_reported_at_the_loop_end() {
    let stderr = stderr_of_child("an_awaited_panic_is_not_reported_at_the_loop_end", || {
        let runtime = tinyloop::Runtime::new();
        runtime.block_on(async {
            let handle = tinyloop::spawn_named("caught", async { panic!("handled") });
            assert!(handle.await.unwrap_err().is_panic());
        });
        drop(runtime);
    });
    if let Some(stderr) = stderr {
        assert!(!stderr.contains("nobody awaited"), "{stderr}");
    }
}

#[test]
fn the_end_of_loop_report_lists_twenty_pending_tasks_and_counts_the_rest() {
    let stderr = stderr_of_child(
        "the_end_of_loop_report_lists_twenty_pending_tasks_and_counts_the_rest",
        || {
            tinyloop::run(async {
                for i in 0..25 {
                    drop(tinyloop::spawn_named(
                        format!("forgotten-{i}"),
                        std::future::pending::<()>(),
                    ));
                }
                yield_now().await;
            });
        },
    );
    if let Some(stderr) = stderr {
        assert!(stderr.contains("with 25 task(s) still pending"), "{stderr}");
        assert!(stderr.contains("forgotten-19 (task-20)"), "{stderr}");
        assert!(!stderr.contains("forgotten-20 "), "{stderr}");
        assert!(stderr.contains("\n  ... and 5 more"), "{stderr}");
    }
}
