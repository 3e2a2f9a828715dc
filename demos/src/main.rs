//! The demos runner: `cargo run -p tinyloop-demos -- [list | tour | NAME] [--virtual]`.

use std::process::ExitCode;

use tinyloop_demos::{DEMO_FLAGS, Demo, Options, TOUR, all};

const USAGE: &str = "usage: cargo run -p tinyloop-demos -- [list | tour | NAME] [--virtual]

  list        every demo: its name, the seed example it mirrors, what it shows
  tour        run a chosen sequence of demos, with a heading before each
  NAME        run one demo
  --virtual   run on the virtual clock: instant, with exact times";

fn main() -> ExitCode {
    let demos = all();
    let mut options = Options::default();
    let mut command: Option<String> = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--virtual" => options.virtual_clock = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if DEMO_FLAGS.contains(&flag) => options.demo_flags.push(arg),
            flag if flag.starts_with('-') => {
                return usage_error(&format!("unknown flag '{flag}'"), &demos);
            }
            _ if command.is_some() => {
                return usage_error(&format!("unexpected argument '{arg}'"), &demos);
            }
            _ => command = Some(arg),
        }
    }
    match command.as_deref() {
        None => usage_error("no demo named", &demos),
        Some("list") => {
            list(&demos);
            ExitCode::SUCCESS
        }
        Some("tour") => {
            tour(&demos, &options);
            ExitCode::SUCCESS
        }
        Some(name) => match demos.iter().find(|demo| demo.name == name) {
            Some(demo) => {
                (demo.run)(&options);
                ExitCode::SUCCESS
            }
            None => usage_error(&format!("no demo named '{name}'"), &demos),
        },
    }
}

fn list(demos: &[Demo]) {
    let width = demos.iter().map(|demo| demo.name.len()).max().unwrap_or(0);
    for demo in demos {
        println!("{:width$}  {}", demo.name, demo.mirrors);
        println!("{:width$}  {}", "", demo.shows);
    }
}

fn tour(demos: &[Demo], options: &Options) {
    let stops: Vec<&Demo> = TOUR
        .iter()
        .filter_map(|name| demos.iter().find(|demo| demo.name == *name))
        .collect();
    for (number, demo) in stops.iter().enumerate() {
        if number > 0 {
            println!();
        }
        println!("=== {} / {}: {} ===", number + 1, stops.len(), demo.name);
        println!("    mirrors {}", demo.mirrors);
        println!("    shows   {}", demo.shows);
        println!();
        (demo.run)(options);
    }
}

/// Bad input: say what was wrong and what exists, and exit with status 2.
fn usage_error(problem: &str, demos: &[Demo]) -> ExitCode {
    eprintln!("tinyloop-demos: {problem}\n\n{USAGE}\n\ndemos:");
    for demo in demos {
        eprintln!("  {}", demo.name);
    }
    eprintln!("flags a demo may take: {}", DEMO_FLAGS.join(", "));
    ExitCode::from(2)
}
