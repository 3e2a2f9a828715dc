//! Hardening of the loop itself: programs a hostile (or unlucky) user writes, each of which
//! once hung, spun or aborted the process. One test per behaviour, named after it.
//!
//! A test of something that used to hang runs its body on a thread of its own and fails
//! after a generous limit, so a regression fails loudly instead of stalling the suite.

use std::cell::Cell;
use std::future::{Future, poll_fn};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::Duration;

use tinyloop::runtime::trace::{Event, Tracer};
use tinyloop::{
    Builder, Runtime, now, run, run_virtual, sleep, spawn, timeout, to_thread, yield_now,
};

/// Run `body` on another thread; fail if it does not finish within `limit` (a hang).
fn within<T: Send + 'static>(limit: Duration, body: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(body());
    });
    match finished.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("did not finish within {limit:?}: the loop hangs or spins")
        }
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the body panicked (above)"),
    }
}

/// The text of a panic.
fn message_of(payload: &(dyn std::any::Any + Send)) -> String {
    match (
        payload.downcast_ref::<String>(),
        payload.downcast_ref::<&str>(),
    ) {
        (Some(text), _) => text.clone(),
        (None, Some(text)) => text.to_string(),
        (None, None) => String::new(),
    }
}

// ---- 3. Deadlines that cannot be represented are "never" ----

#[test]
fn timeout_of_duration_max_around_a_thread_job_returns_the_job_s_value() {
    let value = within(Duration::from_secs(20), || {
        run_virtual(async { timeout(Duration::MAX, to_thread(|| 5)).await })
    });
    assert_eq!(value, Ok(Ok(5)));
}

#[test]
fn a_task_sleeping_duration_max_does_not_stop_the_clock_for_others() {
    let at = within(Duration::from_secs(20), || {
        run_virtual(async {
            let _forever = spawn(sleep(Duration::MAX));
            sleep(Duration::from_secs(3)).await;
            now().to_string()
        })
    });
    assert_eq!(at, "t=3.00");
}

#[test]
fn timeout_of_duration_max_on_the_real_clock_lets_the_body_finish() {
    let value = within(Duration::from_secs(20), || {
        run(async {
            timeout(Duration::MAX, async {
                sleep(Duration::from_millis(5)).await;
                7
            })
            .await
        })
    });
    assert_eq!(value, Ok(7));
}

#[test]
fn a_sleep_of_a_thousand_years_alone_is_reported_as_a_deadlock_not_a_spin() {
    let outcome = within(Duration::from_secs(20), || {
        std::panic::catch_unwind(|| run_virtual(sleep(Duration::from_secs(1000 * 365 * 86_400))))
            .map_err(|payload| message_of(payload.as_ref()))
    });
    let message = outcome.expect_err("nothing can ever end this sleep");
    assert!(message.contains("can never make progress"), "{message}");
}

// ---- 5. Shutdown ends, even when destructors keep spawning ----

/// A future whose destructor spawns another like itself: an endless chain at shutdown.
struct SpawnsInDrop;

impl Future for SpawnsInDrop {
    type Output = ();
    fn poll(self: std::pin::Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
        Poll::Pending
    }
}

impl Drop for SpawnsInDrop {
    fn drop(&mut self) {
        // The loop is closing: a spawn here is refused (asyncio: "Event loop is closed").
        let _ = std::panic::catch_unwind(|| drop(spawn(SpawnsInDrop)));
    }
}

#[test]
fn run_returns_when_every_cancelled_task_spawns_another_in_its_destructor() {
    within(Duration::from_secs(20), || {
        run(async {
            drop(spawn(SpawnsInDrop));
            yield_now().await;
        })
    });
}

// ---- 6. The smallest executor refuses to run inside a loop ----

#[test]
fn block_on_inside_a_task_panics_with_the_same_message_as_run() {
    let message = within(Duration::from_secs(20), || {
        run(async {
            let inner = std::panic::catch_unwind(|| tinyloop::block_on(async { 1 }));
            let payload = inner.expect_err("block_on inside a running loop must refuse");
            message_of(payload.as_ref())
        })
    });
    assert!(
        message.contains("cannot start a loop from inside a running loop"),
        "{message}"
    );
}

// ---- 7. A waker held by a user thread counts as something outside the loop ----

#[test]
fn a_task_woken_by_a_user_thread_100ms_later_is_not_reported_stuck_on_the_virtual_clock() {
    let value = within(Duration::from_secs(20), || {
        run_virtual(async {
            let slot: Arc<Mutex<Option<u32>>> = Arc::default();
            let started = Cell::new(false);
            poll_fn(|cx| {
                if let Some(value) = *slot.lock().unwrap() {
                    return Poll::Ready(value);
                }
                if !started.replace(true) {
                    let (slot, waker) = (slot.clone(), cx.waker().clone());
                    thread::spawn(move || {
                        thread::sleep(Duration::from_millis(100));
                        *slot.lock().unwrap() = Some(42);
                        waker.wake();
                    });
                }
                Poll::Pending
            })
            .await
        })
    });
    assert_eq!(value, 42);
}

// ---- 10. A waker that panics on a pool thread does not kill the worker ----

/// A waker whose `wake` panics, as a buggy hand-written waker might.
struct PanickingWaker;

impl Wake for PanickingWaker {
    fn wake(self: Arc<Self>) {
        panic!("this waker is broken");
    }
}

