"""The store seam: what the chain and the indexer need of an index (`Store`), and the records read back.

`index.chroma.ChromaStore` is the real store; `index.memory.InMemoryStore` a stand-in for fast
unit tests of the chain. Storage faults are in `index.faults`, opening Chroma in
`index.chroma_client`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from index.chroma_client import make_client, set_aside
from index.faults import IndexMismatchError, StoreUnavailableError, is_store_failure, unavailable
from index.types import Chunk, Document

__all__ = [
    "IndexMismatchError",
    "Store",
    "StoreUnavailableError",
    "StoredChunk",
    "is_store_failure",
    "make_client",
    "set_aside",
    "unavailable",
]
SCHEMA_VERSION = 1
_BATCH = 2000


@dataclass(frozen=True)
class StoredChunk:
    chunk_id: str
    doc_id: str
    start: int
    end: int
    text: str
    heading: str
    units: tuple[tuple[int, int], ...]


class Store(Protocol):
    """The index as the answer chain and the indexer see it. `ChromaStore` is the real one;
    `index.memory.InMemoryStore` is a deterministic stand-in for unit tests of the chain."""

    def guard(self) -> Any:
        """A context manager: storage failures inside become StoreUnavailableError."""

    def writing(self) -> Any:
        """A context manager holding the index's one-writer lock (re-entrant); a second writer
        is refused with `index.lock.IndexBusyError` naming who holds it."""

    def announce(self) -> None:
        """Tell other readers of the index that it changed (done for you when `writing()` ends)."""

    def documents(self, max_age: float = 30.0) -> dict[str, Document]: ...

    def fingerprint(self) -> str:
        """The corpus version: changes whenever a document is added, replaced or removed (by any
        process) and whenever the index is rebuilt; the chain keys its snapshot on it."""

    def texts(self, doc_ids: Iterable[str]) -> dict[str, str]: ...

    def all_chunks(self) -> list[StoredChunk]: ...

    def query_chunks(
        self, vector: np.ndarray, k: int, doc_ids: list[str] | None = None
    ) -> list[tuple[StoredChunk, float]]: ...

    def unit_vectors(self, chunk_ids: list[str]) -> tuple[list[dict[str, Any]], np.ndarray, list[str]]: ...

    def write(
        self, doc: Document, chunks: list[Chunk], chunk_vectors: np.ndarray, unit_vectors: np.ndarray
    ) -> None: ...

    def write_many(self, items: list[tuple[Document, list[Chunk], np.ndarray, np.ndarray]]) -> None:
        """Many documents in a few large writes (the live index or a generation a rebuild builds), each
        document whole or not at all. Optional: a store without it is written document by document."""

    def drop_stale(self, doc_id: str, version: str) -> None: ...

    def remove(self, doc_id: str) -> bool: ...

    def relabel(self, doc_id: str, fields: dict[str, Any]) -> bool:
        """Correct a document's record (council, kind, title) without re-reading its file."""


def _paged(collection, include: list[str], page: int = 5000) -> list[tuple[str, Any, Any]]:  # type: ignore[no-untyped-def]
    """Every record of a collection, read a page at a time: one `get()` of tens of thousands
    of records fails inside Chroma ("too many SQL variables"), as the 10,000-document
    benchmark found."""
    rows: list[tuple[str, Any, Any]] = []
    offset = 0
    while True:
        got = collection.get(include=include, limit=page, offset=offset)
        ids = got["ids"]
        metas = got.get("metadatas") or [None] * len(ids)
        texts = got.get("documents") or [None] * len(ids)
        rows += list(zip(ids, metas, texts, strict=True))
        if len(ids) < page:
            return rows
        offset += page


def _chunk(chunk_id: str, meta: dict[str, Any], text: str) -> StoredChunk:
    return StoredChunk(
        chunk_id=chunk_id,
        doc_id=meta["doc_id"],
        start=int(meta["start"]),
        end=int(meta["end"]),
        text=text,
        heading=meta.get("heading", ""),
        units=tuple((int(s), int(e)) for s, e in json.loads(meta.get("units", "[]"))),
    )


def _document(meta: dict[str, Any], text: str) -> Document:
    return Document.from_meta(meta, text)
