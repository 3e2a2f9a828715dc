//! Property tests of the timer wheel against a model: a `BTreeMap` ordered by
//! `(deadline, insertion)`, the simplest correct timer queue. Random inserts, cancels and polls
//! run against both, and every answer must agree (the claims at each level edge are in
//! `tests.rs`).

use super::tests::{edge, poll, run_virtual_clock};
use super::{TimerKey, Wheel};
use proptest::prelude::*;
use proptest::test_runner::RngAlgorithm;
use std::collections::BTreeMap;

/// How an inserted deadline relates to the wheel's `elapsed`.
#[derive(Clone, Debug)]
enum Deadline {
    Past(u64),
    Near(u64),
    Mid(u64),
    Far(u64),
    Huge(u64),
    Anywhere(u64),
}

/// How far a `poll` moves the clock.
#[derive(Clone, Debug)]
enum Advance {
    Backwards(u64),
    Small(u64),
    Medium(u64),
    Large(u64),
    ToNextExpiration,
    NearTheEnd(u64),
}

#[derive(Clone, Debug)]
enum Op {
    Insert(Deadline),
    /// Cancel the n-th key ever issued (modulo their number): live, fired or cancelled.
    Cancel(usize),
    Poll(Advance),
    /// Fire the tick `next_tick` names, if it names one, as the real clock's driver does
    /// once all of that tick's timers are due.
    FireNextTick,
}

// The strategies draw a plain `(kind, number)` pair and shape it, rather than nesting
// `prop_oneof!`: in a debug build proptest's nested unions cost more than the wheel itself.

impl Deadline {
    fn new(kind: u8, x: u64) -> Self {
        match kind % 6 {
            0 => Deadline::Past(x % 300),
            1 => Deadline::Near(x % 200),
            2 => Deadline::Mid(x % edge(4)),
            3 => Deadline::Far(x % (1 << 42)),
            4 => Deadline::Huge(x % 4),
            _ => Deadline::Anywhere(x),
        }
    }

    /// The tick this spec names, seen from `elapsed`.
    fn at(&self, elapsed: u64) -> u64 {
        match *self {
            Deadline::Past(x) => elapsed.saturating_sub(x),
            Deadline::Near(x) | Deadline::Mid(x) | Deadline::Far(x) => elapsed.saturating_add(x),
            Deadline::Huge(x) => u64::MAX - x,
            Deadline::Anywhere(x) => x,
        }
    }
}

fn deadline() -> impl Strategy<Value = Deadline> {
    (any::<u8>(), any::<u64>()).prop_map(|(kind, x)| Deadline::new(kind, x))
}

/// Inserts, cancels, polls and early fires in the ratio 7 : 2 : 7 : 1.
fn op() -> impl Strategy<Value = Op> {
    (0..17u8, any::<u64>()).prop_map(|(kind, x)| match kind {
        0..=6 => Op::Insert(Deadline::new(kind, x)),
        7 | 8 => Op::Cancel(x as usize),
        9 => Op::Poll(Advance::Backwards(x % 100)),
        10 | 11 => Op::Poll(Advance::Small(x % 80)),
        12 => Op::Poll(Advance::Medium(x % 10_000)),
        13 => Op::Poll(Advance::Large(x % (1 << 40))),
        14 => Op::Poll(Advance::ToNextExpiration),
        15 => Op::Poll(Advance::NearTheEnd(x % (1 << 37))),
        _ => Op::FireNextTick,
    })
}

