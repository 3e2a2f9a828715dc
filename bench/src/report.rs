//! The report: the table of medians, the raw samples, and the check against the previous
//! committed run.
//!
//! A median alone hides how a run went, so beside each median stand the min–max of the
//! rounds, the CPU time (user + system) and its system part, and every round's raw sample
//! goes to a `-samples.tsv` file next to the table. The peers' medians are compared with
//! the newest earlier results file in `bench/results/` that measured the same cell: a peer that moved more than 10 %
//! means the machine, the build or the peer changed, and the table says so instead of
//! silently crediting tinyloop with the difference.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::environment::{Header, load_average};
use crate::runner::{Cell, Plan, Sample};
use crate::workloads::{Sizes, TIMER_SPAN, Workload};

/// How far a peer's median may move from the previous run before it is flagged.
const DRIFT: f64 = 0.10;

/// Print the table (and save it, if asked).
pub fn finish(header: &Header, plan: &Plan, cells: &[Cell]) {
    let sizes = Sizes::divided(plan.divisor);
    let table = table(plan, cells, &sizes);
    let mut text = header.text();
    let _ = writeln!(text, "# load average at end: {}", load_average());
    text.push_str(&table);
    let results = results_dir();
    let own = results.join(format!("{}.txt", header.stamp));
    if plan.divisor == 1 {
        let earlier = earlier_results(&results, &own);
        if earlier.is_empty() {
            text.push_str("\nno earlier results file to compare the peers with\n");
        } else {
            text.push_str(&drift(&earlier, cells, &sizes));
        }
    }
    print!("{text}");
    if plan.save {
        let samples = results.join(format!("{}-samples.tsv", header.stamp));
        let written = std::fs::write(&own, &text)
            .and_then(|()| std::fs::write(&samples, samples_tsv(header, cells)));
        match written {
            Ok(()) => eprintln!("saved {} and {}", own.display(), samples.display()),
            Err(error) => eprintln!(
                "could not save the results in {}: {error}",
                results.display()
            ),
        }
    }
}

fn results_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("results")
}

