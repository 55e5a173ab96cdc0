"""A real PostgreSQL server in a temp folder, for tests and benchmarks of shared records.

Debian's package (`make postgres-deps`): initdb into a new folder, a loopback port, trust
authentication for the user `lmcs`, stopped and deleted at the end. initdb refuses to run as
root, so as root the server runs as the package's `postgres` user.

    with postgres_server() as pg:
        url = pg.new_database()     # postgresql://lmcs@127.0.0.1:PORT/t_…, empty
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


class PostgresMissing(RuntimeError):
    """No PostgreSQL binaries on this machine."""


@dataclass
class Postgres:
    bindir: Path
    root: Path  # the server's folder: data/ (the cluster), log, the socket
    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://lmcs@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A new empty database on this server; its URL."""
        import sqlalchemy as sa

        name = f"t_{uuid.uuid4().hex[:12]}"
        engine = sa.create_engine(
            self.url().replace("postgresql:", "postgresql+psycopg:"), isolation_level="AUTOCOMMIT"
        )
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        engine.dispose()
        return self.url(name)


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    return Path(found[-1]).parent if found else None


def _as_postgres(cmd: list[str]) -> list[str]:
    """initdb refuses to run as root: run the server as the package's `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_server() -> Iterator[Postgres]:
    """Start a throwaway server (fsync off: its data is thrown away); stop and delete it at the end."""
    bindir = find_bindir()
    if bindir is None:
        raise PostgresMissing("PostgreSQL is not installed (make postgres-deps installs Debian's package)")
    root = Path(tempfile.mkdtemp(prefix="lmcs-pg-"))  # not pytest's tmp dir: the postgres user cannot enter it
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    server = Postgres(bindir, root, _free_port())
    data = root / "data"
    pg_ctl = str(bindir / "pg_ctl")
    try:
        subprocess.run(
            _as_postgres(
                [str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "lmcs", "-E", "UTF8", "--no-sync"]
            ),
            check=True,
            capture_output=True,
        )
        options = f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(root / "log"), "-w", "start"]),
            check=True,
            capture_output=True,
        )
        yield server
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
