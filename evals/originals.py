"""Is a quote word for word in its ORIGINAL file? Read here independently of the project's
readers and cleaner (pypdf page text, python-docx paragraphs and cells, the HTML's and
Markdown's text), so a fault in cleaning or in the store cannot hide a misquote.

A quote counts as found when its words appear in the file in order, contiguous apart from line
breaks, a hyphen split across a line end, bullet glyphs, and markup between words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

_GLYPHS = re.compile(r"[\uf000-\uf8ff•▪◦●]")


def _variants(text: str) -> tuple[str, ...]:
    """The text as a reader sees it, whitespace collapsed: as written, and with spaces before
    punctuation (left where inline markup was) dropped. Line-end hyphens are matched by
    `in_original`'s pattern, which lets each be either a split word or a real hyphen."""
    kept = " ".join(_GLYPHS.sub(" ", text).replace("\n", " \n ").split(" "))
    tight = re.sub(r"\s+([.,;:!?)])", r"\1", kept)
    return tuple(dict.fromkeys((kept, tight)))


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return soup.get_text("\n")


def _without_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Pages less their running headers and footers: a line that recurs (numbers aside) on most
    pages is page furniture, and a sentence reads across it from one page to the next."""
    if len(pages) < 2:
        return pages

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", " ".join(line.split()))

    counts: dict[str, int] = {}
    for lines in pages:
        for k in {key(line) for line in lines if line.strip()}:
            counts[k] = counts.get(k, 0) + 1
    # Words ("Page # of # | OFFICIAL") or a bare page number: "467." ending a sentence is no furniture, however many
    # pages have some other number and a full stop alone on a line.
    furniture = {
        k for k, n in counts.items() if n >= max(2, len(pages) // 2 + 1) and (re.search(r"[A-Za-z]", k) or k == "#")
    }
    return [[line for line in lines if key(line) not in furniture] for lines in pages]


@lru_cache(maxsize=64)
def original_text(path: Path) -> tuple[str, ...]:
    """The file's words as a reader sees them (see `_variants`)."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from pypdf import PdfReader

        pages = [(page.extract_text() or "").splitlines() for page in PdfReader(path).pages]
        raw = "\n".join(line for lines in _without_furniture(pages) for line in lines)
    elif suffix == ".docx":
        from docx import Document

        doc = Document(str(path))
        parts = [p.text for p in doc.paragraphs]
        parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        raw = "\n".join(parts)
    elif suffix in {".html", ".htm"}:
        raw = _html_text(path.read_text(encoding="utf-8"))
    elif suffix in {".md", ".markdown"}:
        from markdown_it import MarkdownIt

        raw = _html_text(MarkdownIt("commonmark").render(path.read_text(encoding="utf-8")))
    else:
        raw = path.read_text(encoding="utf-8-sig")
    return _variants(raw)


@lru_cache(maxsize=4096)
def _pattern(quote: str) -> re.Pattern[str]:
    """The quote's words in order; any whitespace (line breaks too) between words; a line break
    after a hyphen ("co-\noperation"); a typesetter's split inside a word ("respon-\nsible")."""
    parts = []
    q = " ".join(quote.split())
    for i, ch in enumerate(q):
        if ch == " ":
            parts.append(r"\s+")
        elif ch == "-":
            parts.append(r"-\s*")
        else:
            parts.append(re.escape(ch))
            if ch.isalpha() and i + 1 < len(q) and q[i + 1].isalpha():
                parts.append(r"(?:-[ \t]*\n\s*)?")
    return re.compile("".join(parts))


def in_original(quote: str, path: Path | str) -> bool:
    pattern = _pattern(quote)
    return any(pattern.search(text) for text in original_text(Path(path)))


# --- at the place a citation names ----------------------------------------------------------


def _without_markup(text: str) -> str:
    """HTML tags and entities, and Markdown emphasis and links, removed."""
    import html

    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\]\([^)]*\)", "", text).replace("[", "")
    return html.unescape(text.replace("*", ""))


@lru_cache(maxsize=64)
def _pdf_lines(path: Path) -> tuple[tuple[str, ...], ...]:
    from pypdf import PdfReader

    return tuple(tuple(ln for ln in (p.extract_text() or "").splitlines() if ln.strip()) for p in PdfReader(path).pages)


def at_location(quote: str, path: Path | str, loc: Any) -> bool:
    """Is the quote in the original file at the place its citation names (`index.locate.Location`):
    those characters of a text, Markdown or HTML file; those lines of those PDF pages (running
    headers and footers between pages aside); that Word paragraph or table cell?"""
    path = Path(path)
    pattern = _pattern(quote)
    if loc.kind == "characters":
        raw = path.read_bytes().decode("utf-8-sig" if path.suffix.lower() == ".txt" else "utf-8")
        return bool(pattern.search(_without_markup(raw[loc.char_start : loc.char_end])))
    if loc.kind == "page" and loc.line is not None:
        pages = _pdf_lines(path)
        named = [
            pages[p - 1][n - 1]
            for p in range(loc.page, loc.page_end + 1)
            for n in range(1, len(pages[p - 1]) + 1)
            if (loc.page, loc.line) <= (p, n) <= (loc.page_end, loc.line_end)
        ]
        furniture = {ln for page in pages for ln in page} - {
            ln for page in _without_furniture([list(p) for p in pages]) for ln in page
        }
        kept = [line for line in named if line not in furniture]  # the header/footer a sentence crosses
        return any(pattern.search(text) for text in _variants("\n".join(kept)))
    if loc.kind in {"paragraph", "cell"}:
        from docx import Document

        word = Document(str(path))
        if loc.kind == "paragraph":
            text = "\n".join(p.text for p in word.paragraphs[loc.paragraph - 1 : loc.paragraph_end])
        else:
            text = word.tables[loc.table - 1].rows[loc.row - 1].cells[loc.cell - 1].text
        return bool(pattern.search(text))
    return False  # no place named: not checkable
