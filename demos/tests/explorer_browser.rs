//! The loop explorer page, opened in a real browser (headless Chromium), agrees with the
//! terminal stepper.
//!
//! Each demo runs once with both `--step` (Enter piped for every step) and `--explore`, so
//! the stepper's transcript and the page come from the same run of the loop. For several
//! steps the test opens `page.html?step=N` with `chromium --headless --dump-dom`, which
//! prints the DOM after the page's script has drawn step N, and checks that the page shows
//! what the stepper printed before step N: the ready queue, the timers, the I/O sources,
//! every task with what it waits on, and the program's output so far.
//!
//! The page's controls are driven as a learner drives them: a script appended to a copy of a
//! page presses the arrow keys, End and Home, and clicks play and pause, and the test checks
//! where the page and its URL went (`keys_and_play_move_the_page_and_its_url`).
//!
//! Chromium is Debian's `chromium` (`.ci/run` installs it), or the program named by
//! `TINYLOOP_CHROMIUM`. Without it the tests print why and pass without checking: the
//! rest of the suite must run on machines with no browser.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The Chromium to drive, if one runs here.
fn chromium() -> Option<PathBuf> {
    let program = std::env::var_os("TINYLOOP_CHROMIUM").unwrap_or_else(|| "chromium".into());
    let runs = Command::new(&program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if runs {
        Some(program.into())
    } else {
        eprintln!(
            "SKIPPED: no Chromium here ({} does not run); install Debian's `chromium` \
             (.ci/run does) or set TINYLOOP_CHROMIUM to run the explorer's browser tests",
            PathBuf::from(program).display()
        );
        None
    }
}

/// A scratch directory for one test's pages.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tinyloop-explorer-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Run demo `name` on the virtual clock with `--step` and `--explore`; its stdout (the
/// stepper's transcript among the demo's lines) and the page's path.
fn run_demo(name: &str, dir: &Path) -> (String, PathBuf) {
    let page = dir.join(format!("{name}.html"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_tinyloop-demos"))
        .args([name, "--virtual", "--step", "--explore"])
        .arg(&page)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the demos runner starts");
    // One Enter per step, plenty; a closed stdin would run to the end anyway.
    let enters = "\n".repeat(2000);
    let _ = child.stdin.take().unwrap().write_all(enters.as_bytes());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (String::from_utf8_lossy(&output.stdout).into_owned(), page)
}

/// What a view of step N shows, as comparable lines.
#[derive(Debug, PartialEq)]
struct View {
    ready: Vec<String>,
    timers: Vec<String>,
    io: Vec<String>,
    tasks: Vec<String>,
    output: Vec<String>,
}

/// What the stepper printed before step `step` of the `nth` loop (from 1) of a transcript,
/// and the demo's own lines printed up to the end of that step.
fn stepper_view(transcript: &str, nth: usize, step: u64) -> View {
    let runs: Vec<&str> = transcript.split(" before step 1: ").skip(1).collect();
    let run = runs[nth - 1];
    let marker = format!(" before step {step}: ");
    let start = if step == 1 {
        0
    } else {
        run.find(&marker).expect("the step was printed")
    };
    let block: Vec<&str> = run[start..]
        .lines()
        .skip(1)
        .take_while(|line| !line.contains("[Enter] next step"))
        .collect();
    let mut view = View {
        ready: vec![],
        timers: vec![],
        io: vec![],
        tasks: vec![],
        output: vec![],
    };
    let mut section = "";
    for line in block {
        let (head, rest) = match line.get(2..15) {
            Some(head) if !head.trim().is_empty() => {
                (head.trim().trim_end_matches(':'), line[15..].trim())
            }
            _ => (section, line.trim()),
        };
        section = head;
        let rest = collapse(rest);
        match head {
            "ready queue" if rest != "(empty)" => {
                view.ready = rest.split(", ").map(String::from).collect()
            }
            "timers" if rest != "(none)" => view.timers.push(rest),
            "I/O" if rest != "(none registered)" => view.io.push(rest),
            "tasks" => view.tasks.push(rest),
            _ => {}
        }
    }
    // The demo's lines before the stepper stops for the next step (the stepper's line for
    // it starts with the time, `t=0.30 before step 6: `: cut before that line).
    let next = format!(" before step {}: ", step + 1);
    let upto = run
        .find(&next)
        .map_or(run.len(), |at| run[..at].rfind('\n').unwrap_or(0));
    view.output = run[..upto]
        .lines()
        .filter(|line| line.starts_with("t=") && !line.contains(" before step "))
        .map(String::from)
        .collect();
    view
}

/// What the page shows at `?step=step` (or `#step=step`, the form the book links with,
/// when `hash`), read from Chromium's DOM dump.
fn page_view(chromium: &Path, page: &Path, step: &str, hash: bool) -> (String, View) {
    let mark = if hash { '#' } else { '?' };
    let dom = dom_of(chromium, page, &format!("{mark}step={step}"));
    view_of(&dom, step)
}

/// Where the page says it is, and what it shows, read from its DOM at `step`.
fn view_of(dom: &str, step: &str) -> (String, View) {
    let inner = |id: &str| -> String {
        let open = format!("id=\"{id}\"");
        let at = dom
            .find(&open)
            .unwrap_or_else(|| panic!("no #{id} in the page's DOM at step {step}"));
        let body = &dom[at..];
        let body = &body[body.find('>').unwrap() + 1..];
        body.to_string()
    };
    let items = |id: &str, class: &str| -> Vec<String> {
        let body = inner(id);
        let end = body
            .find("</ol>")
            .into_iter()
            .chain(body.find("</ul>"))
            .chain(body.find("</tbody>"))
            .min()
            .unwrap();
        pieces(&body[..end], class)
    };
    let where_ = text(&inner("where")[..inner("where").find('<').unwrap()]);
    let tasks_body = inner("tasks");
    let tasks_body = &tasks_body[..tasks_body.find("</tbody>").unwrap()];
    let tasks = tasks_body
        .split("<tr")
        .skip(1)
        .filter(|row| row.contains("class=\"label\""))
        .map(|row| {
            collapse(&format!(
                "{} {}",
                pieces(row, "class=\"label\"")[0],
                pieces(row, "class=\"says\"")[0]
            ))
        })
        .collect();
    let view = View {
        ready: items("ready", "data-id="),
        timers: items("timers", "class=\"what\""),
        io: items("io", "<li>"),
        tasks,
        output: items("output", "class=\"line\""),
    };
    (where_, view)
}

/// The text of every element whose opening tag contains `marker`, in order.
fn pieces(html: &str, marker: &str) -> Vec<String> {
    let marker = marker.trim_start_matches('<');
    html.split('<')
        .filter(|tag| {
            tag.starts_with(marker) || (tag.contains(marker) && !marker.starts_with("li"))
        })
        .map(|tag| text(&tag[tag.find('>').unwrap() + 1..]))
        .collect()
}

/// HTML text to plain text.
fn text(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Runs of spaces as one: the stepper pads its columns.
fn collapse(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Open `name`'s page at each of `steps` and check it against the stepper.
fn page_agrees_with_stepper(name: &str, steps: &[u64]) {
    let Some(chromium) = chromium() else { return };
    let dir = scratch(name);
    let (transcript, page) = run_demo(name, &dir);
    for (i, &step) in steps.iter().enumerate() {
        let expected = stepper_view(&transcript, 1, step);
        let (where_, shown) = page_view(&chromium, &page, &step.to_string(), i % 2 == 1);
        assert!(
            where_.starts_with(&format!("before step {step} ")),
            "{name}: the page is at '{where_}', not step {step}"
        );
        assert_eq!(
            shown, expected,
            "{name}, before step {step}: the page (left) and the stepper (right) differ"
        );
    }
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn semaphore_batches_page_shows_what_the_stepper_shows() {
    page_agrees_with_stepper("semaphore_batches", &[1, 2, 4, 5, 8]);
}

#[test]
fn echo_page_shows_the_sockets_and_who_waits_on_them_as_the_stepper_does() {
    page_agrees_with_stepper("echo", &[2, 3, 7, 20]);
}

/// The level a timer due at `deadline` sits on with the wheel's hand at `hand` (both in
/// ms ticks), and its slot: the highest base-64 digit in which they differ (the wheel's
/// filing rule, `level_for` in `runtime/src/time/wheel/level.rs`, restated).
fn filed_at(hand: u64, deadline: u64) -> (u64, u64) {
    let differing = (hand ^ deadline) | 63;
    let level = (63 - u64::from(differing.leading_zeros())) / 6;
    (level, (deadline >> (6 * level)) % 64)
}

#[test]
fn queue_join_page_draws_the_real_wheel_and_shows_a_cascade() {
    page_agrees_with_stepper("queue_join", &[2, 3, 11, 21]);
    let Some(chromium) = chromium() else { return };
    let dir = scratch("queue_join_wheel");
    let (_, page) = run_demo("queue_join", &dir);
    let mut cascades = 0;
    for step in 9..=12 {
        let dom = dom_of(&chromium, &page, &format!("?step={step}"));
        let hand_at = dom.find("id=\"hand\">").expect("the hand is shown") + 10;
        let hand: u64 = dom[hand_at..dom[hand_at..].find('<').unwrap() + hand_at]
            .parse()
            .unwrap();
        let timers = &dom[dom.find("id=\"timers\"").unwrap()..];
        let timers = &timers[..timers.find("</ul>").unwrap()];
        let attr = |li: &str, name: &str| -> String {
            let at = li.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            li[at..at + li[at..].find('"').unwrap()].to_string()
        };
        let mut seen = 0;
        for li in timers.split("<li ").skip(1) {
            let deadline: u64 = attr(li, "data-deadline-ms").parse().unwrap();
            let shown = (
                attr(li, "data-level").parse().unwrap(),
                attr(li, "data-slot").parse().unwrap(),
            );
            assert_eq!(
                shown,
                filed_at(hand, deadline),
                "step {step}: timer due at {deadline} ms, hand at {hand}"
            );
            seen += 1;
        }
        assert!(seen > 0, "step {step}: the page shows no timers");
        cascades += timers.matches("(a cascade)").count();
        if step == 11 {
            assert!(
                timers.contains("moved down from level 2, slot 1"),
                "step 11 shows the cascade (level 2 to 1): {timers}"
            );
        }
    }
    assert!(cascades > 0);
    std::fs::remove_dir_all(dir).unwrap();
}

// Without a browser: recording any program through the environment variable, and the
// `explore` command that turns a recording into a page.

#[test]
fn tinyloop_explore_records_a_program_that_does_not_ask_and_explore_makes_its_page() {
    let dir = scratch("env");
    let recording = dir.join("run.json");
    // threads_vs_loop runs two loops: the second recording goes to run-2.json.
    let status = Command::new(env!("CARGO_BIN_EXE_tinyloop-demos"))
        .args(["threads_vs_loop", "--virtual"])
        .env("TINYLOOP_EXPLORE", &recording)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let first = std::fs::read_to_string(&recording).unwrap();
    let second = std::fs::read_to_string(dir.join("run-2.json")).unwrap();
    assert!(
        first.starts_with("{\"format\":\"tinyloop-explore\",\"version\":1,\"clock\":\"virtual\"")
    );
    // The second loop runs its work on threads: the recording counts the jobs in flight,
    // and the demo's lines are tied to steps.
    assert!(second.contains("\"threads\":2"), "{second}");
    assert!(second.contains("\"output\":[\"t="), "{second}");
    let page = dir.join("run-2.html");
    let status = Command::new(env!("CARGO_BIN_EXE_tinyloop-demos"))
        .arg("explore")
        .arg(dir.join("run-2.json"))
        .arg(&page)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains(second.trim()),
        "the page carries the recording inline"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page needs no network"
    );
    // Not a recording: a clear error, exit status 1, no page.
    let status = Command::new(env!("CARGO_BIN_EXE_tinyloop-demos"))
        .arg("explore")
        .arg(&page)
        .arg(dir.join("bad.html"))
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(1));
    assert!(!dir.join("bad.html").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

/// The explorer pages the book links to, each made by `--virtual --explore`; `NAME-N` is the
/// page of demo NAME's N-th loop.
const BOOK_PAGES: &[&str] = &[
    "workers",
    "semaphore_batches",
    "queue_join",
    "task_order",
    "lock_race",
    "cancel_cleanup",
    "first_completed",
    "producer_consumer",
    "blocking_fetch",
    "echo",
    "crawler",
    "kitchen",
    "cpu_and_io",
    "scraper",
    "pipeline_2x2",
    "event_condition_barrier",
    "gather_errors",
    "wait_for_retry",
    "wait_modes",
    "task_group",
    "coroutines",
    "semaphore_vs_queue",
    "blocking_pitfall-3",
    "kitchen-2",
];

/// The screenshots "Watching the loop" shows: a page and the step it is taken at.
const BOOK_SHOTS: &[(&str, u64)] = &[("workers", 3), ("semaphore_batches", 4), ("queue_join", 11)];

/// `page` with its file descriptors renumbered in order of first appearance (`fd 7`, `fd 8`
/// become `fd #1`, `fd #2`): the numbers the OS hands out depend on how many descriptors the
/// process inherited (a `make -j` jobserver passes some), so only their pattern is compared.
fn fds_in_order(page: &str) -> String {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(at) = rest.find("fd ") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            let fd = &rest[..digits];
            let index = seen.iter().position(|s| *s == fd).unwrap_or_else(|| {
                seen.push(fd);
                seen.len() - 1
            });
            out.push_str(&format!("#{}", index + 1));
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn renumbering_fds_keeps_their_pattern_and_nothing_else() {
    assert_eq!(
        fds_in_order("fd 7 fd 12 fd 7 fd x"),
        fds_in_order("fd 9 fd 3 fd 9 fd x")
    );
    assert_ne!(fds_in_order("fd 7 fd 8"), fds_in_order("fd 7 fd 7"));
    assert_ne!(fds_in_order("fd 7 ready"), fds_in_order("fd 9 idle"));
}

/// The book's committed pages are what `--virtual --explore` makes today. To refresh them
/// after a change to the loop, the recorder or the page, run this test with
/// `TINYLOOP_BLESS=1`, and look at the diff; with Chromium present, blessing also retakes
/// the book's screenshots (`explorer/NAME-step-N.png`), which are not compared (a font
/// update changes pixels).
#[test]
fn the_books_explorer_pages_are_fresh() {
    let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/src/explorer");
    let dir = scratch("book");
    let bless = std::env::var_os("TINYLOOP_BLESS").is_some();
    let mut stale = Vec::new();
    for name in BOOK_PAGES {
        // `NAME-N` is the page of the demo's N-th loop, which `--explore NAME.html` writes
        // as `NAME-N.html` beside the first.
        let demo = match name.rsplit_once('-') {
            Some((demo, n)) if n.parse::<u32>().is_ok() => demo,
            _ => name,
        };
        let page = dir.join(format!("{name}.html"));
        let status = Command::new(env!("CARGO_BIN_EXE_tinyloop-demos"))
            .args([demo, "--virtual", "--explore"])
            .arg(dir.join(format!("{demo}.html")))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        let fresh = std::fs::read_to_string(&page).unwrap();
        let committed = book.join(format!("{name}.html"));
        if bless {
            std::fs::create_dir_all(&book).unwrap();
            std::fs::write(&committed, &fresh).unwrap();
        } else if std::fs::read_to_string(&committed)
            .map(|page| fds_in_order(&page))
            .ok()
            != Some(fds_in_order(&fresh))
        {
            stale.push(committed.display().to_string());
        }
    }
    std::fs::remove_dir_all(dir).unwrap();
    if bless && let Some(chromium) = chromium() {
        for (name, step) in BOOK_SHOTS {
            let shot = book.join(format!("{name}-step-{step}.png"));
            let page = book.join(format!("{name}.html")).canonicalize().unwrap();
            let status = Command::new(&chromium)
                .args([
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--hide-scrollbars",
                ])
                .arg("--window-size=1300,1250")
                .arg(format!("--screenshot={}", shot.display()))
                .arg(format!("file://{}?step={step}", page.display()))
                .stderr(Stdio::null())
                .status()
                .unwrap();
            assert!(
                status.success() && shot.exists(),
                "no screenshot {}",
                shot.display()
            );
        }
    }
    assert!(
        stale.is_empty(),
        "these explorer pages in the book differ from what --virtual --explore makes now: \
         {stale:?}; run `TINYLOOP_BLESS=1 cargo test -p tinyloop-demos --test explorer_browser \
         the_books_explorer_pages_are_fresh` and commit them"
    );
}

/// A recording of 100 000 tasks opens, and steps. Prints the file's size and how long
/// Chromium took to open it at a step (and draw it), for the book and the report.
#[test]
fn a_hundred_thousand_task_recording_opens_and_steps() {
    use tinyloop::runtime::trace::Explorer;
    let Some(chromium) = chromium() else { return };
    // The same run without and with the explorer: the cost of recording, stated.
    let run = |explorer: Option<Explorer>| {
        let started = std::time::Instant::now();
        let mut builder = tinyloop::Builder::new().virtual_clock(true);
        if let Some(explorer) = explorer {
            builder = builder.tracer(explorer);
        }
        let runtime = builder.build();
        runtime.block_on(async {
            let handles: Vec<_> = (0..100_000)
                .map(|_| tinyloop::spawn(async { tinyloop::yield_now().await }))
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
        });
        drop(runtime);
        started.elapsed().as_secs_f64()
    };
    let plain = run(None);
    let explorer = Explorer::new();
    let recorded = run(Some(explorer.clone()));
    let json = std::time::Instant::now();
    let recording = explorer.json();
    eprintln!(
        "100 000 tasks: run in {plain:.3} s without the explorer, {recorded:.3} s recording; \
         the JSON written in {:.3} s",
        json.elapsed().as_secs_f64()
    );
    let dir = scratch("big");
    let page = dir.join("big.html");
    std::fs::write(&page, tinyloop_demos::explore::page(&recording, "100k")).unwrap();
    let bytes = std::fs::metadata(&page).unwrap().len();
    // Before step 3 all 100 000 tasks are ready again (each yielded once in step 2).
    let started = std::time::Instant::now();
    let dom = dom_of(&chromium, &page, "?step=3");
    let took = started.elapsed();
    let (where_, view) = view_of(&dom, "3");
    let timing = &dom[dom.find("id=\"timing\">").expect("the page times itself") + 12..];
    eprintln!(
        "100 000 tasks, {} steps: page {:.1} MB; Chromium started, loaded it at step 3 and \
         dumped its DOM in {:.2} s; the page says: {}",
        explorer.steps(),
        bytes as f64 / 1e6,
        took.as_secs_f64(),
        &timing[..timing.find('<').unwrap()]
    );
    assert!(where_.starts_with("before step 3 "), "{where_}");
    // The page draws the first 1000 and counts the rest.
    assert!(dom.contains("... and 99000 more"));
    assert_eq!(view.ready.len(), 1000);
    assert_eq!(view.ready[0], "task-1");
    assert_eq!(view.tasks.len(), 1000);
    std::fs::remove_dir_all(dir).unwrap();
}

/// What a visitor does with the page's own controls, as a script appended to a copy of the
/// page: real `keydown` events and clicks on the play button, in the order a learner would,
/// with the page's position (its "N of M") and its URL written down after each, into a
/// `<pre id="observed">` that `--dump-dom` prints. The waits run on Chromium's virtual time
/// (`--virtual-time-budget`): the page's 500 ms play timer fires without wall-clock sleeps.
const VISITOR: &str = r#"<script>
(() => {
  const observed = [];
  const note = what => {
    const where = document.getElementById("where").textContent;
    const position = where.slice(where.lastIndexOf("(") + 1, where.indexOf(" of "));
    observed.push(what + " " + position + " " + location.search + location.hash);
  };
  const key = name => {
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: name, bubbles: true, cancelable: true }));
    note(name);
  };
  const finish = () => {
    const pre = document.createElement("pre");
    pre.id = "observed";
    pre.textContent = observed.join("\n");
    document.body.append(pre);
  };
  note("opened");
  for (const name of ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft", "End", "Home"]) key(name);
  document.getElementById("play").click();
  note("play");
  // The page steps every 500 ms: at 1250 ms it has stepped twice.
  setTimeout(() => {
    note("1250ms");
    document.getElementById("play").click();
    note("pause");
    setTimeout(() => { note("paused+1500ms"); finish(); }, 1500);
  }, 1250);
})();
</script>
"#;

#[test]
fn keys_and_play_move_the_page_and_its_url() {
    let Some(chromium) = chromium() else { return };
    let dir = scratch("keys");
    let (_, page) = run_demo("semaphore_batches", &dir);
    let html = std::fs::read_to_string(&page).unwrap();
    let at = html.rfind("</body>").expect("the page ends its body");
    let visited = dir.join("visited.html");
    std::fs::write(&visited, format!("{}{VISITOR}{}", &html[..at], &html[at..])).unwrap();
    let output = Command::new(&chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu"])
        .arg("--virtual-time-budget=10000")
        .arg("--dump-dom")
        .arg(format!("file://{}?step=1", visited.display()))
        .stderr(Stdio::null())
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    let observed = &dom[dom.find("id=\"observed\">").expect("the visitor's notes") + 14..];
    let observed: Vec<&str> = observed[..observed.find("</pre>").unwrap()]
        .lines()
        .collect();
    let positions = {
        let where_ = &dom[dom.find("id=\"where\">").unwrap()..];
        let total = &where_[where_.find(" of ").unwrap() + 4..];
        total[..total.find(')').unwrap()].to_string()
    };
    // semaphore_batches has 8 steps: position 1 is before the first (`?step=0`), 2..=9 are
    // "before step N" (`?step=N`), and 10 is after the last (`?step=end`).
    assert_eq!(positions, "10");
    assert_eq!(
        observed,
        [
            "opened 2 ?step=1",
            "ArrowRight 3 ?step=2",
            "ArrowRight 4 ?step=3",
            "ArrowRight 5 ?step=4",
            "ArrowLeft 4 ?step=3",
            "End 10 ?step=end",
            "Home 1 ?step=0",
            "play 1 ?step=0",
            "1250ms 3 ?step=2",
            "pause 3 ?step=2",
            "paused+1500ms 3 ?step=2",
        ]
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// The `--timeline` picture places its labels by an estimate of their width in the monospace
/// font it declares (`runtime/src/trace/timeline/layout.rs`: 0.62 em per ASCII character, a
/// full em for any other); `timeline_layout.rs` checks the layout with that estimate. Here
/// Chromium measures every label of the crawler's picture, to check that the estimate is
/// never narrower than what the browser draws.
#[test]
fn timeline_text_is_no_wider_than_the_layout_assumes() {
    let Some(chromium) = chromium() else { return };
    let dir = scratch("timeline-metrics");
    let svg_path = dir.join("crawler.svg");
    let status = Command::new(env!("CARGO_BIN_EXE_tinyloop-demos"))
        .args(["crawler", "--virtual", "--timeline"])
        .arg(&svg_path)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    let page = dir.join("measure.html");
    std::fs::write(
        &page,
        format!(
            "<!doctype html><meta charset=\"utf-8\"><body>{svg}<pre id=\"measured\"></pre><script>\n\
             const lines = [];\n\
             for (const t of document.querySelectorAll('svg text'))\n\
               lines.push(t.getComputedTextLength().toFixed(3) + '\\t' + parseFloat(getComputedStyle(t).fontSize) + '\\t' + t.textContent);\n\
             document.getElementById('measured').textContent = lines.join('\\n');\n\
             </script>"
        ),
    )
    .unwrap();
    let dom = dom_of(&chromium, &page, "");
    let measured = &dom[dom.find("id=\"measured\">").expect("the measurements") + 15..];
    let measured = text(&measured[..measured.find("</pre>").unwrap()]);
    let mut checked = 0;
    for line in measured.lines() {
        let mut fields = line.splitn(3, '\t');
        let width: f64 = fields.next().unwrap().parse().unwrap();
        let size: f64 = fields.next().unwrap().parse().unwrap();
        let label = fields.next().unwrap();
        let estimate: f64 = label
            .chars()
            .map(|c| if c.is_ascii() { 0.62 } else { 1.0 } * size)
            .sum();
        assert!(
            width <= estimate + 0.01,
            "Chromium draws '{label}' {width} px wide at {size} px, the layout assumed {estimate}"
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} labels measured");
    std::fs::remove_dir_all(dir).unwrap();
}

/// The page's DOM once its script has run, opened with `suffix` (`?step=3`, `#step=3`).
fn dom_of(chromium: &Path, page: &Path, suffix: &str) -> String {
    let url = format!("file://{}{suffix}", page.display());
    let output = Command::new(chromium)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom"])
        .arg(&url)
        .stderr(Stdio::null())
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}
