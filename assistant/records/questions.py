"""The question log: one record per question asked, for audit (what was asked, was it answered).

Like feedback, it stores exactly what it is given: the chain redacts the question first and
passes the kinds of personal data it found (e.g. ["NAME", "DOB"]), never the data itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from assistant.records.db import Database
from assistant.records.tables import questions, utcnow


@dataclass(frozen=True)
class LoggedQuestion:
    created_at: datetime
    question: str
    abstained: bool
    citations: int
    personal_data: list[str]
    user: str


class QuestionLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    def log(
        self,
        question: str,
        abstained: bool,
        citations: int,
        personal_data: list[str],
        user: str = "",
        created_at: datetime | None = None,
    ) -> None:
        row = {
            "created_at": created_at or utcnow(),
            "question": question,
            "abstained": abstained,
            "citations": citations,
            "personal_data": ",".join(personal_data),
            "user_name": user,
        }
        with self.db.write() as conn:
            conn.execute(questions.insert().values(row))

    def rows(self) -> list[LoggedQuestion]:
        """Oldest first."""
        query = sa.select(
            questions.c.created_at,
            questions.c.question,
            questions.c.abstained,
            questions.c.citations,
            questions.c.personal_data,
            questions.c.user_name,
        ).order_by(questions.c.id)
        with self.db.read() as conn:
            return [
                LoggedQuestion(at, q, bool(abst), n, [k for k in kinds.split(",") if k], user)
                for at, q, abst, n, kinds, user in conn.execute(query)
            ]
