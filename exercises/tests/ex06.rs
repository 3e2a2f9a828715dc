//! Grades exercise 06: a one-level timing wheel, alone and under the executor.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

// The exercise is compiled into this test binary alone, so a compile error in another
// exercise never stops this one. `--features solutions` grades the reference solution instead.
#[cfg_attr(not(feature = "solutions"), path = "../src/ex06_wheel.rs")]
#[cfg_attr(feature = "solutions", path = "../src/solutions/ex06_wheel.rs")]
#[allow(dead_code, unused_imports, unused_variables, unused_mut)]
mod ex06;

use ex06::{Executor, Wheel};
use exercises::expect_eq;

#[test]
fn poll_returns_due_timers_in_deadline_order_and_removes_them() {
    let mut wheel = Wheel::new(8);
    wheel.insert(5, 50);
    wheel.insert(2, 20);
    wheel.insert(7, 70);
    wheel.insert(2, 21);
    expect_eq!(wheel.len(), 4);
    expect_eq!(wheel.poll(1), Vec::<u64>::new(), "nothing is due at tick 1");
    expect_eq!(wheel.poll(5), [20, 21, 50], "ties fire in insertion order");
    expect_eq!(wheel.len(), 1);
    expect_eq!(wheel.poll(5), Vec::<u64>::new(), "a timer fires once");
    expect_eq!(wheel.poll(7), [70]);
    assert!(wheel.is_empty());
}

#[test]
fn a_timer_a_revolution_away_does_not_fire_when_the_hand_first_passes_its_slot() {
    let mut wheel = Wheel::new(8);
    wheel.insert(3, 1); // slot 3
    wheel.insert(11, 2); // slot 3 too, one revolution later
    wheel.insert(27, 3); // slot 3, three revolutions later
    expect_eq!(wheel.poll(3), [1]);
    expect_eq!(
        wheel.poll(10),
        Vec::<u64>::new(),
        "tick 11 has not come yet"
    );
    expect_eq!(wheel.poll(11), [2]);
    expect_eq!(wheel.poll(26), Vec::<u64>::new());
    expect_eq!(wheel.poll(27), [3]);
}

#[test]
fn a_poll_that_jumps_many_revolutions_fires_everything_due_in_order() {
    let mut wheel = Wheel::new(4);
    for (deadline, key) in [(100, 1), (3, 2), (9, 3), (50, 4), (1000, 5)] {
        wheel.insert(deadline, key);
    }
    expect_eq!(wheel.poll(500), [2, 3, 4, 1]);
    expect_eq!(wheel.len(), 1);
    expect_eq!(wheel.next_deadline(), Some(1000));
}

#[test]
fn a_timer_filed_in_the_past_fires_at_the_next_poll() {
    let mut wheel = Wheel::new(8);
    assert!(wheel.poll(20).is_empty());
    wheel.insert(13, 7); // already due: tick 20 has passed
    wheel.insert(20, 8); // due now
    expect_eq!(wheel.poll(20), [7, 8]);
}

/// A small deterministic random generator (no dependency needed).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn the_wheel_agrees_with_a_sorted_list_on_random_schedules() {
    for seed in 0..50 {
        let mut rng = Lcg(seed);
        let slots = 1 + rng.below(16) as usize;
        let mut wheel = Wheel::new(slots);
        let mut model: Vec<(u64, u64)> = Vec::new(); // (deadline, key), insertion order
        let mut now = 0;
        for key in 0..200 {
            if rng.below(3) == 0 {
                now += rng.below(40);
                let due: Vec<u64> = {
                    let mut due: Vec<_> = model.iter().filter(|(d, _)| *d <= now).collect();
                    due.sort_by_key(|(d, _)| *d); // stable: ties keep insertion order
                    due.into_iter().map(|(_, k)| *k).collect()
                };
                model.retain(|(d, _)| *d > now);
                expect_eq!(
                    wheel.poll(now),
                    due,
                    "seed {seed}, {slots} slots, poll({now})"
                );
            } else {
                let deadline = now.saturating_sub(5) + rng.below(100);
                wheel.insert(deadline, key);
                model.push((deadline, key));
            }
            expect_eq!(wheel.len(), model.len(), "seed {seed}");
        }
    }
}

#[test]
fn the_executor_on_the_wheel_wakes_sleepers_at_exact_times() {
    let ex = Executor::new();
    let log = Rc::new(RefCell::new(Vec::new()));
    // 64 slots of 1 ms: 1000 ms and 65 ms share slots with nearer timers.
    for after in [1000, 30, 64, 65, 1] {
        let (ex2, log) = (ex.clone(), log.clone());
        ex.spawn(async move {
            ex2.sleep(Duration::from_millis(after)).await;
            log.borrow_mut().push(ex2.now().as_millis());
        });
    }
    ex.run();
    expect_eq!(*log.borrow(), [1, 30, 64, 65, 1000]);
    expect_eq!(ex.pending_timers(), 0);
}

#[test]
fn a_sleep_of_a_fraction_of_a_millisecond_never_ends_early() {
    let ex = Executor::new();
    let ex2 = ex.clone();
    let woke = Rc::new(RefCell::new(None));
    let seen = woke.clone();
    ex.spawn(async move {
        ex2.sleep(Duration::from_micros(1500)).await;
        *seen.borrow_mut() = Some(ex2.now());
    });
    ex.run();
    let woke = woke.borrow().expect("the sleeper finished");
    assert!(
        woke >= Duration::from_micros(1500),
        "woke at {woke:?}, before its deadline"
    );
    expect_eq!(
        woke,
        Duration::from_millis(2),
        "rounded up to the next whole tick"
    );
}
