#!/usr/bin/env python3
"""An mdbook preprocessor: strip the indentation that every line of a Rust listing shares.

The book shows real code with `{{#include ../../file.rs:anchor}}`, and an anchor keeps the
indentation its lines have in the source: a method inside an `impl` block arrives four spaces in,
a loop body inside `main` eight. This runs after mdbook's `links` preprocessor (which does the
including) and removes, from each ```rust block, the indentation all its non-blank lines share.
Relative indentation is untouched, so nothing a reader sees changes but the left margin.

mdbook runs it as `python3 dedent_listings.py` (see book.toml, where it is marked optional: a
machine without python3 builds the same book, with indented listings).
"""

import json
import sys


def dedent(lines):
    """The lines, less the indentation all the non-blank ones share."""
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return [line[cut:] if line.strip() else "" for line in lines]


def dedent_rust_blocks(text):
    """Dedent the body of every top-level ```rust fence in a chapter's markdown."""
    out, block = [], None
    for line in text.split("\n"):
        if block is None:
            out.append(line)
            if line.startswith("```rust"):
                block = []
        elif line.startswith("```"):
            out.extend(dedent(block))
            out.append(line)
            block = None
        else:
            block.append(line)
    if block is not None:  # an unclosed fence: leave it as it was
        out.extend(block)
    return "\n".join(out)


def walk(node):
    """Find every chapter in mdbook's book JSON, whatever its nesting, and dedent it."""
    if isinstance(node, dict):
        if isinstance(node.get("content"), str) and "name" in node:
            node["content"] = dedent_rust_blocks(node["content"])
        for value in node.values():
            walk(value)
    elif isinstance(node, list):
        for value in node:
            walk(value)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "supports":
        sys.exit(0)  # any renderer: the change is to the markdown
    context, book = json.load(sys.stdin)
    walk(book)
    json.dump(book, sys.stdout)
