//! The timeline drawn as SVG: one lane per task, one column per step (see the parent
//! module's docs for why steps and not seconds), marks for wakes, labels for waits.
//!
//! Every label goes through [`Picture::text`], which widens the canvas to hold it, and is
//! placed by the rules of the `layout` module, so that no label is drawn over another.

use std::fmt::Write as _;

use super::layout::{ASCENT_EM, DESCENT_EM, FONT_SIZE, Picture, Row, Rows, escape, text_width};
use super::{Cell, Data, Kind, Lane, short_cause, short_wait};
use crate::trace::WakeCause;

/// The font size of the labels inside the lanes (what a task waits on, what woke it).
const SMALL: f64 = 9.0;
/// Where the first lane starts: under the title and the loop times of the axis.
const TOP: f64 = 56.0;
/// The height of a lane with one row of wake labels.
const LANE_HEIGHT: f64 = 36.0;
/// How far a lane's middle line is below its top.
const LANE_MID: f64 = 17.0;
/// The height each further row of wake labels adds to its lane: one small label's box, and
/// half a pixel between rows.
const WAKE_ROW: f64 = (ASCENT_EM + DESCENT_EM) * SMALL + 0.55;
/// The most rows of wake labels under one lane; a label that fits in none is left out, and
/// its mark's tooltip still names the waker.
const WAKE_ROWS: usize = 3;

/// A wake mark, and the row its label was placed in.
struct Wake {
    /// The left edge of the step it happened in.
    at: f64,
    /// What woke the task.
    by: WakeCause,
    /// The row of its label under the lane, if it found room in one.
    row: Option<usize>,
}

impl Data {
    pub(super) fn svg(&self) -> String {
        let steps = self.steps.len().max(1);
        let label_width = self
            .lanes
            .iter()
            .map(|lane| text_width(&lane.label, FONT_SIZE))
            .fold(text_width("step", FONT_SIZE), f64::max)
            + 24.0;
        let column = (1400.0 / steps as f64).clamp(3.0, 60.0);
        let x = |step_index: usize| label_width + column * step_index as f64;
        let end = self.steps.last().copied().unwrap_or_default();
        let mut picture = Picture::default();
        picture.text(
            8.0,
            16.0,
            13.0,
            "",
            &format!(
                "tinyloop timeline: {} lanes, {steps} steps (one column each), t=0.00 to {end}",
                self.lanes.len()
            ),
        );
        let mut y = TOP;
        for (row, lane) in self.lanes.iter().enumerate() {
            let wakes = self.wakes(lane, column, &x);
            let rows = wakes.iter().filter_map(|wake| wake.row).max().unwrap_or(0) + 1;
            let height = LANE_HEIGHT + WAKE_ROW * (rows - 1) as f64;
            let mid = y + LANE_MID;
            let _ = writeln!(
                picture.body,
                r##"<g class="lane" data-task="{}">
<rect x="0" y="{y:.1}" width="100%" height="{height:.1}" fill="{}"/>"##,
                escape(&lane.id.to_string()),
                if row % 2 == 0 { "#f6f6f6" } else { "#ffffff" }
            );
            picture.text(8.0, mid + 4.0, FONT_SIZE, "", &lane.label);
            self.svg_lane(&mut picture, lane, mid, column, &x);
            for wake in &wakes {
                let _ = writeln!(
                    picture.body,
                    r##"<path d="M{:.1},{:.1} l4,0 l-2,5 z" fill="#b05cc0"><title>woken by {}</title></path>"##,
                    wake.at + column / 2.0 - 2.0,
                    mid - 15.0,
                    escape(&wake.by.to_string())
                );
                if let Some(row) = wake.row {
                    picture.text(
                        wake.at + column / 2.0 + 3.0,
                        mid + 16.0 + WAKE_ROW * row as f64,
                        SMALL,
                        r##" fill="#b05cc0""##,
                        &short_cause(wake.by),
                    );
                }
            }
            let _ = writeln!(picture.body, "</g>");
            y += height;
        }
        let axis_bottom = y;
        // Time axis, drawn over the lanes: a dashed line wherever loop time moves on, and its
        // label where the one before leaves room (the line's tooltip has it otherwise).
        let mut times = Row::default();
        for (step, now) in self.time_changes() {
            let at = x(step);
            let label = now.to_string();
            let shown = times.place(at + 2.0, text_width(&label, FONT_SIZE));
            let _ = writeln!(
                picture.body,
                r##"<line x1="{at:.1}" y1="{:.1}" x2="{at:.1}" y2="{axis_bottom:.1}" stroke="#999" stroke-dasharray="3,3"><title>{label} from step {}</title></line>"##,
                TOP - 12.0,
                step + 1
            );
            if shown {
                picture.text(at + 2.0, TOP - 16.0, FONT_SIZE, "", &label);
            }
        }
        // Step numbers: every `every` steps, where they leave each other room.
        let widest = text_width(&steps.to_string(), FONT_SIZE);
        let every = ((widest + 8.0) / column).ceil().max(1.0) as usize;
        let every = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
            .into_iter()
            .find(|n| *n >= every)
            .unwrap_or(every);
        picture.text(8.0, axis_bottom + 14.0, FONT_SIZE, "", "step");
        let mut numbers = Row::default();
        for step in (0..steps).filter(|i| (i + 1) % every == 0 || *i == 0) {
            let number = (step + 1).to_string();
            if numbers.place(x(step), text_width(&number, FONT_SIZE)) {
                picture.text(
                    x(step),
                    axis_bottom + 14.0,
                    FONT_SIZE,
                    r##" fill="#555""##,
                    &number,
                );
            }
        }
        self.svg_legend(&mut picture, axis_bottom + 40.0);
        picture.finish(820.0, 0.0)
    }

