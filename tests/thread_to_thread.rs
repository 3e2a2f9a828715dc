//! `to_thread`: blocking work on the loop's pool, results back to the awaiting task.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tinyloop::runtime::blocking::pool_threads;
use tinyloop::{ToThreadError, now, run, run_virtual, sleep, spawn, to_thread, yield_now};

#[test]
fn ten_thousand_jobs_all_come_back_with_their_results() {
    let total = run(async {
        let handles: Vec<_> = (0..10_000u64)
            .map(|i| spawn(to_thread(move || i * 2)))
            .collect();
        let mut total = 0;
        for handle in handles {
            total += handle.await.unwrap().unwrap();
        }
        assert!(pool_threads() <= 32, "the pool is bounded");
        total
    });
    assert_eq!(total, 2 * (0..10_000u64).sum::<u64>());
}

#[test]
fn a_panicking_job_is_an_error_for_its_awaiter_and_the_pool_goes_on() {
    run(async {
        let failed = to_thread(|| -> u8 { panic!("bad input: {}", 42) }).await;
        assert_eq!(
            failed,
            Err(ToThreadError::Panicked("bad input: 42".to_string()))
        );
        assert_eq!(
            failed.unwrap_err().to_string(),
            "the function given to to_thread panicked: bad input: 42"
        );
        assert_eq!(
            to_thread(|| 7).await,
            Ok(7),
            "the worker survived the panic"
        );
    });
}

#[test]
fn no_thread_starts_before_the_first_job() {
    run(async {
        assert_eq!(pool_threads(), 0);
        to_thread(|| ()).await.unwrap();
        assert_eq!(pool_threads(), 1);
    });
}

#[test]
fn cancelling_the_awaiter_does_not_stop_the_thread_and_run_waits_for_it() {
    let started = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let (s, f) = (started.clone(), finished.clone());
    let finished_seen = finished.clone();
    run(async move {
        let job = spawn(to_thread(move || {
            s.store(true, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(300));
            f.store(true, Ordering::SeqCst);
        }));
        while !started.load(Ordering::SeqCst) {
            yield_now().await;
        }
        job.cancel();
        assert!(job.await.unwrap_err().is_cancelled());
        // The awaiter is gone, the thread is not: it cannot be interrupted.
        assert!(!finished_seen.load(Ordering::SeqCst));
    });
    // asyncio.run waits for running to_thread jobs before it returns; so does run.
    assert!(finished.load(Ordering::SeqCst));
}

#[test]
fn a_job_cancelled_before_it_starts_never_runs() {
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = ran.clone();
    run(async move {
        // Fill every worker with a slow job, then queue one more and cancel it at once.
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let blockers: Vec<_> = (0..(cpus + 4).min(32))
            .map(|_| spawn(to_thread(|| std::thread::sleep(Duration::from_millis(200)))))
            .collect();
        yield_now().await; // the blockers are queued
        let queued = spawn(to_thread(move || counter.fetch_add(1, Ordering::SeqCst)));
        yield_now().await; // queued behind them
        queued.cancel();
        assert!(queued.await.unwrap_err().is_cancelled());
        for blocker in blockers {
            blocker.await.unwrap().unwrap();
        }
    });
    assert_eq!(ran.load(Ordering::SeqCst), 0);
}

#[test]
fn on_the_virtual_clock_a_job_takes_no_loop_time_and_holds_the_clock() {
    run_virtual(async {
        let timer = spawn(async {
            sleep(Duration::from_secs(1)).await;
            now().to_string()
        });
        // Real time passes on the worker; the clock does not jump past the job's result.
        let at = to_thread(|| std::thread::sleep(Duration::from_millis(30))).await;
        assert_eq!((at, now().to_string()), (Ok(()), "t=0.00".to_string()));
        assert_eq!(timer.await.unwrap(), "t=1.00");
    });
}

#[test]
fn on_the_virtual_clock_a_job_that_waits_for_a_timer_is_not_stuck_for_ever() {
    // The job waits for a task that waits for a timer. Holding the clock for the job would
    // deadlock; after VIRTUAL_THREAD_PATIENCE (1 s of real time) the clock moves on.
    run_virtual(async {
        let (sender, receiver) = std::sync::mpsc::channel();
        let _timer = spawn(async move {
            sleep(Duration::from_secs(2)).await;
            sender.send(now().to_string()).unwrap();
        });
        let heard = to_thread(move || receiver.recv().unwrap()).await.unwrap();
        assert_eq!(heard, "t=2.00");
    });
}
