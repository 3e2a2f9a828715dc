//! `wait_for_retry`: *Lecture 24*'s Example 24.3, `asyncio.wait_for` with a timeout and retries.
//!
//! Three callers (A, B, C) each call an unreliable API with a 0.5 s timeout, up to three
//! times. The seed draws each response time at random (`random.uniform(0.1, 2.0)`); this
//! demo gives each attempt a fixed delay, chosen to show all three outcomes: A answers at
//! once (0.3 s), B times out once and succeeds on its second attempt (0.8 s, then 0.4 s), C
//! times out three times (1.2 s, 0.9 s, 0.7 s) and gives up.
//!
//! Every attempt builds a *fresh* future (`unreliable_api(...)` is called inside the loop),
//! as the seed insists for coroutines; in Rust a future that was dropped by a timeout is
//! gone, so there is nothing to reuse anyway. The three callers run concurrently under
//! `gather!`, and the results come back in argument order.

use std::time::Duration;

use tinyloop::{gather, sleep, wait_for};

use crate::{Options, say};

// ANCHOR: call_with_timeout
async fn unreliable_api(api_id: &str, delay: Duration) -> String {
    say!("API {api_id}: will respond in {:.2}s", delay.as_secs_f64());
    sleep(delay).await;
    format!("API {api_id} response")
}

/// `delays` stands in for the seed's random response time: one per attempt.
async fn call_with_timeout(api_id: &str, timeout: Duration, delays: &[u64]) -> String {
    let max_retries = delays.len();
    for (attempt, &delay) in (1..).zip(delays) {
        let fresh = unreliable_api(api_id, Duration::from_millis(delay));
        match wait_for(fresh, timeout).await {
            Ok(result) => {
                say!("API {api_id} succeeded on attempt {attempt}");
                return result;
            }
            Err(_elapsed) => say!("API {api_id} attempt {attempt} timed out"),
        }
    }
    format!("API {api_id} failed after {max_retries} attempts")
}
// ANCHOR_END: call_with_timeout

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        // ANCHOR: main
        let timeout = Duration::from_millis(500);
        let results = gather!(
            call_with_timeout("A", timeout, &[300, 1000, 1000]),
            call_with_timeout("B", timeout, &[800, 400, 1000]),
            call_with_timeout("C", timeout, &[1200, 900, 700]),
        )
        .await;
        let (a, b, c) = results;
        for result in [a, b, c] {
            say!("{result}");
        }
        // ANCHOR_END: main
    });
}