/// Runs `ops` against the wheel and the model side by side, checking every answer.
fn check_against_model(start: u64, ops: Vec<Op>) {
    let mut wheel = Wheel::new();
    poll(&mut wheel, start);
    // The model: pending timers by (deadline, sequence), valued by their sequence number.
    let mut model: BTreeMap<(u64, u64), u64> = BTreeMap::new();
    let mut keys: Vec<(TimerKey, u64, u64)> = Vec::new();
    for op in ops {
        let elapsed = wheel.elapsed();
        match op {
            Op::Insert(spec) => {
                let deadline = spec.at(elapsed);
                let seq = keys.len() as u64;
                let key = wheel.insert(deadline, seq);
                model.insert((deadline, seq), seq);
                keys.push((key, deadline, seq));
                assert_eq!(wheel.deadline(key), Some(deadline));
            }
            Op::Cancel(n) if !keys.is_empty() => {
                let (key, deadline, seq) = keys[n % keys.len()];
                assert_eq!(wheel.cancel(key), model.remove(&(deadline, seq)));
                assert!(!wheel.contains(key));
            }
            Op::Cancel(_) => {}
            Op::Poll(advance) => {
                let now = match advance {
                    Advance::Backwards(x) => elapsed.saturating_sub(x),
                    Advance::Small(x) | Advance::Medium(x) | Advance::Large(x) => {
                        elapsed.saturating_add(x)
                    }
                    Advance::ToNextExpiration => wheel.next_expiration().unwrap_or(elapsed),
                    Advance::NearTheEnd(x) => u64::MAX - x,
                };
                let due = now.max(elapsed);
                let expected: Vec<(u64, u64)> = model
                    .extract_if(.., |&(deadline, _), _| deadline <= due)
                    .map(|((deadline, _), value)| (deadline, value))
                    .collect();
                assert_eq!(
                    poll(&mut wheel, now),
                    expected,
                    "poll({now}) from {elapsed}"
                );
                assert_eq!(wheel.elapsed(), due);
            }
            Op::FireNextTick => {
                let named = wheel
                    .next_tick()
                    .map(|(tick, values)| (tick, values.copied().collect::<Vec<_>>()));
                if let Some((tick, values)) = named {
                    // The earliest pending tick, with exactly the model's timers for it, in
                    // the order they were filed; they fire, and the hand stays where it was.
                    let earliest = model.keys().next().map(|&(deadline, _)| deadline);
                    assert_eq!(Some(tick), earliest, "next_tick named a later tick");
                    let expected: Vec<(u64, u64)> = model
                        .extract_if(.., |&(deadline, _), _| deadline == tick)
                        .map(|((deadline, _), value)| (deadline, value))
                        .collect();
                    let values: Vec<(u64, u64)> = values.into_iter().map(|v| (tick, v)).collect();
                    assert_eq!(values, expected, "next_tick({tick})");
                    let mut fired = Vec::new();
                    assert_eq!(wheel.fire_next_tick(&mut fired), expected.len());
                    assert_eq!(fired, expected);
                    assert_eq!(wheel.elapsed(), elapsed, "the hand stays");
                }
            }
        }
        assert_eq!(wheel.len(), model.len());
        match model.keys().next() {
            None => assert_eq!(wheel.next_expiration(), None),
            Some(&(earliest, _)) => {
                let next = wheel.next_expiration().expect("a timer is pending");
                assert!(
                    next <= earliest,
                    "next_expiration {next} > earliest {earliest}"
                );
            }
        }
        for &(key, deadline, seq) in &keys {
            assert_eq!(wheel.contains(key), model.contains_key(&(deadline, seq)));
        }
    }
    // Polling to the end of time fires everything left, in order.
    let rest: Vec<(u64, u64)> = model.iter().map(|(&(d, _), &v)| (d, v)).collect();
    assert_eq!(poll(&mut wheel, u64::MAX), rest);
    assert!(wheel.is_empty() && wheel.next_expiration().is_none());
}

/// Where the wheel stands when a case begins: at 0, within the first top-level turn, anywhere.
fn start() -> impl Strategy<Value = u64> {
    (0..3u8, any::<u64>()).prop_map(|(kind, x)| [0, x % edge(6), x][kind as usize])
}

/// `cases` cases with the XorShift generator: proptest's default, ChaCha, is a cipher, and in
/// a debug build generating the cases with it took four times as long as running them.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        rng_algorithm: RngAlgorithm::XorShift,
        ..ProptestConfig::with_cases(cases)
    }
}

proptest! {
    #![proptest_config(config(60_000))]

    /// Nothing fires early or twice, cancelled timers never fire, and each poll hands out
    /// exactly the model's due timers in (deadline, insertion) order.
    #[test]
    fn the_wheel_behaves_like_a_sorted_map(
        start in start(),
        ops in prop::collection::vec(op(), 0..64),
    ) {
        check_against_model(start, ops);
    }
}

proptest! {
    #![proptest_config(config(40_000))]

    /// Under a virtual clock that jumps to each `next_expiration`, every timer fires exactly
    /// at its deadline (or at once, if it was filed in the past), within seven jumps each.
    #[test]
    fn a_virtual_clock_never_fires_late_or_early(
        start in start(),
        deadlines in prop::collection::vec(deadline(), 1..32),
    ) {
        let mut wheel = Wheel::new();
        poll(&mut wheel, start);
        let mut expected = BTreeMap::new();
        for (seq, spec) in deadlines.into_iter().enumerate() {
            let deadline = spec.at(start);
            wheel.insert(deadline, seq as u64);
            expected.insert((deadline, seq as u64), deadline.max(start));
        }
        let (log, jumps) = run_virtual_clock(&mut wheel);
        let want: Vec<_> = expected.iter().map(|(&(d, v), &at)| (at, d, v)).collect();
        prop_assert_eq!(log, want);
        prop_assert!(jumps <= 7 * expected.len(), "{} jumps", jumps);
    }
}
