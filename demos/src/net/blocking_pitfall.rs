//! `blocking_pitfall`: *From First Principles*'s "Blocking the Event Loop" pitfall, measured.
//!
//! Task A waits 0.3 s and task B 0.4 s, three ways:
//!
//! 1. `std::thread::sleep` (Python's `time.sleep`) **inside a task**: it blocks the loop's
//!    only thread, so task B cannot even start until task A is done. 0.7 s in all.
//! 2. `sleep(..).await` (`asyncio.sleep`): the task gives the loop back; both wait at once.
//!    0.4 s.
//! 3. `to_thread(|| std::thread::sleep(..))` (`asyncio.to_thread(time.sleep, ..)`): the
//!    blocking call runs on a pool thread; the loop stays free. 0.4 s.
//!
//! The wall-clock timings are printed when the demo runs on the real clock. On the virtual
//! clock, blocking takes no *loop* time (the clock only moves when the loop moves it), so
//! the lesson shows in the order of the lines instead: in case 1, task B starts only after
//! task A is done; in cases 2 and 3, both start before either finishes.

use std::time::{Duration, Instant};

use tinyloop::{sleep, spawn_named, to_thread};

use crate::{Options, say};

// ANCHOR: three_ways
async fn blocks_the_loop(name: &'static str, wait: Duration) {
    say!("{name}: starting, std::thread::sleep({wait:?})");
    std::thread::sleep(wait); // ❌ time.sleep: every task waits with us
    say!("{name}: done");
}

async fn yields_to_the_loop(name: &'static str, wait: Duration) {
    say!("{name}: starting, sleep({wait:?}).await");
    sleep(wait).await; // ✅ asyncio.sleep: the loop runs others meanwhile
    say!("{name}: done");
}

async fn blocks_a_pool_thread(name: &'static str, wait: Duration) {
    say!("{name}: starting, to_thread(std::thread::sleep({wait:?}))");
    to_thread(move || std::thread::sleep(wait)).await.unwrap(); // ✅ asyncio.to_thread
    say!("{name}: done");
}
// ANCHOR_END: three_ways

/// Run tasks A and B made by `task` side by side; return the wall-clock time taken.
fn race<F: std::future::Future<Output = ()> + 'static>(
    options: &Options,
    task: fn(&'static str, Duration) -> F,
) -> Duration {
    let started = Instant::now();
    options.run(async move {
        let a = spawn_named("task A", task("task A", Duration::from_millis(300)));
        let b = spawn_named("task B", task("task B", Duration::from_millis(400)));
        a.await.unwrap();
        b.await.unwrap();
    });
    started.elapsed()
}

/// The demo's program.
pub fn run(options: &Options) {
    println!("--- 1. std::thread::sleep inside a task (blocks the loop) ---");
    let blocking = race(options, blocks_the_loop);
    println!("--- 2. sleep().await (gives the loop back) ---");
    let yielding = race(options, yields_to_the_loop);
    println!("--- 3. to_thread(std::thread::sleep) (blocks a pool thread, not the loop) ---");
    let threaded = race(options, blocks_a_pool_thread);
    if options.virtual_clock {
        println!(
            "(virtual clock: blocking takes no loop time, so compare the order of the lines; \
             run without --virtual for wall-clock timings)"
        );
    } else {
        println!("wall-clock time for two tasks that wait 0.3 s and 0.4 s:");
        println!(
            "  1. std::thread::sleep in a task : {:.2} s",
            blocking.as_secs_f64()
        );
        println!(
            "  2. sleep().await                : {:.2} s",
            yielding.as_secs_f64()
        );
        println!(
            "  3. to_thread(std::thread::sleep): {:.2} s",
            threaded.as_secs_f64()
        );
    }
}
