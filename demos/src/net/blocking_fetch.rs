//! `blocking_fetch`: "Understanding AsyncIO in Python: From First Principles", its first two
//! programs: `fetch_data_sync` (two `requests.get` calls, each blocking for 2 s: 4 s in all)
//! beside `fetch_data_async` (two `aiohttp` requests in flight at once: 2 s).
//!
//! The text fetches `https://httpbin.org/delay/2`. The demo must run offline and print the
//! same lines every time, so the request is simulated: the blocking `requests.get` is
//! [`simulate_blocking`] for 2 s (`std::thread::sleep` on the real clock; on the virtual
//! clock the loop's time jumps by 2 s while nothing else runs, which is what a blocked loop
//! looks like), and the non-blocking `session.get` is a 2 s `sleep().await`. (The `crawler`
//! and `scraper` demos fetch over real sockets from a local server.)
//!
//! A heartbeat task ticks every 0.3 s beside each version, so that the output shows what
//! blocking costs the *other* tasks: while the two `requests.get` calls block, for 4 s, it
//! ticks not once; beside the `aiohttp` version it ticks six times in 2 s. The loop notices
//! the 4 s without a break and says so on stderr (the slow-poll warning of the chapter
//! "Watching the loop"; asyncio prints the like only in debug mode).

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use tinyloop::runtime::trace::simulate_blocking;
use tinyloop::{Instant, gather, now, sleep, spawn, yield_now};

use crate::{Options, say};

// ANCHOR: requests_get
/// `requests.get(url)`: the thread waits for the answer, and the loop with it.
fn requests_get(url: &str) -> String {
    simulate_blocking(Duration::from_secs(2)); // the server's delay; nothing else runs
    format!("{{\"url\": \"{url}\"}}")
}

/// `session.get(url)` of `aiohttp`: the task waits, the loop runs the others.
async fn session_get(url: &str) -> String {
    sleep(Duration::from_secs(2)).await; // the server's delay; the loop is free
    format!("{{\"url\": \"{url}\"}}")
}
// ANCHOR_END: requests_get

// ANCHOR: fetch
async fn fetch_data_sync() -> [String; 2] {
    say!("Starting first request...");
    let response1 = requests_get("https://httpbin.org/delay/2"); // waits 2 seconds
    say!("First request completed");
    say!("Starting second request...");
    let response2 = requests_get("https://httpbin.org/delay/2"); // waits another 2 seconds
    say!("Second request completed");
    [response1, response2]
}

async fn fetch_data_async() -> [String; 2] {
    say!("Starting both requests...");
    let task1 = spawn(session_get("https://httpbin.org/delay/2"));
    let task2 = spawn(session_get("https://httpbin.org/delay/2"));
    say!("Both requests initiated, now waiting for completion...");
    let (response1, response2) = gather!(task1, task2).await;
    [response1.expect("no panic"), response2.expect("no panic")]
}
// ANCHOR_END: fetch

/// Tick every 0.3 s until cancelled, counting the ticks: a task that needs the loop.
async fn heartbeat(ticks: Rc<Cell<u32>>) {
    loop {
        sleep(Duration::from_millis(300)).await;
        ticks.set(ticks.get() + 1);
        say!("  heartbeat {}", ticks.get());
    }
}

// ANCHOR: timed
/// Run `fetch` beside a heartbeat; print the total time and how often the heartbeat ticked.
async fn timed<F: Future<Output = [String; 2]>>(fetch: F) {
    let ticks = Rc::new(Cell::new(0));
    let beat = spawn(heartbeat(ticks.clone()));
    yield_now().await; // let the heartbeat start: it now sleeps until t=0.30
    let start: Instant = now();
    let results = fetch.await;
    say!(
        "Total time: {:.2} seconds for {} responses; the heartbeat ticked {} times meanwhile",
        start.elapsed().as_secs_f64(),
        results.len(),
        ticks.get()
    );
    beat.cancel();
}
// ANCHOR_END: timed

/// The demo's program.
pub fn run(options: &Options) {
    println!("--- fetch_data_sync: requests.get blocks ---");
    options.run(timed(fetch_data_sync()));
    println!("--- fetch_data_async: both requests in flight ---");
    options.run(timed(fetch_data_async()));
}
