"""Read each file type to lines that remember where they came from in the file.

pypdf for PDF, python-docx for Word, Python's html.parser for web pages, markdown-it
for Markdown, ElementTree for legislation.gov.uk XML. Every reader returns `Extracted`
(see extracted.py); a file that cannot be read raises `Unreadable` with a plain reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from index.readers.extracted import PAGE_BREAK, Extracted, Line, Unreadable
from index.readers.legislation import read_legislation
from index.readers.md import read_markdown
from index.readers.pdf import read_pdf
from index.readers.text import decode_text, read_text
from index.readers.web import read_html
from index.readers.word import read_docx

READERS: dict[str, Callable[[bytes], Extracted]] = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".html": read_html,
    ".htm": read_html,
    ".xml": read_legislation,  # legislation.gov.uk's CLML; any other XML is refused with a reason
}


def read(path: Path) -> Extracted:
    return READERS[path.suffix.lower()](Path(path).read_bytes())


__all__ = [
    "PAGE_BREAK",
    "READERS",
    "Extracted",
    "Line",
    "Unreadable",
    "decode_text",
    "read",
    "read_docx",
    "read_html",
    "read_legislation",
    "read_markdown",
    "read_pdf",
    "read_text",
]
