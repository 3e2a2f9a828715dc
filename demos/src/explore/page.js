// The tinyloop loop explorer: reads the recording inlined in this page (format:
// runtime/src/trace/record/mod.rs) and draws one position (the state before a step, and
// what that step did) at a time. No network, no libraries.
"use strict";
const started = performance.now();
const rec = JSON.parse(document.getElementById("recording").textContent);
const readIn = performance.now() - started;
const P = rec.positions;
const names = new Map(rec.tasks.map(t => [t.id, t]));
const label = id => id === null ? "(set outside any task)" : (names.has(id) ? names.get(id).label : "task-" + id);
let at = 0, timer = null;
const ROWS = 1000; // tasks (and ready-queue entries) drawn per step; more are counted, not drawn
const LANES = 300; // timeline lanes drawn at most

const el = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e[k] = v; else e.setAttribute(k, v);
  }
  for (const kid of kids) e.append(kid);
  return e;
};
const list = (id, items, ordered) => {
  const box = document.getElementById(id);
  box.replaceChildren();
  if (items.length === 0) { box.append(el("li", { class: "empty" }, "(none)")); return; }
  for (const item of items) box.append(item);
};
const where = p => p.end ? "after the last step" : (p.step === 0 ? "before the first step" : "before step " + p.step);

function build() {
  const app = document.getElementById("app");
  app.replaceChildren(
    el("div", { id: "controls" },
      el("button", { id: "first", title: "first step (Home)", onclick: () => go(0) }, "« first"),
      el("button", { id: "prev", title: "previous step (←)", onclick: () => go(at - 1) }, "◀ prev"),
      el("button", { id: "play", title: "play / pause (space)", onclick: toggle }, "▶ play"),
      el("button", { id: "next", title: "next step (→)", onclick: () => go(at + 1) }, "next ▶"),
      el("button", { id: "last", title: "last step (End)", onclick: () => go(P.length - 1) }, "last »"),
      el("input", { id: "slider", type: "range", min: 0, max: Math.max(P.length - 1, 0), value: 0,
                    oninput: e => go(+e.target.value) }),
      el("span", { id: "where" }),
      el("span", { class: "help" }, rec.clock + " clock · " + P.length + " positions · " + rec.tasks.length + " tasks")),
    el("div", { class: "grid" },
      el("div", { class: "panel" }, el("h2", {}, "Loop"),
        el("div", {}, "loop time ", el("b", { id: "now" })),
        el("div", {}, "stage 1, wait: ", el("span", { id: "wait" })),
        el("div", {}, "to_thread jobs in flight: ", el("b", { id: "threads" })),
        el("div", { class: "help", id: "timing" })),
      el("div", { class: "panel" }, el("h2", {}, "Ready queue (front first)"), el("ol", { id: "ready" })),
      el("div", { class: "panel" }, el("h2", {}, "I/O sources"), el("ul", { id: "io" })),
      el("div", { class: "panel wide" }, el("h2", {}, "Timer wheel"),
        el("div", { class: "help" }, "the hand stands at ", el("span", { id: "hand" }), " ms; a number is how many timers a slot holds; purple: moved down a level since the previous step (a cascade)"),
        el("div", { id: "wheel", class: "levels" }), el("ul", { id: "timers" })),
      el("div", { class: "panel wide" }, el("h2", {}, "Tasks"),
        el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "task"), el("th", {}, "state"),
          el("th", {}, "waiting on / doing"), el("th", {}, "last woken by"))), el("tbody", { id: "tasks" }))),
      el("div", { class: "panel", id: "did-box" }, el("h2", { id: "did-title" }, "What this step does"), el("ul", { id: "did" })),
      el("div", { class: "panel" }, el("h2", {}, "Program output up to this step (highlighted: printed in this step)"), el("ol", { id: "output" })),
      el("div", { class: "panel wide" }, el("h2", {}, "Timeline: one lane per task, one column per step (click to jump)"),
        el("div", { class: "help" }, "dark blue: polled · light blue: spawned or woken (ready) · green: completed · grey: cancelled · red: panicked · outlined: this step"),
        el("div", { id: "timeline" }))));
  drawTimeline();
}

