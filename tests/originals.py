"""Check a quote against the ORIGINAL file, read here independently of the project's readers and cleaner.

A quote counts as found when its words appear in the file in order, contiguous apart from
line breaks, a hyphen split across a line end, and a bullet glyph at a line start.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@lru_cache(maxsize=1)
def corpus_files() -> dict[str, Path]:
    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    return {row["doc_id"]: CORPUS / row["file"] for row in manifest["document"]}


def _words(text: str) -> str:
    text = re.sub(r"(\w)-[ \t]*\n[ \t\uf0b7•]*(\w)", r"\1\2", text)  # "respon-\nsible" → "responsible"
    text = re.sub(r"[\uf000-\uf8ff•▪◦●]", " ", text)  # private-use and bullet glyphs
    return " ".join(text.split())


@lru_cache(maxsize=16)
def _file_words(path: Path) -> str:
    return _words(path.read_text(encoding="utf-8-sig"))


def in_original(quote: str, path: Path) -> bool:
    """Is the quote, whitespace aside, in the file as written (hyphen splits joined or kept)?"""
    q = " ".join(quote.split())
    words = _file_words(path)
    return q in words or q in " ".join(path.read_text(encoding="utf-8-sig").split())


def in_corpus_file(quote: str, doc_id: str) -> bool:
    return in_original(quote, corpus_files()[doc_id])
