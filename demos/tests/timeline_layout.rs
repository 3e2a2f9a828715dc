//! The `--timeline` picture's promise, checked geometrically: no label is drawn over another,
//! and none is cut at the edge of the picture.
//!
//! The test reads the SVG the way a browser lays it out: every `<text>` element, at its `x`
//! and `y` (the baseline), in its font size (the root's, unless the element sets its own).
//! The SVG declares `font-family="monospace"`, in which every character has the same advance;
//! its box is computed from the font metrics the timeline's layout assumes (0.62 em per ASCII
//! character, a full em for any other, from 0.8 em above the baseline to 0.25 em below it).
//! The browser test `timeline_text_is_no_wider_than_the_layout_assumes` checks those metrics
//! against Chromium's own measurement.

use std::process::Command;
use std::time::Duration;

use tinyloop::runtime::trace::Timeline;
use tinyloop::{Builder, sleep, spawn_named};

/// The width of an ASCII character, in em, in the monospace font.
const ASCII_EM: f64 = 0.62;
/// The width of any other character (a fallback glyph may be wider), in em.
const OTHER_EM: f64 = 1.0;
/// How far a glyph reaches above the baseline, in em.
const ASCENT_EM: f64 = 0.8;
/// How far a glyph reaches below the baseline, in em.
const DESCENT_EM: f64 = 0.25;

