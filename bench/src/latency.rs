//! A histogram of durations (lateness of a timer, latency of a request), for the workloads
//! that report percentiles rather than a total time.
//!
//! Buckets of 2 µs up to 200 ms (anything later lands in the last bucket; the maximum is
//! kept exactly). Recording is one index and one add, so that measuring does not weigh on
//! what is measured; the counters are [`Count`]s, `Cell`s where tasks need not be `Send`
//! and relaxed atomics where tokio demands it.

use std::cell::Cell;
use std::time::Duration;

use crate::workloads::{Count, Outcome};

const BUCKET_NS: u64 = 2_000;
const BUCKETS: usize = 100_000;

pub struct Histogram<C: Count = Cell<u64>> {
    buckets: Vec<C>,
    max_ns: C,
    count: C,
}

impl<C: Count> Default for Histogram<C> {
    fn default() -> Self {
        Histogram {
            buckets: (0..BUCKETS).map(|_| C::default()).collect(),
            max_ns: C::default(),
            count: C::default(),
        }
    }
}

impl<C: Count> Histogram<C> {
    pub fn record(&self, duration: Duration) {
        let ns = duration.as_nanos() as u64;
        let bucket = ((ns / BUCKET_NS) as usize).min(BUCKETS - 1);
        self.buckets[bucket].add(1);
        self.max_ns.raise_to(ns);
        self.count.add(1);
    }

    /// The duration below which a fraction `q` of the samples fall (a bucket's upper edge).
    fn percentile_ns(&self, q: f64) -> u64 {
        let wanted = ((self.count.get() as f64) * q).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (i, bucket) in self.buckets.iter().enumerate() {
            seen += bucket.get();
            if seen >= wanted {
                return ((i as u64 + 1) * BUCKET_NS).min(self.max_ns.get());
            }
        }
        self.max_ns.get()
    }

    /// `outcome` with this histogram's p50, p99, p99.9 and maximum as figures.
    pub fn figures(&self, outcome: Outcome) -> Outcome {
        outcome
            .with("p50_ns", self.percentile_ns(0.50))
            .with("p99_ns", self.percentile_ns(0.99))
            .with("p999_ns", self.percentile_ns(0.999))
            .with("max_ns", self.max_ns.get())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(outcome: &Outcome, name: &str) -> u64 {
        outcome.figures.iter().find(|(n, _)| *n == name).unwrap().1
    }

    #[test]
    fn percentiles_are_bucket_edges_and_the_maximum_is_exact() {
        let histogram = Histogram::<Cell<u64>>::default();
        for micros in 1..=1000 {
            histogram.record(Duration::from_micros(micros));
        }
        histogram.record(Duration::from_secs(1)); // beyond the last bucket
        let outcome = histogram.figures(Outcome::checksum(0));
        assert_eq!(figure(&outcome, "p50_ns"), 502_000);
        assert_eq!(figure(&outcome, "p99_ns"), 992_000);
        assert_eq!(figure(&outcome, "max_ns"), 1_000_000_000);
    }
}
