"""The records that flow through indexing and are read back by answering."""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Any

from index.locate import EMPTY_MAP, Location, LocationMap

KINDS = ("legislation", "statutory guidance", "council role profile", "news", "other")


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
    kind: str = ""  # one of KINDS
    kind_evidence: str = ""  # why: "the title says 'role profile'", "manifest"
    authority_confidence: float = 0.0  # 1.0 when given (manifest, --authority)
    authority_evidence: tuple[str, ...] = ()  # "PDF author: Kestrel Bay City Council", …
    extracted: Any = field(default=None, compare=False, repr=False)  # the reader's lines (index.readers.Extracted)


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
    kind: str = ""  # one of KINDS: what sort of source a quote comes from
    kind_evidence: str = ""
    authority_confidence: float = 0.0
    authority_evidence: tuple[str, ...] = ()
    instructions: int = 0  # units that try to instruct the assistant (index/injection.py)
    # Where each span of `text` is in the file: LocationMap.to_json(), decoded on first use
    # (a catalogue of 10,000 documents never parses a map it does not need).
    locations_json: str = ""

    @cached_property
    def locations(self) -> LocationMap:
        return LocationMap.from_json(self.locations_json) if self.locations_json else EMPTY_MAP

    def page_at(self, offset: int) -> int | None:
        """The 1-based page an offset of the text falls on, or None for unpaged documents."""
        return bisect.bisect_right(self.pages, offset) if self.pages else None

    def locate(self, start: int, end: int) -> Location:
        """Where `text[start:end]` is in the original file: `str(doc.locate(s, e))` reads
        "page 2, lines 14–16", "paragraph 12", "characters 1043–1190 of the file", …"""
        found = self.locations.locate(start, end)
        if not found.kind and self.pages:  # indexed before locations were kept: the page at least
            first, last = self.page_at(start), self.page_at(max(start, end - 1))
            return Location("page", page=first, page_end=last)
        return found

    def meta(self) -> dict[str, str | int | float]:
        """Everything but the text, as flat metadata for a store (`from_meta` reverses it)."""
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
            "kind": self.kind,
            "kind_evidence": self.kind_evidence,
            "authority_confidence": self.authority_confidence,
            "authority_evidence": json.dumps(list(self.authority_evidence), ensure_ascii=False),
            "instructions": self.instructions,
            "locations": self.locations_json,
        }

    @classmethod
    def from_meta(cls, meta: dict[str, Any], text: str) -> Document:
        """The Document `meta()` came from; metadata written before a field existed gets its default."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {k: v for k, v in meta.items() if k in known}
        values["pages"] = tuple(json.loads(meta.get("pages") or "[]"))
        values["authority_evidence"] = tuple(json.loads(meta.get("authority_evidence") or "[]"))
        values["locations_json"] = meta.get("locations", "")
        for name in ("n_chunks", "instructions"):
            values[name] = int(meta.get(name, 0))
        values["authority_confidence"] = float(meta.get("authority_confidence", 0.0))
        return cls(text=text, **values)


@dataclass(frozen=True)
class Unit:
    """A sentence or bullet item: the smallest span an answer quotes."""

    start: int
    end: int
    kind: str = "sentence"  # "sentence" | "item" (a list item) | "lead_in" (a line introducing a list)
    # | "cell" (a table cell) | "provision" (a subsection of an Act)
    instruction: bool = False  # the unit tries to instruct the assistant: never quote it


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
