"""Reading one generation of the index: chunks by similarity, every chunk, units, texts.

Mixed into `ChromaStore`, which opens the collections (`chunks`, `units`, `docs`), follows the
live generation and says which version of each document is current (`documents`). Readers keep
only chunks of a document's current version, so a replace half done is never seen.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, TypeVar

import numpy as np

from index.store import StoredChunk, _chunk, _paged
from index.types import Document

T = TypeVar("T")
_UNIT_CACHE = 4000  # chunks whose units are kept (about 4 units of 384 floats each: ~25 MB)


class ChromaReads:
    chunks: Any
    units: Any
    docs: Any
    dimension: int

    def documents(self, max_age: float = 30.0) -> dict[str, Document]:
        raise NotImplementedError

    def _reading(self, read: Callable[[], T]) -> T:
        raise NotImplementedError

    def texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        ids = sorted(set(doc_ids))
        if not ids:
            return {}
        got = self._reading(lambda: self.docs.get(ids=ids, include=["documents"]))
        return dict(zip(got["ids"], got["documents"] or [], strict=True))

    def current_versions(self, max_age: float = 30.0) -> dict[str, str]:
        """doc_id → current version (cached like `documents`)."""
        return {d: doc.version for d, doc in self.documents(max_age).items()}

    def all_chunks(self) -> list[StoredChunk]:
        """Every chunk of every document's current version (for the lexical index)."""
        versions = self.current_versions()
        rows = self._reading(lambda: _paged(self.chunks, ["metadatas", "documents"]))
        return [_chunk(i, m, t) for i, m, t in rows if versions.get(m["doc_id"]) == m["version"]]

    def chunks_by_id(self, chunk_ids: list[str]) -> list[StoredChunk]:
        """The chunks with these ids that are still stored (for a BM25 loaded from its file)."""
        if not chunk_ids:
            return []
        got = self._reading(lambda: self.chunks.get(ids=list(chunk_ids), include=["metadatas", "documents"]))
        return [_chunk(i, m, t) for i, m, t in zip(got["ids"], got["metadatas"], got["documents"], strict=True)]

    def chunk_vectors(self, chunk_ids: list[str], page: int = 1000) -> tuple[list[str], np.ndarray]:
        """The ids among these still stored, and their vectors (for `index.dense`; no text or metadata:
        reading those too tripled the time). A page of ids at a time: one `get()` of thousands fails."""
        found: list[str] = []
        vectors: list[np.ndarray] = []
        for at in range(0, len(chunk_ids), page):
            got = self._reading(partial(self._vectors_of, list(chunk_ids[at : at + page])))
            found += got["ids"]
            vectors.append(np.asarray(got["embeddings"], dtype=np.float32).reshape(len(got["ids"]), self.dimension))
        return found, np.concatenate(vectors) if vectors else np.zeros((0, self.dimension), dtype=np.float32)

    def _vectors_of(self, ids: list[str]) -> Any:
        return self.chunks.get(ids=ids, include=["embeddings"])  # `self.chunks` read again on a retry

    def query_chunks(
        self, vector: np.ndarray, k: int, doc_ids: list[str] | None = None
    ) -> list[tuple[StoredChunk, float]]:
        """Nearest chunks by cosine similarity, current versions only, best first."""
        if k <= 0:
            return []
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        got = self._reading(
            lambda: self.chunks.query(
                query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
                n_results=k,
                where=where,
                include=["metadatas", "documents", "distances"],
            )
        )
        versions = self.current_versions()
        rows = zip(got["ids"][0], got["metadatas"][0], got["documents"][0], got["distances"][0], strict=True)
        return [(_chunk(i, m, t), 1.0 - float(d)) for i, m, t, d in rows if versions.get(m["doc_id"]) == m["version"]]

    def unit_vectors(self, chunk_ids: list[str]) -> tuple[list[dict[str, Any]], np.ndarray, list[str]]:
        """Units of the given chunks: metadata, vectors and stored text, in the order the chunks
        are given. A chunk id names one version of a document, so its units never change: kept
        in memory for the chunks last asked about, so a question reads only chunks new to it."""
        cache = self.__dict__.setdefault("_unit_cache", OrderedDict())
        with self.__dict__.setdefault("_unit_lock", threading.Lock()):  # questions run in several threads
            return self._units_of(cache, list(dict.fromkeys(chunk_ids)))

    def _units_of(
        self, cache: OrderedDict[str, list[Any]], wanted: list[str]
    ) -> tuple[list[dict[str, Any]], np.ndarray, list[str]]:
        missing = [c for c in wanted if c not in cache]
        if missing:
            got = self._reading(
                lambda: self.units.get(
                    where={"chunk_id": {"$in": missing}}, include=["metadatas", "embeddings", "documents"]
                )
            )
            metas = list(got["metadatas"] or [])
            vectors = np.asarray(got["embeddings"] if got["embeddings"] is not None else [], dtype=np.float32)
            vectors = vectors.reshape(len(metas), self.dimension)
            found: dict[str, list[tuple[int, dict[str, Any], np.ndarray, str]]] = {c: [] for c in missing}
            for unit_id, meta, vector, text in zip(got["ids"], metas, vectors, got["documents"] or [], strict=True):
                found[meta["chunk_id"]].append((int(unit_id.rsplit(":u", 1)[1]), meta, vector, text))
            for chunk_id, units in found.items():
                cache[chunk_id] = sorted(units, key=lambda u: u[0])
        rows = [u for c in wanted for u in cache[c]]
        for c in wanted:
            cache.move_to_end(c)
        while len(cache) > _UNIT_CACHE:
            cache.popitem(last=False)
        if not rows:
            return [], np.zeros((0, self.dimension), dtype=np.float32), []
        return [m for _, m, _, _ in rows], np.stack([v for _, _, v, _ in rows]), [t for _, _, _, t in rows]
