"""The first schema: feedback, question log, users, audit log, login failures and lockouts.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
        sa.Column("answer_id", sa.String(64), nullable=False, server_default=""),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("citations", sa.Text, nullable=False),
        sa.Column("rating", sa.SmallInteger, nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("user_name", sa.String(64), nullable=False, server_default=""),
        sa.CheckConstraint("rating IN (-1, 0, 1)", name="ck_feedback_rating"),
    )
    op.create_index("ix_feedback_answer_id", "feedback", ["answer_id"])
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("abstained", sa.Boolean, nullable=False),
        sa.Column("citations", sa.Integer, nullable=False),
        sa.Column("personal_data", sa.Text, nullable=False, server_default=""),
        sa.Column("user_name", sa.String(64), nullable=False, server_default=""),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("admin", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    # "Alice" and "alice" would be two accounts that look like one: refuse the second, on every server.
    op.create_index("ix_users_name_lower", "users", [sa.text("lower(name)")], unique=True)
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(64), nullable=False, index=True),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.DateTime, nullable=False, index=True),
        sa.Column("user_name", sa.String(255), nullable=False, index=True),
        sa.Column("client", sa.String(255), nullable=False, index=True),
    )
    op.create_table(
        "lockouts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("until", sa.DateTime, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_lockouts_subject", "lockouts", ["kind", "subject"])


def downgrade() -> None:
    for table in ("lockouts", "login_failures", "audit", "users", "questions", "feedback"):
        op.drop_table(table)
