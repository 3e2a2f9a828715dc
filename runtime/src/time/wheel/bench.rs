//! Measurement: tinyloop's wheel against an asyncio-style heap with lazy deletion.
//! Run: `cargo test --release -p tinyloop-runtime --lib wheel::bench -- --ignored --nocapture`.
//! The book chapter "The timer wheel" shows its table.

use super::{TimerKey, Wheel};
use slab::Slab;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::time::Instant;

/// asyncio's `_scheduled`: a heap of (when, seq) handles; cancel only marks the handle, and the
/// loop throws cancelled handles away when they reach the top, or rebuilds the heap when more
/// than half of 100+ handles are cancelled (base_events.py, `_run_once`).
struct HeapTimers<T> {
    heap: BinaryHeap<Reverse<(u64, u64, usize)>>,
    handles: Slab<(u64, Option<T>)>, // (seq, value; None = cancelled)
    cancelled: usize,
    seq: u64,
}

#[derive(Clone, Copy)]
struct HeapKey(usize, u64);

impl<T> HeapTimers<T> {
    fn new() -> Self {
        HeapTimers {
            heap: BinaryHeap::new(),
            handles: Slab::new(),
            cancelled: 0,
            seq: 0,
        }
    }
    fn insert(&mut self, when: u64, value: T) -> HeapKey {
        self.seq += 1;
        let idx = self.handles.insert((self.seq, Some(value)));
        self.heap.push(Reverse((when, self.seq, idx)));
        HeapKey(idx, self.seq)
    }
    fn cancel(&mut self, key: HeapKey) -> Option<T> {
        let (seq, value) = self.handles.get_mut(key.0)?;
        if *seq != key.1 {
            return None;
        }
        let v = value.take()?;
        self.cancelled += 1;
        Some(v)
    }
    /// The start of `_run_once`: purge if mostly cancelled, drop cancelled heads.
    fn maintain(&mut self) {
        if self.heap.len() > 100 && self.cancelled * 2 > self.heap.len() {
            let handles = &mut self.handles;
            self.heap.retain(|&Reverse((_, _, idx))| {
                let live = handles[idx].1.is_some();
                if !live {
                    handles.remove(idx);
                }
                live
            });
            self.cancelled = 0;
        }
    }
    fn poll(&mut self, now: u64, fired: &mut Vec<(u64, T)>) {
        self.maintain();
        while let Some(&Reverse((when, _, idx))) = self.heap.peek() {
            if self.handles[idx].1.is_none() {
                self.heap.pop();
                self.handles.remove(idx);
                self.cancelled -= 1;
                continue;
            }
            if when > now {
                break;
            }
            self.heap.pop();
            let (_, v) = self.handles.remove(idx);
            fired.push((when, v.unwrap()));
        }
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn ns(t: Instant, n: usize) -> f64 {
    t.elapsed().as_nanos() as f64 / n as f64
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

const ROUNDS: usize = 7;

/// One timer structure under test, so both run the same driver code.
trait Timers {
    type Key: Copy;
    fn insert(&mut self, deadline: u64, value: u64) -> Self::Key;
    fn cancel(&mut self, key: Self::Key) -> Option<u64>;
    /// The loop's once-a-tick housekeeping (the heap's purge); nothing for the wheel.
    fn tick(&mut self) {}
    fn poll(&mut self, now: u64, fired: &mut Vec<(u64, u64)>);
}

impl Timers for Wheel<u64> {
    type Key = TimerKey;
    fn insert(&mut self, deadline: u64, value: u64) -> TimerKey {
        Wheel::insert(self, deadline, value)
    }
    fn cancel(&mut self, key: TimerKey) -> Option<u64> {
        Wheel::cancel(self, key)
    }
    fn poll(&mut self, now: u64, fired: &mut Vec<(u64, u64)>) {
        Wheel::poll(self, now, fired);
    }
}

impl Timers for HeapTimers<u64> {
    type Key = HeapKey;
    fn insert(&mut self, deadline: u64, value: u64) -> HeapKey {
        HeapTimers::insert(self, deadline, value)
    }
    fn cancel(&mut self, key: HeapKey) -> Option<u64> {
        HeapTimers::cancel(self, key)
    }
    fn tick(&mut self) {
        self.maintain();
    }
    fn poll(&mut self, now: u64, fired: &mut Vec<(u64, u64)>) {
        HeapTimers::poll(self, now, fired);
    }
}

const N: usize = 1_000_000;
const F: usize = 100_000;
const PENDING: usize = 10_000;
const SPAN: u64 = 60_000;

/// ns per timer for each scenario, one round; `t` persists across rounds (warm).
fn round<W: Timers>(
    t: &mut W,
    base: &mut u64,
    deadlines: &[u64],
    keys: &mut Vec<W::Key>,
) -> [f64; 6] {
    // A: 1M inserts, then cancel all 1M (in insertion order), then the loop's next tick.
    keys.clear();
    let clock = Instant::now();
    for &d in deadlines {
        keys.push(t.insert(*base + d, d));
    }
    let insert = ns(clock, N);
    let clock = Instant::now();
    for &k in keys.iter() {
        black_box(t.cancel(k));
    }
    t.tick();
    let cancel = ns(clock, N);

    // B: steady state, 10k pending: insert one, cancel the oldest, tick (a server resetting
    // per-connection timeouts).
    keys.clear();
    keys.extend(deadlines[..PENDING].iter().map(|&d| t.insert(*base + d, 0)));
    let clock = Instant::now();
    for (i, &d) in deadlines.iter().enumerate() {
        let k = t.insert(*base + d, 0);
        black_box(t.cancel(std::mem::replace(&mut keys[i % PENDING], k)));
        t.tick();
    }
    let steady = ns(clock, N);
    for &k in keys.iter() {
        t.cancel(k);
    }
    t.tick();

    // C: 100k inserts, then fire them all as the clock steps 1 ms at a time (a busy loop);
    // D: the same, fired by one jump of the clock (a virtual clock, or a long-blocked loop).
    let mut fired = Vec::with_capacity(F);
    let clock = Instant::now();
    for &d in &deadlines[..F] {
        t.insert(*base + d, d);
    }
    let insert_small = clock.elapsed();
    let clock = Instant::now();
    for now in *base..=*base + SPAN {
        t.poll(now, &mut fired);
    }
    let step = ns(clock, F);
    let insert_and_fire = (insert_small + clock.elapsed()).as_nanos() as f64 / F as f64;
    assert_eq!(fired.len(), F);
    *base += SPAN + 1;
    fired.clear();
    for &d in &deadlines[..F] {
        t.insert(*base + d, d);
    }
    let clock = Instant::now();
    t.poll(*base + SPAN, &mut fired);
    let jump = ns(clock, F);
    assert_eq!(fired.len(), F);
    *base += SPAN + 1;
    t.poll(*base, &mut fired);
    [insert, cancel, steady, step, jump, insert_and_fire]
}

#[test]
#[ignore]
fn bench_wheel_vs_heap() {
    let mut r = Rng(0x9E3779B97F4A7C15);
    // Timeouts from 1 ms to 60 s, as a server's would be.
    let deadlines: Vec<u64> = (0..N).map(|_| 1 + r.next() % SPAN).collect();
    let mut wheel = Wheel::new();
    let mut heap = HeapTimers::new();
    let (mut wbase, mut hbase) = (0, 0);
    let (mut wkeys, mut hkeys) = (Vec::new(), Vec::new());
    let mut results = vec![([0.0; 6], [0.0; 6]); 0];
    for _ in 0..ROUNDS {
        let w = round(&mut wheel, &mut wbase, &deadlines, &mut wkeys);
        let h = round(&mut heap, &mut hbase, &deadlines, &mut hkeys);
        results.push((w, h));
    }
    let names = [
        "insert, 1M pending",
        "cancel, 1M pending (heap: mark, then purge)",
        "insert + cancel, steady 10k pending",
        "fire 100k, clock stepping 1 ms (60k polls)",
        "fire 100k, one jump of the clock",
        "insert + fire 100k, 1 ms steps",
    ];
    println!("| ns per timer (median of {ROUNDS}, warm) | wheel | heap |");
    println!("|---|---:|---:|");
    for (i, name) in names.iter().enumerate() {
        let w = median(results.iter().map(|r| r.0[i]).collect());
        let h = median(results.iter().map(|r| r.1[i]).collect());
        println!("| {name} | {w:.1} | {h:.1} |");
    }
}

/// µs for one cascade of `n` timers whose slab entries lie in random order: filed from tick
/// 100 for random ticks of the slot starting at `slot_start`, then cascaded by one `poll`
/// at that start (the slot's first tick is left empty, so nothing fires).
fn cascade_micros(n: usize, slot_start: u64, slot_width: u64, r: &mut Rng) -> f64 {
    let mut wheel = Wheel::new();
    let mut fired = Vec::new();
    wheel.poll(100, &mut fired);
    // File twice as many and cancel half at random, so that a list's neighbours are far
    // apart in the slab, as a busy loop's are.
    let keys: Vec<_> = (0..2 * n)
        .map(|_| wheel.insert(slot_start + 1 + r.next() % (slot_width - 1), 0))
        .collect();
    for (i, key) in keys.into_iter().enumerate() {
        if (r.next() as usize + i).is_multiple_of(2) && wheel.len() > n {
            wheel.cancel(key);
        }
    }
    let clock = Instant::now();
    wheel.poll(slot_start, &mut fired);
    let micros = clock.elapsed().as_nanos() as f64 / 1e3;
    assert!(fired.is_empty());
    micros
}

#[test]
#[ignore]
fn bench_cascades() {
    // 9,000 timers: what a level-1 slot holds when 10,000 tasks sleep 10 to 100 ms.
    let mut r = Rng(0x2545F4914F6CDD1D);
    let n = 9_000;
    let level1: Vec<f64> = (0..ROUNDS)
        .map(|_| cascade_micros(n, 128, 64, &mut r))
        .collect();
    let level2: Vec<f64> = (0..ROUNDS)
        .map(|_| cascade_micros(n, 4096, 4096, &mut r))
        .collect();
    println!("| cascade of {n} timers (median of {ROUNDS}) | µs |");
    println!("|---|---:|");
    println!(
        "| level 1 to 0: tick lists move whole | {:.1} |",
        median(level1)
    );
    println!(
        "| level 2 to 1: each timer filed again | {:.1} |",
        median(level2)
    );
}
