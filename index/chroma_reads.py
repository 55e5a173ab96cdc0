"""Reading one generation of the index: its documents, chunks by similarity, every chunk, units, texts.

Mixed into `ChromaStore`, which opens the collections (`chunks`, `units`, `docs`), follows the
live generation and says which version of each document is current (`documents`). Readers keep
only chunks of a document's current version, so a replace half done is never seen.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from index import catalogue
from index.store import StoredChunk, _chunk, _document, _paged
from index.types import Document
from index.version import IndexVersion

T = TypeVar("T")
log = logging.getLogger(__name__)
_TOUCHED_MAX = 2000  # a writer that changed more documents reads them all for the catalogue
_UNIT_CACHE = 4000  # chunks whose units are kept (about 4 units of 384 floats each: ~25 MB)
_Units = tuple[list[dict[str, Any]], np.ndarray, list[str]]  # a chunk's units: metadata, vectors (a matrix), texts


class ChromaReads:
    chunks: Any
    units: Any
    docs: Any
    dimension: int
    data_dir: Path | None
    pinned: bool
    generation: int
    _embedded: bool
    _catalogue: tuple[float, dict[str, Document], str, str | None] | None
    _touched: dict[str, None]
    _in_write = False  # a write named its documents (`_touch`) and has not finished
    _base_key: str | None = None  # the catalogue key when the writer lock was taken
    _base: dict[str, Document] | None = None  # the documents at that key, if in memory

    def refresh(self, max_age: float = 0.0) -> IndexVersion:
        raise NotImplementedError

    def _reading(self, read: Callable[[], T]) -> T:
        raise NotImplementedError

    def documents(self, max_age: float = 30.0) -> dict[str, Document]:
        """Every indexed document's record, without its text (read again when the index changes,
        and checked at least every `max_age` seconds)."""
        return self._catalogued(max_age)[1]

    def fingerprint(self) -> str:
        """The corpus version: changes whenever any document is added, replaced or removed,
        by this process or another, and whenever the index is rebuilt."""
        return self._catalogued()[2]

    def _catalogued(self, max_age: float = 30.0) -> tuple[float, dict[str, Document], str, str | None]:
        self.refresh(max_age=min(max_age, 1.0))
        now, cached = time.monotonic(), self._catalogue
        if cached is None or now - cached[0] > max_age:
            key = self._catalogue_key()
            if cached is not None and key is not None and key == cached[3]:  # no record written since
                docs = cached[1]
            else:
                docs, key = self._saved_or_read(key)
            cached = self._catalogue = (now, docs, catalogue.fingerprint(self.generation, docs), key)
        return cached

    def _catalogue_key(self) -> str | None:
        """Chroma's write number for the documents collection (index.catalogue); None: no catalogue."""
        if self.pinned or not self._embedded or self.data_dir is None:
            return None
        return catalogue.chroma_key(self.data_dir, self.docs.name)

    def _saved_or_read(self, key: str | None) -> tuple[dict[str, Document], str | None]:
        """The documents, and `key` if they are exactly that state (None if a write may have come between)."""
        folder = self.data_dir / "derived" if self.data_dir is not None else None
        if key is not None and folder is not None:
            found = catalogue.load(folder, key)
            if found is not None:
                return found, key
        rows = self._reading(lambda: _paged(self.docs, ["metadatas"]))
        docs = {m["doc_id"]: _document(m, "") for _, m, _ in rows}
        if key is None or folder is None or self._catalogue_key() != key:  # written meanwhile: not saved
            return docs, None
        catalogue.try_save(folder, key, docs)
        return docs, key

    def _note_base(self) -> None:
        """A writer taking the lock: the state its catalogue update starts from (index.catalogue)."""
        self._touched, self._in_write = {}, False
        self._base_key = self._catalogue_key()
        cached = self._catalogue
        self._base = cached[1] if cached is not None and self._base_key and cached[3] == self._base_key else None

    def _save_catalogue(self) -> None:
        """A writer, under the lock after its last write: the catalogue of the state it leaves, from
        the one it started from and its own documents read back (index.catalogue)."""
        touched, self._touched = list(self._touched), {}
        key = self._catalogue_key()
        if not touched or self._in_write or key is None or self.data_dir is None:  # nothing written, or it failed
            return
        folder = self.data_dir / "derived"
        base, self._base = self._base, None
        if not catalogue.same_collection(self._base_key, key) or len(touched) > _TOUCHED_MAX:
            base = None
        elif base is None and self._base_key:
            base = catalogue.load(folder, self._base_key)
        if base is None:  # no catalogue to start from: read them all, once, here rather than in an app
            self._catalogued(max_age=0)
            return
        found: dict[str, Document] = {}
        for start in range(0, len(touched), 500):  # Chroma refuses too many ids in one get
            got = self.docs.get(ids=touched[start : start + 500], include=["metadatas"])
            found.update((m["doc_id"], _document(m, "")) for m in got["metadatas"] or [])
        docs = catalogue.updated(base, touched, found)
        if self._catalogue_key() == key and len(docs) == catalogue.count_of(key):
            catalogue.try_save(folder, key, docs)
            self._catalogue = (time.monotonic(), docs, catalogue.fingerprint(self.generation, docs), key)

    def preload(self) -> threading.Thread:
        """Start loading the chunks', units' and documents' collections in a background thread.
        Chroma loads a collection (its HNSW files, and the log written since they were saved) at the
        first read of it, even one that wants no vector: about 0.45 s (chunks), 0.6 s (units) and
        0.2 s (documents: the quotes' texts; the catalogue spares the rest) at 10,000 documents,
        which a new process's first question met in turn. `lmcs serve` has them loaded before it
        listens (`Service.prepare`); Chroma's native code releases the GIL meanwhile, so the word
        lists load alongside. Reads nothing a question sees: a failure is logged and left for the
        question's own read to meet. Not a daemon: a process that ends first waits for it, for the
        interpreter must not shut down under Chroma's native code mid-load (a daemon thread crashed
        there)."""
        thread = threading.Thread(target=self._load_collections, name="lmcs-preload")
        thread.start()
        return thread

    def _load_collections(self) -> None:
        for collection in (self.chunks, self.units, self.docs):  # the order a question reads them in
            try:
                collection.get(ids=["lmcs-preload-probe"], include=[])  # no such record: the load alone
            except Exception as exc:  # e.g. the index deleted meanwhile: the question reports it, not this
                log.info("Preloading %s failed (%s); the question will load it.", collection.name, exc)
                return

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
        self, cache: OrderedDict[str, _Units], wanted: list[str]
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
                units.sort(key=lambda u: u[0])
                # Kept as one matrix per chunk: a question joins ~10 of them, not ~100 rows one by one.
                matrix = np.stack([v for _, _, v, _ in units]) if units else np.zeros((0, self.dimension), np.float32)
                cache[chunk_id] = ([m for _, m, _, _ in units], matrix, [t for _, _, _, t in units])
        for c in wanted:
            cache.move_to_end(c)
        kept = [cache[c] for c in wanted]
        while len(cache) > _UNIT_CACHE:
            cache.popitem(last=False)
        if not any(m for m, _, _ in kept):
            return [], np.zeros((0, self.dimension), dtype=np.float32), []
        return (
            [m for ms, _, _ in kept for m in ms],
            np.concatenate([v for _, v, _ in kept]),
            [t for _, _, ts in kept for t in ts],
        )
