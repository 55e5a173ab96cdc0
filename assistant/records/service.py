"""`Records`: every shared record of the app behind one object, on one database.

>>> records = Records.open("sqlite://")          # or Records.open(data_dir=Path(".lmcs"))
>>> records.feedback.add("What is corporate parenting?", "From 3 documents…", [], rating=1, answer_id="a1")
1
>>> records.purge(older_than_days=90).total
0
"""

from __future__ import annotations

from pathlib import Path

from assistant.records import migrate
from assistant.records.audit import AuditLog
from assistant.records.db import Database, default_url
from assistant.records.feedback import FeedbackLog
from assistant.records.legacy import ImportReport, import_feedback_sqlite, import_users_toml
from assistant.records.login import LoginGuard, LoginPolicy
from assistant.records.questions import QuestionLog
from assistant.records.retention import PurgeResult, purge
from assistant.records.users import Users


class Records:
    def __init__(self, db: Database, login_policy: LoginPolicy | None = None) -> None:
        self.db = db
        self.audit = AuditLog(db)
        self.feedback = FeedbackLog(db)
        self.questions = QuestionLog(db)
        self.users = Users(db, self.audit)
        self.login = LoginGuard(db, self.audit, login_policy)

    @classmethod
    def open(
        cls, url: str | None = None, data_dir: Path | None = None, login_policy: LoginPolicy | None = None
    ) -> Records:
        """Connect (URL, else SQLite in `data_dir`) and bring the schema up to date."""
        if url is None:
            if data_dir is None:
                raise ValueError("give a database URL or a data folder")
            url = default_url(data_dir)
        db = Database(url)
        migrate.upgrade(db)
        return cls(db, login_policy)

    def purge(self, older_than_days: int, actor: str = "", audit_older_than_days: int | None = None) -> PurgeResult:
        return purge(self.db, self.audit, older_than_days, actor, audit_older_than_days)

    def import_users_toml(self, path: Path, actor: str = "") -> ImportReport:
        return import_users_toml(self.users, path, actor)

    def import_feedback_sqlite(self, path: Path, actor: str = "") -> ImportReport:
        return import_feedback_sqlite(self.db, self.audit, path, actor)

    def close(self) -> None:
        self.db.close()
