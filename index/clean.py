"""Clean extracted text into one canonical text per document.

Every offset stored later points into the text this returns, so cleaning happens
once, before chunking, and never afterwards. Each character keeps where it came from
in the file through every join, so `Cleaned.locations` can point any span of the
cleaned text back at the file (see index/locate.py).

    >>> Cleaner().run("Lead, promote and create opportunities for co-\\noperation here.")
    'Lead, promote and create opportunities for co-operation here.\\n'
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field

from index.locate import LocationMap
from index.readers.extracted import Extracted, Line, lines_of_text

# Website chrome seen on UK council pages: lines that are never content.
from index.wording import BULLET_GLYPHS, DEFAULT_BOILERPLATE, FUNCTION_WORDS, HYPHEN_PREFIXES

_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_REPEATED_SENTENCE = re.compile(r"([^.!?]*[.!?])(?:\s+\1)+")
_TERMINAL = ".;,:!?"
_SENTENCE_END = re.compile(r"[.!?:][”’\"')\]]*$")
ROLES_KEPT = {"heading", "cell", "provision"}  # roles the chunker must be told about


@dataclass
class Cleaned:
    """The canonical text, where each page starts in it, where each span came from, and the
    lines whose role the reader knew (line start → (role, offset after any label))."""

    text: str
    pages: tuple[int, ...]
    locations: LocationMap
    roles: dict[int, tuple[str, int]] = field(default_factory=dict)


@dataclass
class _Line:
    text: str  # content without bullet marker, spaces collapsed
    pos: list[int]  # where each character of `text` came from (-1: added here)
    bullet: bool
    wrapped: bool  # the source line ended in whitespace: a PDF wrap marker
    blank_before: bool
    page: int = 0  # 0-based page of the source line
    role: str = ""
    label: str = ""
    width: int = 0  # characters on the source line (a PDF line near the full width was wrapped)


def _is_private_use(ch: str) -> bool:
    return unicodedata.category(ch) == "Co"


def _normalise(text: str, pos: list[int], widths: dict[int, int] | None = None) -> tuple[str, list[int]]:
    """NFC and without invisible characters, each character keeping its source (a character
    composed from several, "e" + combining acute, records in `widths` how many it covers)."""
    if not unicodedata.is_normalized("NFC", text):
        out, where, i = [], [], 0
        while i < len(text):
            j = i + 1
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            cluster = unicodedata.normalize("NFC", text[i:j])
            if widths is not None and j - i > 1 and min(pos[i:j]) >= 0:
                widths[pos[i]] = pos[j - 1] - pos[i] + 1
            out.append(cluster)
            where += [pos[i]] * len(cluster)
            i = j
        text, pos = "".join(out), where
    if any(c in _INVISIBLE for c in text):
        keep = [i for i, c in enumerate(text) if c not in _INVISIBLE]
        text, pos = "".join(text[i] for i in keep), [pos[i] for i in keep]
    return text, pos


def _collapse(text: str, pos: list[int]) -> tuple[str, list[int]]:
    """Runs of whitespace → one space (it keeps the source of the run's first character)."""
    parts, where, last = [], [], 0
    for m in _SPACES.finditer(text):
        parts.append(text[last : m.start()] + " ")
        where += pos[last : m.start() + 1]
        last = m.end()
    parts.append(text[last:])
    where += pos[last:]
    return "".join(parts), where


def _strip(text: str, pos: list[int]) -> tuple[str, list[int]]:
    left = len(text) - len(text.lstrip())
    right = len(text.rstrip())
    return text[left:right], pos[left:right]


def _attach_breaks(text: str, pos: list[int], extracted: Extracted) -> None:
    """Line breaks and join spaces the cleaner wrote get the source of the text before them:
    in a PDF or Word file, the line or paragraph they end; in a plain text file, the next
    character of the file, which is the whitespace they replace. A map then needs one run
    per paragraph, not two per line. (In HTML and Markdown they stay sourceless: the next
    character of the file is markup.)"""
    step = {"refs": 0, "chars": 1 if extracted.layout == "text" else None}[extracted.mode]
    if step is None:
        return
    for i in range(1, len(pos)):
        if pos[i] < 0 and pos[i - 1] >= 0 and text[i].isspace():
            pos[i] = pos[i - 1] + step


class Cleaner:
    """Join PDF line wraps, rejoin split words, normalise bullets, drop boilerplate and
    running headers and footers."""

    def __init__(self, boilerplate: tuple[str, ...] = DEFAULT_BOILERPLATE) -> None:
        self._boilerplate = [re.compile(p, re.IGNORECASE) for p in boilerplate]

    def run(self, raw: str) -> str:
        return self.run_with_pages(raw)[0]

    def run_with_pages(self, raw: str) -> tuple[str, tuple[int, ...]]:
        """The cleaned text, and the offset in it where each page (form-feed separated) starts."""
        cleaned = self.clean(Extracted(lines_of_text(raw), raw=raw))
        return cleaned.text, cleaned.pages

    def clean(self, extracted: Extracted) -> Cleaned:
        """A reader's lines → the canonical text, with a map back to the file."""
        from index.furniture import running_lines

        furniture = set(running_lines(extracted.lines))
        n_pages = max((line.page for line in extracted.lines), default=0) + 1
        pages: list[list[Line]] = [[] for _ in range(n_pages)]
        for i, line in enumerate(extracted.lines):
            if i not in furniture:
                pages[line.page].append(line)
        widths = extracted.widths if extracted.mode == "chars" else None
        lines = self._classify(pages, extracted.layout, widths)
        if extracted.layout == "blocks":
            blocks = lines
        elif extracted.layout == "visual":
            blocks = self._join(lines, self._long_width(lines), visual=True)
        else:
            blocks = self._join(lines, 0, visual=False)
        return self._assemble(self._drop_title_duplicates(blocks), n_pages, extracted)

    def _classify(self, pages: list[list[Line]], layout: str, widths: dict[int, int] | None) -> list[_Line]:
        lines: list[_Line] = []
        blank = False
        for page, page_lines in enumerate(pages):
            # Blank lines at the top and bottom of a page are not paragraph breaks: a sentence
            # can run on across the page break.
            while page_lines and not page_lines[0].text.strip():
                page_lines = page_lines[1:]
            while page_lines and not page_lines[-1].text.strip():
                page_lines = page_lines[:-1]
            for source in page_lines:
                raw, pos = _normalise(source.text, source.positions(), widths)
                line = self._line(raw, pos, source, layout, blank, page)
                if line == "blank":
                    blank = True
                elif isinstance(
                    line, _Line
                ):  # boilerplate is removed, not a paragraph break: the text around it may join
                    lines.append(line)
                    blank = False
        return lines

    def _line(self, raw: str, pos: list[int], source: Line, layout: str, blank: bool, page: int) -> _Line | str:
        """One source line, classified; or "blank", or "boilerplate"."""
        wrapped = raw != raw.rstrip() or raw.endswith("\u00ad")
        stripped, spos = _strip(raw, pos)
        if not stripped or all(_is_private_use(c) or c in BULLET_GLYPHS for c in stripped):
            return "blank"
        bullet = source.role == "item"
        if source.role in {"", "item"}:
            first = stripped[0]
            if _is_private_use(first) or (first in BULLET_GLYPHS and stripped[1:2] == " "):
                bullet, stripped, spos = True, *_strip(stripped[1:], spos[1:])
            elif first == "-" and stripped[1:2] == " ":
                bullet, stripped, spos = True, stripped[2:], spos[2:]
            elif layout != "blocks" and raw.startswith(" ") and not raw.startswith("  ") and stripped[0].isupper():
                # PDF extraction often leaves a bullet glyph as a single leading space.
                bullet = True
        content, cpos = _strip(*_collapse(stripped, spos))
        if any(p.fullmatch(content) for p in self._boilerplate):
            return "boilerplate"
        return _Line(content, cpos, bullet, wrapped, blank, page, source.role, source.label, len(raw.strip()))

    @staticmethod
    def _long_width(lines: list[_Line]) -> int:
        """How long a full line of this PDF is: a line near it was wrapped by the typesetter."""
        widths = sorted(line.width for line in lines)
        return widths[math.floor(0.9 * (len(widths) - 1))] if widths else 0

    def _join(self, lines: list[_Line], long_width: int, visual: bool) -> list[_Line]:
        blocks: list[_Line] = []
        for line in lines:
            prev = blocks[-1] if blocks else None
            joins = prev is not None and not line.bullet and not prev.role and not line.role
            if not joins or not (
                self._continues_visual(prev, line, long_width) if visual else self._continues(prev, line)  # type: ignore[arg-type]
            ):
                blocks.append(line)
                continue
            assert prev is not None
            if prev.text.endswith("\u00ad"):
                prev.text, prev.pos = prev.text[:-1] + line.text, prev.pos[:-1] + line.pos
            elif re.search(r"[A-Za-z0-9]-$", prev.text):
                left = re.findall(r"([A-Za-z0-9]+)-$", prev.text)[0].lower()
                if left in HYPHEN_PREFIXES or not line.text[0].islower():
                    prev.text, prev.pos = prev.text + line.text, prev.pos + line.pos
                else:
                    prev.text, prev.pos = prev.text[:-1] + line.text, prev.pos[:-1] + line.pos
            else:
                prev.text, prev.pos = f"{prev.text} {line.text}", [*prev.pos, -1, *line.pos]
            prev.wrapped = line.wrapped
            prev.width = line.width
        return blocks

    @staticmethod
    def _continues(prev: _Line, line: _Line) -> bool:
        """Is `line` the rest of `prev`'s sentence, split by a line wrap or page break?"""
        if re.search(r"([A-Za-z0-9]-|\u00ad)$", prev.text):
            return True
        last_word = prev.text.rsplit(" ", 1)[-1].lower()
        starts_lower = line.text[0].islower() or line.text[0] in "(“\"'‘"
        if line.blank_before:
            return prev.wrapped and (starts_lower or last_word in FUNCTION_WORDS)
        if prev.wrapped or (starts_lower and prev.text[-1] not in ".!?") or last_word in FUNCTION_WORDS:
            return True
        # A heading set over two short lines ("Challenge &" / "Oversight").
        return len(prev.text.split()) <= 2 and prev.text[-1] not in _TERMINAL and not prev.bullet

    @staticmethod
    def _continues_visual(prev: _Line, line: _Line, long_width: int) -> bool:
        """A PDF line: the next line continues it whenever its sentence is unfinished, whatever
        the case of the next word; a short line without a full stop is a heading."""
        if re.search(r"([A-Za-z0-9]-|\u00ad)$", prev.text):
            return True
        if _SENTENCE_END.search(prev.text):
            return False
        last_word = prev.text.rsplit(" ", 1)[-1].lower()
        dangling = last_word in FUNCTION_WORDS or prev.text[-1] in ",;–—&"
        starts_lower = line.text[0].islower() or line.text[0] in "(“\"'‘"
        if dangling or starts_lower:
            return True
        if line.blank_before:
            return False
        return prev.wrapped or prev.width >= 0.75 * long_width

    @staticmethod
    def _drop_title_duplicates(blocks: list[_Line]) -> list[_Line]:
        """Drop a web page's "<heading> | <site name>" title line when the heading recurs."""
        texts = {b.text for b in blocks}
        return [b for b in blocks if b.role or not (" | " in b.text and b.text.split(" | ", 1)[0].strip() in texts)]

    @staticmethod
    def _assemble(blocks: list[_Line], n_pages: int, extracted: Extracted) -> Cleaned:
        parts: list[str] = []
        pos: list[int] = []
        roles: dict[int, tuple[str, int]] = {}
        starts: dict[int, int] = {}
        length = 0
        for block in blocks:
            body, bpos = block.text, block.pos
            for m in reversed(list(_REPEATED_SENTENCE.finditer(body))):
                keep = m.end(1)
                body, bpos = body[:keep] + body[m.end() :], bpos[:keep] + bpos[m.end() :]
            body, bpos = _strip(body, bpos)
            if not body:
                continue
            sep = ("\n\n" if block.blank_before else "\n") if parts else ""
            prefix = "- " if block.bullet else block.label
            line_start = length + len(sep)
            starts.setdefault(block.page, line_start)
            if block.role in ROLES_KEPT:
                roles[line_start] = (block.role, line_start + len(prefix))
            parts.append(sep + prefix + body)
            length += len(parts[-1])
            pos += [-1] * (len(sep) + len(prefix)) + bpos
        cleaned = "".join(parts) + "\n" if parts else ""
        if parts:
            pos.append(-1)
        _attach_breaks(cleaned, pos, extracted)
        # An empty page starts where the next page with text does.
        page_starts = [len(cleaned)] * n_pages
        for p in range(n_pages - 1, -1, -1):
            page_starts[p] = starts.get(p, page_starts[p + 1] if p + 1 < n_pages else len(cleaned))
        page_starts[0] = 0
        locations = LocationMap.build(pos, extracted.mode, extracted.refs, extracted.act, extracted.widths)
        return Cleaned(cleaned, tuple(page_starts), locations, roles)
