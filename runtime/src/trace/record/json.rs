//! The recording as JSON text (the format is in the parent module's docs). Written by hand:
//! the runtime has no serialisation dependency, and the format is small.

use std::fmt::Write as _;

use super::{Position, Recording, State};
use crate::ids::{TaskId, TaskState};
use crate::time::Instant;
use crate::trace::snapshot::label;

/// The whole recording as one JSON object.
pub(super) fn write(data: &Recording) -> String {
    let mut out = String::new();
    let clock = if data.virtual_clock {
        "virtual"
    } else {
        "real"
    };
    let _ = write!(
        out,
        "{{\"format\":\"tinyloop-explore\",\"version\":1,\"clock\":\"{clock}\",\"tasks\":["
    );
    let mut tasks = data.tasks.clone();
    if !tasks.iter().any(|(id, _)| *id == crate::ids::MAIN) {
        tasks.insert(0, (crate::ids::MAIN, "main".to_string()));
    }
    for (i, (id, name)) in tasks.iter().enumerate() {
        comma(&mut out, i);
        let _ = write!(out, "{{\"id\":{},\"name\":", id.as_u64());
        string(&mut out, name);
        out.push_str(",\"label\":");
        string(&mut out, &label(*id, name));
        out.push('}');
    }
    out.push_str("],\"positions\":[");
    for (i, position) in data.positions.iter().enumerate() {
        comma(&mut out, i);
        write_position(&mut out, position);
    }
    out.push_str("]}\n");
    out
}

/// One position: its step, time, wait, state and what the step did.
fn write_position(out: &mut String, p: &Position) {
    let _ = write!(out, "\n{{\"step\":{},\"end\":{},", p.step, p.end);
    time(out, "now", p.now);
    out.push_str(",\"wait\":");
    string(out, &p.wait);
    if let Some(state) = &p.state {
        write_state(out, state);
    }
    out.push_str(",\"did\":");
    strings(out, &p.did);
    out.push_str(",\"activity\":[");
    for (i, (task, kind)) in p.activity.iter().enumerate() {
        comma(out, i);
        let _ = write!(out, "[{},\"{kind}\"]", task.as_u64());
    }
    out.push_str("],\"output\":");
    strings(out, &p.output);
    out.push('}');
}

/// The snapshot fields of a position.
fn write_state(out: &mut String, state: &State) {
    let s = &state.snapshot;
    out.push_str(",\"ready\":[");
    for (i, task) in s.ready.iter().enumerate() {
        comma(out, i);
        let _ = write!(out, "{}", task.as_u64());
    }
    out.push_str("],");
    time(out, "hand", state.hand);
    out.push_str(",\"timers\":[");
    for (i, timer) in state.wheel.iter().enumerate() {
        comma(out, i);
        out.push('{');
        time(out, "deadline", timer.deadline);
        let _ = write!(
            out,
            ",\"owner\":{},\"list\":\"{}\",\"level\":{},\"slot\":{}}}",
            id_or_null(timer.owner),
            timer.list,
            timer.level.map_or("null".to_string(), |l| l.to_string()),
            timer.slot.map_or("null".to_string(), |s| s.to_string()),
        );
    }
    out.push_str("],\"io\":[");
    for (i, io) in s.io.iter().enumerate() {
        comma(out, i);
        out.push_str("{\"source\":");
        string(out, &io.source);
        let _ = write!(
            out,
            ",\"reader\":{},\"writer\":{}}}",
            id_or_null(io.reader),
            id_or_null(io.writer)
        );
    }
    let _ = write!(
        out,
        "],\"io_registered\":{},\"io_waiters\":{},\"threads\":{},\"task_states\":[",
        s.io_registered, s.io_waiters, state.threads
    );
    for (i, (task, woken_by)) in s.tasks.iter().zip(&state.woken_by).enumerate() {
        comma(out, i);
        let _ = write!(
            out,
            "{{\"id\":{},\"state\":\"{}\",\"says\":",
            task.id.as_u64(),
            state_word(task.state)
        );
        string(out, &s.describe(task));
        out.push_str(",\"woken_by\":");
        match woken_by {
            Some(by) => string(out, by),
            None => out.push_str("null"),
        }
        let _ = write!(out, ",\"cancel\":{}}}", task.cancel_requested);
    }
    out.push(']');
}

/// `"key":"t=1.00","key_ms":1000.0`.
fn time(out: &mut String, key: &str, at: Instant) {
    let ms = at.since_start().as_secs_f64() * 1000.0;
    let _ = write!(out, "\"{key}\":\"{at}\",\"{key}_ms\":{ms}");
}

/// A task state in one word.
fn state_word(state: TaskState) -> &'static str {
    match state {
        TaskState::Scheduled => "ready",
        TaskState::Running => "running",
        TaskState::Idle => "idle",
        TaskState::Completed => "completed",
        TaskState::Cancelled => "cancelled",
    }
}

fn id_or_null(id: Option<TaskId>) -> String {
    id.map_or("null".to_string(), |id| id.as_u64().to_string())
}

fn comma(out: &mut String, i: usize) {
    if i > 0 {
        out.push(',');
    }
}

fn strings(out: &mut String, items: &[String]) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        comma(out, i);
        string(out, item);
    }
    out.push(']');
}

/// A JSON string. `<`, `>` and `&` are escaped too, so the text can sit inside an HTML
/// `<script>` element without ending it.
fn string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '<' | '>' | '&' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
