//! The workloads: their names, sizes, and the checksum every implementation must return.
//!
//! Every runtime's implementation of a workload returns an [`Outcome`]: the checksum (which
//! the runner compares with [`Workload::expected_checksum`], so a runtime that skips work is
//! caught), and, for some workloads, bytes per task or figures such as a timer's lateness.
//!
//! The sizes are fixed for a real run. `TINYLOOP_BENCH_DIVISOR=N` (the runner's
//! `--divisor N`) divides the counts, never the structure (clients, permits, capacities,
//! sides stay), so that a workload can be checked end to end in a fraction of a second; a
//! results header says when sizes were reduced, and such numbers are not comparable.

use std::sync::OnceLock;
use std::time::Duration;

pub use crate::counters::{Count, Counts, Lateness, Turns};

/// One workload of the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    SpawnJoin,
    YieldPingpong,
    TimersFire,
    TimersCancel,
    Semaphore,
    Queue1p1c,
    Queue4p4c,
    TcpEcho,
    IdleTasksMemory,
    Sleepers10k,
    Sleepers100k,
    Broadcast,
    ConnectionChurn,
    ToThread,
    ReadTimeouts,
    LatencyUnderLoad,
    Gather,
    TaskGroup,
    WaitFirst,
}

pub const ALL: [Workload; 19] = [
    Workload::SpawnJoin,
    Workload::YieldPingpong,
    Workload::TimersFire,
    Workload::TimersCancel,
    Workload::Semaphore,
    Workload::Queue1p1c,
    Workload::Queue4p4c,
    Workload::TcpEcho,
    Workload::IdleTasksMemory,
    Workload::Sleepers10k,
    Workload::Sleepers100k,
    Workload::Broadcast,
    Workload::ConnectionChurn,
    Workload::ToThread,
    Workload::ReadTimeouts,
    Workload::LatencyUnderLoad,
    Workload::Gather,
    Workload::TaskGroup,
    Workload::WaitFirst,
];

/// The counts of a run: [`Sizes::FULL`], or those divided for a quick check.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    /// `spawn_join`: trivial tasks spawned, then joined.
    pub spawn_tasks: u64,
    /// `yield_pingpong`: yields, by both players together (even).
    pub pingpong_yields: u64,
    /// `timers_fire`: sleeping tasks, their deadlines spread over [`TIMER_SPAN`].
    pub timer_tasks: u64,
    /// `timers_cancel`: timeouts armed around a future that yields once.
    pub timeouts: u64,
    /// `semaphore`: tasks passing through a `Semaphore(SEMAPHORE_PERMITS)`.
    pub semaphore_tasks: u64,
    /// `queue_1p1c`: items through the queue.
    pub queue_1p1c_items: u64,
    /// `queue_4p4c`: items through the queue.
    pub queue_4p4c_items: u64,
    /// `tcp_echo`: round trips per client.
    pub echo_round_trips: u64,
    /// `idle_tasks_memory`: tasks parked at once.
    pub idle_tasks: u64,
    /// `periodic_sleepers_10k` and `_100k`: the sleeping tasks.
    pub sleepers_10k: u64,
    pub sleepers_100k: u64,
    /// How long the sleepers keep sleeping, in milliseconds.
    pub sleepers_run_ms: u64,
    /// `broadcast`: tasks waiting on each round's event, and the rounds.
    pub broadcast_waiters: u64,
    pub broadcast_rounds: u64,
    /// `connection_churn`: connections opened, echoed once and closed.
    pub churn_connections: u64,
    /// `to_thread`: calls per calling task ([`TO_THREAD_CALLERS`] of them).
    pub to_thread_calls: u64,
    /// `read_timeouts`: timeouts per quiet socket ([`QUIET_SOCKETS`] of them).
    pub read_timeouts: u64,
    /// `latency_under_load`: request/response round trips, one after another.
    pub latency_requests: u64,
    /// `gather`, `task_group`, `wait_first`: the children.
    pub children: u64,
}

impl Sizes {
    pub const FULL: Sizes = Sizes {
        spawn_tasks: 1_000_000,
        pingpong_yields: 5_000_000,
        timer_tasks: 100_000,
        timeouts: 1_000_000,
        semaphore_tasks: 100_000,
        queue_1p1c_items: 5_000_000,
        queue_4p4c_items: 4_000_000,
        echo_round_trips: 1_000,
        idle_tasks: 1_000_000,
        sleepers_10k: 10_000,
        sleepers_100k: 100_000,
        sleepers_run_ms: 2_000,
        broadcast_waiters: 10_000,
        broadcast_rounds: 50,
        churn_connections: 10_000,
        to_thread_calls: 1_000,
        read_timeouts: 1_000,
        latency_requests: 1_000,
        children: 100_000,
    };