    /// The legend, its first line at `y`: the colours in a row, then two lines of words.
    fn svg_legend(&self, picture: &mut Picture, y: f64) {
        let items = [
            ("#4a7bd0", "polled, then Pending"),
            ("#3a9a4a", "polled, completed"),
            ("#888888", "cancelled"),
            ("#d04a4a", "panicked"),
        ];
        let mut lx = 8.0;
        for (color, text) in items {
            let _ = writeln!(
                picture.body,
                r#"<rect x="{lx:.1}" y="{:.1}" width="12" height="12" fill="{color}"/>"#,
                y - 10.0,
            );
            picture.text(lx + 16.0, y, FONT_SIZE, "", text);
            lx += 16.0 + text_width(text, FONT_SIZE) + 40.0;
        }
        picture.text(
            8.0,
            y + 18.0,
            FONT_SIZE,
            r##" fill="#555""##,
            "thin line: waiting (label: on what) · dashed orange: ready, waiting for its turn",
        );
        picture.text(
            8.0,
            y + 34.0,
            FONT_SIZE,
            r##" fill="#555""##,
            "▼ woken (label: by what) · dashed grey line: loop time moves on",
        );
    }

    /// A lane's wake marks, each label placed in the first row under the lane where it
    /// fits. A wake by `Spawn` is not marked: the lane's start shows it.
    fn wakes(&self, lane: &Lane, column: f64, x: &dyn Fn(usize) -> f64) -> Vec<Wake> {
        let mut rows = Rows::new(WAKE_ROWS);
        let mut wakes = Vec::new();
        for mark in &lane.marks {
            if let Kind::Woken(by) = mark.kind
                && by != WakeCause::Spawn
            {
                let at = x(mark.step as usize - 1);
                let width = text_width(&short_cause(by), SMALL);
                let row = rows.place(at + column / 2.0 + 3.0, width);
                wakes.push(Wake { at, by, row });
            }
        }
        wakes
    }

    /// One lane's shapes: bars where it ran, lines where it waited or was ready, and what it
    /// waited on, written over its waiting line where the line is long enough for the words
    /// (always in the tooltip of the bar before).
    fn svg_lane(
        &self,
        picture: &mut Picture,
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
                        picture.body,
                        r##"<line x1="{x1:.1}" y1="{mid:.1}" x2="{x2:.1}" y2="{mid:.1}" stroke="#777" stroke-width="1.5"/>"##
                    );
                }
                Cell::Ready => {
                    let _ = writeln!(
                        picture.body,
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
                    let waits = lane
                        .marks
                        .iter()
                        .filter(|mark| mark.step as usize == i + 1)
                        .find_map(|mark| match mark.kind {
                            Kind::Pending(Some(what)) => Some(short_wait(what)),
                            _ => None,
                        })
                        .map_or(String::new(), |what| format!(", then waits on {what}"));
                    let _ = writeln!(
                        picture.body,
                        r#"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="14" fill="{color}"><title>step {} at {time}{}</title></rect>"#,
                        x1 + 0.5,
                        mid - 7.0,
                        (column - 1.0).max(1.0),
                        i + 1,
                        escape(&waits)
                    );
                }
                _ => {}
            }
            i = j;
        }
        // What it waited on, after each Pending: the words start one column after the bar
        // and must end before the lane's next mark (a wake, or the next bar).
        for (i, mark) in lane.marks.iter().enumerate() {
            if let Kind::Pending(Some(what)) = mark.kind {
                let next = lane.marks[i + 1..]
                    .iter()
                    .find(|later| later.step > mark.step)
                    .map_or(self.steps.len() as u64 + 1, |later| later.step);
                let room = (next - mark.step - 1) as f64 * column;
                let text = short_wait(what);
                if text_width(&text, SMALL) + 2.0 <= room {
                    picture.text(
                        x(mark.step as usize) + 1.0,
                        mid - 3.0,
                        SMALL,
                        r##" fill="#555""##,
                        &text,
                    );
                }
            }
        }
    }
}
