"""The audit log of admin and security events: who did what, when, with a line of detail.

Actions are dotted names; these are the ones the app writes (ACTIONS). The log is kept when
feedback is purged unless `purge` is given an audit period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa

from assistant.records.csvfile import write_csv
from assistant.records.db import Database
from assistant.records.tables import audit, utcnow

ACTIONS = (
    "document.added",
    "document.removed",
    "document.relabelled",
    "user.added",
    "user.removed",
    "user.password_changed",
    "records.purged",
    "records.imported",
    "login.failed",
    "login.locked",
    "login.unlocked",
)
SYSTEM = "system"  # the actor for what the app does on its own (a purge at start-up)


@dataclass(frozen=True)
class AuditEvent:
    created_at: datetime
    actor: str
    action: str
    detail: str


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, action: str, actor: str, detail: str = "", conn: sa.Connection | None = None) -> None:
        """Write one event; inside `conn`'s transaction when given, so it commits with what it records."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r} (one of {', '.join(ACTIONS)})")
        row = {"created_at": utcnow(), "actor": actor or SYSTEM, "action": action, "detail": detail}
        if conn is not None:
            conn.execute(audit.insert().values(row))
            return
        with self.db.write() as own:
            own.execute(audit.insert().values(row))

    def events(self, action: str | None = None, since: datetime | None = None) -> list[AuditEvent]:
        """Oldest first."""
        query = sa.select(audit.c.created_at, audit.c.actor, audit.c.action, audit.c.detail).order_by(audit.c.id)
        if action is not None:
            query = query.where(audit.c.action == action)
        if since is not None:
            query = query.where(audit.c.created_at >= since)
        with self.db.read() as conn:
            return [AuditEvent(*row) for row in conn.execute(query)]

    def export_csv(self, path: Path) -> int:
        rows = ((e.created_at.isoformat(timespec="seconds"), e.actor, e.action, e.detail) for e in self.events())
        return write_csv(path, ("created_at", "actor", "action", "detail"), rows)
