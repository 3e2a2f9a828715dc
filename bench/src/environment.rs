//! The results header: what a reader needs to judge a table. The build (profile, rustc,
//! the peer crates' versions), the Pythons, the machine, how loaded it was when the run
//! began, and how the run was made (rounds, sizes).

use std::process::Command;

use crate::runner::Plan;

/// The header's lines (each starting with `# `) and the run's time stamp.
pub struct Header {
    pub lines: Vec<String>,
    /// `YYYY-MM-DD-HHMM` (UTC), the name of a saved results file.
    pub stamp: String,
}

impl Header {
    pub fn collect(plan: &Plan) -> Header {
        let date = |format: &str| {
            Command::new("date")
                .args(["-u", format])
                .output()
                .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
                .unwrap_or_default()
        };
        let mut lines = vec![
            format!("tinyloop-bench {}", plan.args.join(" "))
                .trim()
                .to_string(),
            format!("date: {}", date("+%Y-%m-%d %H:%M UTC")),
            format!("build: {}; {}", profile(), env!("BENCH_RUSTC")),
            format!("crates: {}", env!("BENCH_CRATES")),
            format!("python: {}", python_versions()),
            format!("machine: {}", machine()),
            format!("load average at start: {}", load_average()),
            format!(
                "rounds: {} measured, after one warm-up round that also verifies (not counted); \
                 runtimes rotate their order each round",
                plan.rounds
            ),
        ];
        if plan.divisor > 1 {
            lines.push(format!(
                "SIZES DIVIDED BY {}: a check that everything runs, not a measurement",
                plan.divisor
            ));
        }
        Header {
            lines: lines.into_iter().map(|line| format!("# {line}")).collect(),
            stamp: date("+%Y-%m-%d-%H%M"),
        }
    }

    pub fn text(&self) -> String {
        self.lines.iter().map(|line| format!("{line}\n")).collect()
    }
}

/// The build profile, and what it means.
fn profile() -> String {
    match env!("BENCH_PROFILE") {
        "bench-lto" => "profile bench-lto (release, lto = \"thin\", codegen-units = 1)".into(),
        "release" => "profile release (NO LTO, 16 codegen units: not the benchmark's build; \
                      use --profile bench-lto)"
            .into(),
        other => format!("profile {other} (not the benchmark's build; use --profile bench-lto)"),
    }
}

/// `python3`'s version, and uvloop's if it imports.
fn python_versions() -> String {
    let ask = |code: &str| {
        Command::new("python3")
            .args(["-c", code])
            .output()
            .ok()
            .filter(|output| output.status.success())
            .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
    };
    let python =
        ask("import platform; print(platform.python_implementation(), platform.python_version())")
            .unwrap_or_else(|| "python3 not found".into());
    let uvloop = ask("import uvloop; print(uvloop.__version__)")
        .map_or("uvloop not installed".into(), |version| {
            format!("uvloop {version}")
        });
    format!("{python}; {uvloop}")
}

/// Cores, memory, CPU model and kernel, from /proc.
fn machine() -> String {
    let read = |path: &str| std::fs::read_to_string(path).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or("unknown CPU".into(), |(_, model)| model.trim().to_string());
    let memory_kib: u64 = read("/proc/meminfo")
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    format!(
        "{cores} cores, {} GiB, {model}, Linux {}",
        memory_kib / (1024 * 1024),
        read("/proc/sys/kernel/osrelease").trim()
    )
}

/// The 1, 5 and 15 minute load averages, from /proc/loadavg.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}
