"""A store held in memory: the same contract as ChromaStore, for fast unit tests of the chain.

>>> from index.embed import FakeEmbedder
>>> store = InMemoryStore(dimension=8)
>>> store.documents()
{}
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import numpy as np

from index.store import StoredChunk
from index.types import Chunk, Document


class InMemoryStore:
    """Documents, chunks and units with their vectors, in dicts; cosine search by brute force."""

    def __init__(self, dimension: int) -> None:
        self.dimension = dimension
        self._docs: dict[str, Document] = {}
        self._chunks: dict[str, tuple[StoredChunk, np.ndarray]] = {}
        self._units: dict[str, tuple[dict[str, Any], np.ndarray, str]] = {}

    @contextmanager
    def guard(self) -> Iterator[None]:
        yield

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One process, one writer: nothing to lock."""
        yield

    def announce(self) -> None:
        """Readers of a dict see every write at once: nothing to announce."""

    def documents(self, max_age: float = 30.0) -> dict[str, Document]:
        return {d: replace(doc, text="") for d, doc in self._docs.items()}

    def fingerprint(self) -> str:
        versions = sorted(f"{d}:{doc.version}" for d, doc in self._docs.items())
        return hashlib.sha256("\n".join(versions).encode()).hexdigest()[:16]

    def texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        return {d: self._docs[d].text for d in doc_ids if d in self._docs}

    def _current(self, chunk: StoredChunk) -> bool:
        doc = self._docs.get(chunk.doc_id)
        return doc is not None and chunk.chunk_id.split(":")[1] == doc.version

    def all_chunks(self) -> list[StoredChunk]:
        return [c for c, _ in self._chunks.values() if self._current(c)]

    def query_chunks(
        self, vector: np.ndarray, k: int, doc_ids: list[str] | None = None
    ) -> list[tuple[StoredChunk, float]]:
        found = [
            (c, float(v @ vector))
            for c, v in self._chunks.values()
            if self._current(c) and (not doc_ids or c.doc_id in doc_ids)
        ]
        found.sort(key=lambda x: (-x[1], x[0].chunk_id))
        return found[:k]

    def unit_vectors(self, chunk_ids: list[str]) -> tuple[list[dict[str, Any]], np.ndarray, list[str]]:
        wanted = set(chunk_ids)
        rows = [u for u in self._units.values() if u[0]["chunk_id"] in wanted]
        if not rows:
            return [], np.zeros((0, self.dimension), dtype=np.float32), []
        return [m for m, _, _ in rows], np.stack([v for _, v, _ in rows]), [t for _, _, t in rows]

    def write(self, doc: Document, chunks: list[Chunk], chunk_vectors: np.ndarray, unit_vectors: np.ndarray) -> None:
        v = doc.version
        at = 0
        for c, cv in zip(chunks, chunk_vectors, strict=True):
            cid = c.chunk_id(v)
            units = tuple((u.start, u.end) for u in c.units)
            self._chunks[cid] = (StoredChunk(cid, doc.doc_id, c.start, c.end, c.text, c.heading, units), cv)
            for j, u in enumerate(c.units):
                meta = {"doc_id": doc.doc_id, "version": v, "chunk_id": cid, "start": u.start, "end": u.end}
                meta |= {"kind": u.kind, "instruction": u.instruction}
                self._units[f"{cid}:u{j}"] = (meta, unit_vectors[at], doc.text[u.start : u.end])
                at += 1
        self._docs[doc.doc_id] = replace(doc, n_chunks=len(chunks))
        self.drop_stale(doc.doc_id, v)

    def drop_stale(self, doc_id: str, version: str) -> None:
        for key in [k for k, (c, _) in self._chunks.items() if c.doc_id == doc_id and k.split(":")[1] != version]:
            del self._chunks[key]
        for key in [k for k, (m, _, _) in self._units.items() if m["doc_id"] == doc_id and m["version"] != version]:
            del self._units[key]

    def relabel(self, doc_id: str, fields: dict[str, Any]) -> bool:
        if doc_id not in self._docs:
            return False
        meta = {**self._docs[doc_id].meta(), **fields}
        self._docs[doc_id] = Document.from_meta(meta, self._docs[doc_id].text)
        return True

    def remove(self, doc_id: str) -> bool:
        if doc_id not in self._docs:
            return False
        del self._docs[doc_id]
        self.drop_stale(doc_id, "")
        return True