// The wheel: six levels of 64 slots; the hand's slot outlined; a timer that moved down a
// level since the previous position (a cascade) in purple.
function drawWheel(p, prev) {
  const box = document.getElementById("wheel");
  box.replaceChildren();
  const timers = p.timers || [];
  const before = new Map();
  for (const t of (prev && prev.timers) || []) before.set(t.owner + "@" + t.deadline_ms, t);
  const hand = Math.floor(p.hand_ms || 0);
  const items = [];
  for (let level = 0; level < 6; level++) {
    const width = Math.pow(64, level), handSlot = Math.floor(hand / width) % 64;
    const here = timers.filter(t => t.level === level);
    if (here.length === 0 && level > 1 && !timers.some(t => t.level !== null && t.level > level)) continue;
    const row = el("div", { class: "slots", "data-level": level });
    for (let s = 0; s < 64; s++) {
      const inSlot = here.filter(t => t.slot === s);
      const moved = inSlot.some(t => { const b = before.get(t.owner + "@" + t.deadline_ms); return b && b.level !== null && b.level > level; });
      const cls = "slot" + (inSlot.length ? " full" : "") + (moved ? " moved" : "") + (s === handSlot ? " hand" : "");
      row.append(el("div", { class: cls, title: "level " + level + ", slot " + s + (inSlot.length ? ": " + inSlot.map(t => t.deadline + " " + label(t.owner)).join(", ") : "") },
        inSlot.length ? String(inSlot.length) : ""));
    }
    box.append(el("span", {}, "level " + level), row);
  }
  for (const t of timers) {
    const b = before.get(t.owner + "@" + t.deadline_ms);
    const place = t.list === "slot" ? "level " + t.level + ", slot " + t.slot : t.list + " list";
    const note = b && b.level !== null && t.level !== null && b.level > t.level
      ? el("span", { class: "moved-note" }, " · moved down from level " + b.level + ", slot " + b.slot + " (a cascade)") : "";
    items.push(el("li", { "data-owner": t.owner === null ? "" : t.owner, "data-deadline-ms": t.deadline_ms,
                          "data-level": t.level === null ? t.list : t.level, "data-slot": t.slot === null ? "" : t.slot },
      el("span", { class: "what" }, t.deadline + " " + label(t.owner)), el("span", { class: "help" }, " · " + place), note));
  }
  list("timers", items);
}

function drawTimeline() {
  const box = document.getElementById("timeline");
  // A table is laid out as a whole: past a few tens of thousands of cells the browser takes
  // seconds per step. Draw the first lanes only, and say so.
  const maxCells = 60000;
  const lanes = rec.tasks.slice(0, Math.min(LANES, Math.max(1, Math.floor(maxCells / Math.max(P.length, 1)))));
  const kinds = P.map(p => { const m = new Map(); for (const [id, k] of p.activity) m.set(id, strongest(m.get(id), k)); return m; });
  const table = el("table", {});
  const head = el("tr", {}, el("td", { class: "lane" }, ""));
  let lastTime = null;
  P.forEach((p, i) => {
    const show = p.now !== lastTime; lastTime = p.now;
    head.append(el("td", { class: "time", style: "writing-mode: vertical-rl; font-size: 10px; color: #777", title: p.now }, show ? p.now : ""));
  });
  table.append(head);
  for (const t of lanes) {
    const row = el("tr", {}, el("td", { class: "lane" }, t.label));
    P.forEach((p, i) => {
      const k = kinds[i].get(t.id);
      row.append(el("td", { class: "cell" + (k ? " k-" + k : ""), "data-pos": i, title: where(p) + " · " + p.now + " · " + t.label + (k ? ": " + k : "") }));
    });
    table.append(row);
  }
  table.onclick = e => { const pos = e.target.getAttribute && e.target.getAttribute("data-pos"); if (pos !== null) go(+pos); };
  box.replaceChildren(table);
  if (lanes.length < rec.tasks.length) box.append(el("p", { class: "help" }, "(first " + lanes.length + " of " + rec.tasks.length + " tasks shown)"));
}
const rank = { spawned: 1, woken: 2, pending: 3, polled: 3, completed: 4, cancelled: 5, panicked: 6 };
const strongest = (a, b) => (!a || rank[b] > rank[a]) ? (b === "pending" ? "polled" : b) : a;

