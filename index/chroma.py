"""The real store: three Chroma collections (chunks, units, documents) sharing one embedding model.

Vectors are computed by our embedder and handed to Chroma, so the embedded store and a
`chroma run` server behave the same and Chroma never loads (or downloads) a model.

A document is replaced without a window where half of it is visible: the new version's
chunks are written first, then the document record flips to the new version, then the old
version's chunks are deleted. Readers keep only chunks whose version matches their record.

The whole index is replaced the same way one level up (`index.version`): a rebuild writes a
new generation of collections beside the live one and flips the version record to it.
Every store follows that record, so a running app answers from the new index at its next
question, and notices documents another process added or removed.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from index.chroma_client import client_epoch, file_id, reopen_client
from index.faults import IndexMismatchError, StoreUnavailableError, is_store_failure, unavailable
from index.generations import Generations
from index.lock import WriterLock
from index.rows import Rows
from index.store import _BATCH, SCHEMA_VERSION, StoredChunk, _chunk, _document, _paged
from index.types import Chunk, Document
from index.version import VersionRecord, collection_names

T = TypeVar("T")


class ChromaStore(Generations):
    """The index: three Chroma collections that share one embedding model.

    By default the store follows the index's version record (the live generation);
    `generation=N` pins it to one generation, as a rebuild writing beside the live index does."""

    def __init__(  # type: ignore[no-untyped-def]
        self,
        client,
        embedding_name: str,
        dimension: int,
        prefix: str = "lmcs",
        data_dir: Path | None = None,
        chroma_url: str | None = None,
        generation: int | None = None,
        check_model: bool = True,
    ) -> None:
        self._client = client
        self.embedding_name = embedding_name
        self.dimension = dimension
        self.prefix = prefix
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.chroma_url = chroma_url
        self.pinned = generation is not None
        self.check_model = check_model
        self.mismatch = ""  # why the live generation cannot be searched with this model (check_model=False)
        # (read at, documents, fingerprint): invalidated when the version record changes.
        self._catalogue: tuple[float, dict[str, Document], str] | None = None
        self._reopen_lock = threading.Lock()
        self._write_lock = threading.RLock()
        self._writer: WriterLock | None = None
        self._write_depth = 0
        self._dirty = False  # written since the version record was last bumped
        self._embedded = self.data_dir is not None and not chroma_url
        # Embedded mode: the database file this store opened (device, inode), to notice the
        # folder being deleted under a running app.
        self._db_file = self.data_dir / "chroma" / "chroma.sqlite3" if self._embedded and self.data_dir else None
        self._db_id = file_id(self._db_file)
        self._epoch = client_epoch(self.data_dir)
        try:
            self._record = VersionRecord(client, prefix)
            self.version = self._record.read()
        except Exception as exc:
            raise StoreUnavailableError(f"Cannot open the index collections: {exc}") from exc
        self.generation = generation if generation is not None else self.version.generation
        self._checked_at = time.monotonic()
        self._open_collections()

    def _open_collections(self) -> None:
        client, embedding_name, dimension = self._client, self.embedding_name, self.dimension
        meta = {
            "hnsw:space": "cosine",
            "embedding_model": embedding_name,
            "dimension": dimension,
            "schema": SCHEMA_VERSION,
        }
        names = collection_names(self.prefix, self.generation)
        try:
            self.chunks = client.get_or_create_collection(names["chunks"], embedding_function=None, metadata=meta)
            self.units = client.get_or_create_collection(names["units"], embedding_function=None, metadata=meta)
            self.docs = client.get_or_create_collection(names["documents"], embedding_function=None, metadata=meta)
        except Exception as exc:
            raise StoreUnavailableError(f"Cannot open the index collections: {exc}") from exc
        self.mismatch = ""
        for collection in (self.chunks, self.units, self.docs):
            found = collection.metadata or {}
            if found.get("embedding_model") != embedding_name or found.get("schema") != SCHEMA_VERSION:
                self.mismatch = (
                    f"The index was built with embedding model {found.get('embedding_model')!r} "
                    f"(schema {found.get('schema')}); this app uses {embedding_name!r} "
                    f"(schema {SCHEMA_VERSION}). Rebuild it: lmcs ingest --rebuild"
                )
        if self.mismatch and self.check_model:
            raise IndexMismatchError(self.mismatch)

    @contextmanager
    def guard(self) -> Iterator[None]:
        """Run index work; a storage failure inside becomes a StoreUnavailableError saying
        what to do. It first follows the index's version record: rebuilt or changed by
        another process → read afresh here; deleted (embedded) → a clear error."""
        try:
            self._check_files()
            self.refresh()
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
        if found != self._db_id:  # the folder was deleted and built again: this process's Chroma is stale
            with self._reopen_lock:
                if file_id(self._db_file) != self._db_id and self._epoch == client_epoch(self.data_dir):
                    assert self.data_dir is not None
                    reopen_client(self.data_dir)
                self._db_id = found

    def documents(self, max_age: float = 30.0) -> dict[str, Document]:
        """Every indexed document's record, without its text (read again when the index changes,
        and at least every `max_age` seconds)."""
        return self._catalogued(max_age)[1]

    def _catalogued(self, max_age: float = 30.0) -> tuple[float, dict[str, Document], str]:
        self.refresh(max_age=min(max_age, 1.0))
        now = time.monotonic()
        if self._catalogue is None or now - self._catalogue[0] > max_age:
            rows = self._reading(lambda: _paged(self.docs, ["metadatas"]))
            docs = {m["doc_id"]: _document(m, "") for _, m, _ in rows}
            versions = sorted(f"{d}:{doc.version}" for d, doc in docs.items())
            # The generation too: a rebuild with the same documents is a new index all the same.
            stamp = [f"generation:{self.generation}", *versions]
            fingerprint = hashlib.sha256("\n".join(stamp).encode()).hexdigest()[:16]
            self._catalogue = (now, docs, fingerprint)
        return self._catalogue

    def texts(self, doc_ids: Iterable[str]) -> dict[str, str]:
        ids = sorted(set(doc_ids))
        if not ids:
            return {}
        got = self._reading(lambda: self.docs.get(ids=ids, include=["documents"]))
        return dict(zip(got["ids"], got["documents"] or [], strict=True))

    def fingerprint(self) -> str:
        """The corpus version: changes whenever any document is added, replaced or removed,
        by this process or another, and whenever the index is rebuilt."""
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
        with self.writing():
            self._write(doc, chunks, chunk_vectors, unit_vectors)
            self._changed()

    def _write(self, doc: Document, chunks: list[Chunk], chunk_vectors: np.ndarray, unit_vectors: np.ndarray) -> None:
        rows = Rows()
        rows.add(doc, chunks, chunk_vectors, unit_vectors, self.dimension)
        rows.upsert(self, records=False)
        # The document record flips to the new version only once all of it is written.
        rows.upsert(self, records=True)
        self._catalogue = None
        self.drop_stale(doc.doc_id, doc.version)

    def write_many(self, items: list[tuple[Document, list[Chunk], np.ndarray, np.ndarray]]) -> None:
        """Write many documents in a few large writes: for a generation a rebuild is building
        (pinned), which no reader sees until it is switched to, so no document needs to be
        atomic on its own. Far faster than `write` one by one (each write is a commit)."""
        if not self.pinned:
            raise ValueError("write_many is for a generation being built; use write on the live index")
        rows = Rows()
        for doc, chunks, chunk_vectors, unit_vectors in items:
            rows.add(doc, chunks, chunk_vectors, unit_vectors, self.dimension)
        rows.upsert(self, records=False)
        rows.upsert(self, records=True)
        self._catalogue = None

    def drop_stale(self, doc_id: str, version: str) -> None:
        """Delete chunks and units of `doc_id` left from versions other than `version`."""
        where = {"$and": [{"doc_id": doc_id}, {"version": {"$ne": version}}]}
        self.chunks.delete(where=where)
        self.units.delete(where=where)

    def remove(self, doc_id: str) -> bool:
        """Remove a document and everything derived from it. False if it was not indexed."""
        with self.writing():
            if not self.docs.get(ids=[doc_id])["ids"]:
                return False
            self.docs.delete(ids=[doc_id])
            self._catalogue = None
            self.chunks.delete(where={"doc_id": doc_id})
            self.units.delete(where={"doc_id": doc_id})
            self._changed()
            return True

    def relabel(self, doc_id: str, fields: dict[str, Any]) -> bool:
        """Correct a document's record (its council, kind, title) without reading its file again.
        False if it is not indexed."""
        with self.writing():
            got = self.docs.get(ids=[doc_id], include=["metadatas"])
            if not got["ids"]:
                return False
            self.docs.update(ids=[doc_id], metadatas=[{**got["metadatas"][0], **fields}])
            self._changed()
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
        rows = self._reading(lambda: _paged(self.chunks, ["metadatas", "documents"]))
        return [_chunk(i, m, t) for i, m, t in rows if versions.get(m["doc_id"]) == m["version"]]

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
        """Units of the given chunks: metadata, vectors and stored text."""
        if not chunk_ids:
            return [], np.zeros((0, self.dimension), dtype=np.float32), []
        got = self._reading(
            lambda: self.units.get(
                where={"chunk_id": {"$in": chunk_ids}}, include=["metadatas", "embeddings", "documents"]
            )
        )
        metas = list(got["metadatas"] or [])
        vectors = np.asarray(got["embeddings"] if got["embeddings"] is not None else [], dtype=np.float32)
        return metas, vectors.reshape(len(metas), self.dimension), list(got["documents"] or [])
