"""Thumbs up/down and comments on answers, each attached to the answer it was given on (`answer_id`).

The store writes exactly what it is given: redacting personal data is the answer chain's job,
before it calls `add`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from assistant.records.csvfile import write_csv
from assistant.records.db import Database
from assistant.records.tables import feedback, utcnow

# The old FeedbackStore's export columns, in its order, then the answer id.
CSV_COLUMNS = ("id", "created_at", "question", "answer", "citations", "rating", "comment", "user", "answer_id")


@dataclass(frozen=True)
class Feedback:
    id: int
    created_at: datetime
    question: str
    answer: str
    citations: list[dict[str, Any]]
    rating: int
    comment: str
    user: str
    answer_id: str


class FeedbackLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def add(
        self,
        question: str,
        answer: str,
        citations: list[dict[str, Any]],
        rating: int,
        comment: str = "",
        user: str = "",
        answer_id: str = "",
        created_at: datetime | None = None,
    ) -> int:
        """Record feedback on one answer; rating is 1 (up), -1 (down) or 0 (comment only). Returns its id."""
        if rating not in (-1, 0, 1):
            raise ValueError(f"a rating is -1, 0 or 1, not {rating!r}")
        row = {
            "created_at": created_at or utcnow(),
            "answer_id": answer_id,
            "question": question,
            "answer": answer,
            "citations": json.dumps(citations, ensure_ascii=False),
            "rating": rating,
            "comment": comment.strip(),
            "user_name": user,
        }
        with self.db.write() as conn:
            key = conn.execute(feedback.insert().values(row)).inserted_primary_key
        assert key is not None  # an INSERT of one row always has one
        return int(key[0])

    def rows(self, answer_id: str | None = None) -> list[Feedback]:
        """Oldest first; only those on one answer when `answer_id` is given."""
        query = sa.select(feedback).order_by(feedback.c.id)
        if answer_id is not None:
            query = query.where(feedback.c.answer_id == answer_id)
        with self.db.read() as conn:
            found = conn.execute(query).mappings().all()
        return [
            Feedback(
                id=r["id"],
                created_at=r["created_at"],
                question=r["question"],
                answer=r["answer"],
                citations=json.loads(r["citations"]),
                rating=r["rating"],
                comment=r["comment"],
                user=r["user_name"],
                answer_id=r["answer_id"],
            )
            for r in found
        ]

    def export_csv(self, path: Path) -> int:
        """All feedback to CSV (owner-only file); returns the number of rows."""
        rows = (
            (
                f.id,
                f.created_at.isoformat(timespec="seconds"),
                f.question,
                f.answer,
                json.dumps(f.citations, ensure_ascii=False),
                f.rating,
                f.comment,
                f.user,
                f.answer_id,
            )
            for f in self.rows()
        )
        return write_csv(path, CSV_COLUMNS, rows)
