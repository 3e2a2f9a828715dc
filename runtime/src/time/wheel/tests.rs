//! Tests of the timer wheel: claims at every level edge. The property tests against a model
//! are in `model_tests.rs`.

use super::level::{level_for, within_reach};
use super::{Place, TimerKey, Wheel};

/// Polls `wheel` to `now` and returns what fired, checking the returned count on the way.
pub(super) fn poll(wheel: &mut Wheel<u64>, now: u64) -> Vec<(u64, u64)> {
    let mut fired = Vec::new();
    let count = wheel.poll(now, &mut fired);
    assert_eq!(count, fired.len());
    fired
}

/// Drives `wheel` like a loop on a virtual clock that jumps straight to each
/// `next_expiration`, until nothing is pending. Returns `(clock when fired, deadline, value)`
/// for every timer, and how many jumps it took.
pub(super) fn run_virtual_clock(wheel: &mut Wheel<u64>) -> (Vec<(u64, u64, u64)>, usize) {
    let mut log = Vec::new();
    let mut jumps = 0;
    while let Some(next) = wheel.next_expiration() {
        let clock = next.max(wheel.elapsed());
        for (deadline, value) in poll(wheel, clock) {
            log.push((clock, deadline, value));
        }
        jumps += 1;
        assert!(jumps < 10_000, "the virtual clock is stuck at {clock}");
    }
    (log, jumps)
}

/// Where `key`'s timer is filed: `Some(level)`, or `None` for the overdue and far lists.
fn level_of(wheel: &Wheel<u64>, key: TimerKey) -> Option<usize> {
    let entry = &wheel.entries[key.index];
    match wheel.place(entry.home, entry.deadline) {
        Place::Slot { level, .. } => Some(level as usize),
        Place::Overdue | Place::Far => None,
    }
}

/// `64^k`: the first tick of level `k` seen from tick 0.
pub(super) const fn edge(k: u32) -> u64 {
    1 << (6 * k)
}

/// Deadlines on both sides of every level's edge, and far beyond the wheel's reach.
const EDGES: [u64; 20] = [
    1,
    63,
    64,
    65,
    edge(2) - 1,
    edge(2),
    edge(3) - 1,
    edge(3),
    edge(4) - 1,
    edge(4),
    edge(5) - 1,
    edge(5),
    edge(6) - 1,
    edge(6),
    edge(6) + 1,
    1 << 40,
    1 << 63,
    u64::MAX - edge(6),
    u64::MAX - 1,
    u64::MAX,
];

#[test]
fn each_level_edge_lands_on_the_level_it_names() {
    for k in 1..6 {
        assert_eq!(level_for(0, edge(k) - 1), k as usize - 1, "64^{k} - 1");
        assert_eq!(level_for(0, edge(k)), k as usize, "64^{k}");
    }
    assert!(within_reach(0, edge(6) - 1));
    assert!(!within_reach(0, edge(6)));
    assert!(!within_reach(0, u64::MAX));

    let mut wheel = Wheel::new();
    for (deadline, level) in [
        (63, Some(0)),
        (64, Some(1)),
        (4095, Some(1)),
        (4096, Some(2)),
        (edge(6) - 1, Some(5)),
        (edge(6), None),
        (u64::MAX, None),
    ] {
        let key = wheel.insert(deadline, 0);
        assert_eq!(level_of(&wheel, key), level, "{deadline}");
    }
}

#[test]
fn a_timer_never_fires_before_its_deadline() {
    // From tick 0, from inside a turn, and from just before every level's digits carry.
    for start in [0, 100, edge(3) - 1, edge(6) - 1, 1 << 50] {
        for offset in EDGES {
            let deadline = start.saturating_add(offset);
            let mut wheel = Wheel::new();
            poll(&mut wheel, start);
            wheel.insert(deadline, 7);
            assert_eq!(poll(&mut wheel, deadline - 1), [], "{start} + {offset}");
            assert_eq!(
                poll(&mut wheel, deadline),
                [(deadline, 7)],
                "{start} + {offset}"
            );
            assert!(wheel.is_empty());
        }
    }
}

#[test]
fn a_virtual_clock_fires_every_timer_exactly_on_time() {
    for start in [0, 100, edge(4) - 3] {
        let mut wheel = Wheel::new();
        poll(&mut wheel, start);
        for (value, offset) in EDGES.into_iter().enumerate() {
            wheel.insert(start.saturating_add(offset), value as u64);
        }
        let (log, jumps) = run_virtual_clock(&mut wheel);
        assert_eq!(log.len(), EDGES.len());
        for (clock, deadline, _) in &log {
            assert_eq!(clock, deadline, "from {start}");
        }
        // At most one jump per level (and one for the far list) on the way to each timer.
        assert!(jumps <= 7 * EDGES.len(), "{jumps} jumps");
    }
}

