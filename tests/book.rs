//! The book keeps its promises: every listing it shows is real, tested code.
//!
//! The book (`book/src/`) is read without mdbook and built with it, so the checks that mdbook
//! would make, and some it would not, are made here by `cargo test`:
//!
//! - an `{{#include PATH:ANCHOR}}` names a file that exists and an anchor that encloses code;
//! - `SUMMARY.md` links only to files that exist, and every chapter file is in it;
//! - a link between chapters names a file that exists, and a `#fragment` in it names a heading
//!   of that page, as mdbook turns headings into ids (mdbook itself checks neither);
//! - a chapter whose ```` ```rust ```` blocks are meant to run is mounted in
//!   `src/book_doctests.rs`, so rustdoc compiles and runs them;
//! - code shown through an include is fenced `ignore`, since it is tested where it lives;
//! - the preprocessor that strips included listings' shared indentation does only that.
//!
//! The parsing is deliberately plain (line by line, no Markdown crate): it understands the
//! subset of Markdown and mdbook the book uses, and says so in each failure message.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

// ---------------------------------------------------------------------------------------------
// Reading the book
// ---------------------------------------------------------------------------------------------

/// The repository root (the facade package's directory).
fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn book_src() -> PathBuf {
    repo().join("book").join("src")
}

/// One Markdown file of the book.
struct Page {
    /// Path relative to `book/src`, with `/` separators, e.g. `why_async.md`.
    name: String,
    /// Absolute path.
    path: PathBuf,
    text: String,
}

/// Every `.md` file under `book/src`, sorted by name, `SUMMARY.md` included.
fn pages() -> Vec<Page> {
    let mut paths = Vec::new();
    collect_md_files(&book_src(), &mut paths);
    paths.sort();
    paths
        .into_iter()
        .map(|path| Page {
            name: relative_name(&book_src(), &path),
            text: fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
            path,
        })
        .collect()
}

fn collect_md_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_md_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "md") {
            out.push(path);
        }
    }
}

fn relative_name(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap();
    let parts: Vec<_> = relative.iter().map(|p| p.to_string_lossy()).collect();
    parts.join("/")
}

/// Joins `relative` onto `base` and removes `.` and `..` without touching the file system, so a
/// missing file still gets a clean path to compare and report.
fn resolve(base: &Path, relative: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for component in base.join(relative).components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// Where a problem is, for messages: `book/src/why_async.md:42`.
fn at(page: &Page, line: usize) -> String {
    format!("book/src/{}:{line}", page.name)
}

/// Fails the test with every problem found, one per line, rather than only the first.
fn assert_no_problems(problems: Vec<String>, what: &str) {
    assert!(
        problems.is_empty(),
        "{what}:\n  {}\n",
        problems.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------
// Code blocks
// ---------------------------------------------------------------------------------------------

/// A fenced code block (```` ``` ```` or `~~~`).
struct CodeBlock {
    /// The info string after the opening fence, e.g. `rust,ignore` or `text`.
    info: String,
    /// 1-based line number of the opening fence.
    line: usize,
    /// 1-based line numbers of the lines inside the fences.
    body_lines: std::ops::Range<usize>,
}

impl CodeBlock {
    /// The words of the info string, split as rustdoc splits them (commas and spaces).
    fn words(&self) -> Vec<&str> {
        self.info
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|word| !word.is_empty())
            .collect()
    }

    /// Whether rustdoc treats the block as Rust: no language at all, `rust`, or only rustdoc's
    /// own attributes (`ignore`, `should_panic`, ...). Any other word (`python`, `text`) makes
    /// it a block in that language, which rustdoc leaves alone.
    fn is_rust(&self) -> bool {
        let words = self.words();
        words.is_empty()
            || words.contains(&"rust")
            || words.iter().all(|word| is_rustdoc_attribute(word))
    }

    fn is_ignored(&self) -> bool {
        self.words()
            .iter()
            .any(|word| *word == "ignore" || word.starts_with("ignore-"))
    }

    /// Whether `cargo test` must compile (and usually run) this block as a doctest.
    fn is_runnable_rust(&self) -> bool {
        self.is_rust() && !self.is_ignored()
    }
}

fn is_rustdoc_attribute(word: &str) -> bool {
    matches!(
        word,
        "ignore" | "should_panic" | "no_run" | "compile_fail" | "test_harness" | "standalone_crate"
    ) || word.starts_with("ignore-")
        || word.starts_with("edition")
        || (word.len() == 5
            && word.starts_with('E')
            && word[1..].bytes().all(|b| b.is_ascii_digit()))
}

/// The fenced code blocks of a page, in order. An unclosed block runs to the end of the page.
fn code_blocks(text: &str) -> Vec<CodeBlock> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((fence_char, fence_len, info)) = opening_fence(lines[i]) else {
            i += 1;
            continue;
        };
        let start = i;
        i += 1;
        while i < lines.len() && !is_closing_fence(lines[i], fence_char, fence_len) {
            i += 1;
        }
        blocks.push(CodeBlock {
            info: info.to_string(),
            line: start + 1,
            body_lines: start + 2..i + 1,
        });
        i += 1;
    }
    blocks
}