    /// Every count divided by `divisor` (at least 2 remain, and the yields stay even).
    pub fn divided(divisor: u64) -> Sizes {
        let d = |n: u64| (n / divisor).max(2);
        let full = Sizes::FULL;
        Sizes {
            spawn_tasks: d(full.spawn_tasks),
            pingpong_yields: d(full.pingpong_yields) / 2 * 2,
            timer_tasks: d(full.timer_tasks),
            timeouts: d(full.timeouts),
            semaphore_tasks: d(full.semaphore_tasks),
            queue_1p1c_items: d(full.queue_1p1c_items),
            queue_4p4c_items: d(full.queue_4p4c_items),
            echo_round_trips: d(full.echo_round_trips),
            idle_tasks: d(full.idle_tasks),
            sleepers_10k: d(full.sleepers_10k),
            sleepers_100k: d(full.sleepers_100k),
            sleepers_run_ms: if divisor > 1 {
                300
            } else {
                full.sleepers_run_ms
            },
            broadcast_waiters: d(full.broadcast_waiters),
            broadcast_rounds: d(full.broadcast_rounds),
            churn_connections: d(full.churn_connections),
            to_thread_calls: d(full.to_thread_calls),
            read_timeouts: d(full.read_timeouts),
            latency_requests: d(full.latency_requests),
            children: d(full.children),
        }
    }
}

/// The environment variable that divides the counts (see the module docs).
pub const DIVISOR_VAR: &str = "TINYLOOP_BENCH_DIVISOR";

/// The divisor this process runs with: 1 unless [`DIVISOR_VAR`] says otherwise.
pub fn divisor() -> u64 {
    std::env::var(DIVISOR_VAR)
        .ok()
        .and_then(|value| value.parse().ok())
        .filter(|&divisor| divisor >= 1)
        .unwrap_or(1)
}

/// The sizes of this run, read once.
pub fn sizes() -> &'static Sizes {
    static SIZES: OnceLock<Sizes> = OnceLock::new();
    SIZES.get_or_init(|| Sizes::divided(divisor()))
}

/// The longest sleep of `timers_fire`; task `i` sleeps `i * TIMER_SPAN / (timer_tasks - 1)`.
pub const TIMER_SPAN: Duration = Duration::from_millis(200);
pub const SEMAPHORE_PERMITS: usize = 10;
pub const QUEUE_CAPACITY: usize = 64;
pub const QUEUE_SIDES: u64 = 4;
pub const ECHO_CLIENTS: u64 = 100;
/// The bytes a client sends per round trip.
pub const ECHO_MESSAGE: usize = 64;
/// The buffer an echo handler reads into: an ordinary server reads what is there, up to
/// this much, and writes back what it read.
pub const ECHO_BUFFER: usize = 4096;

/// `periodic_sleepers`: task `i` sleeps `10 + i % 91` ms, again and again.
pub fn sleeper_period(i: u64) -> Duration {
    Duration::from_millis(10 + i % 91)
}
/// `connection_churn`: connections open at once.
pub const CHURN_CONCURRENCY: u64 = 256;
/// `to_thread`: tasks calling `to_thread` at once, each call after the last.
pub const TO_THREAD_CALLERS: u64 = 10;
/// `read_timeouts`: connected sockets nobody writes to, each read under a short timeout.
pub const QUIET_SOCKETS: u64 = 100;
pub const READ_TIMEOUT: Duration = Duration::from_millis(1);
/// `latency_under_load`: tasks that keep yielding while the requests are timed.
pub const LOAD_TASKS: u64 = 1_000;

/// The deadline of timer task `i` in `timers_fire`: distinct, spread over 0..=200 ms.
pub fn timer_deadline(i: u64) -> Duration {
    TIMER_SPAN.mul_f64(i as f64 / (sizes().timer_tasks - 1) as f64)
}

/// The sum `0 + 1 + … + (n - 1)`.
fn triangle(n: u64) -> u64 {
    n * (n - 1) / 2
}

