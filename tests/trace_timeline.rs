//! The timeline: a well-formed SVG with one lane per task, and a text chart that matches
//! the run.

use std::time::Duration;

use tinyloop::runtime::trace::Timeline;
use tinyloop::{Builder, sleep, spawn_named};

fn workers_timeline() -> Timeline {
    let timeline = Timeline::new();
    let runtime = Builder::new()
        .virtual_clock(true)
        .tracer(timeline.clone())
        .build();
    runtime.block_on(async {
        let handles = [3, 1, 2]
            .map(|secs| spawn_named(format!("worker-{secs}"), sleep(Duration::from_secs(secs))));
        for handle in handles {
            handle.await.unwrap();
        }
    });
    timeline
}

/// Every tag opened is closed, in order; returns the tag names in document order.
fn check_balanced(svg: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').expect("every tag ends") + start;
        let tag = &rest[start + 1..end];
        assert!(!tag.contains('<'), "a '<' inside a tag: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.trim()),
                "closing </{name}>"
            );
        } else {
            let name = tag.split_whitespace().next().unwrap().to_string();
            seen.push(name.clone());
            if !tag.ends_with('/') {
                stack.push(name);
            }
        }
        rest = &rest[end + 1..];
    }
    assert!(stack.is_empty(), "unclosed tags: {stack:?}");
    seen
}

#[test]
fn the_svg_is_well_formed_with_one_lane_per_task_and_main() {
    let svg = workers_timeline().svg();
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    let tags = check_balanced(&svg);
    assert_eq!(tags[0], "svg");
    assert_eq!(svg.matches("<g class=\"lane\"").count(), 4); // main + three workers
    for name in [
        "main",
        "worker-3 (task-1)",
        "worker-1 (task-2)",
        "worker-2 (task-3)",
    ] {
        assert!(
            svg.contains(&format!(">{name}</text>")),
            "no lane label {name}"
        );
    }
    for time in ["t=0.00", "t=1.00", "t=2.00", "t=3.00"] {
        assert!(
            svg.contains(&format!(">{time}</text>")),
            "no time mark {time}"
        );
    }
}

#[test]
fn names_are_escaped_in_the_svg() {
    let timeline = Timeline::new();
    Builder::new()
        .tracer(timeline.clone())
        .build()
        .block_on(async { spawn_named("<a&b>", async {}).await.unwrap() });
    let svg = timeline.svg();
    check_balanced(&svg);
    assert!(svg.contains("&lt;a&amp;b&gt; (task-1)"));
}

#[test]
fn the_text_chart_has_one_row_per_task_one_column_per_step() {
    let text = workers_timeline().text();
    let expected = "\
timeline: 6 steps, one column each; # polled  = completed  - ready  . waiting  x cancelled  ! panicked
time               | |||
main               #...-=
worker-3 (task-1)  -#..=
worker-1 (task-2)  -#=
worker-2 (task-3)  -#.=
                   | t=0.00 from step 1, t=1.00 from step 3, t=2.00 from step 4, t=3.00 from step 5
";
    assert_eq!(text, expected);
}
