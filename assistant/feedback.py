"""Thumbs up/down and comments on answers, and an audit log of questions, in SQLite in the data dir.

Everything is redacted before it is written (see assistant/privacy.py) and deleted after
the retention period (`purge`).

>>> store = FeedbackStore(":memory:")
>>> store.add("What is corporate parenting?", "From 3 documents…", [], rating=1)
1
"""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    citations TEXT NOT NULL,
    rating INTEGER NOT NULL CHECK (rating IN (-1, 0, 1)),
    comment TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT ''
)
"""
AUDIT_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    question TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    citations INTEGER NOT NULL,
    personal_data TEXT NOT NULL DEFAULT ''
)
"""
FILE_NAME = "feedback.sqlite3"  # in the data dir
COLUMNS = ("id", "created_at", "question", "answer", "citations", "rating", "comment", "user")
_SELECT_ALL = "SELECT id, created_at, question, answer, citations, rating, comment, user FROM feedback ORDER BY id"


def _keep(text: str) -> str:
    return text


class FeedbackStore:
    """`redact` is applied to every free text (question, answer, comment) before it is stored."""

    def __init__(self, path: Path | str, redact: Callable[[str], str] = _keep) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
        self.redact = redact
        # WAL + NORMAL: a question's audit write costs well under a millisecond instead of a
        # sync per commit (a power cut may lose the last few records, never corrupt the file).
        # secure_delete: purged records are overwritten, not left in free pages.
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA secure_delete=ON")
        with self._lock, self._db:
            self._db.execute(SCHEMA)
            self._db.execute(AUDIT_SCHEMA)

    def add(
        self,
        question: str,
        answer: str,
        citations: list[dict[str, Any]],
        rating: int,
        comment: str = "",
        user: str = "",
    ) -> int:
        """Record feedback on one answer; rating is 1 (up), -1 (down) or 0 (comment only)."""
        with self._lock, self._db:
            cursor = self._db.execute(
                "INSERT INTO feedback (created_at, question, answer, citations, rating, comment, user)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    self.redact(question),
                    self.redact(answer),
                    json.dumps(citations, ensure_ascii=False),
                    rating,
                    self.redact(comment.strip()),
                    user,
                ),
            )
            return int(cursor.lastrowid or 0)

    @classmethod
    def in_data_dir(cls, data_dir: Path, redact: Callable[[str], str] = _keep) -> FeedbackStore:
        return cls(Path(data_dir) / FILE_NAME, redact)

    def log_question(self, question: str, abstained: bool, citations: int, personal_data: list[str]) -> None:
        """The audit record of one question asked (redacted)."""
        with self._lock, self._db:
            self._db.execute(
                "INSERT INTO questions (created_at, question, abstained, citations, personal_data)"
                " VALUES (?, ?, ?, ?, ?)",
                (_now(), self.redact(question), int(abstained), citations, ",".join(personal_data)),
            )

    def questions(self) -> list[dict[str, Any]]:
        with self._lock:
            got = self._db.execute(
                "SELECT created_at, question, abstained, citations, personal_data FROM questions ORDER BY id"
            ).fetchall()
        return [
            dict(zip(("created_at", "question", "abstained", "citations", "personal_data"), r, strict=True))
            for r in got
        ]

    def purge(self, older_than_days: int) -> int:
        """Delete feedback and audit records older than the retention period; returns how many."""
        cutoff = (datetime.now(UTC) - timedelta(days=older_than_days)).isoformat(timespec="seconds")
        with self._lock, self._db:
            n = self._db.execute("DELETE FROM feedback WHERE created_at < ?", (cutoff,)).rowcount
            n += self._db.execute("DELETE FROM questions WHERE created_at < ?", (cutoff,)).rowcount
        with self._lock:  # and out of the write-ahead log too
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return n

    def rows(self) -> list[dict[str, Any]]:
        with self._lock:
            got = self._db.execute(_SELECT_ALL).fetchall()
        return [dict(zip(COLUMNS, row, strict=True)) for row in got]

    def export_csv(self, path: Path) -> int:
        rows = self.rows()
        with Path(path).open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        return len(rows)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
