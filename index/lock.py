"""One writer at a time per index: a second ingest, rebuild or removal is refused, saying who holds it.

Embedded index: an advisory lock (`flock`) on `<data_dir>/index.lock`; the kernel drops it
when its process dies, even by `kill -9`, so a crash never leaves the index locked.
Chroma server: a lease record with an expiry in the version collection, renewed while the
writer works; a writer that died is taken over once its lease has expired. (Chroma has no
compare-and-set, so two writers starting in the same instant are told apart by writing,
waiting, and reading back: good for people starting ingests by hand, not a distributed lock.)
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Protocol

from index.faults import StoreUnavailableError

LEASE_ID = "lease"


class IndexBusyError(StoreUnavailableError):
    """Another process is changing the index; nothing was changed by this one."""


class WriterLock(Protocol):
    """Held by one writer of an index at a time, across processes (and hosts, for a server)."""

    def acquire(self) -> None: ...

    def renew(self) -> None: ...

    def release(self) -> None: ...


def _holder() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
    }


def busy_message(holder: dict[str, Any]) -> str:
    who = f"pid {holder.get('pid', '?')}"
    if holder.get("host") and holder.get("host") != socket.gethostname():
        who += f" on {holder['host']}"
    since = f", since {holder['since']}" if holder.get("since") else ""
    return f"another ingest is running ({who}{since}); try again when it finishes"


class FileWriterLock:
    """`flock` on a file in the data dir; the file also says who holds it, for the message."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        f = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            try:
                holder = json.loads(f.read() or "{}")
            except ValueError:
                holder = {}
            f.close()
            raise IndexBusyError(busy_message(holder)) from None
        f.seek(0)
        f.truncate()
        f.write(json.dumps(_holder()))
        f.flush()
        self._file = f

    def renew(self) -> None:
        """Nothing to do: the lock lasts as long as the process holds the file."""

    def release(self) -> None:
        if self._file is None:
            return
        import fcntl

        self._file.truncate(0)
        fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        self._file.close()
        self._file = None


class LeaseWriterLock:
    """A lease record with an expiry, for an index on a Chroma server shared by several hosts."""

    def __init__(self, collection: Any, ttl: float = 120.0, settle: float = 0.2) -> None:
        self.collection = collection
        self.ttl = ttl
        self.settle = settle
        self.token = uuid.uuid4().hex
        self._renewed = 0.0
        self._since = ""
        self._stop = threading.Event()

    def _read(self) -> dict[str, Any] | None:
        got = self.collection.get(ids=[LEASE_ID], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] and got["metadatas"] else None

    def _write(self) -> None:
        self._renewed = time.time()
        meta = {**_holder(), "since": self._since, "token": self.token, "expires": self._renewed + self.ttl}
        self.collection.upsert(ids=[LEASE_ID], embeddings=[[1.0]], metadatas=[meta])

    def acquire(self) -> None:
        lease = self._read()
        if lease and lease.get("token") != self.token and float(lease.get("expires", 0)) > time.time():
            until = datetime.fromtimestamp(float(lease["expires"]), UTC).strftime("%H:%M:%S UTC")
            raise IndexBusyError(f"{busy_message(lease)} (if it has stopped, its hold lapses at {until})")
        self._since = _holder()["since"]
        self._write()
        time.sleep(self.settle)  # another writer starting in the same instant overwrites ours: read back
        lease = self._read()
        if not lease or lease.get("token") != self.token:
            raise IndexBusyError(busy_message(lease or {}))

        # Renewed in the background too: embedding one batch of large documents can take longer
        # than the lease, and the writer must not lose it mid-run.
        self._stop = threading.Event()
        threading.Thread(target=self._keep_alive, name="lmcs-lease", daemon=True).start()

    def _keep_alive(self) -> None:
        while not self._stop.wait(self.ttl / 4):
            with suppress(Exception):  # a server hiccup: the next round (or the writer's own renew) retries
                self.renew()

    def renew(self) -> None:
        if time.time() - self._renewed > self.ttl / 4:
            self._write()

    def release(self) -> None:
        self._stop.set()
        lease = self._read()
        if lease and lease.get("token") == self.token:
            self.collection.delete(ids=[LEASE_ID])


class WriterGate:
    """An index's writer lock as a store holds it: re-entrant in one thread, refused to another
    thread of this process as to another process.

    >>> import tempfile
    >>> gate = WriterGate(lambda: FileWriterLock(Path(tempfile.mkdtemp()) / "index.lock"))
    >>> with gate.hold(), gate.hold():  # the same thread again: fine
    ...     pass
    """

    def __init__(self, new_lock: Callable[[], WriterLock]) -> None:
        self._new_lock = new_lock
        self._thread = threading.RLock()
        self._depth = 0
        self.lock: WriterLock | None = None

    @contextmanager
    def hold(
        self, first: Callable[[], object] = lambda: None, last: Callable[[], object] = lambda: None
    ) -> Iterator[None]:
        """`first` runs once the lock is taken; `last` before it is released (its failure must not
        hide the write's own error), both for the outermost hold only."""
        if not self._thread.acquire(blocking=False):
            raise IndexBusyError(busy_message({"pid": os.getpid()}))
        try:
            if self._depth == 0:
                lock = self._new_lock()
                lock.acquire()
                self.lock = lock
            self._depth += 1
            try:
                if self._depth == 1:
                    first()
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self.lock is not None:
                    with suppress(Exception):
                        last()
                    self.lock.release()
                    self.lock = None
        finally:
            self._thread.release()