/// A cell's key figure for one sample: wall time in seconds; for `timers_fire`, the time
/// beyond the 200 ms the timers span; for `idle_tasks_memory`, bytes per parked task; for
/// the workloads whose wall time is fixed by their timers, CPU time (user + system).
fn key(workload: Workload, sizes: &Sizes, sample: &Sample) -> f64 {
    match workload {
        Workload::IdleTasksMemory => sample.extra_bytes as f64 / workload.operations(sizes) as f64,
        Workload::TimersFire => (sample.elapsed.as_secs_f64() - TIMER_SPAN.as_secs_f64()).max(1e-6),
        _ if workload.keyed_on_cpu() => sample.cpu().as_secs_f64(),
        _ => sample.elapsed.as_secs_f64(),
    }
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// A cell's median key figure, if it has samples.
fn cell_median(cell: &Cell, sizes: &Sizes) -> Option<f64> {
    let keys: Vec<f64> = cell
        .samples
        .iter()
        .map(|sample| key(cell.workload, sizes, sample))
        .collect();
    (!keys.is_empty()).then(|| median(keys))
}

/// A key figure as the table shows it.
fn shown(workload: Workload, value: f64) -> String {
    match workload {
        Workload::IdleTasksMemory => format!("{value:.0} B/task"),
        Workload::TimersFire => format!("+{:.1} ms", value * 1e3),
        _ if workload.keyed_on_cpu() => format!("{:.1} ms cpu", value * 1e3),
        _ => format!("{:.1} ms", value * 1e3),
    }
}

fn table(plan: &Plan, cells: &[Cell], sizes: &Sizes) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<18} {:<14} {:>11} {:>21} {:>11} {:>10} {:>10} {:>8} {:>8}  notes",
        "workload", "runtime", "median", "min-max", "cpu", "sys", "ops/s", "peak RSS", "ratio"
    );
    for &workload in &plan.workloads {
        let row: Vec<&Cell> = cells.iter().filter(|c| c.workload == workload).collect();
        let best = row
            .iter()
            .filter_map(|cell| cell_median(cell, sizes))
            .fold(f64::INFINITY, f64::min);
        for cell in row {
            let Some(value) = cell_median(cell, sizes) else {
                let why = cell.missing.as_deref().unwrap_or("no samples");
                let _ = writeln!(out, "{:<18} {:<14} {why}", workload.name(), cell.runtime);
                continue;
            };
            let keys: Vec<f64> = cell
                .samples
                .iter()
                .map(|s| key(workload, sizes, s))
                .collect();
            let low = keys.iter().copied().fold(f64::INFINITY, f64::min);
            let high = keys.iter().copied().fold(0.0, f64::max);
            let range = if workload == Workload::IdleTasksMemory {
                format!("{low:.0}-{high:.0}")
            } else {
                format!("{:.1}-{:.1} ms", low * 1e3, high * 1e3)
            };
            let ms = |f: fn(&Sample) -> f64| median(cell.samples.iter().map(f).collect()) * 1e3;
            let cpu = ms(|s| s.cpu().as_secs_f64());
            let sys = ms(|s| s.sys.as_secs_f64());
            let wall = median(
                cell.samples
                    .iter()
                    .map(|s| s.elapsed.as_secs_f64())
                    .collect(),
            );
            let ops = if workload == Workload::IdleTasksMemory {
                "-".to_string()
            } else {
                format!("{:.3e}", workload.operations(sizes) as f64 / wall)
            };
            let rss = median(cell.samples.iter().map(|s| s.peak_rss as f64).collect());
            let _ = writeln!(
                out,
                "{:<18} {:<14} {:>11} {:>21} {:>8.1} ms {:>7.1} ms {:>10} {:>5.0} MB {:>7.2}x  {}",
                workload.name(),
                cell.runtime,
                shown(workload, value),
                range,
                cpu,
                sys,
                ops,
                rss / 1e6,
                value / best,
                notes(cell)
            );
        }
    }
    out
}

/// The figures a workload reports besides its time, as medians over the rounds.
fn notes(cell: &Cell) -> String {
    let names: [(&str, &str); 7] = [
        ("alternate_pct", "turn changes hands"),
        ("max_late_ns", "max late"),
        ("last_late_ns", "last timer late"),
        ("p50_ns", "p50"),
        ("p99_ns", "p99"),
        ("p999_ns", "p99.9"),
        ("max_ns", "max"),
    ];
    let mut parts = Vec::new();
    for (name, label) in names {
        let values: Vec<f64> = cell
            .samples
            .iter()
            .filter_map(|sample| sample.figure(name))
            .map(|ns| ns as f64)
            .collect();
        if values.is_empty() {
            continue;
        }
        if name.ends_with("_pct") {
            parts.push(format!("{label} {:.0} %", median(values)));
        } else {
            parts.push(format!("{label} {:.2} ms", median(values) / 1e6));
        }
    }
    parts.join(", ")
}

/// The `.txt` results files in `dir` other than `own`, newest first (names sort by date),
/// with their text; only runs at full size.
fn earlier_results(dir: &Path, own: &Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, String)> = entries
        .filter_map(|entry| Some(entry.ok()?.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "txt") && path != own)
        .filter_map(|path| {
            let text = std::fs::read_to_string(&path).ok()?;
            let name = path.file_name()?.to_string_lossy().into_owned();
            Some((name, text))
        })
        // A check with divided sizes is no reference for a real run.
        .filter(|(_, text)| !text.contains("SIZES DIVIDED"))
        .collect();
    files.sort();
    files.reverse();
    files
}