#[test]
fn to_thread_keeps_working_after_many_jobs_woke_a_panicking_waker() {
    let value = within(Duration::from_secs(60), || {
        run(async {
            let broken = Waker::from(Arc::new(PanickingWaker));
            // More than the pool's largest size (32): each job's wake panics on its worker.
            let mut jobs = Vec::new();
            for i in 0..40 {
                let mut job = Box::pin(to_thread(move || i));
                let _ = job.as_mut().poll(&mut Context::from_waker(&broken));
                jobs.push(job);
            }
            for job in jobs {
                job.await.expect("the job itself did not panic");
            }
            timeout(Duration::from_secs(10), to_thread(|| 7)).await
        })
    });
    assert_eq!(value, Ok(Ok(7)));
}

// ---- 14. A panicking tracer is contained ----

/// A tracer that panics on every event.
struct PanickingTracer;

impl Tracer for PanickingTracer {
    fn event(&mut self, _: &Event) {
        panic!("this tracer is broken");
    }
}

#[test]
fn a_tracer_that_panics_on_every_event_neither_escapes_block_on_nor_aborts_in_drop() {
    let value = within(Duration::from_secs(20), || {
        let runtime = Builder::new()
            .virtual_clock(true)
            .tracer(PanickingTracer)
            .build();
        let value = runtime.block_on(async {
            let task = spawn(async { 2 });
            sleep(Duration::from_millis(10)).await;
            task.await.unwrap() + 1
        });
        drop(runtime);
        value
    });
    assert_eq!(value, 3);
}

// ---- 15. A Runtime in a thread_local is dropped at thread exit without aborting ----

thread_local! {
    static KEPT: std::cell::RefCell<Option<Runtime>> = const { std::cell::RefCell::new(None) };
}

#[test]
fn an_empty_runtime_kept_in_a_thread_local_is_dropped_at_thread_exit() {
    let joined = thread::spawn(|| {
        // Nothing has touched the loop's own thread-local yet: it is first used (and may
        // already be gone) while this one is being destroyed.
        KEPT.with(|kept| *kept.borrow_mut() = Some(Runtime::new()));
    })
    .join();
    assert!(
        joined.is_ok(),
        "the thread panicked (an abort would kill the test process)"
    );
}

#[test]
fn a_runtime_kept_in_a_thread_local_outlives_the_loop_s_own_thread_local() {
    let joined = thread::spawn(|| {
        // KEPT is set up before the loop's thread-local is first used, so at thread exit
        // the loop's is destroyed first and the runtime is dropped after it.
        KEPT.with(|kept| *kept.borrow_mut() = Some(Runtime::new()));
        KEPT.with(|kept| {
            let kept = kept.borrow();
            let runtime = kept.as_ref().expect("stored above");
            runtime.block_on(async {
                drop(spawn(sleep(Duration::from_secs(60)))); // left pending
            });
        });
    })
    .join();
    assert!(
        joined.is_ok(),
        "the thread panicked (an abort would kill the test process)"
    );
}

#[test]
fn a_runtime_with_a_pending_task_kept_in_a_thread_local_is_dropped_at_thread_exit() {
    let joined = thread::spawn(|| {
        let runtime = Runtime::new();
        runtime.block_on(async {
            drop(spawn(sleep(Duration::from_secs(60)))); // left pending: cancelled at drop
        });
        KEPT.with(|kept| *kept.borrow_mut() = Some(runtime));
    })
    .join();
    assert!(
        joined.is_ok(),
        "the thread panicked (an abort would kill the test process)"
    );
}

// ---- 18. The slow-poll check can be switched off ----

#[test]
fn slow_poll_threshold_none_reports_no_slow_poll() {
    let recorder = tinyloop::runtime::trace::Recorder::new();
    Builder::new()
        .virtual_clock(true)
        .slow_poll_threshold(None)
        .tracer(recorder.clone())
        .build()
        .block_on(async { tinyloop::runtime::trace::simulate_blocking(Duration::from_secs(1)) });
    let slow = recorder
        .events()
        .into_iter()
        .filter(|event| matches!(event, Event::SlowPoll { .. } | Event::SlowPolls { .. }));
    assert_eq!(slow.count(), 0);
}

/// A tracer that stops the loop for a while at every step, as `--step` waits for Enter.
struct PausingTracer(tinyloop::runtime::trace::Recorder);

impl Tracer for PausingTracer {
    fn event(&mut self, event: &Event) {
        if matches!(event, Event::StepStarted { .. }) {
            thread::sleep(Duration::from_millis(120));
        }
        self.0.event(event);
    }
}

#[test]
fn a_tracer_pausing_at_each_step_on_the_real_clock_is_not_a_slow_poll() {
    let recorder = tinyloop::runtime::trace::Recorder::new();
    Builder::new()
        .tracer(PausingTracer(recorder.clone()))
        .build()
        .block_on(async {
            let busy = |n| async move {
                for _ in 0..n {
                    yield_now().await; // keeps the ready queue busy: no wait between steps
                }
            };
            let (a, b) = (spawn(busy(3)), spawn(busy(3)));
            a.await.unwrap();
            b.await.unwrap();
        });
    let slow: Vec<Event> = recorder
        .events()
        .into_iter()
        .filter(|event| matches!(event, Event::SlowPoll { .. } | Event::SlowPolls { .. }))
        .collect();
    assert_eq!(
        slow,
        [],
        "the pause inside the tracer was counted as a poll"
    );
}
