//! The list of known differences (`demos/python/DIFFERENCES.md`), and which differing lines
//! it explains.
//!
//! The list is one Markdown file that the book includes and this module parses, so the
//! reasons a reader sees in the book are the ones `--compare` prints. The parser reads only
//! what the file's own preamble describes: an entry is a `### id: title` heading, then
//! `- field: value` lines (a value may continue on indented lines), then a ```` ```text ````
//! block of `tinyloop: PATTERN`, `asyncio: PATTERN` and `order: any` lines. A `*` in a
//! pattern matches any text.

use super::diff::Line;

/// One entry of the list.
#[derive(Debug, Default)]
pub struct Entry {
    /// The short name after `###`, e.g. `timer-ties`.
    pub id: String,
    /// The rest of the heading.
    pub title: String,
    /// deliberate, spelling, version, or tinyloop bug.
    pub kind: String,
    /// The demos it applies to (`all` for every demo).
    pub demos: Vec<String>,
    /// The CPython versions it applies to: `all`, `3.11`, or `3.12+`.
    pub python: Vec<String>,
    /// What tinyloop does.
    pub tinyloop: String,
    /// What asyncio does.
    pub asyncio: String,
    /// Why they differ.
    pub why: String,
    /// Patterns a line only the tinyloop demo printed may match.
    pub tinyloop_lines: Vec<String>,
    /// Patterns a line only the asyncio twin printed may match.
    pub asyncio_lines: Vec<String>,
    /// True if the same lines may come in another order (`order: any`).
    pub any_order: bool,
}

impl Entry {
    /// Whether the entry speaks about `demo` run against CPython `version` (`(3, 11)`).
    pub fn applies(&self, demo: &str, version: (u32, u32)) -> bool {
        let demo_matches = self.demos.iter().any(|d| d == demo || d == "all");
        let version_matches = self.python.iter().any(|rule| {
            if rule == "all" {
                return true;
            }
            let (text, and_later) = match rule.strip_suffix('+') {
                Some(text) => (text, true),
                None => (rule.as_str(), false),
            };
            match parse_version(text) {
                Some(wanted) if and_later => version >= wanted,
                Some(wanted) => version == wanted,
                None => false,
            }
        });
        demo_matches && version_matches
    }
}

/// `"3.11"` as `(3, 11)`.
pub fn parse_version(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Read the list. Every entry must have each field and at least one line rule; an error
/// names the entry and what is missing, so a broken list fails its test, not a reader.
pub fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut in_block = false;
    let mut last_field: Option<&'static str> = None;
    for (number, line) in (1..).zip(text.lines()) {
        let at = |problem: &str| format!("DIFFERENCES.md line {number}: {problem}");
        if let Some(heading) = line.strip_prefix("### ") {
            let (id, title) = heading
                .split_once(": ")
                .ok_or_else(|| at("an entry heading reads `### id: title`"))?;
            entries.push(Entry {
                id: id.trim().to_string(),
                title: title.trim().to_string(),
                ..Entry::default()
            });
            last_field = None;
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            continue; // the preamble
        };
        if line.starts_with("```") {
            in_block = line == "```text";
            continue;
        }
        if in_block {
            if let Some(pattern) = line.strip_prefix("tinyloop: ") {
                entry.tinyloop_lines.push(pattern.to_string());
            } else if let Some(pattern) = line.strip_prefix("asyncio: ") {
                entry.asyncio_lines.push(pattern.to_string());
            } else if line.trim() == "order: any" {
                entry.any_order = true;
            } else if !line.trim().is_empty() {
                return Err(at(
                    "a rule reads `tinyloop: PATTERN`, `asyncio: PATTERN` or `order: any`",
                ));
            }
            continue;
        }
        if let Some(field) = line.strip_prefix("- ") {
            let (name, value) = field
                .split_once(": ")
                .ok_or_else(|| at("a field reads `- name: value`"))?;
            let value = value.trim().to_string();
            let list = || value.split(',').map(|s| s.trim().to_string()).collect();
            last_field = Some(match name {
                "kind" => {
                    entry.kind = value;
                    "kind"
                }
                "demos" => {
                    entry.demos = list();
                    "demos"
                }
                "python" => {
                    entry.python = list();
                    "python"
                }
                "tinyloop" => {
                    entry.tinyloop = value;
                    "tinyloop"
                }
                "asyncio" => {
                    entry.asyncio = value;
                    "asyncio"
                }
                "why" => {
                    entry.why = value;
                    "why"
                }
                other => return Err(at(&format!("unknown field `{other}`"))),
            });
        } else if line.starts_with("  ") && !line.trim().is_empty() {
            let text = match last_field {
                Some("tinyloop") => &mut entry.tinyloop,
                Some("asyncio") => &mut entry.asyncio,
                Some("why") => &mut entry.why,
                _ => return Err(at("only tinyloop, asyncio and why may go on over lines")),
            };
            text.push(' ');
            text.push_str(line.trim());
        } else {
            last_field = None;
        }
    }
    for entry in &entries {
        let missing = [
            ("kind", entry.kind.is_empty()),
            ("demos", entry.demos.is_empty()),
            ("python", entry.python.is_empty()),
            ("tinyloop", entry.tinyloop.is_empty()),
            ("asyncio", entry.asyncio.is_empty()),
            ("why", entry.why.is_empty()),
            (
                "a text block of rules",
                entry.tinyloop_lines.is_empty()
                    && entry.asyncio_lines.is_empty()
                    && !entry.any_order,
            ),
        ];
        if let Some((field, _)) = missing.iter().find(|(_, is_missing)| *is_missing) {
            return Err(format!(
                "DIFFERENCES.md entry `{}` has no {field}",
                entry.id
            ));
        }
    }
    Ok(entries)
}

