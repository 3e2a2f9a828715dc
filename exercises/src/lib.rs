//! Exercises: build an event loop step by step, graded by tests.
//!
//! Each exercise is one file, `src/exNN_name.rs`: its `//!` doc gives the instructions, and
//! `todo!()` marks where you write. Its tests are `tests/exNN.rs`. Check your work with the
//! checker, from this directory:
//!
//! ```text
//! cargo run -- check        # every exercise: done / not yet / failing
//! cargo run -- check 3      # only exercise 03
//! ```
//!
//! The reference solutions live apart, in `src/solutions/`, and replace your files only when
//! the `solutions` feature is on: `cargo test --features solutions` grades them, and
//! `./prove.sh` shows that every exercise's tests pass with the solutions and fail with the
//! untouched skeletons. Read them after you have tried.
//!
//! This crate is its own Cargo workspace, apart from tinyloop's, so the skeletons' failing tests
//! never turn tinyloop's `cargo test --workspace` red.

/// Mounts exercise `$name` from the learner's file, or from `solutions/` with the feature on.
macro_rules! exercise {
    ($name:ident, $file:literal, $solution:literal) => {
        // Until the `todo!()`s are filled in, the skeleton's given helpers go unused.
        #[cfg(not(feature = "solutions"))]
        #[allow(dead_code, unused_imports, unused_variables, unused_mut)]
        #[path = $file]
        pub mod $name;

        #[cfg(feature = "solutions")]
        #[path = $solution]
        pub mod $name;
    };
}

exercise!(ex01, "ex01_countdown.rs", "solutions/ex01_countdown.rs");
exercise!(ex02, "ex02_block_on.rs", "solutions/ex02_block_on.rs");
exercise!(ex03, "ex03_spawn.rs", "solutions/ex03_spawn.rs");
exercise!(ex04, "ex04_join_handle.rs", "solutions/ex04_join_handle.rs");
exercise!(ex05, "ex05_timers.rs", "solutions/ex05_timers.rs");
exercise!(ex06, "ex06_wheel.rs", "solutions/ex06_wheel.rs");
exercise!(ex07, "ex07_yield_now.rs", "solutions/ex07_yield_now.rs");
exercise!(ex08, "ex08_semaphore.rs", "solutions/ex08_semaphore.rs");
exercise!(ex09, "ex09_queue.rs", "solutions/ex09_queue.rs");
exercise!(ex10, "ex10_wait_first.rs", "solutions/ex10_wait_first.rs");
exercise!(ex11, "ex11_timeout.rs", "solutions/ex11_timeout.rs");
exercise!(
    ex12,
    "ex12_poll_counter.rs",
    "solutions/ex12_poll_counter.rs"
);
exercise!(
    ex13,
    "ex13_rate_limiter.rs",
    "solutions/ex13_rate_limiter.rs"
);
