"""The index one level up: generations of the store's collections, a version record that names the
live one, and one writer at a time. A rebuild writes a new generation beside the live index and
flips the record; every store follows the record, so a running app answers from the new index at
its next question (mixed into ChromaStore)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from index.chroma_client import client_epoch, make_client, reopen_client
from index.lock import FileWriterLock, IndexBusyError, LeaseWriterLock, WriterLock, busy_message
from index.version import IndexVersion, VersionRecord, collection_names, generation_of, process_id

T = TypeVar("T")


def missing_collection(exc: BaseException) -> bool:
    """Chroma's error for a collection another process deleted (an old generation)."""
    return type(exc).__name__ == "NotFoundError" or "does not exist" in str(exc)


class Generations:
    """Following, building and switching generations of the index (see the module docstring)."""

    # Set by ChromaStore.__init__; declared here for the type checker.
    data_dir: Path | None
    chroma_url: str | None
    prefix: str
    embedding_name: str
    dimension: int
    pinned: bool
    _client: Any
    _catalogue: tuple[float, dict[str, Any], str] | None
    _reopen_lock: threading.Lock
    _write_lock: threading.RLock
    _writer: WriterLock | None
    _write_depth: int
    _dirty: bool
    _embedded: bool
    _checked_at: float
    _record: VersionRecord
    version: IndexVersion
    generation: int

    def _open_collections(self) -> None: ...

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
        self._record = VersionRecord(self._client, self.prefix)

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

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the index's writer lock (re-entrant in this thread): a second writer, in this
        process or another, is refused with IndexBusyError saying who is writing."""
        if self.pinned:  # written only by a rebuild that holds the live store's lock
            yield
            return
        if not self._write_lock.acquire(blocking=False):
            raise IndexBusyError(busy_message({"pid": os.getpid()}))
        try:
            if self._write_depth == 0:
                lock: WriterLock = (
                    FileWriterLock(self.data_dir / "index.lock")
                    if self._embedded and self.data_dir
                    else LeaseWriterLock(self._record.collection)
                )
                lock.acquire()
                self._writer = lock
            self._write_depth += 1
            try:
                if self._write_depth == 1:
                    self.refresh()
                yield
            finally:
                self._write_depth -= 1
                if self._write_depth == 0 and self._writer is not None:
                    # A failed bump must not hide the write's own error; readers re-read within 30 s.
                    with suppress(Exception):
                        self.announce()
                    self._writer.release()
                    self._writer = None
        finally:
            self._write_lock.release()

    def _changed(self) -> None:
        self._catalogue = None
        self._dirty = True

    def announce(self) -> None:
        """Tell every reader the index changed: bump the version record's serial (one write for
        a batch of documents, not one each; also done when the writer lock is released)."""
        if self.pinned or not self._dirty:
            return
        current = self._record.read()
        self.version = IndexVersion(self.generation, max(current.serial, self.version.serial) + 1, process_id())
        self._record.write(self.version)
        self._dirty = False
        if self._writer is not None:
            self._writer.renew()

    def generations(self) -> set[int]:
        """Every generation with collections in this Chroma (the live one, and any a rebuild left)."""
        names = [getattr(c, "name", c) for c in self._client.list_collections()]
        return {g for g in (generation_of(self.prefix, n) for n in names) if g is not None}

    def new_generation(self) -> Any:
        """An empty generation beside the live one, for a rebuild (hold `writing()`). What
        interrupted rebuilds left is deleted first."""
        for leftover in self.generations() - {self.generation}:
            self.drop_generation(leftover)
        number = max(self.generations() | {self.generation}) + 1
        build: Any = type(self)  # the ChromaStore this is mixed into
        return build(
            self._client,
            self.embedding_name,
            self.dimension,
            self.prefix,
            self.data_dir,
            self.chroma_url,
            generation=number,
        )

    def drop_generation(self, generation: int) -> None:
        if generation == self.version.generation and not self.pinned:
            raise ValueError("the live generation cannot be dropped")
        for name in collection_names(self.prefix, generation).values():
            try:
                self._client.delete_collection(name)
            except Exception as exc:  # absent already is fine
                if not missing_collection(exc):
                    raise

    def switch_to(self, generation: int, grace: float = 1.0) -> None:
        """Make `generation` the live index in one write, then delete the old one after
        `grace` seconds (questions already reading it finish; later ones read the new)."""
        old = self.generation
        self.version = IndexVersion(generation, self._record.read().serial + 1, process_id())
        self._record.write(self.version)
        self.generation = generation
        self._open_collections()
        self._catalogue = None
        time.sleep(grace)
        if old != generation:
            self.drop_generation(old)

    # --- documents -----------------------------------------------------------------
