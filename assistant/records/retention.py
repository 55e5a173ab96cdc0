"""Retention: feedback and the question log are deleted after a period, on every app server at once
(they share one database), and the purge is written to the audit log.

On SQLite the deleted rows also leave the disk: secure_delete overwrites them in the file and a
checkpoint empties the write-ahead log. On PostgreSQL a VACUUM FULL rewrites the two tables, so
the old table files holding the rows are deleted (the server's own WAL and any backups keep them
until those are recycled; see README.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa

from assistant.records.audit import AuditLog
from assistant.records.db import Database
from assistant.records.tables import audit, feedback, lockouts, login_failures, questions, utcnow

log = logging.getLogger(__name__)
LOGIN_RECORDS_DAYS = 1  # failed-login counts and lockouts only matter for minutes; keep a day


@dataclass(frozen=True)
class PurgeResult:
    feedback: int
    questions: int
    audit: int = 0

    @property
    def total(self) -> int:
        return self.feedback + self.questions + self.audit


def purge(
    db: Database, audit_log: AuditLog, older_than_days: int, actor: str = "", audit_older_than_days: int | None = None
) -> PurgeResult:
    """Delete feedback and question-log records older than `older_than_days` (and audit events older
    than `audit_older_than_days` when given; by default the audit log is kept)."""
    if older_than_days < 1 or (audit_older_than_days is not None and audit_older_than_days < 1):
        raise ValueError("a retention period is at least one day")
    now = utcnow()
    cutoff = now - timedelta(days=older_than_days)
    with db.write() as conn:
        n_feedback = conn.execute(feedback.delete().where(feedback.c.created_at < cutoff)).rowcount
        n_questions = conn.execute(questions.delete().where(questions.c.created_at < cutoff)).rowcount
        n_audit = 0
        if audit_older_than_days is not None:
            old = now - timedelta(days=audit_older_than_days)
            n_audit = conn.execute(audit.delete().where(audit.c.created_at < old)).rowcount
        stale = now - timedelta(days=LOGIN_RECORDS_DAYS)
        conn.execute(login_failures.delete().where(login_failures.c.created_at < stale))
        conn.execute(lockouts.delete().where(lockouts.c.until < stale))
        result = PurgeResult(n_feedback, n_questions, n_audit)
        detail = f"{n_feedback} feedback, {n_questions} questions older than {older_than_days} days"
        if audit_older_than_days is not None:
            detail += f"; {n_audit} audit events older than {audit_older_than_days} days"
        audit_log.record("records.purged", actor, detail, conn)
    if result.total:
        _off_disk(db, ["feedback", "questions"] + (["audit"] if n_audit else []))
    return result


def _off_disk(db: Database, tables: list[str]) -> None:
    if db.dialect == "sqlite":
        db.checkpoint()
        return
    try:
        # VACUUM cannot run in a transaction; FULL writes new table files and deletes the old ones.
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql(f"VACUUM FULL {', '.join(tables)}")
    except sa.exc.DBAPIError as err:  # e.g. the app's database role does not own the tables
        log.warning("records purged, but VACUUM FULL failed (the rows stay in free space until reused): %s", err)