/// `Some((fence character, fence length, info string))` if `line` opens a fenced block.
fn opening_fence(line: &str) -> Option<(char, usize, &str)> {
    let trimmed = line.trim_start();
    let fence_char = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let fence_len = trimmed.chars().take_while(|c| *c == fence_char).count();
    (fence_len >= 3).then(|| (fence_char, fence_len, trimmed[fence_len..].trim()))
}

fn is_closing_fence(line: &str, fence_char: char, fence_len: usize) -> bool {
    let trimmed = line.trim();
    let run = trimmed.chars().take_while(|c| *c == fence_char).count();
    run >= fence_len && trimmed.len() == run * fence_char.len_utf8()
}

/// Line numbers (1-based) that lie inside fenced code blocks, fences included.
fn lines_in_code(text: &str) -> BTreeSet<usize> {
    code_blocks(text)
        .iter()
        .flat_map(|block| block.line..block.body_lines.end + 1)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// mdbook directives: {{#include path:anchor}}
// ---------------------------------------------------------------------------------------------

/// One `{{#include ...}}`, `{{#rustdoc_include ...}}` or `{{#playground ...}}`.
struct Include {
    line: usize,
    /// The file, as written (relative to the page's directory).
    file: String,
    /// What follows the first `:`, if anything: an anchor name or a line range.
    selector: Option<String>,
}

/// The include directives of a page. `\{{#include ...}}` is mdbook's escape and is skipped.
fn includes(text: &str) -> Vec<Include> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        let mut offset = 0;
        while let Some(start) = rest.find("{{#") {
            let escaped = line[..offset + start].ends_with('\\');
            let after = &rest[start + 3..];
            let Some(end) = after.find("}}") else { break };
            let directive = after[..end].trim();
            let (name, argument) = directive
                .split_once(char::is_whitespace)
                .unwrap_or((directive, ""));
            if !escaped && matches!(name, "include" | "rustdoc_include" | "playground") {
                let target = argument.split_whitespace().next().unwrap_or("");
                let (file, selector) = match target.split_once(':') {
                    Some((file, selector)) => (file, Some(selector.to_string())),
                    None => (target, None),
                };
                found.push(Include {
                    line: index + 1,
                    file: file.to_string(),
                    selector,
                });
            }
            offset += start + 3 + end + 2;
            rest = &line[offset..];
        }
    }
    found
}

/// Whether an include selector is a line range (`10`, `10:20`, `:20`, `10:`) rather than an
/// anchor name.
fn is_line_range(selector: &str) -> bool {
    selector
        .split(':')
        .all(|part| part.bytes().all(|b| b.is_ascii_digit()))
}

/// Checks that `source` has `ANCHOR: name` followed by `ANCHOR_END: name`, with at least one
/// line of code between them, as mdbook reads anchors. Returns what is wrong, if anything.
fn anchor_problem(source: &str, name: &str) -> Option<String> {
    let marker = |line: &str, tag: &str| {
        line.split_once(tag)
            .map(|(_, rest)| rest.trim_start())
            .and_then(|rest| {
                rest.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
                    .next()
            })
            == Some(name)
    };
    let lines: Vec<&str> = source.lines().collect();
    let Some(start) = lines.iter().position(|line| marker(line, "ANCHOR:")) else {
        return Some(format!("no `ANCHOR: {name}` line"));
    };
    let Some(length) = lines[start + 1..]
        .iter()
        .position(|line| marker(line, "ANCHOR_END:"))
    else {
        return Some(format!(
            "`ANCHOR: {name}` has no `ANCHOR_END: {name}` after it"
        ));
    };
    let has_code = lines[start + 1..start + 1 + length].iter().any(|line| {
        !line.trim().is_empty() && !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:")
    });
    (!has_code).then(|| format!("anchor `{name}` encloses no code"))
}

