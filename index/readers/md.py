"""Markdown files: headings, paragraphs and list items, each character keeping its offset.

markdown-it tells which source lines a block came from; the words of its inline text are
then found back in those lines in order, skipping the markup between them (`**`, `[`,
`](url)`), so a quote maps to the characters of the file it came from.
"""

from __future__ import annotations

import re
from typing import Any

from index.readers.extracted import Extracted, Line, blank
from index.readers.text import decode_text

_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# How far past the last matched character to look for the next one: far enough to step
# over a link's URL, not so far that a missing character matches a word much later.
_LOOKAHEAD = 400


def read_markdown(data: bytes) -> Extracted:
    from markdown_it import MarkdownIt

    source = decode_text(data)
    starts = [0]
    for i, ch in enumerate(source):
        if ch == "\n":
            starts.append(i + 1)
    starts.append(len(source) + 1)
    tokens = MarkdownIt("commonmark").parse(source)
    out = Extracted([], mode="chars", layout="blocks")
    out.widths = {m.start(): len(m.group()) for m in _ENTITY.finditer(source)}
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            depth += 1
        elif tok.type == "list_item_close":
            depth -= 1
        elif tok.type == "inline" and tok.map:
            lo, hi = starts[tok.map[0]], starts[min(tok.map[1], len(starts) - 1)] - 1
            text, pos = _align(tok.children or [], source, lo, hi)
            if not text.strip():
                continue
            opener = tokens[i - 1].type if i else ""
            if opener == "heading_open":
                out.title = out.title or " ".join(text.split())
                out.lines += [Line(text, pos, role="heading"), blank()]
            elif depth and opener == "paragraph_open":
                out.lines += [Line(text, pos, role="item"), blank()]
            else:
                out.lines += [Line(text, pos), blank()]
        elif tok.type in {"fence", "code_block"} and tok.map:
            for n in range(tok.map[0], tok.map[1]):
                line = source[starts[n] : starts[n + 1] - 1].rstrip("\r")
                if line.strip() and not line.lstrip().startswith(("```", "~~~")):
                    out.lines.append(Line(line, list(range(starts[n], starts[n] + len(line)))))
            out.lines.append(blank())
    return out


def _align(children: list[Any], source: str, lo: int, hi: int) -> tuple[str, list[int]]:
    """The inline text of a block, and for each character its offset in `source[lo:hi]`."""
    parts: list[str] = []
    pos: list[int] = []
    cursor = lo
    for child in children:
        if child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
            pos.append(-1)
            continue
        if child.type not in {"text", "code_inline"} or not child.content:
            continue
        content = child.content
        at = source.find(content, cursor, hi)
        if at >= 0:
            parts.append(content)
            pos += range(at, at + len(content))
            cursor = at + len(content)
            continue
        for ch in content:  # an escape or entity changed the text: match character by character
            at = source.find(ch, cursor, min(hi, cursor + _LOOKAHEAD))
            parts.append(ch)
            pos.append(at)
            if at >= 0:
                cursor = at + 1
    return "".join(parts), pos
