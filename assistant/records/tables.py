"""The tables, as SQLAlchemy Core objects the stores query with (the schema itself is made by migrations/).

Times are stored as naive UTC (`UTCDateTime`) so SQLite and PostgreSQL compare them the same way.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """An aware UTC datetime in, naive UTC stored, aware UTC out."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("records take timezone-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    sa.Column("answer_id", sa.String(64), nullable=False, server_default=""),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("citations", sa.Text, nullable=False),  # JSON list
    sa.Column("rating", sa.SmallInteger, sa.CheckConstraint("rating IN (-1, 0, 1)"), nullable=False),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sa.Column("user_name", sa.String(64), nullable=False, server_default=""),
)

questions = sa.Table(
    "questions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("abstained", sa.Boolean, nullable=False),
    sa.Column("citations", sa.Integer, nullable=False),
    sa.Column("personal_data", sa.Text, nullable=False, server_default=""),  # comma-separated kinds
    sa.Column("user_name", sa.String(64), nullable=False, server_default=""),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("admin", sa.Boolean, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    sa.Column("actor", sa.String(255), nullable=False),
    sa.Column("action", sa.String(64), nullable=False, index=True),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
)

# Failed logins by user name and by client: counted over a window to lock out guessing.
login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("created_at", UTCDateTime, nullable=False, index=True),
    sa.Column("user_name", sa.String(255), nullable=False, index=True),
    sa.Column("client", sa.String(255), nullable=False, index=True),
)

# A lockout of one subject ("user" or "client") until a time; every app server reads the same rows.
lockouts = sa.Table(
    "lockouts",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("subject", sa.String(255), nullable=False),
    sa.Column("until", UTCDateTime, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Index("ix_lockouts_subject", "kind", "subject"),
)
