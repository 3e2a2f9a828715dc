//! Grades exercise 17: `to_thread`, a job on another thread that wakes the loop.
//!
//! These tests run on tinyloop's real clock (a job on another thread takes real time), and
//! never assert on how long anything took: a job that should finish is given 1 s at most, so a
//! lost wake fails with a message instead of hanging.

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::sync::mpsc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex17_to_thread.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex17_to_thread.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex17;

use ex17::{JobPanicked, to_thread};
use exercises::expect_eq;
use tinyloop::{run, timeout, yield_now};

const PATIENCE: Duration = Duration::from_secs(1);

/// Awaits `future`, failing the test (not hanging it) if it takes more than 1 s.
async fn within<F: Future>(future: F) -> F::Output {
    match timeout(PATIENCE, future).await {
        Ok(output) => output,
        Err(_) => panic!(
            "no result after 1 s: the job's thread must store the result and wake the waker \
             the future stored"
        ),
    }
}

/// A waker that reports each wake on a channel, from whatever thread wakes it.
struct Report(std::sync::Mutex<mpsc::Sender<&'static str>>, &'static str);

impl Wake for Report {
    fn wake(self: Arc<Self>) {
        let _ = self.0.lock().unwrap().send(self.1);
    }
}

fn reporting(name: &'static str, to: &mpsc::Sender<&'static str>) -> Waker {
    Waker::from(Arc::new(Report(std::sync::Mutex::new(to.clone()), name)))
}

#[test]
fn the_result_of_the_job_comes_back_to_the_task() {
    let out = run(async { within(to_thread(|| 6 * 7)).await });
    expect_eq!(out, Ok(42));
}

#[test]
fn the_job_runs_on_another_thread() {
    let loop_thread = std::thread::current().id();
    let job_thread = run(async {
        within(to_thread(|| std::thread::current().id()))
            .await
            .unwrap()
    });
    assert_ne!(
        job_thread, loop_thread,
        "the job ran on the loop's thread: it must run on a thread of its own"
    );
}

#[test]
fn the_loop_keeps_running_tasks_while_a_job_blocks() {
    let out = run(async {
        let (send, receive) = mpsc::channel::<u32>();
        // The job blocks until a task on the loop sends it a number.
        let job = to_thread(move || receive.recv_timeout(PATIENCE).map(|n| n * 2));
        let sender = tinyloop::spawn(async move {
            yield_now().await;
            send.send(21).unwrap();
        });
        let out = within(job).await.unwrap();
        sender.await.unwrap();
        out
    });
    expect_eq!(
        out,
        Ok(42),
        "the job's result (Err(Timeout): the loop was blocked while the job waited for it)"
    );
}

#[test]
fn a_job_that_finishes_while_the_future_waits_wakes_the_latest_waker_once() {
    let (wakes, woken) = mpsc::channel();
    let (go, gate) = mpsc::channel::<()>();
    let mut future = pin!(to_thread(move || {
        gate.recv().unwrap();
        "done"
    }));
    let first = reporting("first waker", &wakes);
    let second = reporting("second waker", &wakes);
    assert!(
        future
            .as_mut()
            .poll(&mut Context::from_waker(&first))
            .is_pending()
    );
    // Polled again, from a "moved" task: the job must wake this newer waker.
    assert!(
        future
            .as_mut()
            .poll(&mut Context::from_waker(&second))
            .is_pending()
    );
    go.send(()).unwrap();
    let got = woken.recv_timeout(PATIENCE).unwrap_or("no wake within 1 s");
    expect_eq!(got, "second waker", "which waker the finished job woke");
    let ready = future.as_mut().poll(&mut Context::from_waker(&second));
    expect_eq!(ready, Poll::Ready(Ok("done")), "the poll after the wake");
    expect_eq!(
        woken.recv_timeout(Duration::from_millis(50)).ok(),
        None,
        "a second wake"
    );
}

#[test]
fn a_job_that_finishes_around_the_first_poll_is_never_lost() {
    let (wakes, woken) = mpsc::channel();
    let (done, finished) = mpsc::channel();
    let mut future = pin!(to_thread(move || {
        done.send(()).unwrap();
        5
    }));
    finished
        .recv_timeout(PATIENCE)
        .expect("the job should start at once");
    // The job is finishing now, racing with this poll: either the poll sees its result, or
    // the job sees the waker this poll stores, and wakes it.
    let waker = reporting("the waker", &wakes);
    let mut cx = Context::from_waker(&waker);
    let mut polled = future.as_mut().poll(&mut cx);
    if polled.is_pending() {
        let got = woken.recv_timeout(PATIENCE).unwrap_or("no wake within 1 s");
        expect_eq!(got, "the waker", "the wake after a pending first poll");
        polled = future.as_mut().poll(&mut cx);
    }
    expect_eq!(polled, Poll::Ready(Ok(5)));
}

#[test]
fn a_job_that_panics_gives_an_error_instead_of_a_hang() {
    let out = run(async { within(to_thread(|| -> u8 { panic!("the job broke") })).await });
    expect_eq!(out, Err(JobPanicked));
}
