"""Split a cleaned document into chunks that respect its structure.

A heading stays with the content under it, a bullet item is never cut, a lead-in
line ("The LMCS should:") stays with the item after it, and every chunk carries
its section heading. Each chunk also lists its units (sentences, bullet items, table
cells, legislation subsections): the spans an extractive answer may quote. A heading
or a table cell's label is context in the chunk, never part of a unit. A unit that tries
to instruct the assistant is marked (index/injection.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.injection import flag_instructions
from index.types import Chunk, Unit

MIN_UNIT_WORDS = 4
MIN_LEAD_IN_WORDS = 6


@dataclass(frozen=True)
class Block:
    """One line of cleaned text: a heading, a bullet item or a paragraph."""

    kind: str  # "heading" | "bullet" | "para" | "cell" | "provision" (the last two: one unit each)
    start: int  # offset of the line in the cleaned text
    end: int
    body_start: int  # offset after any "- " bullet marker
    lead_in: bool = False  # a paragraph ending in ':' that introduces what follows


def is_heading(line: str) -> bool:
    """A short line that titles what follows rather than saying something itself."""
    words = line.split()
    if not words or line.startswith("- ") or not (line[0].isupper() or line[0].isdigit()):
        return False
    if line[-1] in ".;,!?" or len(words) > 12:
        return False
    return not line.endswith(":") or len(words) <= 2


def blocks_of(text: str, roles: dict[int, tuple[str, int]] | None = None) -> list[Block]:
    """Classify each line (by the reader's `roles` where it knew: line start → (role, offset
    after any label)); a lead-in with no content under it is a heading after all."""
    blocks = _raw_blocks(text, roles or {})
    for i, b in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if b.lead_in and (nxt is None or nxt.kind == "heading") and len(text[b.start : b.end].split()) <= 10:
            blocks[i] = Block("heading", b.start, b.end, b.body_start)
    return blocks


def _raw_blocks(text: str, roles: dict[int, tuple[str, int]]) -> list[Block]:
    blocks = []
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        role, body = roles.get(m.start(), ("", m.start()))
        if role:
            blocks.append(Block(role, m.start(), m.end(), body))
        elif line.startswith("- "):
            blocks.append(Block("bullet", m.start(), m.end(), m.start() + 2))
        elif is_heading(line):
            blocks.append(Block("heading", m.start(), m.end(), m.start()))
        else:
            # A lead-in introduces what follows; so does a question ("Q: How often will I meet the DCS?"),
            # which an FAQ answers in the next paragraph: neither is cut from it.
            blocks.append(Block("para", m.start(), m.end(), m.start(), line.endswith((":", "?"))))
    return blocks


def _says_something(unit: str, list_item: bool) -> bool:
    """A unit worth quoting alone: not a bare lead-in ("The LMCS should:"; "For those in the
    age range 0-19:" says something), and not a fragment unless it is a whole list item."""
    words = len(unit.split())
    if unit.endswith(":"):
        return words >= MIN_LEAD_IN_WORDS
    return list_item or words >= MIN_UNIT_WORDS


def _unit_kind(block: Block, unit: str) -> str:
    if block.kind == "bullet":
        return "item"
    if block.kind in {"cell", "provision"}:
        return block.kind
    return "lead_in" if unit.endswith(":") else "sentence"


@lru_cache(maxsize=1)
def _segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def sentence_spans(text: str, start: int, end: int) -> list[Unit]:
    """Sentence spans of `text[start:end]` as absolute offsets, found back in the text."""
    units, cursor = [], start
    for sentence in _segmenter().segment(text[start:end]):
        s = sentence.strip()
        if not s:
            continue
        at = text.find(s, cursor, end)
        if at < 0:  # the segmenter altered the text: fall back to the whole span
            return [Unit(start, end)]
        units.append(Unit(at, at + len(s)))
        cursor = at + len(s)
    return units


def unit_context(text: str, unit: Unit) -> str:
    r"""What a unit means in its place, for embedding and display, never for quoting: a table
    cell's row ("Board: Fostering Panel · How often: Monthly"), a subsection's number ("(2)").

        >>> text = "Board: Fostering Panel\nHow often: Monthly\n"
        >>> unit_context(text, Unit(text.index("Monthly"), len(text) - 1, "cell"))
        'Board: Fostering Panel · How often: Monthly'
    """
    line_start = text.rfind("\n", 0, unit.start) + 1
    if unit.kind == "provision":
        return text[line_start : unit.end]
    if unit.kind != "cell":
        return text[unit.start : unit.end]
    # The row is the run of lines around the cell up to a blank line; its first line names it.
    row_start = text.rfind("\n\n", 0, unit.start)
    row_start = 0 if row_start < 0 else row_start + 2
    first = text[row_start : text.find("\n", row_start)]
    own = text[line_start : unit.end]
    return own if first == own else f"{first} · {own}"


def _units(text: str, block: Block) -> list[Unit]:
    """A table cell or a subsection is one unit, whatever its sentences; else sentences."""
    if block.kind in {"cell", "provision"}:
        return [Unit(block.body_start, block.end, block.kind)] if block.body_start < block.end else []
    units: list[Unit] = []
    carry: int | None = None  # where a fragment began that the next sentence goes on from
    for u in sentence_spans(text, block.body_start, block.end):
        sentence = text[u.start : u.end]
        if _says_something(sentence, block.kind == "bullet"):
            start = u.start if carry is None else carry
            units.append(Unit(start, u.end, _unit_kind(block, text[start : u.end])))
            carry = None
        elif not sentence.endswith(":"):  # "A: No." is the answer the next sentence explains: one unit
            carry = u.start if carry is None else carry
    return units


class Chunker:
    """`Chunker(max_chars=700).run(doc_id, text)` → chunks with offsets into `text`."""

    def __init__(self, max_chars: int = 700) -> None:
        self.max_chars = max_chars

    def run(self, doc_id: str, text: str, roles: dict[int, tuple[str, int]] | None = None) -> list[Chunk]:
        """`roles` is `Cleaned.roles`: headings, table cells and subsections the reader knew."""
        groups = self._groups(blocks_of(text, roles))
        chunks: list[Chunk] = []
        headings: list[Block] = []  # the run of headings above the current content
        current: list[Block] = []
        section = ""

        def emit() -> None:
            if not any(b.kind != "heading" for b in current):
                return
            start, end = current[0].start, current[-1].end
            units = [u for b in current if b.kind != "heading" for u in _units(text, b)]
            flags = flag_instructions([text[u.start : u.end] for u in units])
            units = [Unit(u.start, u.end, u.kind, instruction=f) for u, f in zip(units, flags, strict=True)]
            chunks.append(Chunk(doc_id, len(chunks), start, end, text[start:end], section, tuple(units)))

        for group in groups:
            if group[0].kind == "heading":
                if current and any(b.kind != "heading" for b in current):
                    emit()
                    current, headings = [], []
                headings.append(group[0])
                current.append(group[0])
                section = " › ".join(text[h.start : h.end].rstrip(":") for h in headings)
                continue
            size = group[-1].end - current[0].start if current else 0
            if current and size > self.max_chars and any(b.kind != "heading" for b in current):
                emit()
                current = []
            current.extend(group)
            headings = []
        emit()
        return chunks

    @staticmethod
    def _groups(blocks: list[Block]) -> list[list[Block]]:
        """Glue each lead-in line to the block that follows it."""
        groups: list[list[Block]] = []
        pending: list[Block] = []
        for b in blocks:
            if b.kind == "heading" and pending:
                groups.append(pending)
                pending = []
            pending.append(b)
            if not b.lead_in:
                groups.append(pending)
                pending = []
        if pending:
            groups.append(pending)
        return groups
