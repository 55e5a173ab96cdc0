"""The real store: three Chroma collections (chunks, units, documents) sharing one embedding model.

Vectors are computed by our embedder and handed to Chroma, so the embedded store and a
`chroma run` server behave the same and Chroma never loads (or downloads) a model.

A document is replaced without a window where half of it is visible: the new version's chunks
are written, then its record flips to the new version, then the old chunks are deleted. The
whole index is replaced the same way one level up (`index.version`): a rebuild writes a new
generation beside the live one and flips the version record to it. Every store follows that
record, so a running app sees a rebuild, or another process's changes, at its next question.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from index.change_counter import watched
from index.chroma_client import client_epoch, file_id, make_client, reopen_client
from index.chroma_reads import ChromaReads
from index.chroma_rows import Rows, add_batched, drop_stale_many
from index.faults import IndexMismatchError, StoreUnavailableError, is_store_failure, unavailable
from index.lock import FileWriterLock, LeaseWriterLock, WriterGate, WriterLock
from index.store import SCHEMA_VERSION
from index.types import Chunk, Document
from index.version import (
    IndexVersion,
    VersionRecord,
    collection_names,
    drop_generation,
    list_generations,
    missing_collection,
    process_id,
)

T = TypeVar("T")


class ChromaStore(ChromaReads):
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
        # (read at, documents, fingerprint, catalogue key): dropped when the version record changes.
        self._catalogue: tuple[float, dict[str, Document], str, str | None] | None = None
        self._touched: dict[str, None] = {}  # documents this writer changed (index.catalogue)
        self._reopen_lock = threading.Lock()
        self._gate = WriterGate(self._new_lock)
        self._dirty = False  # written since the version record was last bumped
        self._embedded = self.data_dir is not None and not chroma_url
        # Embedded mode: the database file this store opened (device, inode), to notice the
        # folder being deleted under a running app.
        self._db_file = self.data_dir / "chroma" / "chroma.sqlite3" if self._embedded and self.data_dir else None
        self._db_id = file_id(self._db_file)
        self._epoch = client_epoch(self.data_dir)
        try:
            self._record = watched(VersionRecord(client, prefix), self._db_file)  # read again only after a commit
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
            # Units (sentences) are only ever fetched by id, never searched by similarity: a minimal search graph
            # costs a fifth of the CPU per vector written (0.1 against 0.5 ms; ~40 s of a 10,000-document build).
            sparse = meta | {"hnsw:M": 4, "hnsw:construction_ef": 8}
            self.units = client.get_or_create_collection(names["units"], embedding_function=None, metadata=sparse)
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

    def refresh(self, max_age: float = 0.0) -> IndexVersion:
        """Follow the version record (read at most every `max_age` seconds): open the live
        generation, and reopen an embedded index another process has written to."""
        if self.pinned:
            return self.version
        stale_client = self._embedded and self._epoch != client_epoch(self.data_dir)
        if not stale_client and time.monotonic() - self._checked_at < max_age:
            return self.version
        with self._reopen_lock:
            if stale_client:  # another store of this process reopened the folder: use its new client
                self._reconnect()
            found = self._record.read()
            other_writer = self._embedded and found.serial != self.version.serial and found.writer != process_id()
            if other_writer and not stale_client:
                assert self.data_dir is not None
                reopen_client(self.data_dir)
                self._reconnect()
                stale_client = True
                found = self._record.read()
            if stale_client or found.generation != self.generation:
                self.generation = found.generation
                self._open_collections()
            if found != self.version or stale_client:
                self._catalogue = None
            self.version = found
            self._checked_at = time.monotonic()
        return found

    def _reconnect(self) -> None:
        assert self.data_dir is not None
        self._client = make_client(self.data_dir)
        self._epoch = client_epoch(self.data_dir)
        self._record = watched(VersionRecord(self._client, self.prefix), self._db_file)

    def _reading(self, read: Callable[[], T]) -> T:
        """Run a read; if a rebuild just deleted the generation it was reading, or another process
        changed vectors this one has not yet reopened, read again from the index as it is now."""
        try:
            return read()
        except Exception as exc:
            stale_vectors = "Error finding id" in str(exc) and self._embedded  # written by another process
            if self.pinned or not (missing_collection(exc) or stale_vectors):
                raise
            if stale_vectors and self.data_dir is not None:
                reopen_client(self.data_dir)
            self.refresh()
            return read()

    # --- one writer at a time, and the generations a rebuild writes ---------------------

    def writing(self) -> AbstractContextManager[None]:
        """Hold the index's writer lock (re-entrant in this thread): a second writer, in this
        process or another, is refused with IndexBusyError saying who is writing."""
        if self.pinned:  # written only by a rebuild that holds the live store's lock
            return nullcontext()
        return self._gate.hold(first=self._begin, last=self._release)

    def _begin(self) -> None:
        self.refresh()
        self._note_base()

    def _release(self) -> None:
        self.announce()
        self._save_catalogue()

    def _touch(self, *doc_ids: str) -> None:
        """Before a write: the documents it may change (a write that fails before `_changed` saves no catalogue)."""
        self._touched.update(dict.fromkeys(doc_ids))
        self._in_write = True

    def _new_lock(self) -> WriterLock:
        if self._embedded and self.data_dir:
            return FileWriterLock(self.data_dir / "index.lock")
        return LeaseWriterLock(self._record.collection)

    def _changed(self) -> None:
        self._catalogue = None
        self._dirty = True
        self._in_write = False

    def announce(self) -> None:
        """Tell every reader the index changed: bump the version record's serial (one write for
        a batch of documents, not one each; also done when the writer lock is released)."""
        if self.pinned or not self._dirty:
            return
        current = self._record.read()
        self.version = IndexVersion(self.generation, max(current.serial, self.version.serial) + 1, process_id())
        self._record.write(self.version)
        self._dirty = False
        if self._gate.lock is not None:
            self._gate.lock.renew()

    def generations(self) -> set[int]:
        """Every generation with collections here (the live one, and any a rebuild left)."""
        return list_generations(self._client, self.prefix)

    def new_generation(self) -> ChromaStore:
        """An empty generation beside the live one, for a rebuild (hold `writing()`); what
        interrupted rebuilds left is deleted first."""
        for leftover in self.generations() - {self.generation}:
            drop_generation(self._client, self.prefix, leftover)
        number = max(self.generations() | {self.generation}) + 1
        client, name, dim = self._client, self.embedding_name, self.dimension
        return ChromaStore(client, name, dim, self.prefix, self.data_dir, self.chroma_url, generation=number)

    def drop_generation(self, generation: int) -> None:
        if generation == self.version.generation and not self.pinned:
            raise ValueError("the live generation cannot be dropped")
        drop_generation(self._client, self.prefix, generation)

    def switch_to(self, generation: int, grace: float = 1.0) -> None:
        """Make `generation` the live index in one write, then delete the old one after
        `grace` seconds (questions already reading it finish; later ones read the new)."""
        old = self.generation
        self._record.write(IndexVersion(generation, self._record.read().serial + 1, process_id()))
        self.refresh()
        time.sleep(grace)
        if old != generation:
            drop_generation(self._client, self.prefix, old)

    def write(self, doc: Document, chunks: list[Chunk], chunk_vectors: np.ndarray, unit_vectors: np.ndarray) -> None:
        """Add `doc`'s new version, flip its record to it, then drop older versions (also
        those a crashed run may have left of a document it never got to record)."""
        with self.writing():
            self._write(doc, chunks, chunk_vectors, unit_vectors)
            self._changed()

    def _write(self, doc: Document, chunks: list[Chunk], chunk_vectors: np.ndarray, unit_vectors: np.ndarray) -> None:
        self._touch(doc.doc_id)
        rows = Rows()
        rows.add(doc, chunks, chunk_vectors, unit_vectors, self.dimension)
        rows.upsert(self, records=False)
        rows.upsert(self, records=True)  # the record flips to the new version once all of it is written
        self._catalogue = None
        self.drop_stale(doc.doc_id, doc.version)

    def write_many(self, items: list[tuple[Document, list[Chunk], np.ndarray, np.ndarray]]) -> None:
        """Many documents in a few large writes (each write is a commit, and one each cost more
        than embedding them). Each document still flips whole: all chunks and units are written,
        then the records, then what older versions left (as `write`, for many at once)."""
        with self.writing():
            self._touch(*(doc.doc_id for doc, *_ in items))
            rows = Rows()
            for doc, chunks, chunk_vectors, unit_vectors in items:
                rows.add(doc, chunks, chunk_vectors, unit_vectors, self.dimension)
            rows.upsert(self, records=False)
            rows.upsert(self, records=True)
            self._catalogue = None
            if not self.pinned:  # a new generation holds nothing older
                drop_stale_many(self, {doc.doc_id: doc.version for doc, *_ in items})
                self._changed()

    def drop_stale(self, doc_id: str, version: str) -> None:
        """Delete chunks and units of `doc_id` left from versions other than `version`."""
        where = {"$and": [{"doc_id": doc_id}, {"version": {"$ne": version}}]}
        self.chunks.delete(where=where)
        self.units.delete(where=where)

    def relabel(self, doc_id: str, fields: dict[str, Any]) -> bool:
        """Correct a document's record (its council, kind, title) without reading its file again.
        False if it is not indexed."""
        with self.writing():
            got = self.docs.get(ids=[doc_id], include=["metadatas"])
            if not got["ids"]:
                return False
            self._touch(doc_id)
            self.docs.update(ids=[doc_id], metadatas=[{**got["metadatas"][0], **fields}])
            self._changed()
            return True

    def remove(self, doc_id: str) -> bool:
        """Remove a document and everything derived from it. False if it was not indexed."""
        with self.writing():
            if not self.docs.get(ids=[doc_id])["ids"]:
                return False
            self._touch(doc_id)
            self.docs.delete(ids=[doc_id])
            self._catalogue = None
            self.chunks.delete(where={"doc_id": doc_id})
            self.units.delete(where={"doc_id": doc_id})
            self._changed()
            return True

    _add = staticmethod(add_batched)