impl Workload {
    pub fn name(self) -> &'static str {
        match self {
            Workload::SpawnJoin => "spawn_join",
            Workload::YieldPingpong => "yield_pingpong",
            Workload::TimersFire => "timers_fire",
            Workload::TimersCancel => "timers_cancel",
            Workload::Semaphore => "semaphore",
            Workload::Queue1p1c => "queue_1p1c",
            Workload::Queue4p4c => "queue_4p4c",
            Workload::TcpEcho => "tcp_echo",
            Workload::IdleTasksMemory => "idle_tasks_memory",
            Workload::Sleepers10k => "periodic_sleepers_10k",
            Workload::Sleepers100k => "periodic_sleepers_100k",
            Workload::Broadcast => "broadcast",
            Workload::ConnectionChurn => "connection_churn",
            Workload::ToThread => "to_thread",
            Workload::ReadTimeouts => "read_timeouts",
            Workload::LatencyUnderLoad => "latency_under_load",
            Workload::Gather => "gather",
            Workload::TaskGroup => "task_group",
            Workload::WaitFirst => "wait_first",
        }
    }

    pub fn from_name(name: &str) -> Option<Workload> {
        ALL.into_iter().find(|workload| workload.name() == name)
    }

    /// Whether the workload measures a primitive (a queue, a semaphore), so that the rows
    /// which hold the primitive fixed across runtimes apply to it.
    pub fn uses_primitive(self) -> bool {
        matches!(
            self,
            Workload::Semaphore | Workload::Queue1p1c | Workload::Queue4p4c
        )
    }

    /// What one "operation" is, for the ops/s column.
    pub fn operations(self, s: &Sizes) -> u64 {
        match self {
            Workload::SpawnJoin => s.spawn_tasks,
            Workload::YieldPingpong => s.pingpong_yields,
            Workload::TimersFire => s.timer_tasks,
            Workload::TimersCancel => s.timeouts,
            Workload::Semaphore => s.semaphore_tasks,
            Workload::Queue1p1c => s.queue_1p1c_items,
            Workload::Queue4p4c => s.queue_4p4c_items,
            Workload::TcpEcho => ECHO_CLIENTS * s.echo_round_trips,
            Workload::IdleTasksMemory => s.idle_tasks,
            Workload::Sleepers10k | Workload::Sleepers100k => self.sleepers(s),
            Workload::Broadcast => s.broadcast_waiters * s.broadcast_rounds,
            Workload::ConnectionChurn => s.churn_connections,
            Workload::ToThread => TO_THREAD_CALLERS * s.to_thread_calls,
            Workload::ReadTimeouts => QUIET_SOCKETS * s.read_timeouts,
            Workload::LatencyUnderLoad => s.latency_requests,
            Workload::Gather | Workload::TaskGroup | Workload::WaitFirst => s.children,
        }
    }

    /// The number of sleeping tasks of a `periodic_sleepers` workload (0 for the others).
    pub fn sleepers(self, s: &Sizes) -> u64 {
        match self {
            Workload::Sleepers10k => s.sleepers_10k,
            Workload::Sleepers100k => s.sleepers_100k,
            _ => 0,
        }
    }

    /// Whether the workload is one of the widened ones (`*_wide.rs`).
    pub fn is_wide(self) -> bool {
        ALL.iter().position(|w| *w == self) >= ALL.iter().position(|w| *w == Workload::Sleepers10k)
    }

    /// Whether the table's key figure is CPU time rather than wall time: the sleepers run
    /// for a fixed time, the timeouts' wall time is their sum, and `connection_churn`'s
    /// wall time holds a stall of about a second that every runtime shows alike (measured:
    /// 1 000 connections take 1.08 s of wall time and 70 ms of CPU on tokio; the kernel's
    /// one-second retransmission of a handshake on loopback, not the loop). What the loop
    /// costs is its CPU time.
    pub fn keyed_on_cpu(self) -> bool {
        matches!(
            self,
            Workload::Sleepers10k
                | Workload::Sleepers100k
                | Workload::ReadTimeouts
                | Workload::ConnectionChurn
        )
    }

    /// The checksum every implementation must return.
    pub fn expected_checksum(self, s: &Sizes) -> u64 {
        match self {
            // Each task returns its index; the sum of 0..n.
            Workload::SpawnJoin => triangle(s.spawn_tasks),
            // The yields counted, plus 1 000 000 if at least a quarter of them handed the
            // turn to the other player (see [`Turns`]).
            Workload::YieldPingpong => s.pingpong_yields + 1_000_000,
            // Each task returns its index once it has woken no earlier than its deadline.
            Workload::TimersFire => triangle(s.timer_tasks),
            // Timeouts whose inner future completed (none expired), plus 1 000 000 × the
            // inner futures that saw `Pending` first: every one, so every timeout had to
            // keep its timer armed across a real suspension.
            Workload::TimersCancel => s.timeouts + 1_000_000 * s.timeouts,
            // Permits actually taken (counted by the tasks), plus 1 000 000 × the peak
            // number held at once (must be exactly the permits).
            Workload::Semaphore => s.semaphore_tasks + 1_000_000 * SEMAPHORE_PERMITS as u64,
            // The sum of the items received, items numbered from 0.
            Workload::Queue1p1c => triangle(s.queue_1p1c_items),
            Workload::Queue4p4c => triangle(s.queue_4p4c_items),
            // Bytes echoed back and checked.
            Workload::TcpEcho => ECHO_CLIENTS * s.echo_round_trips * ECHO_MESSAGE as u64,
            // Tasks that were parked at the moment of measuring.
            Workload::IdleTasksMemory => s.idle_tasks,
            // Tasks that slept at least once, plus 1 000 000 × the tasks that woke no
            // earlier than their deadline every time.
            Workload::Sleepers10k | Workload::Sleepers100k => self.sleepers(s) * 1_000_001,
            // Wake-ups: every waiter, every round.
            Workload::Broadcast => s.broadcast_waiters * s.broadcast_rounds,
            // Bytes echoed back and checked, one message per connection.
            Workload::ConnectionChurn => s.churn_connections * ECHO_MESSAGE as u64,
            // The sum of what the calls returned: call `i` of a caller returns `i`.
            Workload::ToThread => TO_THREAD_CALLERS * triangle(s.to_thread_calls),
            // Reads that timed out (none may return data: nobody writes).
            Workload::ReadTimeouts => QUIET_SOCKETS * s.read_timeouts,
            // Bytes echoed back and checked.
            Workload::LatencyUnderLoad => s.latency_requests * ECHO_MESSAGE as u64,
            // Child `i` returns `i` (after one yield); every output collected.
            Workload::Gather | Workload::TaskGroup => triangle(s.children),
            // Every output collected, plus 1 000 000 × the children the first wait found
            // finished: exactly one, child 0, the only one not waiting on the event.
            Workload::WaitFirst => triangle(s.children) + 1_000_000,
        }
    }
}

