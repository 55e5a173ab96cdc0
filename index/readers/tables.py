"""Tables as lines: every cell its own line (so its own quotable unit), labelled for context.

A cell under a header row is labelled with its column's header ("Role: Observer"); in a
table without one, every cell after the first is labelled with its row's first cell
("Purpose: To lead…"). The label is context for retrieval and for the reader of a chunk;
it is never part of a quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.readers.extracted import Line, blank

MAX_LABEL_WORDS = 8


@dataclass
class Cell:
    text: str
    pos: list[int] | None = None  # chars mode
    ref: int = -1  # refs mode

    @property
    def clean(self) -> str:
        return " ".join(self.text.split())


def looks_like_header(rows: list[list[Cell]]) -> bool:
    """A first row of short names ("Board", "Role") over the rows it heads."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return False
    for cell in rows[0]:
        words = cell.clean.split()
        if not words or len(words) > 4 or cell.clean[-1] in ".;:!?" or any(ch.isdigit() for ch in cell.clean):
            return False
    return True


def table_lines(rows: list[list[Cell]], header: bool | None = None, page: int = 0) -> list[Line]:
    """Lines for a table: its header row as a heading, then one labelled line per cell."""
    rows = [r for r in rows if any(c.clean for c in r)]
    if not rows:
        return []
    if header is None:
        header = looks_like_header(rows)
    lines: list[Line] = [blank(page)]
    names: list[str] = []
    if header:
        names = [c.clean for c in rows[0]]
        top = rows[0][0]
        # The header row is a heading: context for every chunk of the table, never quoted.
        lines += [Line(" | ".join(n for n in names if n), None, top.ref, "heading", page=page), blank(page)]
        if top.pos is not None:
            lines[-2].pos = [-1] * len(lines[-2].text)
        rows = rows[1:]
    for row in rows:
        first = row[0].clean
        for j, cell in enumerate(row):
            if not cell.clean:
                continue
            name = (names[j] if j < len(names) else "") if header else (first if j > 0 else "")
            words = name.split()
            if len(words) > MAX_LABEL_WORDS:
                name = " ".join(words[:MAX_LABEL_WORDS]) + "…"
            lines.append(Line(cell.text, cell.pos, cell.ref, "cell", f"{name}: " if name else "", page))
        lines.append(blank(page))
    return lines
