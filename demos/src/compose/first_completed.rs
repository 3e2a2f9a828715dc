//! `first_completed`: *Lecture 24*'s Example 24.2, `asyncio.wait` with `FIRST_COMPLETED`.
//!
//! Three regions are queried at once; the first answer wins, and the two slower queries are
//! cancelled. The seed adds random jitter (`random.uniform(0, 0.3)`) so the winner varies;
//! this demo uses the fixed base delays (us-east 0.2 s, eu-west 0.3 s, ap-south 0.4 s) so
//! that its output is the same on every run and can be checked.
//!
//! Two Rust differences show in the output. `wait` cancels nothing (as in asyncio): the
//! losers are cancelled by hand. And cancellation is a drop: each query holds a guard
//! whose destructor prints the cleanup, where Python would write `except CancelledError:`.
//! Awaiting the cancelled handles (`gather_all(pending)`, the seed's
//! `gather(*pending, return_exceptions=True)`) waits until every cleanup has run.

use std::time::Duration;

use tinyloop::{ReturnWhen, gather_all, sleep, spawn_named, wait};

use crate::{Options, say};

// ANCHOR: query_region
/// Prints the query's cleanup if it is dropped before it answered: the `except
/// CancelledError:` block of the Python version.
pub(crate) struct Cleanup {
    /// The region queried.
    pub(crate) region: &'static str,
    /// True once the answer came: nothing to clean up.
    pub(crate) answered: bool,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if !self.answered {
            say!("{}: cancelled, closing the connection", self.region);
        }
    }
}

async fn query_region(region: &'static str, delay: Duration) -> String {
    let mut cleanup = Cleanup {
        region,
        answered: false,
    };
    say!("{region}: query sent");
    sleep(delay).await;
    cleanup.answered = true;
    format!("Response from {region} in {:.2}s", delay.as_secs_f64())
}
// ANCHOR_END: query_region

/// The demo's program.
pub fn run(options: &Options) {
    options.run(async {
        // ANCHOR: main
        let regions = vec![
            spawn_named(
                "us-east",
                query_region("us-east", Duration::from_millis(200)),
            ),
            spawn_named(
                "eu-west",
                query_region("eu-west", Duration::from_millis(300)),
            ),
            spawn_named(
                "ap-south",
                query_region("ap-south", Duration::from_millis(400)),
            ),
        ];

        let (done, pending) = wait(regions, ReturnWhen::FirstCompleted, None).await;

        let fastest = done
            .into_iter()
            .next()
            .expect("FirstCompleted returns a done task");
        say!(
            "Winner: {}",
            fastest.into_result().expect("queries do not panic")
        );

        for task in &pending {
            task.cancel();
        }
        let cancelled = pending.len();
        gather_all(pending).await; // let the cancellations happen, like gather(*pending)
        say!("Cancelled {cancelled} slower tasks");
        // ANCHOR_END: main
    });
}
