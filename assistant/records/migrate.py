"""Schema migrations (Alembic, shipped in migrations/), run at start-up: `upgrade(db)` brings any
database to the newest schema and does nothing when it is already there.

Several app servers may start at once against one PostgreSQL: a lock held for the migration's
transaction makes the others wait, then find nothing left to do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError

from assistant.records.db import Database

MIGRATIONS = Path(__file__).parent / "migrations"
PG_LOCK_ID = 0x4C4D4353  # "LMCS": any constant shared by every app server


def _config(conn: sa.Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer version of the app (e.g. mid-way through a rolling upgrade)."""


def upgrade(db: Database) -> None:
    try:
        with db.write() as conn:
            command.upgrade(_config(conn), "head")
    except CommandError as err:
        if "Can't locate revision" not in str(err):
            raise
        raise SchemaTooNewError(
            f"the records database is at schema {current(db)!r}, which this version of the app does not know"
            f" (newest here: {head()!r}); upgrade this app server to the version the others run"
        ) from err


def current(db: Database) -> str | None:
    """The revision the database is at (None: empty)."""
    with db.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def run_in_alembic_context(context: Any) -> None:
    """The body of migrations/env.py: migrate on the connection `upgrade` handed over."""
    conn: sa.Connection | None = context.config.attributes.get("connection")
    if conn is None:
        raise RuntimeError("run migrations through assistant.records (Records.open), not the alembic command")
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_LOCK_ID})")
    # transactional_ddl: the whole upgrade commits or none of it does, on SQLite too.
    context.configure(connection=conn, transactional_ddl=True)
    context.run_migrations()