/// For each line of `lines`, the entry (an index into `entries`) that explains it, or `None`:
/// a shared line needs no explanation; a differing line left unexplained is unexpected.
///
/// First, a line printed by both sides at different places is a *move*, explained by the
/// first entry with `order: any`. Then each remaining line is matched against the entries'
/// patterns for its side.
pub fn explain(entries: &[&Entry], lines: &[Line]) -> Vec<Option<usize>> {
    let mut why: Vec<Option<usize>> = vec![None; lines.len()];
    if let Some(reorder) = entries.iter().position(|entry| entry.any_order) {
        for i in 0..lines.len() {
            let Line::Tinyloop(text) = lines[i] else {
                continue;
            };
            if why[i].is_some() {
                continue;
            }
            let partner =
                (0..lines.len()).find(|&j| why[j].is_none() && lines[j] == Line::Asyncio(text));
            if let Some(j) = partner {
                why[i] = Some(reorder);
                why[j] = Some(reorder);
            }
        }
    }
    for (i, line) in lines.iter().enumerate() {
        if why[i].is_some() {
            continue;
        }
        why[i] = match *line {
            Line::Same(_) => None,
            Line::Tinyloop(text) => entries
                .iter()
                .position(|e| e.tinyloop_lines.iter().any(|p| matches(p, text))),
            Line::Asyncio(text) => entries
                .iter()
                .position(|e| e.asyncio_lines.iter().any(|p| matches(p, text))),
        };
    }
    why
}

/// Whether `text` matches `pattern`, where `*` stands for any text (possibly none).
pub fn matches(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty(); // no `*` at all: the whole text must equal the pattern
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIST: &str = include_str!("../../python/DIFFERENCES.md");

    fn entry(text: &str) -> Entry {
        let mut entries = parse(text).expect("the example parses");
        entries.remove(0)
    }

    const EXAMPLE: &str = "### ties: timers due together
- kind: deliberate
- demos: workers
- python: 3.12+
- tinyloop: in the order
  they were set.
- asyncio: heap order.
- why: FIFO.

```text
order: any
tinyloop: t=* done
asyncio: t=0.50 *
```
";

    #[test]
    fn an_entry_is_read_with_its_continued_lines_and_rules() {
        let ties = entry(EXAMPLE);
        assert_eq!(ties.id, "ties");
        assert_eq!(ties.tinyloop, "in the order they were set.");
        assert!(ties.any_order);
        assert_eq!(ties.tinyloop_lines, ["t=* done"]);
        assert_eq!(ties.asyncio_lines, ["t=0.50 *"]);
    }

    #[test]
    fn an_entry_applies_to_its_demos_and_versions_only() {
        let ties = entry(EXAMPLE);
        assert!(ties.applies("workers", (3, 12)));
        assert!(ties.applies("workers", (3, 13)));
        assert!(!ties.applies("workers", (3, 11)));
        assert!(!ties.applies("kitchen", (3, 12)));
    }

    #[test]
    fn an_entry_without_a_reason_is_refused() {
        let error = parse(&EXAMPLE.replace("- why: FIFO.\n", "")).unwrap_err();
        assert!(error.contains("`ties` has no why"), "{error}");
    }

    #[test]
    fn stars_match_any_text_and_nothing_else_does() {
        assert!(matches("t=* done", "t=0.30 pasta done"));
        assert!(matches("*", ""));
        assert!(matches("a*b*c", "a-b-c"));
        assert!(!matches("a*b*c", "a-c-b"));
        assert!(!matches("t=0.30 done", "t=0.30 done!"));
        assert!(matches("t=0.30 done", "t=0.30 done"));
    }

    #[test]
    fn a_moved_line_is_explained_only_by_an_order_any_entry() {
        let lines = [
            Line::Tinyloop("b"),
            Line::Same("c"),
            Line::Asyncio("b"),
            Line::Asyncio("z"),
        ];
        let ties = entry(EXAMPLE);
        assert_eq!(explain(&[&ties], &lines), [Some(0), None, Some(0), None]);
        let mut strict = entry(EXAMPLE);
        strict.any_order = false;
        assert_eq!(explain(&[&strict], &lines), [None, None, None, None]);
    }

    #[test]
    fn the_real_list_parses_and_names_only_demos_that_have_twins() {
        let entries = parse(LIST).unwrap_or_else(|error| panic!("{error}"));
        assert!(entries.len() >= 5, "the list has its entries");
        let names: Vec<&str> = tinyloop_demos::all().iter().map(|d| d.name).collect();
        for entry in &entries {
            for demo in &entry.demos {
                assert!(
                    names.contains(&demo.as_str()) && super::super::twin_path(demo).exists(),
                    "entry `{}` names `{demo}`, which is not a demo with a twin",
                    entry.id
                );
            }
        }
    }
}
