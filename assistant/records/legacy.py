"""Bring an existing deployment's records in: its users.toml (the old login file) and its
feedback.sqlite3 (old feedback and question log). Run once per app server's data folder; running
again adds nothing twice, so the files of several servers can all be imported into one database.
"""

from __future__ import annotations

import json
import sqlite3
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from assistant.records.audit import AuditLog
from assistant.records.db import Database
from assistant.records.tables import feedback, questions
from assistant.records.users import UserError, Users


@dataclass
class ImportReport:
    added: int = 0
    skipped: list[str] = field(default_factory=list)  # one line per record left out, saying why

    def summary(self) -> str:
        lines = [f"{self.added} added, {len(self.skipped)} skipped", *(f"  skipped: {s}" for s in self.skipped)]
        return "\n".join(lines)


def import_users_toml(users: Users, path: Path, actor: str = "") -> ImportReport:
    """Users with their existing password hashes (they keep their passwords); names already taken or
    not allowed by the new rule are skipped and listed."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{path} is not a valid login file ({err}); fix or remove the broken entry") from err
    report = ImportReport()
    for name, entry in data.get("users", {}).items():
        stored = str(entry.get("password", "")) if isinstance(entry, dict) else ""
        if not stored.startswith("scrypt$"):
            report.skipped.append(f"{name!r}: no scrypt password hash")
            continue
        try:
            users.add_hashed(name, stored, bool(entry.get("admin", False)), actor)
        except UserError as err:
            report.skipped.append(str(err))
            continue
        report.added += 1
    users.audit.record("records.imported", actor, f"{report.added} users from {path}")
    return report


def import_feedback_sqlite(db: Database, audit: AuditLog, path: Path, actor: str = "") -> ImportReport:
    """Old feedback and question-log rows, with their original times (so retention still applies)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no old feedback file at {path}")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as old:
        tables = {r[0] for r in old.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        old_feedback = (
            old.execute(
                "SELECT created_at, question, answer, citations, rating, comment, user FROM feedback ORDER BY id"
            ).fetchall()
            if "feedback" in tables
            else []
        )
        old_questions = (
            old.execute(
                "SELECT created_at, question, abstained, citations, personal_data FROM questions ORDER BY id"
            ).fetchall()
            if "questions" in tables
            else []
        )
    report = ImportReport()
    with db.write() as conn:
        have = {
            tuple(r)
            for r in conn.execute(
                sa.select(
                    feedback.c.created_at,
                    feedback.c.question,
                    feedback.c.answer,
                    feedback.c.rating,
                    feedback.c.comment,
                    feedback.c.user_name,
                )
            )
        }
        for at, question, answer, citations, rating, comment, user in old_feedback:
            when = _when(at)
            if (when, question, answer, rating, comment, user) in have:
                report.skipped.append(f"feedback of {at} already imported")
                continue
            json.loads(citations)  # refuse a damaged row rather than store it
            conn.execute(
                feedback.insert().values(
                    created_at=when,
                    question=question,
                    answer=answer,
                    citations=citations,
                    rating=rating,
                    comment=comment,
                    user_name=user,
                )
            )
            report.added += 1
        have_q = {tuple(r) for r in conn.execute(sa.select(questions.c.created_at, questions.c.question))}
        for at, question, abstained, n, kinds in old_questions:
            when = _when(at)
            if (when, question) in have_q:
                report.skipped.append(f"question of {at} already imported")
                continue
            conn.execute(
                questions.insert().values(
                    created_at=when, question=question, abstained=bool(abstained), citations=n, personal_data=kinds
                )
            )
            report.added += 1
        audit.record("records.imported", actor, f"{report.added} feedback and question records from {path}", conn)
    return report


def _when(text: str) -> datetime:
    """The old store's ISO times (UTC, '+00:00')."""
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)