#[test]
fn duration_max_comes_due_in_a_few_jumps() {
    let mut wheel = Wheel::new();
    wheel.insert(u64::MAX, 1);
    assert_eq!(poll(&mut wheel, u64::MAX - 1), []);
    assert_eq!(wheel.next_expiration(), Some(u64::MAX));
    assert_eq!(poll(&mut wheel, u64::MAX), [(u64::MAX, 1)]);

    wheel = Wheel::new();
    wheel.insert(u64::MAX, 1);
    let (log, jumps) = run_virtual_clock(&mut wheel);
    assert_eq!(log, [(u64::MAX, u64::MAX, 1)]);
    assert!(jumps <= 7, "{jumps} jumps");
    assert_eq!(
        poll(&mut wheel, u64::MAX),
        [],
        "a full wheel clock still polls"
    );
}

#[test]
fn timers_across_the_wrap_of_a_level_cascade_and_fire_on_time() {
    let mut wheel = Wheel::new();
    poll(&mut wheel, 100);
    let at_110 = wheel.insert(110, 110);
    let at_130 = wheel.insert(130, 130);
    let at_170 = wheel.insert(170, 170);
    assert_eq!(level_of(&wheel, at_110), Some(0));
    assert_eq!(level_of(&wheel, at_130), Some(1));
    assert_eq!(level_of(&wheel, at_170), Some(1));
    assert_eq!(wheel.next_expiration(), Some(110));
    assert_eq!(poll(&mut wheel, 110), [(110, 110)]);
    // 130 and 170 share level 1's slot 2, which starts at 128.
    assert_eq!(wheel.next_expiration(), Some(128));
    assert_eq!(poll(&mut wheel, 129), []);
    assert_eq!(level_of(&wheel, at_130), Some(0), "cascaded at 128");
    assert_eq!(level_of(&wheel, at_170), Some(0), "cascaded at 128");
    assert_eq!(wheel.next_expiration(), Some(130));
    assert_eq!(poll(&mut wheel, 169), [(130, 130)]);
    assert_eq!(poll(&mut wheel, 170), [(170, 170)]);

    // 4000 and 4100 straddle a level-2 edge (4096), though only 100 ms apart.
    poll(&mut wheel, 4000);
    let key = wheel.insert(4100, 1);
    assert_eq!(level_of(&wheel, key), Some(2));
    assert_eq!(wheel.next_expiration(), Some(4096));
    assert_eq!(poll(&mut wheel, 4099), []);
    assert_eq!(poll(&mut wheel, 4100), [(4100, 1)]);
}

#[test]
fn a_deadline_in_the_past_fires_on_the_next_poll() {
    let mut wheel = Wheel::new();
    poll(&mut wheel, 1000);
    wheel.insert(1000, 3);
    wheel.insert(500, 2);
    wheel.insert(0, 1);
    assert_eq!(wheel.next_expiration(), Some(0));
    assert_eq!(poll(&mut wheel, 0), [(0, 1), (500, 2), (1000, 3)]);
    assert_eq!(wheel.elapsed(), 1000, "the wheel never goes back");
    assert_eq!(wheel.next_expiration(), None);
}

#[test]
fn one_poll_hands_out_timers_in_deadline_order() {
    // 150 and 130 share a level-1 slot in insertion order; a big jump fires them straight
    // from it, together with an overdue timer and a far one.
    let mut wheel = Wheel::new();
    poll(&mut wheel, 10);
    wheel.insert(150, 150);
    wheel.insert(130, 130);
    wheel.insert(edge(6) + 5, 9);
    wheel.insert(3, 3);
    wheel.insert(20, 20);
    let fired = poll(&mut wheel, u64::MAX);
    assert_eq!(
        fired,
        [(3, 3), (20, 20), (130, 130), (150, 150), (edge(6) + 5, 9)]
    );
}

#[test]
fn ties_fire_in_insertion_order() {
    let mut wheel = Wheel::new();
    wheel.insert(5000, 0); // level 2
    wheel.insert(4999, 99);
    poll(&mut wheel, 4990); // 5000 cascades down
    wheel.insert(5000, 1); // filed from 4990, after the cascade
    wheel.insert(5000, 2);
    poll(&mut wheel, 4999);
    wheel.insert(5000, 3);
    let values: Vec<u64> = poll(&mut wheel, 6000).into_iter().map(|(_, v)| v).collect();
    assert_eq!(values, [0, 1, 2, 3]);
}

