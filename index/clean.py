"""Clean extracted text into one canonical text per document.

Every offset stored later points into the text this returns, so cleaning happens
once, before chunking, and never afterwards.

    >>> Cleaner().run("Lead, promote and create opportunities for co-\\noperation here.")
    'Lead, promote and create opportunities for co-operation here.\\n'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Website chrome seen on UK council pages: lines that are never content.
DEFAULT_BOILERPLATE = (
    r"rating button",
    r"skip to (main )?content",
    r"was this page (useful|helpful)\??.*",
    r"(share|print) this page",
    r"back to top",
    r"cookies? (on|settings|policy).*",
    r"coronavirus \(covid-19\):?",
    r"coronavirus remains a serious health risk\..*",
    r"(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?",  # PDF page numbers
)

# Left halves that English keeps hyphenated ("co-operation", "well-being"); any other
# line-end hyphen is taken as a typesetter's word split ("respon-\nsible").
HYPHEN_PREFIXES = frozenset(
    [
        "co",
        "well",
        "non",
        "self",
        "ex",
        "cross",
        "multi",
        "anti",
        "pre",
        "post",
        "semi",
        "inter",
        "intra",
        "sub",
        "super",
        "counter",
        "over",
        "under",
        "long",
        "short",
        "high",
        "low",
        "full",
        "part",
        "mid",
        "cross",
        "re",
        "de",
    ]
)

# A PDF line that ends on one of these words was wrapped mid-sentence, even across
# a page break.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "and",
        "or",
        "for",
        "with",
        "in",
        "on",
        "by",
        "as",
        "at",
        "from",
        "that",
        "their",
        "its",
        "is",
        "are",
        "be",
        "this",
        "these",
        "those",
        "which",
        "who",
        "not",
    ]
)

BULLET_GLYPHS = "•▪◦‣∙●○■□·–—*"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_REPEATED_SENTENCE = re.compile(r"([^.!?]*[.!?])(?:\s+\1)+")
_TERMINAL = ".;,:!?"


@dataclass
class _Line:
    text: str  # content without bullet marker, spaces collapsed
    bullet: bool
    wrapped: bool  # the source line ended in whitespace: a PDF wrap marker
    blank_before: bool
    page: int = 0  # 0-based page of the source line (pages are separated by form feeds)


def _is_private_use(ch: str) -> bool:
    return unicodedata.category(ch) == "Co"


class Cleaner:
    """Join PDF line wraps, rejoin split words, normalise bullets, drop boilerplate."""

    def __init__(self, boilerplate: tuple[str, ...] = DEFAULT_BOILERPLATE) -> None:
        self._boilerplate = [re.compile(p, re.IGNORECASE) for p in boilerplate]

    def run(self, raw: str) -> str:
        return self.run_with_pages(raw)[0]

    def run_with_pages(self, raw: str) -> tuple[str, tuple[int, ...]]:
        """The cleaned text, and the offset in it where each page (form-feed separated) starts."""
        text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
        text = text.translate(_INVISIBLE)
        pages = text.split("\f")
        lines = self._classify([(p, line) for p, page in enumerate(pages) for line in page.strip("\n").split("\n")])
        blocks = self._drop_title_duplicates(self._join(lines))
        out: list[str] = []
        length = 0
        starts: dict[int, int] = {}
        for block in blocks:
            body = _REPEATED_SENTENCE.sub(r"\1", block.text).strip()
            if not body:
                continue
            piece = ("\n\n" if block.blank_before else "\n") if out else ""
            piece += f"- {body}" if block.bullet else body
            starts.setdefault(block.page, length + (len(piece) - len(piece.lstrip("\n"))))
            out.append(piece)
            length += len(piece)
        cleaned = "".join(out) + "\n" if out else ""
        # An empty page starts where the next page with text does.
        page_starts = [len(cleaned)] * len(pages)
        for p in range(len(pages) - 1, -1, -1):
            page_starts[p] = starts.get(p, page_starts[p + 1] if p + 1 < len(pages) else len(cleaned))
        page_starts[0] = 0
        return cleaned, tuple(page_starts)

    def _classify(self, raw_lines: list[tuple[int, str]]) -> list[_Line]:
        lines: list[_Line] = []
        blank = False
        for page, raw in raw_lines:
            wrapped = raw != raw.rstrip() or raw.endswith("\u00ad")
            stripped = raw.strip()
            if not stripped or all(_is_private_use(c) or c in BULLET_GLYPHS for c in stripped):
                blank = True
                continue
            bullet = False
            first = stripped[0]
            if _is_private_use(first) or (first in BULLET_GLYPHS and stripped[1:2] == " "):
                bullet, stripped = True, stripped[1:].lstrip()
            elif first == "-" and stripped[1:2] == " ":
                bullet, stripped = True, stripped[2:]
            elif raw.startswith(" ") and not raw.startswith("  ") and stripped[0].isupper():
                # PDF extraction often leaves a bullet glyph as a single leading space.
                bullet = True
            content = _SPACES.sub(" ", stripped).strip()
            if any(p.fullmatch(content) for p in self._boilerplate):
                continue  # removed, not a paragraph break: the text around it may join
            lines.append(_Line(content, bullet, wrapped, blank, page))
            blank = False
        return lines

    def _join(self, lines: list[_Line]) -> list[_Line]:
        blocks: list[_Line] = []
        for line in lines:
            prev = blocks[-1] if blocks else None
            if prev is None or line.bullet or not self._continues(prev, line):
                blocks.append(line)
                continue
            if prev.text.endswith("\u00ad"):
                prev.text = prev.text[:-1] + line.text
            elif re.search(r"[A-Za-z0-9]-$", prev.text):
                left = re.findall(r"([A-Za-z0-9]+)-$", prev.text)[0].lower()
                keep = left in HYPHEN_PREFIXES or not line.text[0].islower()
                prev.text = (prev.text if keep else prev.text[:-1]) + line.text
            else:
                prev.text = f"{prev.text} {line.text}"
            prev.wrapped = line.wrapped
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
    def _drop_title_duplicates(blocks: list[_Line]) -> list[_Line]:
        """Drop a web page's "<heading> | <site name>" title line when the heading recurs."""
        texts = {b.text for b in blocks}
        return [b for b in blocks if not (" | " in b.text and b.text.split(" | ", 1)[0].strip() in texts)]