// ---------------------------------------------------------------------------------------------
// Links: SUMMARY.md and between chapters
// ---------------------------------------------------------------------------------------------

/// A Markdown link `[text](target)` outside code, with its line number.
struct Link {
    line: usize,
    target: String,
}

/// The inline links of a page, outside fenced code blocks and outside `inline code`.
fn links(text: &str) -> Vec<Link> {
    let in_code = lines_in_code(text);
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if in_code.contains(&(index + 1)) {
            continue;
        }
        let line = strip_inline_code(line);
        let mut rest = line.as_str();
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(Link {
                line: index + 1,
                target: after[..end].trim().to_string(),
            });
            rest = &after[end + 1..];
        }
    }
    found
}

/// The line with every `inline code` span blanked out.
fn strip_inline_code(line: &str) -> String {
    let mut out = String::new();
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
        } else if !in_code {
            out.push(c);
        }
    }
    out
}

fn is_external(target: &str) -> bool {
    target.starts_with("http://")
        || target.starts_with("https://")
        || target.starts_with("mailto:")
        || target.starts_with('#')
}

/// The files `SUMMARY.md` links to (draft chapters, `[Title]()`, have no file and are skipped).
fn summary_targets(summary: &Page) -> Vec<Link> {
    links(&summary.text)
        .into_iter()
        .filter(|link| !link.target.is_empty())
        .collect()
}

fn without_fragment(target: &str) -> &str {
    target.split('#').next().unwrap_or(target)
}

/// The ids mdbook gives the headings of a page, in order: the heading's text as rendered
/// (`inline code` keeps its text, `*emphasis*` and `[links](...)` keep only their words),
/// lower-cased, spaces turned into `-`, and every character that is not alphanumeric, `-` or `_`
/// removed; a repeated id gets `-1`, `-2`, ... (mdbook-html's `id_from_content` and `unique_id`).
fn heading_ids(text: &str) -> Vec<String> {
    let in_code = lines_in_code(text);
    let mut used = BTreeSet::new();
    let mut ids = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if in_code.contains(&(index + 1)) {
            continue;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let id: String = rendered_heading_text(line[hashes..].trim_end_matches('#'))
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| {
                if c.is_alphanumeric() || c == '_' || c == '-' {
                    Some(c)
                } else if c.is_whitespace() {
                    Some('-')
                } else {
                    None
                }
            })
            .collect();
        let mut unique = id.clone();
        let mut counter = 0;
        while !used.insert(unique.clone()) {
            counter += 1;
            unique = format!("{id}-{counter}");
        }
        ids.push(unique);
    }
    ids
}

/// A heading's text as the reader sees it: link targets, backticks and emphasis marks removed.
fn rendered_heading_text(heading: &str) -> String {
    let mut out = String::new();
    let mut rest = heading;
    while let Some(start) = rest.find("](") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once(')')
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out.chars()
        .filter(|c| !matches!(c, '`' | '*' | '[' | ']'))
        .collect()
}

fn summary() -> Page {
    pages()
        .into_iter()
        .find(|page| page.name == "SUMMARY.md")
        .expect("book/src/SUMMARY.md exists")
}

// ---------------------------------------------------------------------------------------------
// src/book_doctests.rs
// ---------------------------------------------------------------------------------------------