#[test]
fn cancel_of_a_fired_or_cancelled_key_returns_none() {
    let mut wheel = Wheel::new();
    let fired = wheel.insert(5, 1);
    let cancelled = wheel.insert(6, 2);
    assert_eq!(wheel.cancel(cancelled), Some(2));
    assert_eq!(wheel.cancel(cancelled), None);
    assert_eq!(poll(&mut wheel, 10), [(5, 1)]);
    assert_eq!(wheel.cancel(fired), None);
    assert!(!wheel.contains(fired));
    assert_eq!(wheel.deadline(fired), None);
}

#[test]
fn a_stale_key_never_cancels_the_timer_that_reused_its_slot() {
    let mut wheel = Wheel::new();
    let old = wheel.insert(10, 1);
    assert_eq!(poll(&mut wheel, 10), [(10, 1)]);
    let new = wheel.insert(20, 2);
    assert_eq!(old.index, new.index, "the slab slot was reused");
    assert_ne!(old, new);
    assert!(!wheel.contains(old));
    assert_eq!(wheel.cancel(old), None);
    assert_eq!(wheel.deadline(new), Some(20));
    assert_eq!(poll(&mut wheel, 20), [(20, 2)]);
}

#[test]
fn get_mut_edits_a_pending_timer_in_place_and_ignores_stale_keys() {
    let mut wheel = Wheel::new();
    let first = wheel.insert(50, 1);
    let second = wheel.insert(50, 2);
    *wheel.get_mut(first).expect("pending") = 10;
    assert_eq!(
        poll(&mut wheel, 50),
        [(50, 10), (50, 2)],
        "the edit kept its place"
    );
    assert_eq!(wheel.get_mut(second), None);
    let reuse = wheel.insert(60, 3);
    assert!(
        [first.index, second.index].contains(&reuse.index),
        "a slab slot was reused"
    );
    assert_eq!(wheel.get_mut(first), None);
    assert_eq!(wheel.get_mut(second), None);
}

#[test]
fn cancel_unlinks_from_any_place_in_a_slot() {
    for victim in 0..3 {
        let mut wheel = Wheel::new();
        let keys: Vec<_> = (0..3).map(|v| wheel.insert(300, v)).collect();
        assert_eq!(wheel.cancel(keys[victim]), Some(victim as u64));
        let left: Vec<u64> = (0..3).filter(|&v| v != victim as u64).collect();
        let fired: Vec<u64> = poll(&mut wheel, 300).into_iter().map(|(_, v)| v).collect();
        assert_eq!(fired, left);
    }
    let mut wheel = Wheel::new();
    let keys: Vec<_> = [300, 300, u64::MAX].map(|d| wheel.insert(d, 0)).into();
    for key in keys {
        wheel.cancel(key);
    }
    assert_eq!(
        wheel.next_expiration(),
        None,
        "emptied slots leave no occupancy bit"
    );
    assert!(wheel.levels.iter().all(|level| level.occupied == 0));
    assert!(wheel.level1.iter().all(|ticks| ticks.occupied == 0));
}

#[test]
fn next_expiration_is_never_later_than_the_earliest_deadline() {
    for start in [0, 100, 4095, edge(5) + 17] {
        for offset in EDGES {
            let mut wheel = Wheel::new();
            poll(&mut wheel, start);
            let deadline = start.saturating_add(offset);
            wheel.insert(deadline, 0);
            let mut steps = 0;
            while let Some(next) = wheel.next_expiration() {
                assert!(next <= deadline, "{next} > {deadline}");
                poll(&mut wheel, next);
                steps += 1;
                assert!(steps <= 7, "{steps} steps towards {deadline}");
            }
        }
    }
}

#[test]
fn iter_and_deadline_report_every_pending_timer() {
    let mut wheel = Wheel::new();
    let a = wheel.insert(1, 10);
    let b = wheel.insert(u64::MAX, 20);
    let mut seen: Vec<_> = wheel.iter().map(|(k, d, &v)| (k, d, v)).collect();
    seen.sort_by_key(|&(_, d, _)| d);
    assert_eq!(seen, [(a, 1, 10), (b, u64::MAX, 20)]);
    assert_eq!((wheel.len(), wheel.deadline(b)), (2, Some(u64::MAX)));
}

#[test]
fn a_timer_fits_one_cache_line_and_a_list_eight_bytes() {
    // With `Option<usize>` links the loop's entry took 96 bytes; with 32-bit links it still
    // took 72 (seen failing) while its owner was an `Option<TaskId>`, now an 8-byte `Owner`.
    use super::Entry;
    use super::level::{List, Ticks};
    assert_eq!(std::mem::size_of::<Entry<crate::time::TimerEntry>>(), 64);
    assert_eq!(std::mem::size_of::<List>(), 8);
    assert_eq!(std::mem::size_of::<Ticks>(), 8 + 64 * 8);
}
