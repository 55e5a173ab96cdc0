"""The real store: three Chroma collections (chunks, units, documents) sharing one embedding model.

Vectors are computed by our embedder and handed to Chroma, so the embedded store and a
`chroma run` server behave the same and Chroma never loads (or downloads) a model.

A document is replaced without a window where half of it is visible: the new version's
chunks are written first, then the document record flips to the new version, then the old
version's chunks are deleted. Readers keep only chunks whose version matches their record.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from index.chroma_client import drop_cached_system, file_id, make_client
from index.faults import IndexMismatchError, StoreUnavailableError, is_store_failure, unavailable
from index.store import _BATCH, SCHEMA_VERSION, StoredChunk, _chunk, _document, _paged
from index.types import Chunk, Document


class ChromaStore:
    """The index: three Chroma collections that share one embedding model."""

    def __init__(  # type: ignore[no-untyped-def]
        self,
        client,
        embedding_name: str,
        dimension: int,
        prefix: str = "lmcs",
        data_dir: Path | None = None,
        chroma_url: str | None = None,
    ) -> None:
        self._client = client
        self.embedding_name = embedding_name
        self.dimension = dimension
        self.prefix = prefix
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.chroma_url = chroma_url
        # (read at, documents, fingerprint): other app servers may write, so it expires.
        self._catalogue: tuple[float, dict[str, Document], str] | None = None
        self._reopen_lock = threading.Lock()
        # Embedded mode: the database file this store opened (device, inode), to notice it
        # being deleted or replaced under a running app.
        self._db_file = self.data_dir / "chroma" / "chroma.sqlite3" if self.data_dir and not chroma_url else None
        self._db_id = file_id(self._db_file)
        self._open_collections()

    def _open_collections(self) -> None:
        client, embedding_name, dimension, prefix = self._client, self.embedding_name, self.dimension, self.prefix
        meta = {
            "hnsw:space": "cosine",
            "embedding_model": embedding_name,
            "dimension": dimension,
            "schema": SCHEMA_VERSION,
        }
        try:
            self.chunks = client.get_or_create_collection(f"{prefix}_chunks", embedding_function=None, metadata=meta)
            self.units = client.get_or_create_collection(f"{prefix}_units", embedding_function=None, metadata=meta)
            self.docs = client.get_or_create_collection(f"{prefix}_documents", embedding_function=None, metadata=meta)
        except Exception as exc:
            raise StoreUnavailableError(f"Cannot open the index collections: {exc}") from exc
        for collection in (self.chunks, self.units, self.docs):
            found = collection.metadata or {}
            if found.get("embedding_model") != embedding_name or found.get("schema") != SCHEMA_VERSION:
                raise IndexMismatchError(
                    f"The index was built with embedding model {found.get('embedding_model')!r} "
                    f"(schema {found.get('schema')}); this app uses {embedding_name!r} "
                    f"(schema {SCHEMA_VERSION}). Rebuild it: lmcs ingest --rebuild"
                )

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Run index work; a storage failure inside becomes a StoreUnavailableError saying
        what to do. In embedded mode it first checks that the index files are still the ones
        opened: deleted → a clear error; rebuilt by another process → reopened here."""
        self._check_files()
        try:
            yield
        except StoreUnavailableError:
            raise
        except Exception as exc:
            if not is_store_failure(exc):
                raise
            raise unavailable(exc, self.data_dir, self.chroma_url) from exc

    def _check_files(self) -> None:
        if self._db_file is None:
            return
        found = file_id(self._db_file)
        if found is None:
            raise StoreUnavailableError(
                f"The index at {self.data_dir} has been deleted or moved. Build it again with "
                "`lmcs ingest`; a running app picks the new index up without a restart."
            )
        if found == self._db_id:
            return
        with self._reopen_lock:
            if file_id(self._db_file) == self._db_id:
                return
            assert self.data_dir is not None
            # Other clients in this process may share the stale system: drop it for all of
            # them (each notices the new file at its next guard() and reopens too).
            drop_cached_system(self.data_dir / "chroma")
            self._client = make_client(self.data_dir)
            self._open_collections()
            self._catalogue = None
            self._db_id = found

    @classmethod
    def reset(cls, client, prefix: str = "lmcs") -> None:  # type: ignore[no-untyped-def]
        """Delete every collection of this index (before a rebuild)."""
        for suffix in ("chunks", "units", "documents"):
            try:
                client.delete_collection(f"{prefix}_{suffix}")
            except Exception:  # noqa: S112 — absent already is fine
                continue

    # --- documents -----------------------------------------------------------------

    def documents(self, max_age: float = 30.0) -> dict[str, Document]:
        """Every indexed document's record, without its text (cached for `max_age` seconds)."""
        return self._catalogued(max_age)[1]

    def _catalogued(self, max_age: float = 30.0) -> tuple[float, dict[str, Document], str]:
        now = time.monotonic()
        if self._catalogue is None or now - self._catalogue[0] > max_age:
            docs = {m["doc_id"]: _document(m, "") for _, m, _ in _paged(self.docs, ["metadatas"])}
            versions = sorted(f"{d}:{doc.version}" for d, doc in docs.items())
            fingerprint = hashlib.sha256("\n".join(versions).encode()).hexdigest()[:16]
            self._catalogue = (now, docs, fingerprint)
        return self._catalogue

    def texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        ids = sorted(set(doc_ids))
        if not ids:
            return {}
        got = self.docs.get(ids=ids, include=["documents"])
        return dict(zip(got["ids"], got["documents"] or [], strict=True))

    def fingerprint(self) -> str:
        """Changes whenever any document is added, replaced or removed."""
        return self._catalogued()[2]

    # --- writing -------------------------------------------------------------------

    def write(
        self,
        doc: Document,
        chunks: list[Chunk],
        chunk_vectors: np.ndarray,
        unit_vectors: np.ndarray,
    ) -> None:
        """Add `doc`'s new version, flip its record to it, then drop older versions (also
        those a crashed run may have left of a document it never got to record)."""
        v = doc.version
        chunk_ids = [c.chunk_id(v) for c in chunks]
        self._add(
            self.chunks,
            ids=chunk_ids,
            embeddings=chunk_vectors,
            documents=[c.text for c in chunks],
            metadatas=[
                {
                    "doc_id": doc.doc_id,
                    "version": v,
                    "index": c.index,
                    "start": c.start,
                    "end": c.end,
                    "heading": c.heading,
                    "units": json.dumps([[u.start, u.end] for u in c.units]),
                }
                for c in chunks
            ],
        )
        unit_rows = [(cid, j, u) for cid, c in zip(chunk_ids, chunks, strict=True) for j, u in enumerate(c.units)]
        self._add(
            self.units,
            ids=[f"{cid}:u{j}" for cid, j, _ in unit_rows],
            embeddings=unit_vectors,
            documents=[doc.text[u.start : u.end] for _, _, u in unit_rows],
            metadatas=[
                {
                    "doc_id": doc.doc_id,
                    "version": v,
                    "chunk_id": cid,
                    "start": u.start,
                    "end": u.end,
                    "kind": u.kind,
                    "instruction": u.instruction,
                }
                for cid, _, u in unit_rows
            ],
        )
        centre = chunk_vectors.mean(axis=0) if len(chunks) else np.ones(self.dimension)
        centre = centre / (np.linalg.norm(centre) or 1.0)
        record = replace(doc, n_chunks=len(chunks))
        self.docs.upsert(
            ids=[doc.doc_id], embeddings=[centre.tolist()], documents=[doc.text], metadatas=[record.meta()]
        )
        self._catalogue = None
        self.drop_stale(doc.doc_id, v)

    def drop_stale(self, doc_id: str, version: str) -> None:
        """Delete chunks and units of `doc_id` left from versions other than `version`."""
        where = {"$and": [{"doc_id": doc_id}, {"version": {"$ne": version}}]}
        self.chunks.delete(where=where)
        self.units.delete(where=where)

    def remove(self, doc_id: str) -> bool:
        """Remove a document and everything derived from it. False if it was not indexed."""
        if not self.docs.get(ids=[doc_id])["ids"]:
            return False
        self.docs.delete(ids=[doc_id])
        self._catalogue = None
        self.chunks.delete(where={"doc_id": doc_id})
        self.units.delete(where={"doc_id": doc_id})
        return True

    @staticmethod
    def _add(
        collection, ids: list[str], embeddings: np.ndarray, documents: list[str], metadatas: list[dict[str, Any]]
    ) -> None:  # type: ignore[no-untyped-def]
        for i in range(0, len(ids), _BATCH):
            collection.upsert(
                ids=ids[i : i + _BATCH],
                embeddings=embeddings[i : i + _BATCH],
                documents=documents[i : i + _BATCH],
                metadatas=metadatas[i : i + _BATCH],
            )

    # --- reading -------------------------------------------------------------------

    def current_versions(self, max_age: float = 30.0) -> dict[str, str]:
        """doc_id → current version (cached like `documents`)."""
        return {d: doc.version for d, doc in self.documents(max_age).items()}

    def all_chunks(self) -> list[StoredChunk]:
        """Every chunk of every document's current version (for the lexical index)."""
        versions = self.current_versions()
        rows = _paged(self.chunks, ["metadatas", "documents"])
        return [_chunk(i, m, t) for i, m, t in rows if versions.get(m["doc_id"]) == m["version"]]

    def query_chunks(
        self, vector: np.ndarray, k: int, doc_ids: list[str] | None = None
    ) -> list[tuple[StoredChunk, float]]:
        """Nearest chunks by cosine similarity, current versions only, best first."""
        if k <= 0:
            return []
        where = {"doc_id": {"$in": list(doc_ids)}} if doc_ids else None
        got = self.chunks.query(
            query_embeddings=[np.asarray(vector, dtype=np.float32).tolist()],
            n_results=k,
            where=where,
            include=["metadatas", "documents", "distances"],
        )
        versions = self.current_versions()
        rows = zip(got["ids"][0], got["metadatas"][0], got["documents"][0], got["distances"][0], strict=True)
        return [(_chunk(i, m, t), 1.0 - float(d)) for i, m, t, d in rows if versions.get(m["doc_id"]) == m["version"]]

    def unit_vectors(self, chunk_ids: list[str]) -> tuple[list[dict[str, Any]], np.ndarray, list[str]]:
        """Units of the given chunks: metadata, vectors and stored text."""
        if not chunk_ids:
            return [], np.zeros((0, self.dimension), dtype=np.float32), []
        got = self.units.get(where={"chunk_id": {"$in": chunk_ids}}, include=["metadatas", "embeddings", "documents"])
        metas = list(got["metadatas"] or [])
        vectors = np.asarray(got["embeddings"] if got["embeddings"] is not None else [], dtype=np.float32)
        return metas, vectors.reshape(len(metas), self.dimension), list(got["documents"] or [])
