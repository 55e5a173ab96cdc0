"""An existing deployment keeps its users and feedback: import of the old users.toml and of the
old feedback.sqlite3, written here exactly as the old assistant/auth.py and feedback.py wrote them.
"""

from __future__ import annotations

import sqlite3

import pytest

from assistant.records import Records
from assistant.records.passwords import hash_password

# The old auth file's format (assistant/auth.py before assistant/records/).
OLD_USERS = """[users.alice]
password = "{alice}"
admin = true

[users.bob-2]
password = "{bob}"
admin = false

[users."bob smith"]
password = "{bob}"
admin = false

[users.ab]
password = "{bob}"
admin = false
"""

# The old feedback store's schema and rows (assistant/feedback.py before assistant/records/).
OLD_SCHEMA = """
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
    citations TEXT NOT NULL, rating INTEGER NOT NULL CHECK (rating IN (-1, 0, 1)), comment TEXT NOT NULL DEFAULT '',
    user TEXT NOT NULL DEFAULT ''
);
CREATE TABLE questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created_at TEXT NOT NULL, question TEXT NOT NULL, abstained INTEGER NOT NULL,
    citations INTEGER NOT NULL, personal_data TEXT NOT NULL DEFAULT ''
);
"""
OLD_FEEDBACK = [
    ("2020-01-01T09:00:00+00:00", "An old question", "An old answer", '[{"doc_id": "a"}]', -1, "too old", "alice"),
    ("2099-01-01T09:00:00+00:00", "What must I do as LMCS?", "From 2 documents…", "[]", 1, "", ""),
]
OLD_QUESTIONS = [
    ("2020-01-01T09:00:00+00:00", "An old question", 0, 1, ""),
    ("2099-01-01T09:00:00+00:00", "Who is [NAME]?", 1, 0, "NAME"),
]


@pytest.fixture
def records(tmp_path):
    opened = Records.open(data_dir=tmp_path / "new")
    yield opened
    opened.close()


def test_users_from_the_old_login_file_keep_their_passwords(records, tmp_path):
    path = tmp_path / "users.toml"
    path.write_text(OLD_USERS.format(alice=hash_password("alice's password"), bob=hash_password("bob's password")))
    report = records.import_users_toml(path, actor="admin")
    assert report.added == 2
    assert [(u.name, u.admin) for u in records.users.all_users()] == [("alice", True), ("bob-2", False)]
    assert records.login.check("alice", "alice's password", "10.0.0.1")
    assert records.login.check("bob-2", "bob's password", "10.0.0.1")
    assert len(report.skipped) == 2 and all("is not allowed" in s for s in report.skipped)  # "bob smith", "ab"
    again = records.import_users_toml(path)
    assert again.added == 0 and any("already a user 'alice'" in s for s in again.skipped)
    imports = [e.detail for e in records.audit.events("records.imported")]
    assert imports == [f"2 users from {path}", f"0 users from {path}"]


def test_a_login_file_broken_by_a_bad_name_is_refused_clearly(records, tmp_path):
    """`lmcs user add 'bob#1'` used to write `[users.bob#1]`, which no TOML reader accepts."""
    path = tmp_path / "users.toml"
    path.write_text(f'[users.bob#1]\npassword = "{hash_password("x")}"\nadmin = false\n')
    with pytest.raises(ValueError, match="not a valid login file"):
        records.import_users_toml(path)
    assert records.users.all_users() == []


def test_old_feedback_and_question_log_come_across_once_with_their_dates(records, tmp_path):
    path = tmp_path / "feedback.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(OLD_SCHEMA)
        old.executemany(
            "INSERT INTO feedback (created_at, question, answer, citations, rating, comment, user)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            OLD_FEEDBACK,
        )
        old.executemany(
            "INSERT INTO questions (created_at, question, abstained, citations, personal_data) VALUES (?, ?, ?, ?, ?)",
            OLD_QUESTIONS,
        )
    old.close()
    assert records.import_feedback_sqlite(path).added == 4
    got = records.feedback.rows()
    assert [(f.question, f.rating, f.comment, f.user, f.citations) for f in got] == [
        ("An old question", -1, "too old", "alice", [{"doc_id": "a"}]),
        ("What must I do as LMCS?", 1, "", "", []),
    ]
    assert got[0].created_at.isoformat() == "2020-01-01T09:00:00+00:00"
    assert [(q.question, q.abstained, q.personal_data) for q in records.questions.rows()] == [
        ("An old question", False, []),
        ("Who is [NAME]?", True, ["NAME"]),
    ]
    assert records.import_feedback_sqlite(path).added == 0  # a second run adds nothing twice
    assert len(records.feedback.rows()) == 2
    # The old dates count for retention: the 2020 records go at the first purge.
    purged = records.purge(90)
    assert (purged.feedback, purged.questions) == (1, 1)
    assert [f.question for f in records.feedback.rows()] == ["What must I do as LMCS?"]