/// The peers whose median moved more than [`DRIFT`] from the newest earlier run that
/// measured the same cell (a run of some workloads or runtimes only is no reference for
/// the others).
fn drift(earlier: &[(String, String)], cells: &[Cell], sizes: &Sizes) -> String {
    let mut moved = Vec::new();
    let mut compared = 0;
    let mut sources: Vec<&str> = Vec::new();
    for cell in cells
        .iter()
        // `+tl` rows run tinyloop's own primitives: they move when tinyloop does.
        .filter(|cell| !cell.runtime.starts_with("tinyloop") && !cell.runtime.ends_with("+tl"))
    {
        let Some(now) = cell_median(cell, sizes) else {
            continue;
        };
        let Some((name, before)) = earlier.iter().find_map(|(name, text)| {
            Some((
                name.as_str(),
                previous_median(text, cell.workload, cell.runtime)?,
            ))
        }) else {
            continue;
        };
        compared += 1;
        if !sources.contains(&name) {
            sources.push(name);
        }
        let change = now / before - 1.0;
        if change.abs() > DRIFT {
            moved.push(format!(
                "  {} {}: {} in {name}, {} now ({:+.0} %)",
                cell.workload.name(),
                cell.runtime,
                shown(cell.workload, before),
                shown(cell.workload, now),
                change * 100.0
            ));
        }
    }
    let from = format!(
        "{compared} peer cells compared with their newest earlier figure ({})",
        sources.join(", ")
    );
    if compared == 0 {
        "\nno peer cell of this run was measured in an earlier results file\n".to_string()
    } else if moved.is_empty() {
        format!("\n{from}: none moved more than 10 %\n")
    } else {
        format!(
            "\n{from}.\nFLAGGED: these moved more than 10 %; the machine, the build or the \
             workload changed, so ratios to that run do not carry over:\n{}\n",
            moved.join("\n")
        )
    }
}

/// A previous table's median for one cell, in the key figure's unit (seconds or bytes).
fn previous_median(text: &str, workload: Workload, runtime: &str) -> Option<f64> {
    text.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        if words.next()? != workload.name() || words.next()? != runtime {
            return None;
        }
        let value: f64 = words.next()?.trim_start_matches('+').parse().ok()?;
        match words.next()? {
            "ms" => Some(value / 1e3),
            "B/task" => Some(value),
            _ => None,
        }
    })
}

/// Every measured round of every cell, one line each.
fn samples_tsv(header: &Header, cells: &[Cell]) -> String {
    let mut out = header.text();
    out.push_str(
        "round\tworkload\truntime\telapsed_ns\tuser_ns\tsys_ns\tpeak_rss\textra_bytes\tfigures\n",
    );
    for cell in cells {
        for s in &cell.samples {
            let figures: Vec<String> = s.figures.iter().map(|(k, v)| format!("{k}={v}")).collect();
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                s.round,
                cell.workload.name(),
                cell.runtime,
                s.elapsed.as_nanos(),
                s.user.as_nanos(),
                s.sys.as_nanos(),
                s.peak_rss,
                s.extra_bytes,
                figures.join(",")
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_previous_table_gives_its_medians_in_seconds_or_bytes() {
        let table = "\
# header
spawn_join         tokio           756.8 ms        629.0-794.3 ms       1.321e6     338 MB    2.22x
timers_fire        smol             +0.8 ms            0.7-0.8 ms       4.980e5      24 MB    1.00x
idle_tasks_memory  smol          200 B/task               200-200             -     219 MB    1.00x
read_timeouts      tokio        6.9 ms cpu            6.9-6.9 ms      6.9 ms
";
        let median = |w, r| previous_median(table, w, r).map(|m| (m * 1e6).round());
        assert_eq!(median(Workload::SpawnJoin, "tokio"), Some(756_800.0));
        assert_eq!(median(Workload::TimersFire, "smol"), Some(800.0));
        assert_eq!(median(Workload::IdleTasksMemory, "smol"), Some(200e6));
        assert_eq!(median(Workload::ReadTimeouts, "tokio"), Some(6_900.0));
        assert_eq!(median(Workload::SpawnJoin, "smol"), None);
    }
}
