//! Records, at build time, what the results header must state and the binary cannot find
//! out later: the compiler's version, the build profile, and the versions of the peer
//! crates as Cargo.lock pins them.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The crates whose versions a results header names.
const CRATES: [&str; 7] = [
    "tokio",
    "async-executor",
    "async-io",
    "async-channel",
    "async-lock",
    "event-listener",
    "futures-lite",
];

fn main() {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = Command::new(rustc)
        .arg("--version")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .unwrap_or_else(|_| "unknown".into());
    println!("cargo:rustc-env=BENCH_RUSTC={version}");

    // OUT_DIR is target/<profile directory>/build/<crate>-<hash>/out; the profile directory
    // names the profile (release, bench-lto, debug), which the PROFILE variable does not
    // (it says "release" for every optimised profile).
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let profile = out_dir
        .ancestors()
        .nth(3)
        .and_then(Path::file_name)
        .map_or("unknown".into(), |name| name.to_string_lossy().into_owned());
    println!("cargo:rustc-env=BENCH_PROFILE={profile}");

    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let lock_path = manifest.join("../Cargo.lock");
    println!("cargo:rerun-if-changed={}", lock_path.display());
    let lock = std::fs::read_to_string(&lock_path).unwrap_or_default();
    let versions: Vec<String> = CRATES
        .iter()
        .map(|name| format!("{name} {}", locked_version(&lock, name)))
        .collect();
    println!("cargo:rustc-env=BENCH_CRATES={}", versions.join(", "));
}

/// The version Cargo.lock gives for `name` (the first, if several are locked).
fn locked_version(lock: &str, name: &str) -> String {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() != wanted {
            continue;
        }
        let version = lines
            .next()
            .and_then(|next| next.trim().strip_prefix("version = "));
        return version.map_or("?".into(), |v| v.trim_matches('"').to_string());
    }
    "?".into()
}
