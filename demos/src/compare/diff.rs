//! Line-by-line diff of two outputs: a longest common subsequence, as `diff` computes it.
//!
//! The outputs are a demo's stdout (tens of lines), so the plain quadratic table is fine and
//! easiest to read: `table[i][j]` is the length of the longest common subsequence of
//! `left[i..]` and `right[j..]`; walking it from the start yields the lines both share, in
//! order, and between them the lines only one side printed.

/// One line of the diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line<'a> {
    /// Printed by both, at this point of both outputs.
    Same(&'a str),
    /// Printed only by the tinyloop demo (the left side).
    Tinyloop(&'a str),
    /// Printed only by the asyncio twin (the right side).
    Asyncio(&'a str),
}

/// The diff of `left` (tinyloop) against `right` (asyncio). Where both sides differ at the
/// same point, the tinyloop lines come first.
pub fn diff<'a>(left: &[&'a str], right: &[&'a str]) -> Vec<Line<'a>> {
    let (n, m) = (left.len(), right.len());
    let mut table = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i][j] = if left[i] == right[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let mut lines = Vec::with_capacity(n.max(m));
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && left[i] == right[j] {
            lines.push(Line::Same(left[i]));
            i += 1;
            j += 1;
        } else if j == m || (i < n && table[i + 1][j] >= table[i][j + 1]) {
            lines.push(Line::Tinyloop(left[i]));
            i += 1;
        } else {
            lines.push(Line::Asyncio(right[j]));
            j += 1;
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_outputs_are_all_same_lines() {
        let lines = diff(&["a", "b"], &["a", "b"]);
        assert_eq!(lines, [Line::Same("a"), Line::Same("b")]);
    }

    #[test]
    fn a_swapped_pair_shows_one_line_moved() {
        let lines = diff(&["a", "b", "c"], &["a", "c", "b"]);
        assert_eq!(
            lines,
            [
                Line::Same("a"),
                Line::Tinyloop("b"),
                Line::Same("c"),
                Line::Asyncio("b")
            ]
        );
    }

    #[test]
    fn lines_only_one_side_printed_are_kept_in_order() {
        let lines = diff(&["a", "x", "y"], &["a", "z"]);
        assert_eq!(
            lines,
            [
                Line::Same("a"),
                Line::Tinyloop("x"),
                Line::Tinyloop("y"),
                Line::Asyncio("z")
            ]
        );
    }
}
