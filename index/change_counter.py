"""Whether an embedded Chroma's database has been written since we last looked, for a few microseconds.

Every question follows the index's version record (`ChromaStore.refresh`), so a running app sees
another process's change at its next question. Reading the record is a Chroma `get()`: ~0.3–1 ms
of a ~5 ms warm answer; `watched(record, db_file)` reads it again only after a commit.

SQLite keeps a "file change counter" in its header (4 bytes at offset 24) and, in rollback-journal
mode (what Chroma's SQLite uses), bumps it on every commit that changed the file, whichever process
or connection made it. Unchanged counter, same file: nothing was committed, so the record is as
last read. In WAL mode the counter is not bumped; then `read()` says None and the record is read
every time, as before.

The file is read with `os.pread` on a descriptor kept open, never through a second SQLite library:
closing any descriptor of a file drops every POSIX lock this process holds on it, including the
locks Chroma's own SQLite holds (sqlite.org/howtocorrupt.html, 2.2). The descriptor is closed only
once the file it reads has been replaced (a deleted and rebuilt index), which Chroma no longer uses.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

_HEADER = b"SQLite format 3\x00"


class ChangeCounter:
    """`ChangeCounter(path).read()` → a token that changes with every commit to the file, or None
    when it cannot tell (no file, not SQLite, WAL mode): then assume a change."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._fd: int | None = None
        self._inode: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def read(self) -> tuple[int, int, bytes] | None:
        with self._lock:
            try:
                st = os.stat(self.path)
                if (st.st_dev, st.st_ino) != self._inode:
                    self._reopen()
                assert self._fd is not None and self._inode is not None
                head = os.pread(self._fd, 28, 0)
            except OSError:
                return None
            inode = self._inode
        if len(head) < 28 or not head.startswith(_HEADER) or head[18:20] != b"\x01\x01":  # 2, 2: WAL
            return None
        return (*inode, head[24:28])

    def _reopen(self) -> None:
        fd = os.open(self.path, os.O_RDONLY)
        st = os.fstat(fd)
        old, self._fd, self._inode = self._fd, fd, (st.st_dev, st.st_ino)
        if old is not None:  # its file was replaced: that inode is no longer Chroma's (held open, it is not reused)
            os.close(old)


_COUNTERS: dict[str, ChangeCounter] = {}
_COUNTERS_LOCK = threading.Lock()


def change_counter(path: Path) -> ChangeCounter:
    """One counter (one descriptor) per database file per process, shared by every store reading it:
    a descriptor is never closed while its file is live, so one per store would leak one per store."""
    with _COUNTERS_LOCK:
        return _COUNTERS.setdefault(str(path), ChangeCounter(path))


class WatchedRecord:
    """A version record (`index.version.VersionRecord`) read again only once something was committed
    to the database since it was last read; the same `read`, `write` and `collection`."""

    def __init__(self, record: Any, counter: ChangeCounter) -> None:
        self.record = record
        self.collection = record.collection
        self.counter = counter
        self._last: tuple[tuple[int, int, bytes], Any] | None = None  # (counter, record) at the last read

    def read(self) -> Any:
        seen = self.counter.read()  # before the record: a commit after this shows at the next read
        last = self._last
        if seen is not None and last is not None and last[0] == seen:
            return last[1]
        found = self.record.read()
        self._last = (seen, found) if seen is not None else None
        return found

    def write(self, version: Any) -> None:
        self.record.write(version)  # a commit: the next read reads the record again


def watched(record: Any, db_file: Path | None) -> Any:
    """`record`, read only after a commit when it lives in the embedded database `db_file`."""
    return WatchedRecord(record, change_counter(db_file)) if db_file is not None else record
