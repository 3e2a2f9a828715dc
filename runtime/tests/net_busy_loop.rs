//! I/O beside a busy ready queue: while tasks keep yielding, the loop still asks the poller
//! often enough that a socket's wait is bounded by work done (task polls), not by steps.
//!
//! Latency is counted in loop steps (`current_step`), which does not depend on how fast the
//! machine is: a round trip that needs the poller twice costs a few steps when the poller is
//! asked every step, and 61 times as many when it is asked every 61st.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use futures_lite::{AsyncReadExt, AsyncWriteExt};
use tinyloop_runtime::executor::IO_POLL_INTERVAL;
use tinyloop_runtime::net::{TcpListener, TcpStream};
use tinyloop_runtime::{current_step, run, spawn, yield_now};

/// Start `count` tasks that yield until `stop` is set: a ready queue that never empties.
fn busy_tasks(count: usize, stop: &Rc<Cell<bool>>) {
    for _ in 0..count {
        let stop = stop.clone();
        // Detached: each ends when `stop` is set.
        drop(spawn(async move {
            while !stop.get() {
                yield_now().await;
            }
        }));
    }
}

/// What each of `count` one-byte echo round trips cost beside `busy` yielding tasks: loop
/// steps, and real time.
fn round_trips(busy: usize, count: usize) -> Vec<(u64, Duration)> {
    run(async move {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr();
        let echo = spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut byte = [0u8; 1];
            while stream.read_exact(&mut byte).await.is_ok() {
                stream.write_all(&byte).await.unwrap();
            }
        });
        let mut client = TcpStream::connect(addr).await.unwrap();
        let stop = Rc::new(Cell::new(false));
        busy_tasks(busy, &stop);
        yield_now().await; // the busy tasks are running now
        let mut costs = Vec::with_capacity(count);
        for _ in 0..count {
            let (step, time) = (current_step(), Instant::now());
            client.write_all(b"x").await.unwrap();
            let mut byte = [0u8; 1];
            client.read_exact(&mut byte).await.unwrap();
            costs.push((current_step() - step, time.elapsed()));
        }
        stop.set(true);
        drop(client);
        echo.await.unwrap();
        costs
    })
}

/// The most steps any of `count` round trips took, beside `busy` yielding tasks.
fn worst_round_trip_in_steps(busy: usize, count: usize) -> u64 {
    let costs = round_trips(busy, count);
    costs.iter().map(|&(steps, _)| steps).max().unwrap_or(0)
}

#[test]
fn beside_a_thousand_yielding_tasks_a_round_trip_takes_a_few_steps() {
    // Two waits on the poller (the server's read, then the client's), each answered at
    // the next step, plus the steps in which each side runs: asyncio's "select on every
    // iteration" when the ready queue is this long.
    let worst = worst_round_trip_in_steps(1_000, 20);
    assert!(worst <= 3, "a round trip took {worst} steps");
}

#[test]
fn beside_one_yielding_task_io_waits_at_most_the_poll_interval() {
    // One task poll per step: the poller is asked every IO_POLL_INTERVAL steps, so each of
    // the two waits costs at most that many steps (and the yield-heavy loop pays for one
    // poller turn per IO_POLL_INTERVAL task polls, as before).
    let worst = worst_round_trip_in_steps(1, 20);
    assert!(
        worst <= 2 * IO_POLL_INTERVAL + 4,
        "a round trip took {worst} steps"
    );
}

/// Not a test: the measurement behind `IO_POLL_INTERVAL`'s docs. Prints the median and worst
/// real time of a TCP round trip beside 0, 1 and 1,000 yielding tasks. Run it with
/// `cargo test --release -p tinyloop-runtime --test net_busy_loop -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement; run it by name, in release"]
fn round_trip_time_beside_yielding_tasks() {
    for busy in [0, 1, 1_000] {
        let costs = round_trips(busy, 200);
        let steps = costs.iter().map(|&(steps, _)| steps).max().unwrap_or(0);
        let mut times: Vec<_> = costs.into_iter().map(|(_, time)| time).collect();
        times.sort();
        println!(
            "beside {busy:>5} yielding tasks: round trip median {:?}, worst {:?}; worst {steps} steps",
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
}
