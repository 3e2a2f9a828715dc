//! The timeline drawn as SVG: one lane per task, one column per step (see the parent
//! module's docs for why steps and not seconds), marks for wakes, labels for waits.

use std::fmt::Write as _;

use super::{Cell, Data, Kind, Lane, short_cause, short_wait};
use crate::trace::WakeCause;

impl Data {
    pub(super) fn svg(&self) -> String {
        let steps = self.steps.len().max(1);
        let label_width = self
            .lanes
            .iter()
            .map(|lane| lane.label.chars().count())
            .max()
            .unwrap_or(4) as f64
            * 7.0
            + 24.0;
        let column = (1400.0 / steps as f64).clamp(3.0, 60.0);
        let lane_height = 34.0;
        let top = 56.0;
        let width = (label_width + column * steps as f64 + 20.0).max(820.0);
        let height = top + lane_height * self.lanes.len() as f64 + 86.0;
        let x = |step_index: usize| label_width + column * step_index as f64;
        let end = self.steps.last().copied().unwrap_or_default();
        let mut svg = String::new();
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="monospace" font-size="11">"#
        );
        let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
        let _ = writeln!(
            svg,
            r#"<text x="8" y="16" font-size="13">tinyloop timeline: {} lanes, {steps} steps (one column each), t=0.00 to {end}</text>"#,
            self.lanes.len()
        );
        let axis_bottom = top + lane_height * self.lanes.len() as f64;
        for (row, lane) in self.lanes.iter().enumerate() {
            let y = top + lane_height * row as f64;
            let mid = y + lane_height / 2.0;
            let _ = writeln!(
                svg,
                r#"<g class="lane" data-task="{}">"#,
                escape(&lane.id.to_string())
            );
            let _ = writeln!(
                svg,
                r##"<rect x="0" y="{y:.1}" width="{width:.0}" height="{lane_height:.1}" fill="{}"/>"##,
                if row % 2 == 0 { "#f6f6f6" } else { "#ffffff" }
            );
            let _ = writeln!(
                svg,
                r#"<text x="8" y="{:.1}">{}</text>"#,
                mid + 4.0,
                escape(&lane.label)
            );
            self.svg_lane(&mut svg, lane, mid, column, &x);
            let _ = writeln!(svg, "</g>");
        }
        // Time axis, drawn over the lanes: a dashed line and a label wherever loop time moves on.
        let mut free = 0.0;
        for (step, now) in self.time_changes() {
            let at = x(step);
            let _ = writeln!(
                svg,
                r##"<line x1="{at:.1}" y1="{:.1}" x2="{at:.1}" y2="{axis_bottom:.1}" stroke="#999" stroke-dasharray="3,3"/>"##,
                top - 12.0
            );
            if at >= free {
                let _ = writeln!(
                    svg,
                    r#"<text x="{:.1}" y="{:.1}">{now}</text>"#,
                    at + 2.0,
                    top - 16.0
                );
                free = at + 50.0;
            }
        }
        // Step numbers and the legend.
        let every = (40.0 / column).ceil().max(1.0) as usize;
        let every = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
            .into_iter()
            .find(|n| *n >= every)
            .unwrap_or(every);
        let _ = writeln!(
            svg,
            r#"<text x="8" y="{:.1}">step</text>"#,
            axis_bottom + 14.0
        );
        for step in (0..steps).filter(|i| (i + 1) % every == 0 || *i == 0) {
            let _ = writeln!(
                svg,
                r##"<text x="{:.1}" y="{:.1}" fill="#555">{}</text>"##,
                x(step),
                axis_bottom + 14.0,
                step + 1
            );
        }
        let legend = axis_bottom + 40.0;
        let items = [
            ("#4a7bd0", "polled, then Pending"),
            ("#3a9a4a", "polled, completed"),
            ("#888888", "cancelled"),
            ("#d04a4a", "panicked"),
        ];
        for (i, (color, text)) in items.iter().enumerate() {
            let lx = 8.0 + 190.0 * i as f64;
            let _ = writeln!(
                svg,
                r#"<rect x="{lx:.1}" y="{:.1}" width="12" height="12" fill="{color}"/><text x="{:.1}" y="{:.1}">{text}</text>"#,
                legend - 10.0,
                lx + 16.0,
                legend
            );
        }
        let _ = writeln!(
            svg,
            r##"<text x="8" y="{:.1}" fill="#555">thin line: waiting (label: on what) · dashed orange: ready, waiting for its turn</text>"##,
            legend + 18.0
        );
        let _ = writeln!(
            svg,
            r##"<text x="8" y="{:.1}" fill="#555">▼ woken (label: by what) · dashed grey line: loop time moves on</text>"##,
            legend + 34.0
        );
        svg.push_str("</svg>\n");
        svg
    }

    /// One lane's shapes: bars where it ran, lines where it waited or was ready, marks where
    /// it was woken.
    fn svg_lane(
        &self,
        svg: &mut String,
        lane: &Lane,
        mid: f64,
        column: f64,
        x: &dyn Fn(usize) -> f64,
    ) {
        let cells = self.cells(lane);
        // Runs of waiting/ready cells become lines; polled cells become bars.
        let mut i = 0;
        while i < cells.len() {
            let cell = cells[i];
            let mut j = i + 1;
            while j < cells.len() && cells[j] == cell && !cell.polled() {
                j += 1;
            }
            let (x1, x2) = (x(i), x(j));
            match cell {
                Cell::Waiting => {
                    let _ = writeln!(
                        svg,
                        r##"<line x1="{x1:.1}" y1="{mid:.1}" x2="{x2:.1}" y2="{mid:.1}" stroke="#777" stroke-width="1.5"/>"##
                    );
                }
                Cell::Ready => {
                    let _ = writeln!(
                        svg,
                        r##"<line x1="{x1:.1}" y1="{mid:.1}" x2="{x2:.1}" y2="{mid:.1}" stroke="#e08a1e" stroke-width="2" stroke-dasharray="3,2"/>"##
                    );
                }
                cell if cell.polled() => {
                    let color = match cell {
                        Cell::Completed => "#3a9a4a",
                        Cell::Cancelled => "#888888",
                        Cell::Panicked => "#d04a4a",
                        _ => "#4a7bd0",
                    };
                    let time = self.steps.get(i).copied().unwrap_or_default();
                    let _ = writeln!(
                        svg,
                        r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="14" fill="{color}"><title>step {} at {time}</title></rect>"#,
                        x1 + 0.5,
                        mid - 7.0,
                        (column - 1.0).max(1.0),
                        i + 1
                    );
                }
                _ => {}
            }
            i = j;
        }
        // Labels: what it waited on (after each Pending, where the wait leaves room for
        // the words), what woke it.
        for (i, mark) in lane.marks.iter().enumerate() {
            let at = x(mark.step as usize - 1);
            match mark.kind {
                Kind::Pending(Some(what)) => {
                    let next = lane.marks[i + 1..]
                        .iter()
                        .find(|later| later.step > mark.step)
                        .map_or(self.steps.len() as u64 + 1, |later| later.step);
                    let room = (next - mark.step - 1) as f64 * column;
                    let text = short_wait(what);
                    if room < text.chars().count() as f64 * 5.5 {
                        continue;
                    }
                    let _ = writeln!(
                        svg,
                        r##"<text x="{:.1}" y="{:.1}" font-size="9" fill="#555">{}</text>"##,
                        at + column + 1.0,
                        mid - 3.0,
                        escape(&text)
                    );
                }
                Kind::Woken(by) if by != WakeCause::Spawn => {
                    let _ = writeln!(
                        svg,
                        r##"<path d="M{:.1},{:.1} l4,0 l-2,5 z" fill="#b05cc0"><title>woken by {by}</title></path><text x="{:.1}" y="{:.1}" font-size="9" fill="#b05cc0">{}</text>"##,
                        at + column / 2.0 - 2.0,
                        mid - 15.0,
                        at + column / 2.0 + 3.0,
                        mid + 16.0,
                        escape(&short_cause(by))
                    );
                }
                _ => {}
            }
        }
    }
}

/// Text made safe to put between XML tags or in an attribute.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
