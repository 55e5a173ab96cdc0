"""The records that flow through indexing and are read back by answering."""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SourceDocument:
    """A document as loaded from disk, before cleaning."""

    doc_id: str
    title: str
    authority: str
    doc_type: str
    raw_text: str
    source: str
    note: str = ""
    date: str = ""
    origin: str = "user"  # "corpus" for documents from the project's corpus/ manifest
    paged: bool = False  # pages separated by form feeds in raw_text (PDF)


@dataclass(frozen=True)
class Document:
    """A cleaned document: `text` is the one canonical text every offset points into."""

    doc_id: str
    title: str
    authority: str
    doc_type: str
    text: str
    version: str
    source: str = ""
    note: str = ""
    date: str = ""
    origin: str = "user"
    ingested_at: str = ""
    n_chunks: int = 0
    pages: tuple[int, ...] = ()  # offset in `text` where each page starts (PDFs only)

    def page_at(self, offset: int) -> int | None:
        """The 1-based page an offset of the text falls on, or None for unpaged documents."""
        return bisect.bisect_right(self.pages, offset) if self.pages else None

    def meta(self) -> dict[str, str | int]:
        """Everything but the text, as flat metadata for a store."""
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "authority": self.authority,
            "doc_type": self.doc_type,
            "version": self.version,
            "source": self.source,
            "note": self.note,
            "date": self.date,
            "origin": self.origin,
            "ingested_at": self.ingested_at,
            "n_chunks": self.n_chunks,
            "pages": json.dumps(list(self.pages)),
        }


@dataclass(frozen=True)
class Unit:
    """A sentence or bullet item: the smallest span an answer quotes."""

    start: int
    end: int
    kind: str = "sentence"  # "sentence" | "item" (a list item) | "lead_in" (a line introducing a list)


@dataclass(frozen=True)
class Chunk:
    """A retrievable span `[start, end)` of a document's cleaned text."""

    doc_id: str
    index: int
    start: int
    end: int
    text: str
    heading: str
    units: tuple[Unit, ...] = field(default=())

    def chunk_id(self, version: str) -> str:
        return f"{self.doc_id}:{version}:{self.index}"
