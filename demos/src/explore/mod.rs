//! The loop explorer page: one self-contained HTML file that steps through a recording.
//!
//! The runtime's [`Explorer`](tinyloop::runtime::trace::Explorer) tracer records every step
//! of a loop as JSON (its format is documented in `runtime/src/trace/record/mod.rs`). This
//! module wraps such a recording in a page: the stylesheet, the script and the recording are
//! all inlined, so the file opens from disk with no network, and can be mailed or committed.
//! The script (`page.js`) draws, at every step, what `--step` prints and more: the loop time
//! and why the step may wait, the ready queue, the timer wheel level by level, the I/O
//! sources, `to_thread` jobs, every task with what it waits on and who woke it, the
//! program's output up to that step, and a timeline of all tasks with one column per step.
//!
//! Controls: next/previous (buttons, ← →), play/pause (button, space), first/last (Home,
//! End), a slider, and a click on a timeline column. The URL keeps the step (`?step=14`),
//! or `#step=14`, so a link can open the page at the step that matters.

use std::path::Path;

/// The page's layout and colours.
const STYLE: &str = include_str!("page.css");
/// The page's script: reads the recording and draws one step.
const SCRIPT: &str = include_str!("page.js");

/// A self-contained page for `recording` (a `tinyloop-explore` JSON text), titled `title`.
pub fn page(recording: &str, title: &str) -> String {
    // The recording's strings escape `<`, `>` and `&`, so it cannot end the script element;
    // a recording written by another tool may not, so escape `</` again to be sure.
    let data = recording.trim().replace("</", "<\\/");
    let title = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>{title} · tinyloop explorer</title>\n<style>\n{STYLE}</style>\n</head>\n\
         <body>\n<h1>{title} <small>tinyloop loop explorer</small></h1>\n\
         <div id=\"app\"><noscript>The explorer needs JavaScript.</noscript></div>\n\
         <script type=\"application/json\" id=\"recording\">{data}</script>\n\
         <script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    )
}

/// Turn the recording in file `input` into a page in file `output`: the `explore` command.
pub fn convert(input: &Path, output: &Path) -> Result<(), String> {
    let recording = std::fs::read_to_string(input)
        .map_err(|error| format!("cannot read the recording {}: {error}", input.display()))?;
    let json = recording.trim_start().starts_with('{');
    if !json || !recording.contains("\"format\":\"tinyloop-explore\"") {
        return Err(format!(
            "{} is not a tinyloop explorer recording (no \"format\":\"tinyloop-explore\"); \
             record one with TINYLOOP_EXPLORE=FILE.json or Builder::explore",
            input.display()
        ));
    }
    let title = input
        .file_stem()
        .map_or("recording".into(), |stem| stem.to_string_lossy());
    std::fs::write(output, page(&recording, &title))
        .map_err(|error| format!("cannot write the page {}: {error}", output.display()))
}