/// The chapter files mounted in `src/book_doctests.rs` through `include_str!("...")`, resolved
/// to absolute paths, with the line each is on.
fn mounted_chapters() -> Vec<(usize, PathBuf)> {
    let file = repo().join("src").join("book_doctests.rs");
    let text = fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim_start().starts_with("//") {
            continue;
        }
        if let Some((_, rest)) = line.split_once("include_str!(\"")
            && let Some((path, _)) = rest.split_once('"')
        {
            found.push((index + 1, resolve(&repo().join("src"), path)));
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// The claims
// ---------------------------------------------------------------------------------------------

#[test]
fn every_include_names_an_existing_file_and_anchor() {
    let mut problems = Vec::new();
    for page in pages() {
        let dir = page.path.parent().unwrap();
        for include in includes(&page.text) {
            let file = resolve(dir, &include.file);
            let Ok(source) = fs::read_to_string(&file) else {
                problems.push(format!(
                    "{}: includes `{}`, but {} does not exist",
                    at(&page, include.line),
                    include.file,
                    file.display()
                ));
                continue;
            };
            match include.selector.as_deref() {
                None => {}
                Some(selector) if is_line_range(selector) => {}
                Some(anchor) => {
                    if let Some(problem) = anchor_problem(&source, anchor) {
                        problems.push(format!(
                            "{}: includes `{}:{anchor}`: {problem} in {}",
                            at(&page, include.line),
                            include.file,
                            file.display()
                        ));
                    }
                }
            }
        }
    }
    assert_no_problems(problems, "includes that mdbook could not fill in");
}

#[test]
fn includes_select_code_by_anchor_not_by_line_numbers() {
    // Line numbers go stale the moment someone edits the file above them; anchors move with the
    // code.
    let mut problems = Vec::new();
    for page in pages() {
        for include in includes(&page.text) {
            if let Some(range) = include.selector.as_deref().filter(|s| is_line_range(s)) {
                problems.push(format!(
                    "{}: includes `{}:{range}` by line numbers; put `// ANCHOR: name` and \
                     `// ANCHOR_END: name` around the code and include `{}:name`",
                    at(&page, include.line),
                    include.file,
                    include.file
                ));
            }
        }
    }
    assert_no_problems(problems, "includes by line number");
}

#[test]
fn included_code_is_fenced_ignore() {
    // rustdoc does not expand `{{#include}}`: a runnable block holding one would be compiled as
    // the literal text `{{#include ...}}` and fail.
    let mut problems = Vec::new();
    for page in pages() {
        let blocks = code_blocks(&page.text);
        for include in includes(&page.text) {
            let inside = blocks
                .iter()
                .find(|block| block.body_lines.contains(&include.line));
            if let Some(block) = inside.filter(|block| block.is_runnable_rust()) {
                problems.push(format!(
                    "{}: the block opened at line {} (```{}) includes `{}`; fence it \
                     ```rust,ignore: included code is compiled and tested in its own file",
                    at(&page, include.line),
                    block.line,
                    block.info,
                    include.file
                ));
            }
        }
    }
    assert_no_problems(problems, "included code in runnable blocks");
}

#[test]
fn every_summary_link_points_to_an_existing_file() {
    let summary = summary();
    let mut problems = Vec::new();
    for link in summary_targets(&summary) {
        if is_external(&link.target) {
            problems.push(format!(
                "{}: `{}` is not a chapter file",
                at(&summary, link.line),
                link.target
            ));
            continue;
        }
        let file = resolve(&book_src(), without_fragment(&link.target));
        if !file.is_file() {
            problems.push(format!(
                "{}: links to `{}`, which does not exist (a chapter not written yet is a draft: \
                 `- [Title]()`)",
                at(&summary, link.line),
                link.target
            ));
        }
    }
    assert_no_problems(problems, "SUMMARY.md links to missing files");
}

#[test]
fn every_chapter_file_is_listed_in_the_summary() {
    let summary = summary();
    let listed: BTreeSet<PathBuf> = summary_targets(&summary)
        .iter()
        .map(|link| resolve(&book_src(), without_fragment(&link.target)))
        .collect();
    let problems: Vec<String> = pages()
        .iter()
        .filter(|page| page.name != "SUMMARY.md" && !listed.contains(&page.path))
        .map(|page| {
            format!(
                "book/src/{}: not in SUMMARY.md, so mdbook would never show it",
                page.name
            )
        })
        .collect();
    assert_no_problems(problems, "chapter files missing from SUMMARY.md");
}

#[test]
fn chapter_files_are_snake_case_and_sit_directly_in_book_src() {
    let problems: Vec<String> = pages()
        .iter()
        .filter(|page| page.name != "SUMMARY.md")
        .filter(|page| {
            let stem = page.name.strip_suffix(".md").unwrap_or(&page.name);
            stem.is_empty()
                || !stem
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
        .map(|page| {
            format!(
                "book/src/{}: chapter files are named like `smallest_executor.md`, directly in book/src",
                page.name
            )
        })
        .collect();
    assert_no_problems(problems, "chapter file names");
}

#[test]
fn every_link_between_chapters_points_to_an_existing_file() {
    let mut problems = Vec::new();
    for page in pages().iter().filter(|page| page.name != "SUMMARY.md") {
        let dir = page.path.parent().unwrap();
        for link in links(&page.text) {
            if link.target.is_empty() {
                problems.push(format!(
                    "{}: a link with no target `[...]()`; name a chapter that exists, or write \
                     the title as plain text until it does",
                    at(page, link.line)
                ));
            } else if !is_external(&link.target) {
                let target = without_fragment(&link.target);
                if !resolve(dir, target).exists() {
                    problems.push(format!(
                        "{}: links to `{}`, which does not exist",
                        at(page, link.line),
                        link.target
                    ));
                }
            }
        }
    }
    assert_no_problems(problems, "broken links between chapters");
}

#[test]
fn every_link_to_a_section_names_a_heading_that_exists() {
    // `[text](queue.md#backpressure)` or `[text](#backpressure)`: mdbook renders a link to a
    // heading that was renamed without a word, and the reader lands at the top of the page.
    let all = pages();
    let mut problems = Vec::new();
    for page in all.iter().filter(|page| page.name != "SUMMARY.md") {
        let dir = page.path.parent().unwrap();
        for link in links(&page.text) {
            let Some((file, fragment)) = link.target.split_once('#') else {
                continue;
            };
            if link.target.contains("://") || link.target.starts_with("mailto:") {
                continue;
            }
            let target_path = if file.is_empty() {
                page.path.clone()
            } else {
                resolve(dir, file)
            };
            let Some(target) = all.iter().find(|p| p.path == target_path) else {
                continue; // a missing file is reported by the test above
            };
            let ids = heading_ids(&target.text);
            if !ids.iter().any(|id| id == fragment) {
                problems.push(format!(
                    "{}: links to `{}`, but book/src/{} has no heading with id `{fragment}`; \
                     its headings' ids are: {}",
                    at(page, link.line),
                    link.target,
                    target.name,
                    ids.join(", ")
                ));
            }
        }
    }
    assert_no_problems(problems, "links to sections that do not exist");
}

#[test]
fn every_code_block_names_its_language() {
    // rustdoc compiles a fence with no language as Rust, and mdbook highlights it as Rust: say
    // `text` for output and commands, `python` for Python, `rust` for Rust.
    let mut problems = Vec::new();
    for page in pages() {
        for block in code_blocks(&page.text) {
            if block.words().is_empty() {
                problems.push(format!(
                    "{}: a code block with no language; write ```text, ```python or ```rust",
                    at(&page, block.line)
                ));
            }
        }
    }
    assert_no_problems(problems, "code blocks without a language");
}

#[test]
fn every_chapter_with_runnable_rust_is_mounted_as_a_doctest() {
    let mounted: BTreeSet<PathBuf> = mounted_chapters()
        .into_iter()
        .map(|(_, path)| path)
        .collect();
    let mut problems = Vec::new();
    for page in pages() {
        let runnable = code_blocks(&page.text)
            .into_iter()
            .filter(CodeBlock::is_runnable_rust)
            .map(|block| block.line)
            .collect::<Vec<_>>();
        if !runnable.is_empty() && !mounted.contains(&page.path) {
            problems.push(format!(
                "book/src/{}: Rust blocks at lines {runnable:?} would never be compiled; add to \
                 src/book_doctests.rs:\n    #[doc = include_str!(\"../book/src/{}\")]\n    pub struct {};",
                page.name,
                page.name,
                struct_name(&page.name)
            ));
        }
    }
    assert_no_problems(problems, "chapters whose Rust is not tested");
}

#[test]
fn book_doctests_mounts_only_chapters_that_exist() {
    let problems: Vec<String> = mounted_chapters()
        .into_iter()
        .filter(|(_, path)| !path.is_file())
        .map(|(line, path)| {
            format!(
                "src/book_doctests.rs:{line}: {} does not exist",
                path.display()
            )
        })
        .collect();
    assert_no_problems(problems, "src/book_doctests.rs mounts missing chapters");
}

#[test]
fn book_doctests_module_is_mounted_in_the_facade() {
    // Without this line in src/lib.rs, rustdoc never sees the chapters and their examples
    // silently stop being tested.
    let lib = fs::read_to_string(repo().join("src").join("lib.rs")).unwrap();
    let mounted = lib.lines().collect::<Vec<_>>().windows(2).any(|pair| {
        pair[0].replace(' ', "") == "#[cfg(doctest)]" && pair[1].trim() == "mod book_doctests;"
    });
    assert!(
        mounted,
        "src/lib.rs must contain these two lines:\n#[cfg(doctest)]\nmod book_doctests;"
    );
}

/// `smallest_executor.md` -> `SmallestExecutor`, the name used in `src/book_doctests.rs`.
fn struct_name(file: &str) -> String {
    file.trim_end_matches(".md")
        .split(['_', '/'])
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The checker checks itself: small pages with known problems.
// ---------------------------------------------------------------------------------------------

#[test]
fn checker_reads_fences_languages_and_includes_as_mdbook_and_rustdoc_do() {
    let page = "\
intro [a](a.md) and `[not](a link)`
```rust,ignore
{{#include ../x.rs:anchor}}
```
```python
print('[not](a link)')
```
```
plain
```
~~~rust
let x = 1;
~~~
\\{{#include escaped.rs}}
{{#include y.rs:10:20}}
";
    let blocks = code_blocks(page);
    let summary: Vec<_> = blocks
        .iter()
        .map(|b| (b.info.as_str(), b.line, b.is_rust(), b.is_runnable_rust()))
        .collect();
    assert_eq!(
        summary,
        [
            ("rust,ignore", 2, true, false),
            ("python", 5, false, false),
            ("", 8, true, true),
            ("rust", 11, true, true),
        ]
    );

    let found: Vec<_> = includes(page)
        .into_iter()
        .map(|i| (i.line, i.file, i.selector))
        .collect();
    assert_eq!(
        found,
        [
            (3, "../x.rs".to_string(), Some("anchor".to_string())),
            (15, "y.rs".to_string(), Some("10:20".to_string())),
        ]
    );
    assert!(is_line_range("10:20") && is_line_range("10") && !is_line_range("anchor"));

    let targets: Vec<_> = links(page).into_iter().map(|l| l.target).collect();
    assert_eq!(targets, ["a.md"]);
}

#[test]
fn checker_finds_missing_and_empty_anchors() {
    let source = "\
// ANCHOR: whole
// ANCHOR: part
fn f() {}
// ANCHOR_END: part
// ANCHOR: empty
// ANCHOR_END: empty
// ANCHOR: open
// ANCHOR_END: whole
";
    assert_eq!(anchor_problem(source, "whole"), None);
    assert_eq!(anchor_problem(source, "part"), None);
    assert!(
        anchor_problem(source, "missing")
            .unwrap()
            .contains("no `ANCHOR: missing`")
    );
    assert!(
        anchor_problem(source, "empty")
            .unwrap()
            .contains("encloses no code")
    );
    assert!(
        anchor_problem(source, "open")
            .unwrap()
            .contains("no `ANCHOR_END: open`")
    );
    // `part` must not match `partial`, nor `whole` match `wholesale`.
    assert!(anchor_problem("// ANCHOR: partial\nx\n// ANCHOR_END: partial\n", "part").is_some());
    assert_eq!(struct_name("smallest_executor.md"), "SmallestExecutor");
}

#[test]
fn checker_gives_headings_the_ids_mdbook_gives_them() {
    let page = "\
# asyncio's Future is tinyloop's Promise
## `wait(FIRST_COMPLETED)`: *one* or more
```text
# not a heading
```
## Run it
## Run it
### See [the queue](queue.md) chapter
#hashtag, not a heading
";
    assert_eq!(
        heading_ids(page),
        [
            "asyncios-future-is-tinyloops-promise",
            "waitfirst_completed-one-or-more",
            "run-it",
            "run-it-1",
            "see-the-queue-chapter",
        ]
    );
}

/// `book/dedent_listings.py`, the preprocessor that strips a listing's shared indentation, does
/// exactly that: Rust blocks lose their common margin, other blocks and prose are untouched.
/// (Skipped, saying so, on a machine without python3: the book then builds without it.)
#[test]
fn the_dedent_preprocessor_strips_only_the_margin_rust_listings_share() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let chapter = "Prose.\n\n```rust,ignore\n    fn f() {\n        g();\n\n    }\n```\n\n\
                   ```text\n    kept\n```\n";
    let book = format!(
        r#"[{{"root": "."}}, {{"items": [{{"Chapter": {{"name": "A", "content": {}, "sub_items": []}}}}]}}]"#,
        json_string(chapter)
    );
    let script = repo().join("book").join("dedent_listings.py");
    let Ok(mut child) = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    else {
        eprintln!("python3 is not installed: the dedent preprocessor is not checked here");
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(book.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the preprocessor failed: {output:?}"
    );
    let expected = "Prose.\n\n```rust,ignore\nfn f() {\n    g();\n\n}\n```\n\n\
                    ```text\n    kept\n```\n";
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains(&json_string(expected)),
        "expected the chapter to become {expected:?}, got {stdout}"
    );
}

/// `text` as a JSON string literal (enough escaping for the test above).
fn json_string(text: &str) -> String {
    format!(
        "\"{}\"",
        text.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\n', "\\n")
    )
}
