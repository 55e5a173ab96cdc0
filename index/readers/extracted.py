"""What every reader returns: lines of text, each knowing where it came from in the file."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.locate import Ref

PAGE_BREAK = "\f"


class Unreadable(Exception):
    """The file is of a supported type but cannot be read; the message says why."""


@dataclass
class Line:
    """One line or block of a file's text.

    `pos` gives, in "chars" mode, the offset in the decoded file of each character of
    `text` (-1 for a character the reader made up, like the space for a <br>); in "refs"
    mode `ref` indexes `Extracted.refs` for the whole line, and `pos` is None."""

    text: str
    pos: list[int] | None = None
    ref: int = -1
    role: str = ""  # "" (the cleaner decides) | "heading" | "item" | "cell" | "provision"
    label: str = ""  # context put before the text in the chunk and never quoted ("Role: ", "(2) ")
    page: int = 0  # 0-based page (PDF, or a text file with form feeds)

    def positions(self) -> list[int]:
        return self.pos if self.pos is not None else [self.ref] * len(self.text)


@dataclass
class Extracted:
    """A file read to lines.

    `layout` says how lines relate: "text" (a plain text file: wrapped lines are joined
    by the cleaner's rules for text), "visual" (PDF: lines as laid out on the page, joined
    whenever the sentence is unfinished), "blocks" (Word, HTML, Markdown, legislation:
    every line is a whole paragraph, item, heading or cell)."""

    lines: list[Line]
    mode: str = "chars"  # "chars" | "refs"; see index/locate.py
    layout: str = "text"
    refs: list[Ref] = field(default_factory=list)
    title: str = ""
    date: str = ""
    paged: bool = False
    # What the file says about who published it, read before page furniture is dropped:
    # [("PDF author", "Kestrel Bay City Council"), ("running header", "…"), …]
    evidence: list[tuple[str, str]] = field(default_factory=list)
    kind: tuple[str, str] | None = None  # (kind, evidence) when the format itself says (legislation)
    act: str = ""  # legislation: the Act's short title
    raw: str | None = None  # a plain text file's decoded text, which `text` returns as it is
    # chars mode: {file offset: length} where one character of text came from several of the
    # file (an HTML entity, "&amp;"); every other character came from one.
    widths: dict[int, int] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The lines as one plain text: pages separated by form feeds, list items as '- '."""
        if self.raw is not None:
            return self.raw
        pages: list[list[str]] = []
        for line in self.lines:
            while len(pages) <= line.page:
                pages.append([])
            prefix = "- " if line.role == "item" else line.label
            pages[line.page].append(prefix + line.text if line.text else "")
        return PAGE_BREAK.join("\n".join(p).strip("\n") for p in pages).strip("\n") + "\n"

    def add_ref(self, ref: Ref) -> int:
        self.refs.append(ref)
        return len(self.refs) - 1


def blank(page: int = 0) -> Line:
    """A paragraph break."""
    return Line("", [], page=page)


def lines_of_text(text: str) -> list[Line]:
    """Split text into Lines (form feeds start a new page); each character keeps its offset."""
    lines: list[Line] = []
    page, start = 0, 0
    n = len(text)
    i = 0
    while i <= n:
        c = text[i] if i < n else "\n"
        if c in "\n\r\f" or i == n:
            body = text[start:i]
            where = list(range(start, i))
            if i < n or body:
                lines.append(Line(body, where, page=page))
            if c == "\f":
                page += 1
            if c == "\r" and i + 1 < n and text[i + 1] == "\n":
                i += 1
            start = i + 1
        i += 1
    return lines