/// What one run of one cell returns.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub checksum: u64,
    /// For `idle_tasks_memory`: resident bytes added while the tasks were parked.
    pub extra_bytes: u64,
    /// Further figures, printed as `name=value` on the cell's RESULT line (for example
    /// `timers_fire`'s `max_late_ns`, the latest any timer woke after its deadline).
    pub figures: Vec<(&'static str, u64)>,
}

impl Outcome {
    /// An outcome that is only a checksum.
    pub fn checksum(checksum: u64) -> Outcome {
        Outcome {
            checksum,
            ..Outcome::default()
        }
    }

    /// The same outcome with one more figure.
    pub fn with(mut self, name: &'static str, value: u64) -> Outcome {
        self.figures.push((name, value));
        self
    }
}

/// Whether this run is the runner's verification (warm-up) round, in which a runtime that
/// can be asked is asked whether it really did the work (see [`VERIFY_VAR`]).
pub fn verifying() -> bool {
    std::env::var_os(VERIFY_VAR).is_some()
}

/// Set (to anything) in the environment of the runner's warm-up round, which is also its
/// verification round: runtimes that can be asked are asked whether the work was really
/// done (tinyloop: is the timeout's timer filed while its future is suspended). Outside it
/// nobody asks, so that no runtime pays for the question in a measured round.
pub const VERIFY_VAR: &str = "TINYLOOP_BENCH_VERIFY";

/// The process's resident set size now, from /proc/self/statm (Linux).
pub fn current_rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// The process's peak resident set size, from /proc/self/status VmHWM (Linux).
pub fn peak_rss_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|line| line.starts_with("VmHWM:"))
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|kib| kib.parse::<u64>().ok())
        .map_or(0, |kib| kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn divided_sizes_keep_the_structure_and_even_yields() {
        let sizes = Sizes::divided(3);
        assert_eq!(sizes.pingpong_yields % 2, 0);
        assert_eq!(sizes.spawn_tasks, 333_333);
        assert_eq!(Workload::TcpEcho.operations(&sizes), ECHO_CLIENTS * 333);
    }
}