/// One drawn label and the box it covers.
#[derive(Debug)]
struct Label {
    #[allow(dead_code)] // read by the failure messages, through Debug
    text: String,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

impl Label {
    fn overlaps(&self, other: &Label) -> bool {
        self.left < other.right
            && other.left < self.right
            && self.top < other.bottom
            && other.top < self.bottom
    }
}

/// The value of attribute `name` in a tag's text (`x="8"` → `8`).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The characters a `<text>` element's content draws: tags and `<title>`s (tooltips, not
/// drawn) removed, entities counted as the one character they stand for.
fn drawn_text(content: &str) -> String {
    let mut content = content.to_string();
    while let Some(start) = content.find("<title>") {
        let end = content[start..].find("</title>").expect("a closed <title>") + start;
        content.replace_range(start..end + "</title>".len(), "");
    }
    assert!(
        !content.contains('<'),
        "a text with nested markup: {content}"
    );
    content
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The picture's size (its viewBox) and every label in it.
fn labels(svg: &str) -> ((f64, f64), Vec<Label>) {
    let root = &svg[..svg.find('>').expect("a root tag")];
    let view: Vec<f64> = attribute(root, "viewBox")
        .expect("a viewBox")
        .split(' ')
        .map(|n| n.parse().unwrap())
        .collect();
    assert_eq!(&view[..2], [0.0, 0.0]);
    let root_size: f64 = attribute(root, "font-size").unwrap().parse().unwrap();
    assert_eq!(attribute(root, "font-family"), Some("monospace"));
    let mut found = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let tag_end = rest[start..].find('>').unwrap() + start;
        let tag = &rest[start..tag_end];
        let close = rest[tag_end..].find("</text>").unwrap() + tag_end;
        let text = drawn_text(&rest[tag_end + 1..close]);
        rest = &rest[close..];
        assert_eq!(attribute(tag, "text-anchor"), None, "anchored at its start");
        let x: f64 = attribute(tag, "x").unwrap().parse().unwrap();
        let y: f64 = attribute(tag, "y").unwrap().parse().unwrap();
        let size: f64 = attribute(tag, "font-size").map_or(root_size, |s| s.parse().unwrap());
        let width: f64 = text
            .chars()
            .map(|c| if c.is_ascii() { ASCII_EM } else { OTHER_EM } * size)
            .sum();
        found.push(Label {
            text,
            left: x,
            right: x + width,
            top: y - ASCENT_EM * size,
            bottom: y + DESCENT_EM * size,
        });
    }
    ((view[2], view[3]), found)
}

/// Assert the promise on one picture: every label inside the picture, no two overlapping.
fn assert_labels_apart_and_inside(name: &str, svg: &str) {
    let ((width, height), labels) = labels(svg);
    assert!(labels.len() > 10, "{name}: too few labels to test");
    let mut problems = Vec::new();
    for label in &labels {
        if label.left < 0.0 || label.top < 0.0 || label.right > width || label.bottom > height {
            problems.push(format!("cut at the edge ({width}x{height}): {label:?}"));
        }
    }
    // Sorted by left edge, each label only meets the ones that start before it ends.
    let mut order: Vec<&Label> = labels.iter().collect();
    order.sort_by(|a, b| a.left.total_cmp(&b.left));
    for (i, a) in order.iter().enumerate() {
        for b in order[i + 1..].iter().take_while(|b| b.left < a.right) {
            if a.overlaps(b) {
                problems.push(format!("drawn over each other: {a:?} and {b:?}"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{name}: {} problems, the first ones:\n{}",
        problems.len(),
        problems[..problems.len().min(12)].join("\n")
    );
}

/// Run a demo with `--timeline` and return its (first loop's) SVG.
fn demo_svg(args: &[&str]) -> String {
    let path = std::env::temp_dir().join(format!(
        "tinyloop-layout-{}-{}.svg",
        args.join("-"),
        std::process::id()
    ));
    let output = Command::new(env!("CARGO_BIN_EXE_tinyloop-demos"))
        .args(args)
        .arg("--timeline")
        .arg(&path)
        .output()
        .expect("the demos runner starts");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let svg = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    svg
}

#[test]
fn the_crawlers_labels_are_apart_and_inside_the_picture() {
    assert_labels_apart_and_inside("crawler", &demo_svg(&["crawler", "--virtual"]));
}

#[test]
fn the_crawlers_labels_are_apart_on_the_real_clock_too() {
    // On the real clock the times on the axis differ by a little in every step.
    assert_labels_apart_and_inside("crawler (real clock)", &demo_svg(&["crawler"]));
}

#[test]
fn other_demos_labels_are_apart_and_inside_the_picture() {
    for demo in [
        "workers",
        "semaphore_batches",
        "echo",
        "scraper",
        "queue_join",
        "pipeline_2x2",
        "lock_race",
    ] {
        assert_labels_apart_and_inside(demo, &demo_svg(&[demo, "--virtual"]));
    }
}

#[test]
fn labels_stay_apart_when_a_step_is_a_few_pixels_wide() {
    // 600 steps: one column is a few pixels, and a task woken by its timer in every step
    // has far more wake labels than fit beside each other.
    let timeline = Timeline::new();
    let runtime = Builder::new()
        .virtual_clock(true)
        .tracer(timeline.clone())
        .build();
    runtime.block_on(async {
        let ticker = spawn_named("a-ticker-with-a-long-name", async {
            for _ in 0..600 {
                sleep(Duration::from_millis(1)).await;
            }
        });
        ticker.await.unwrap();
    });
    let svg = timeline.svg();
    let steps: usize = svg
        .split(" steps")
        .next()
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(steps > 600, "{steps} steps");
    assert_labels_apart_and_inside("600 ticks", &svg);
}

#[test]
fn the_books_timelines_are_what_the_demos_draw_today() {
    // "Watching the loop" shows these pictures; a change to the drawing must redraw them.
    // To redraw: `TINYLOOP_BLESS=1 cargo test -p tinyloop-demos --test timeline_layout`,
    // then look at the pictures and at the chapter's words about them.
    let bless = std::env::var_os("TINYLOOP_BLESS").is_some();
    let book = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../book/src");
    let mut stale = Vec::new();
    for demo in ["workers", "semaphore_batches", "crawler"] {
        let path = book.join(format!("watching_the_loop_{demo}.svg"));
        let drawn = demo_svg(&[demo, "--virtual"]);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(drawn.as_str()) {
            if bless {
                std::fs::write(&path, &drawn).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale book pictures {stale:?}: run `TINYLOOP_BLESS=1 cargo test -p tinyloop-demos \
         --test timeline_layout` and review the diff"
    );
}
