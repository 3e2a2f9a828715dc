//! `kitchen`: *From First Principles*'s chef, one cook and three dishes.
//!
//! "In a synchronous kitchen" the cook waits for each dish before starting the next: 10 +
//! 5 + 3 = 18 minutes. "In an asynchronous kitchen" the cook starts all three and waits for
//! whichever is done: 10 minutes. Still one cook: async is about not standing idle while
//! something else does the waiting, not about more hands.
//!
//! To keep the demo short on the real clock, one kitchen minute is 0.1 s of loop time, so
//! `t=1.00` is minute 10. Each kitchen is its own `run`, so each starts at `t=0.00`.

use std::time::Duration;

use tinyloop::{now, sleep, spawn};

use crate::{Options, say};

/// One kitchen minute in loop time.
const MINUTE: Duration = Duration::from_millis(100);

// ANCHOR: cook
async fn cook(dish: &'static str, minutes: u32) {
    sleep(MINUTE * minutes).await; // the pot does the waiting, not the cook
    say!("{dish} done");
}
// ANCHOR_END: cook

/// Whole kitchen minutes since the loop started.
fn minutes_now() -> u128 {
    now().since_start().as_millis() / MINUTE.as_millis()
}

/// The demo's program.
pub fn run(options: &Options) {
    println!("sync kitchen: pasta, then sauce, then vegetables");
    options.run(async {
        // ANCHOR: sync_kitchen
        cook("pasta", 10).await; // wait for the pasta before touching the sauce
        cook("sauce", 5).await;
        cook("vegetables", 3).await;
        // ANCHOR_END: sync_kitchen
        println!("sync kitchen took {} minutes", minutes_now());
    });
    println!("async kitchen: all three at once");
    options.run(async {
        // ANCHOR: async_kitchen
        let pasta = spawn(cook("pasta", 10)); // start the pasta, move on
        let sauce = spawn(cook("sauce", 5)); // start the sauce, move on
        let vegetables = spawn(cook("vegetables", 3));
        for dish in [pasta, sauce, vegetables] {
            dish.await.expect("no dish panics");
        }
        // ANCHOR_END: async_kitchen
        println!("async kitchen took {} minutes", minutes_now());
    });
}
