//! Exercises: build an event loop step by step, graded by tests. This library is only what the
//! tests share; the exercises are not in it.
//!
//! Each exercise is one file, `src/exNN_name.rs`: its `//!` doc gives the instructions, and
//! `todo!()` marks where you write. Its tests are `tests/exNN.rs`, and that test binary compiles
//! the exercise file into itself (a `#[path]` module), so every exercise builds on its own: a
//! half-written exercise 3 never stops exercise 1 from being checked. From this directory:
//!
//! ```text
//! cargo run -- watch        # check the current exercise on every save, move on when it passes
//! cargo run -- check        # every exercise: done / not yet / failing / does not compile
//! cargo run -- check 3      # only exercise 03
//! cargo run -- hint 3       # the next hint for exercise 03 (ask again for a stronger one)
//! ```
//!
//! The reference solutions live apart, in `src/solutions/`, and replace your files only when
//! the `solutions` feature is on: `cargo test --features solutions` grades them, and
//! `./prove.sh` shows that every exercise's tests pass with the solutions and fail with the
//! untouched skeletons. Read them after you have tried.
//!
//! This crate is its own Cargo workspace, apart from tinyloop's, so the skeletons' failing tests
//! never turn tinyloop's `cargo test --workspace` red.

/// Like `assert_eq!(got, expected)`, but the failure names which side is which:
///
/// ```text
/// countdown from 3: expected Ready(3), got Pending
///     (`future.as_mut().poll(&mut cx)`)
/// ```
///
/// The first argument is what your code produced, the second what the test expected, and the
/// optional rest is a `format!` message saying what was being checked. The checker shows this
/// message as it is, so it is written for the learner: `assert_eq!`'s `left` and `right` do not
/// say which one was the expectation.
#[macro_export]
macro_rules! expect_eq {
    ($got:expr, $expected:expr $(,)?) => {
        match (&$got, &$expected) {
            (got, expected) => {
                if !(*got == *expected) {
                    panic!("`{}`: expected {:?}, got {:?}", stringify!($got), expected, got);
                }
            }
        }
    };
    ($got:expr, $expected:expr, $($message:tt)+) => {
        match (&$got, &$expected) {
            (got, expected) => {
                if !(*got == *expected) {
                    panic!(
                        "{}: expected {:?}, got {:?}\n    (`{}`)",
                        format_args!($($message)+),
                        expected,
                        got,
                        stringify!($got),
                    );
                }
            }
        }
    };
}

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Wake, Waker};

/// How many times a [`counting_waker`] was woken.
#[derive(Clone, Default)]
pub struct WakeCount(Arc<AtomicUsize>);

impl WakeCount {
    /// The wakes so far.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

impl Wake for WakeCount {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A waker that counts its wakes, for tests that poll a future by hand and check who was
/// woken (one waiter, not all; the newest waker, not a stale one).
pub fn counting_waker() -> (Waker, WakeCount) {
    let count = WakeCount::default();
    (Waker::from(Arc::new(count.clone())), count)
}

#[cfg(test)]
mod tests {
    #[test]
    fn expect_eq_passes_on_equal_values() {
        expect_eq!(2 + 2, 4);
        expect_eq!(2 + 2, 4, "with a message");
        expect_eq!(vec![1, 2], [1, 2], "a Vec compares with an array");
    }

    #[test]
    fn expect_eq_names_the_expected_and_the_got_value() {
        let panic = std::panic::catch_unwind(|| expect_eq!(1 + 1, 3, "sum of {}", "one and one"))
            .expect_err("1 + 1 is not 3");
        let message = panic.downcast_ref::<String>().expect("a formatted message");
        assert_eq!(
            message,
            "sum of one and one: expected 3, got 2\n    (`1 + 1`)"
        );
    }

    #[test]
    fn a_counting_waker_counts_wake_and_wake_by_ref() {
        let (waker, count) = super::counting_waker();
        waker.wake_by_ref();
        waker.wake();
        assert_eq!(count.get(), 2);
    }

    #[test]
    fn expect_eq_without_a_message_names_the_expression() {
        let panic = std::panic::catch_unwind(|| expect_eq!(1 + 1, 3)).expect_err("1 + 1 is not 3");
        let message = panic.downcast_ref::<String>().expect("a formatted message");
        assert_eq!(message, "`1 + 1`: expected 3, got 2");
    }
}
