//! The nine workloads: their names, sizes, and the checksum every implementation must return.
//!
//! Every runtime's implementation of a workload returns a [`Outcome`]: the checksum (which
//! the runner compares with [`expected_checksum`], so a runtime that skips work is caught),
//! the number of operations (for ops/s), and, for `timers_fire`, the loop's overhead.

use std::time::Duration;

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
}

pub const ALL: [Workload; 9] = [
    Workload::SpawnJoin,
    Workload::YieldPingpong,
    Workload::TimersFire,
    Workload::TimersCancel,
    Workload::Semaphore,
    Workload::Queue1p1c,
    Workload::Queue4p4c,
    Workload::TcpEcho,
    Workload::IdleTasksMemory,
];

pub const SPAWN_TASKS: u64 = 1_000_000;
pub const PINGPONG_YIELDS: u64 = 5_000_000;
pub const TIMER_TASKS: u64 = 100_000;
/// The longest sleep of `timers_fire`; task `i` sleeps `i * TIMER_SPAN / (TIMER_TASKS - 1)`.
pub const TIMER_SPAN: Duration = Duration::from_millis(200);
pub const TIMEOUTS: u64 = 1_000_000;
pub const SEMAPHORE_TASKS: u64 = 100_000;
pub const SEMAPHORE_PERMITS: usize = 10;
pub const QUEUE_CAPACITY: usize = 64;
pub const QUEUE_1P1C_ITEMS: u64 = 5_000_000;
pub const QUEUE_4P4C_ITEMS: u64 = 4_000_000;
pub const QUEUE_SIDES: u64 = 4;
pub const ECHO_CLIENTS: u64 = 100;
pub const ECHO_ROUND_TRIPS: u64 = 1_000;
pub const ECHO_MESSAGE: usize = 64;
pub const IDLE_TASKS: u64 = 1_000_000;

/// The deadline of timer task `i` in `timers_fire`: distinct, spread over 0..=200 ms.
pub fn timer_deadline(i: u64) -> Duration {
    TIMER_SPAN * (i as u32) / ((TIMER_TASKS - 1) as u32)
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
        }
    }

    pub fn from_name(name: &str) -> Option<Workload> {
        ALL.into_iter().find(|workload| workload.name() == name)
    }

    /// What one "operation" is, for the ops/s column.
    pub fn operations(self) -> u64 {
        match self {
            Workload::SpawnJoin => SPAWN_TASKS,
            Workload::YieldPingpong => PINGPONG_YIELDS,
            Workload::TimersFire => TIMER_TASKS,
            Workload::TimersCancel => TIMEOUTS,
            Workload::Semaphore => SEMAPHORE_TASKS,
            Workload::Queue1p1c => QUEUE_1P1C_ITEMS,
            Workload::Queue4p4c => QUEUE_4P4C_ITEMS,
            Workload::TcpEcho => ECHO_CLIENTS * ECHO_ROUND_TRIPS,
            Workload::IdleTasksMemory => IDLE_TASKS,
        }
    }

    /// The checksum every implementation must return.
    pub fn expected_checksum(self) -> u64 {
        match self {
            // Each task returns its index; the sum of 0..n.
            Workload::SpawnJoin => SPAWN_TASKS * (SPAWN_TASKS - 1) / 2,
            // The yields counted by both tasks.
            Workload::YieldPingpong => PINGPONG_YIELDS,
            // Each task returns its index once it has woken no earlier than its deadline.
            Workload::TimersFire => TIMER_TASKS * (TIMER_TASKS - 1) / 2,
            // Each timeout's inner future completed (none expired).
            Workload::TimersCancel => TIMEOUTS,
            // Permits taken, plus 1 000 000 × the peak number held at once (must be 10).
            Workload::Semaphore => SEMAPHORE_TASKS + 1_000_000 * SEMAPHORE_PERMITS as u64,
            // The sum of the items received, items numbered from 0.
            Workload::Queue1p1c => QUEUE_1P1C_ITEMS * (QUEUE_1P1C_ITEMS - 1) / 2,
            Workload::Queue4p4c => QUEUE_4P4C_ITEMS * (QUEUE_4P4C_ITEMS - 1) / 2,
            // Bytes echoed back and checked.
            Workload::TcpEcho => ECHO_CLIENTS * ECHO_ROUND_TRIPS * ECHO_MESSAGE as u64,
            // Tasks that were parked at the moment of measuring.
            Workload::IdleTasksMemory => IDLE_TASKS,
        }
    }
}

/// What one run of one cell returns.
#[derive(Clone, Copy, Debug, Default)]
pub struct Outcome {
    pub checksum: u64,
    /// For `idle_tasks_memory`: resident bytes added while the tasks were parked.
    pub extra_bytes: u64,
}

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
