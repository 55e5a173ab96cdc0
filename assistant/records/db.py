"""One records database for every app server, given by a URL: SQLite by default, PostgreSQL when shared.

>>> db = Database("sqlite://")   # in memory; a real deployment gives a file or postgresql URL
>>> db.dialect
'sqlite'
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import StaticPool

FILE_NAME = "records.sqlite3"  # in the data dir, when no LMCS_DATABASE_URL is given
SQLITE_BUSY_SECONDS = 10  # how long a writer waits for another (process or thread) before failing


def default_url(data_dir: Path | str) -> str:
    return f"sqlite:///{Path(data_dir).resolve() / FILE_NAME}"


def normalise_url(url: str) -> sa.URL:
    """`postgresql://` and `postgres://` mean psycopg 3 here (SQLAlchemy would otherwise look for psycopg2)."""
    parsed = sa.make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(f"records need SQLite or PostgreSQL, not {parsed.get_backend_name()!r}")
    return parsed


class Database:
    """The engine plus two ways in: `read()` and `write()`, each one transaction."""

    def __init__(self, url: str) -> None:
        self.url = normalise_url(url)
        self.dialect = self.url.get_backend_name()
        self.path: Path | None = None
        if self.dialect == "sqlite":
            self.engine = self._sqlite_engine()
        else:
            # pre_ping: a database restarted under a long-running app server is reconnected, not an error.
            self.engine = sa.create_engine(self.url, pool_pre_ping=True)

    def _sqlite_engine(self) -> sa.Engine:
        database = self.url.database or ""
        kwargs: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False}}
        if database in ("", ":memory:"):
            kwargs["poolclass"] = StaticPool  # one shared in-memory database, not one per connection
        else:
            self.path = Path(database)
            _create_private(self.path)
        engine = sa.create_engine(self.url, **kwargs)
        sa.event.listen(engine, "connect", _sqlite_connect)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A transaction that will write: on SQLite it takes the write lock at once (BEGIN IMMEDIATE),
        so two writers queue for up to SQLITE_BUSY_SECONDS instead of one failing mid-way."""
        with self.engine.connect() as plain:
            conn = plain.execution_options(lmcs_write=True)
            with conn.begin():
                yield conn

    def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the file and empty it, so deleted rows leave the WAL too."""
        if self.dialect == "sqlite" and self.path is not None:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        self.engine.dispose()


def _create_private(path: Path) -> None:
    """Create the file 0600 before SQLite does (SQLite gives its -wal and -shm files the same mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    os.close(fd)
    path.chmod(0o600)  # an existing file made 0644 by an older version is closed up too
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.chmod(0o600)


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy's begin event issue BEGIN itself (pysqlite's own transaction handling skips DDL
    # and cannot take the write lock up front).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    # WAL: readers never wait for the writer. NORMAL: no fsync per commit (a power cut may lose the
    # last records, never corrupt the file). secure_delete: deleted rows are overwritten, not left in
    # free pages. foreign_keys: for later migrations.
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "secure_delete=ON", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    write = conn.get_execution_options().get("lmcs_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
