"""Thumbs up/down and comments on answers, kept in SQLite in the data dir.

>>> store = FeedbackStore(":memory:")
>>> store.add("What is corporate parenting?", "From 3 documents…", [], rating=1)
1
"""

from __future__ import annotations

import csv
import json
import sqlite3
import threading
from datetime import UTC, datetime
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
COLUMNS = ("id", "created_at", "question", "answer", "citations", "rating", "comment", "user")
_SELECT_ALL = "SELECT id, created_at, question, answer, citations, rating, comment, user FROM feedback ORDER BY id"


class FeedbackStore:
    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.execute(SCHEMA)

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
                    datetime.now(UTC).isoformat(timespec="seconds"),
                    question,
                    answer,
                    json.dumps(citations, ensure_ascii=False),
                    rating,
                    comment.strip(),
                    user,
                ),
            )
            return int(cursor.lastrowid or 0)

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
