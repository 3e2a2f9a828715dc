//! The demos runner: `cargo run -p tinyloop-demos -- [list | tour | NAME] [--virtual]
//! [--eager] [--trace] [--step] [--timeline FILE.svg] [--explore [OUT.html]]
//! [--compare [--python PATH]]`, and `explore RECORDING.json [OUT.html]`.

#![forbid(unsafe_code)]

mod closed_pipe;
mod compare;

use std::process::ExitCode;

use tinyloop_demos::{DEMO_FLAGS, Demo, Options, TOUR, TOUR_WAITS, all};

const USAGE: &str = "usage: cargo run -p tinyloop-demos -- [list | tour | NAME] [--virtual]
       [--eager] [--trace] [--step] [--timeline FILE.svg] [--explore [OUT.html]]
       cargo run -p tinyloop-demos -- explore RECORDING.json [OUT.html]

  list        every demo: its name, the example of the asyncio texts it mirrors, what it shows
  tour        run a chosen sequence of demos, with a heading before each
  NAME        run one demo
  --virtual   run on the virtual clock: instant, with exact times
  --eager     start each spawned task inside spawn (asyncio 3.12's eager_task_factory)
  --trace     print every loop event among the demo's lines, and a text timeline at the end
  --step      stop before each loop step and show the loop's state; Enter: next step,
              c: run to the end, q: quit (reads stdin; a pipe works too)
  --timeline FILE.svg
              draw one lane per task, a bar in every step it ran, into FILE.svg
              (a demo that runs several loops writes FILE-2.svg, ... for the others)
  --explore [OUT.html]
              write the loop explorer page of the run (default NAME.html): open it in a
              browser and step through the loop; ← → keys, ?step=N in the URL
  explore RECORDING.json [OUT.html]
              turn a recording (TINYLOOP_EXPLORE=FILE.json, any program) into a page
  --compare   run NAME on the virtual clock beside its asyncio twin (demos/python/NAME.py)
              and mark each differing line expected (with its reason) or unexpected
  --python PATH
              the CPython --compare runs the twin with (default: python3)";

fn main() -> ExitCode {
    closed_pipe::exit_quietly_when_stdout_closes();
    let demos = all();
    let mut options = Options::default();
    let mut command: Option<String> = None;
    let mut compare = false;
    let mut python: Option<String> = None;
    let mut explore = false;
    let mut extra: Vec<String> = Vec::new();
    let mut args = std::env::args().skip(1).peekable();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--virtual" => options.virtual_clock = true,
            "--eager" => options.eager_tasks = true,
            "--trace" => options.trace = true,
            "--step" => options.step = true,
            "--compare" => compare = true,
            "--python" => match args.next() {
                Some(path) => python = Some(path),
                None => return usage_error("--python needs a path", &demos),
            },
            "--timeline" => match args.next() {
                Some(path) => options.timeline = Some(path.into()),
                None => return usage_error("--timeline needs a file name", &demos),
            },
            "--explore" => {
                explore = true;
                if let Some(path) = args.next_if(|next| next.ends_with(".html")) {
                    options.explore = Some(path.into());
                }
            }
            flag if flag.starts_with("--timeline=") => {
                options.timeline = Some(flag["--timeline=".len()..].into());
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            flag if DEMO_FLAGS.contains(&flag) => options.demo_flags.push(arg),
            flag if flag.starts_with('-') => {
                return usage_error(&format!("unknown flag '{flag}'"), &demos);
            }
            _ if command.as_deref() == Some("explore") => extra.push(arg),
            _ if command.is_some() => {
                return usage_error(&format!("unexpected argument '{arg}'"), &demos);
            }
            _ => command = Some(arg),
        }
    }
    if explore && options.explore.is_none() {
        let name = command.as_deref().unwrap_or("explore");
        options.explore = Some(format!("{name}.html").into());
    }
    match command.as_deref() {
        None => usage_error("no demo named", &demos),
        Some("explore") => explore_command(&extra, &demos),
        Some("list") => {
            list(&demos);
            ExitCode::SUCCESS
        }
        Some("tour") => {
            tour(&demos, &options);
            ExitCode::SUCCESS
        }
        Some(name) if compare => compare::run(name, python.as_deref(), options.eager_tasks),
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
        let wait = TOUR_WAITS.iter().find(|(name, _)| *name == demo.name);
        if let (Some((_, why)), false) = (wait, options.virtual_clock) {
            println!("    note    {why}");
        }
        println!();
        (demo.run)(options);
    }
    println!();
    println!("=== End of the tour ===");
    println!(
        "    The book explains what each stop showed: book/src/, from book/src/introduction.md"
    );
    println!("    (or `mdbook serve book` to read it in a browser, with the code filled in).");
    println!(
        "    `cargo run -p tinyloop-demos -- list` names every demo; add --virtual for exact times."
    );
    println!("    Then the exercises: `cd exercises && cargo run -- watch` starts with the first,");
    println!(
        "    exercises/src/ex01_countdown.rs, a future that counts down (book: The smallest executor)."
    );
}

/// `explore RECORDING.json [OUT.html]`: turn a recording into a page.
fn explore_command(args: &[String], demos: &[Demo]) -> ExitCode {
    let (input, output) = match args {
        [input] => (
            input.clone(),
            std::path::Path::new(input).with_extension("html"),
        ),
        [input, output] => (input.clone(), output.into()),
        _ => {
            return usage_error(
                "explore needs RECORDING.json and, optionally, OUT.html",
                demos,
            );
        }
    };
    match tinyloop_demos::explore::convert(input.as_ref(), &output) {
        Ok(()) => {
            eprintln!("explorer page written to {}", output.display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("tinyloop-demos: {error}");
            ExitCode::FAILURE
        }
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
