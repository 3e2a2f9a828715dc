//! Where the timeline's words may go, so that none is drawn over another and none is cut at
//! the edge of the picture.
//!
//! An SVG file cannot measure its own text, and the timeline is written without a browser.
//! But it declares `font-family="monospace"`, where every character has the same advance, so
//! a label's box can be computed from its length alone, with metrics a little on the generous
//! side of the common monospace fonts (DejaVu Sans Mono, which Debian's Chromium uses,
//! advances 0.602 em; Liberation Mono and Courier New 0.6 em):
//!
//! - a character is [`ASCII_EM`] wide, or [`OTHER_EM`] if it is not ASCII (`▼`, `·`: a
//!   fallback font may draw those wider);
//! - a glyph reaches [`ASCENT_EM`] above the baseline and [`DESCENT_EM`] below it.
//!
//! With those boxes the layout keeps three rules, one per kind of label:
//!
//! - **Labels in one row** ([`Row`]: the loop times on the axis, the step numbers, the legend)
//!   are placed left to right, each only if it starts past the end of the one before; one that
//!   would not fit is left out, and what it said stays in a `<title>` tooltip.
//! - **Wake labels** ([`Rows`]) take the first of a few rows under their lane where they fit;
//!   the lane grows by one row for each row used, and a label that fits in none is left out
//!   (the wake mark's tooltip still names the waker).
//! - **The canvas** ([`Picture`]) grows to hold every label it was given, so nothing is cut.
//!
//! `demos/tests/timeline_layout.rs` checks the result geometrically, with the same metrics,
//! on the crawler and other demos; the browser test checks the metrics against Chromium.

use std::fmt::Write as _;

/// The width of an ASCII character in the monospace font, in em (font sizes).
pub(super) const ASCII_EM: f64 = 0.62;
/// The width of any other character, in em: a glyph from a fallback font may be wider.
pub(super) const OTHER_EM: f64 = 1.0;
/// How far a glyph reaches above its baseline, in em.
pub(super) const ASCENT_EM: f64 = 0.8;
/// How far a glyph reaches below its baseline, in em.
pub(super) const DESCENT_EM: f64 = 0.25;
/// The least space kept between two labels side by side, in pixels.
pub(super) const GAP: f64 = 3.0;

/// How wide `text` is drawn at font size `size`.
pub(super) fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { ASCII_EM } else { OTHER_EM })
        .sum::<f64>()
        * size
}

/// One row of labels placed left to right.
#[derive(Default)]
pub(super) struct Row {
    /// Where the next label may start: the end of the last one placed, plus [`GAP`].
    free: f64,
}

impl Row {
    /// Whether a label from `left`, `width` wide, fits after the ones placed; if it does, it
    /// is placed.
    pub(super) fn place(&mut self, left: f64, width: f64) -> bool {
        if left < self.free {
            return false;
        }
        self.free = left + width + GAP;
        true
    }
}

/// A few rows of labels under a lane; each label takes the first row it fits in.
pub(super) struct Rows {
    /// The rows, top first; never more than the limit given to [`Rows::new`].
    rows: Vec<Row>,
    /// The most rows a lane may have.
    limit: usize,
}

impl Rows {
    /// No rows yet; at most `limit` of them.
    pub(super) fn new(limit: usize) -> Rows {
        Rows {
            rows: Vec::new(),
            limit,
        }
    }

    /// The row a label from `left`, `width` wide, is placed in, a new one if none fits and
    /// the limit allows; `None` if it fits nowhere.
    pub(super) fn place(&mut self, left: f64, width: f64) -> Option<usize> {
        if let Some(row) = self.rows.iter_mut().position(|row| row.place(left, width)) {
            return Some(row);
        }
        if self.rows.len() == self.limit {
            return None;
        }
        let mut row = Row::default();
        row.place(left, width);
        self.rows.push(row);
        Some(self.rows.len() - 1)
    }
}

/// The SVG body being written, and how far its labels reach, so the canvas can be made to
/// hold them all.
#[derive(Default)]
pub(super) struct Picture {
    /// The elements, one a line.
    pub(super) body: String,
    /// The right edge of the widest label so far.
    right: f64,
    /// The lowest edge of any label so far.
    bottom: f64,
}

/// The font size of the picture (the root element's), for labels that do not set their own.
pub(super) const FONT_SIZE: f64 = 11.0;

impl Picture {
    /// Write a label: `text` (not yet escaped) with its baseline starting at `(x, y)`, in
    /// font size `size`, with extra attributes `attributes` (fill, ...), and remember its box.
    pub(super) fn text(&mut self, x: f64, y: f64, size: f64, attributes: &str, text: &str) {
        self.right = self.right.max(x + text_width(text, size));
        self.bottom = self.bottom.max(y + DESCENT_EM * size);
        let size_attribute = if size == FONT_SIZE {
            String::new()
        } else {
            format!(r#" font-size="{size}""#)
        };
        let _ = writeln!(
            self.body,
            r#"<text x="{x:.1}" y="{y:.1}"{size_attribute}{attributes}>{}</text>"#,
            escape(text)
        );
    }

    /// The whole SVG file: the body under a root element large enough for every label (and at
    /// least `min_width` by `min_height`), with a margin.
    pub(super) fn finish(self, min_width: f64, min_height: f64) -> String {
        let width = (self.right + 10.0).max(min_width).ceil();
        let height = (self.bottom + 10.0).max(min_height).ceil();
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"monospace\" font-size=\"{FONT_SIZE}\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n{}</svg>\n",
            self.body
        )
    }
}

/// Text made safe to put between XML tags or in an attribute.
pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_takes_the_first_row_it_fits_in() {
        let mut rows = Rows::new(2);
        assert_eq!(rows.place(0.0, 20.0), Some(0));
        assert_eq!(rows.place(10.0, 20.0), Some(1)); // over the first: a second row
        assert_eq!(rows.place(30.0, 5.0), Some(0)); // past the first's end and the gap
        assert_eq!(rows.place(31.0, 5.0), None); // both rows taken there, and no third
    }

    #[test]
    fn the_canvas_holds_its_widest_label() {
        let mut picture = Picture::default();
        picture.text(790.0, 20.0, 11.0, "", "a long label");
        let svg = picture.finish(820.0, 100.0);
        let right = 790.0 + 12.0 * ASCII_EM * 11.0;
        assert!(
            svg.contains(&format!(r#"width="{}""#, (right + 10.0).ceil())),
            "{svg}"
        );
    }
}