function show() {
  const drawing = performance.now();
  const p = P[at], prev = at > 0 ? P[at - 1] : null;
  document.getElementById("where").textContent = where(p) + " (" + (at + 1) + " of " + P.length + ")";
  document.getElementById("slider").value = at;
  document.getElementById("now").textContent = p.now;
  document.getElementById("wait").textContent = p.wait;
  const known = p.ready !== undefined;
  document.getElementById("threads").textContent = known ? String(p.threads) : "?";
  const ready = known ? p.ready.slice(0, ROWS).map(id => el("li", { "data-id": id }, label(id))) : [];
  if (known && p.ready.length > ROWS) ready.push(el("li", { class: "more" }, "... and " + (p.ready.length - ROWS) + " more"));
  list("ready", ready);
  list("io", known ? p.io.map(io => el("li", {}, io.source
    + (io.reader !== null ? ", reader: " + label(io.reader) : "")
    + (io.writer !== null ? ", writer: " + label(io.writer) : "")))
    .concat(p.io.length === 0 && p.io_registered > 0 ? [el("li", {}, p.io_registered + " source(s), " + p.io_waiters + " waiting")] : []) : []);
  document.getElementById("hand").textContent = known ? String(p.hand_ms) : "?";
  drawWheel(p, prev);
  const rows = document.getElementById("tasks");
  rows.replaceChildren();
  // A page of 100 000 tasks stays quick: the first ROWS are drawn, the rest counted.
  const states = p.task_states || [];
  for (const t of states.slice(0, ROWS)) {
    rows.append(el("tr", { "data-id": t.id },
      el("td", { class: "label" }, label(t.id)),
      el("td", { class: "state state-" + t.state }, t.state),
      el("td", { class: "says" }, t.says),
      el("td", { class: "woken" }, t.woken_by === null ? "" : t.woken_by)));
  }
  if (states.length > ROWS) rows.append(el("tr", {}, el("td", { colspan: 4, class: "help" }, "... and " + (states.length - ROWS) + " more tasks")));
  document.getElementById("did-title").textContent = p.end ? "What happened as the loop closed" : "What step " + p.step + " does";
  const did = p.did.slice(0, ROWS).map(line => el("li", {}, line));
  if (p.did.length > ROWS) did.push(el("li", { class: "more" }, "... and " + (p.did.length - ROWS) + " more events"));
  list("did", did);
  const out = [];
  for (let i = 0; i <= at; i++) for (const line of P[i].output)
    out.push(el("li", { class: i === at ? "now" : "", "data-step": P[i].step }, el("span", { class: "stepno" }, "[" + P[i].step + "] "), el("span", { class: "line" }, line)));
  list("output", out);
  const box = document.getElementById("output");
  box.scrollTop = box.scrollHeight; // the newest lines in view, without scrolling the page
  for (const c of document.querySelectorAll("#timeline td.current")) c.classList.remove("current");
  for (const c of document.querySelectorAll('#timeline td[data-pos="' + at + '"]')) c.classList.add("current");
  document.getElementById("timing").textContent = "recording read in " + Math.round(readIn)
    + " ms · this step drawn in " + Math.round(performance.now() - drawing) + " ms";
  const mark = "step=" + (p.end ? "end" : p.step);
  try { history.replaceState(null, "", inQuery ? "?" + mark : "#" + mark); } catch (e) { /* some file: URLs refuse */ }
}

function go(i) { at = Math.max(0, Math.min(P.length - 1, i)); show(); }
function toggle() {
  const button = document.getElementById("play");
  if (timer) { clearInterval(timer); timer = null; button.textContent = "▶ play"; return; }
  if (at === P.length - 1) go(0);
  button.textContent = "❚❚ pause";
  timer = setInterval(() => { if (at >= P.length - 1) toggle(); else go(at + 1); }, 500);
}
document.addEventListener("keydown", e => {
  if (e.target.tagName === "INPUT" && e.target.type !== "range") return;
  if (e.key === "ArrowRight") { go(at + 1); e.preventDefault(); }
  else if (e.key === "ArrowLeft") { go(at - 1); e.preventDefault(); }
  else if (e.key === "Home") go(0);
  else if (e.key === "End") go(P.length - 1);
  else if (e.key === " ") { toggle(); e.preventDefault(); }
});

build();
// The step to open at: `page.html?step=14` or `page.html#step=14` (the book links with `#`,
// which its link checker and every static server leave alone); stepping updates the same one.
const inQuery = new URLSearchParams(location.search).has("step");
const asked = inQuery ? new URLSearchParams(location.search).get("step")
  : new URLSearchParams(location.hash.slice(1)).get("step");
const found = asked === "end" ? P.length - 1 : P.findIndex(p => !p.end && String(p.step) === asked);
go(found >= 0 ? found : 0);
