//! `deadlock`: two tasks that wait for each other, and the report the loop gives instead of
//! hanging.
//!
//! *Concurrency Patterns* warns of deadlock: "two or more coroutines are waiting for each other to
//! release a resource, and none can proceed. This can happen with complex lock
//! interactions." Here is the smallest such interaction, the dining philosophers with two
//! diners: `alice` takes the fork, then wants the knife; `bob` takes the knife, then wants
//! the fork. Each holds what the other needs.
//!
//! In asyncio such a program just hangs: the loop sits in `select()` forever. tinyloop's
//! loop sees, at the start of a step, that no task is ready, no timer is set, no I/O is
//! registered and no job runs on another thread: nothing can ever wake a task again. It
//! stops and lists every task with what it waits on.
//!
//! That conclusion is sure only on the virtual clock, where the program promises that only
//! the loop moves time and nothing from outside wakes a task unannounced. On the real clock
//! any thread could hold a waker (a `Waker` is `Send`), so the loop warns after one idle
//! second and keeps waiting. This demo therefore always runs on the virtual clock.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use tinyloop::{Lock, sleep, spawn_named};

use crate::{Options, say};

// ANCHOR: diner
async fn diner(
    name: &'static str,
    first: (&'static str, Lock<()>),
    then: (&'static str, Lock<()>),
) {
    let _first = first.1.lock().await;
    say!("{name}: took the {}", first.0);
    sleep(Duration::from_millis(100)).await; // long enough for the other to take theirs
    say!("{name}: waiting for the {}", then.0);
    let _then = then.1.lock().await; // never granted: the other holds it and waits too
    say!("{name}: eating (never printed)");
}
// ANCHOR_END: diner

/// The demo's program.
pub fn run(options: &Options) {
    run_reporting_a_deadlock(options, "the loop finished: no deadlock?", async {
        // ANCHOR: main
        let (fork, knife) = (Lock::new(()), Lock::new(()));
        let alice = spawn_named(
            "alice",
            diner("alice", ("fork", fork.clone()), ("knife", knife.clone())),
        );
        let bob = spawn_named("bob", diner("bob", ("knife", knife), ("fork", fork)));
        alice.await.expect("alice does not panic");
        bob.await.expect("bob does not panic");
        // ANCHOR_END: main
    });
}

/// Run `main` on the virtual clock (see the module docs: only there is a deadlock certain)
/// and print the loop's deadlock report once, as the demo's output; print `if_finished` if
/// the loop finished instead. Used by every demo whose lesson is a program that hangs
/// (`deadlock`, `forgot_task_done`).
pub fn run_reporting_a_deadlock<F: Future<Output = ()>>(
    options: &Options,
    if_finished: &str,
    main: F,
) {
    let options = Options {
        virtual_clock: true,
        ..options.clone()
    };
    // The loop stops by panicking with its report, so that a program nobody watches does
    // not hang. Here the report is the outcome the demo is about: print it once, below, as
    // the demo's output, not as a crash with a backtrace (the process exits with status 0).
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let stopped = catch_unwind(AssertUnwindSafe(|| options.run(main)));
    std::panic::set_hook(default_hook);
    match stopped {
        Ok(()) => println!("{if_finished}"),
        Err(payload) => {
            let report = payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "a panic without a message".to_string());
            println!("the loop stopped instead of hanging; its report:");
            println!("{report}");
        }
    }
}
