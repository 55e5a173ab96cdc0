"""Shared records on SQLite and on a real PostgreSQL: the same table of behaviours on both, then
several app servers (separate processes) sharing one PostgreSQL database.

The PostgreSQL server is Debian's package (make postgres-deps), started here in a temp folder as the
`postgres` user; without it these tests skip, and under CI=true they fail.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
import sqlalchemy as sa

from assistant.records import NAME_RULE, Records, UserError, migrate
from assistant.records.db import Database
from assistant.records.tables import utcnow

OLD = utcnow() - timedelta(days=200)


# The real PostgreSQL server is the session fixture `postgres` (tests/conftest.py, evals/postgres.py).


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'records.sqlite3'}"
    return request.getfixturevalue("postgres").new_database()


@pytest.fixture
def records(database_url):
    opened = Records.open(database_url)
    yield opened
    opened.close()


# --- the same behaviours on both databases ----------------------------------------------------

CITATIONS = [{"doc_id": "ch-act-2004", "title": "Children Act 2004", "quote": "a lead member for children’s services"}]


def test_feedback_round_trip_and_csv_export(records, tmp_path):
    first = records.feedback.add(
        "What must I do as LMCS?", "From 2 documents: …", CITATIONS, rating=-1, comment=" Missing s19 ", user="alice"
    )
    records.feedback.add("Second question", "Answer", [], rating=1, answer_id="ans-2")
    got = records.feedback.rows()
    assert [f.id for f in got] == [first, first + 1]
    assert got[0].citations == CITATIONS and got[0].comment == "Missing s19" and got[0].user == "alice"
    assert got[0].created_at.tzinfo is not None and abs(got[0].created_at - utcnow()) < timedelta(minutes=1)
    assert [f.question for f in records.feedback.rows(answer_id="ans-2")] == ["Second question"]

    out = tmp_path / "feedback.csv"
    assert records.feedback.export_csv(out) == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == [
        "id",
        "created_at",
        "question",
        "answer",
        "citations",
        "rating",
        "comment",
        "user",
        "answer_id",
    ]
    assert rows[0]["question"] == "What must I do as LMCS?" and json.loads(rows[0]["citations"]) == CITATIONS
    assert rows[0]["rating"] == "-1" and rows[1]["answer_id"] == "ans-2"
    assert rows[0]["created_at"].endswith("+00:00")
    assert out.stat().st_mode & 0o777 == 0o600


def test_a_rating_other_than_up_down_or_none_is_refused(records):
    with pytest.raises(ValueError, match="-1, 0 or 1"):
        records.feedback.add("q", "a", [], rating=5)
    assert records.feedback.rows() == []


def test_question_log_keeps_what_it_was_given(records):
    records.questions.log("Who is [NAME]?", abstained=True, citations=0, personal_data=["NAME"], user="bob")
    records.questions.log("What is corporate parenting?", abstained=False, citations=3, personal_data=[])
    got = records.questions.rows()
    assert [(q.question, q.abstained, q.citations, q.personal_data, q.user) for q in got] == [
        ("Who is [NAME]?", True, 0, ["NAME"], "bob"),
        ("What is corporate parenting?", False, 3, [], ""),
    ]


def test_purge_removes_old_records_keeps_new_ones_and_is_audited(records):
    records.feedback.add("old feedback", "a", [], 1, created_at=OLD)
    records.feedback.add("new feedback", "a", [], 1)
    records.questions.log("old question", False, 1, [], created_at=OLD)
    records.questions.log("new question", False, 1, [])
    result = records.purge(90, actor="admin")
    assert (result.feedback, result.questions) == (1, 1)
    assert [f.question for f in records.feedback.rows()] == ["new feedback"]
    assert [q.question for q in records.questions.rows()] == ["new question"]
    (event,) = records.audit.events("records.purged")
    assert event.actor == "admin" and "1 feedback, 1 questions older than 90 days" in event.detail
    assert records.purge(90).total == 0  # nothing left that old


def test_users_add_verify_list_remove(records):
    records.users.add("alice", "a long password 1", admin=True, actor="setup")
    records.users.add("bob.smith-2", "a long password 2")
    assert records.users.verify("alice", "a long password 1")
    assert not records.users.verify("alice", "a long password 2") and not records.users.verify("carol", "x")
    assert [(u.name, u.admin) for u in records.users.all_users()] == [("alice", True), ("bob.smith-2", False)]
    assert (
        records.users.is_admin("alice")
        and not records.users.is_admin("bob.smith-2")
        and not records.users.is_admin(None)
    )
    records.users.set_password("bob.smith-2", "a new password")
    assert records.users.verify("bob.smith-2", "a new password")
    records.users.remove("alice", actor="bob.smith-2")
    assert not records.users.verify("alice", "a long password 1") and records.users.count() == 1
    with pytest.raises(UserError, match="no user 'alice'"):
        records.users.remove("alice")
    trail = [(e.action, e.actor, e.detail) for e in records.audit.events()]
    assert ("user.added", "setup", "alice (admin)") in trail and ("user.removed", "bob.smith-2", "alice") in trail
    assert ("user.password_changed", "system", "bob.smith-2") in trail


@pytest.mark.parametrize(
    "name",
    ["bob#1", "bob smith", "ab", "a" * 65, "[users.x]", 'bob"', "bob\n", "ålice", "", "alice=admin"],
    ids=["hash", "space", "too-short", "too-long", "toml-table", "quote", "newline", "non-ascii", "empty", "equals"],
)
def test_invalid_user_names_are_refused_with_the_rule(records, name):
    with pytest.raises(UserError) as refused:
        records.users.add(name, "a long password")
    assert NAME_RULE in str(refused.value)
    assert records.users.all_users() == []


def test_a_name_differing_only_in_case_is_taken(records):
    records.users.add("alice", "a long password")
    with pytest.raises(UserError, match="already a user 'alice'"):
        records.users.add("Alice", "another password")
    assert [u.name for u in records.users.all_users()] == ["alice"]


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self):
        return self.now


def test_five_wrong_passwords_lock_the_user_until_the_lockout_ends(records):
    clock = Clock()
    records.login.clock = clock
    records.users.add("alice", "the right password")
    assert [records.login.check("alice", "wrong", "10.0.0.1") for _ in range(5)] == [False] * 5
    assert not records.login.check("alice", "the right password", "10.0.0.2")  # locked, from any client
    clock.now += timedelta(minutes=16)
    assert records.login.check("alice", "the right password", "10.0.0.2")
    assert len(records.audit.events("login.failed")) == 6
    (locked,) = records.audit.events("login.locked")
    assert "user alice locked for 15 minutes after 5 failed logins" in locked.detail


def test_migrations_upgrade_an_empty_database_and_again_is_a_no_op(database_url):
    db = Database(database_url)
    assert migrate.current(db) is None
    migrate.upgrade(db)
    assert migrate.current(db) == migrate.head() == "0001"
    names = set(sa.inspect(db.engine).get_table_names())
    assert {"feedback", "questions", "users", "audit", "login_failures", "lockouts"} <= names
    Records(db).feedback.add("kept", "a", [], 1)
    migrate.upgrade(db)
    assert migrate.current(db) == "0001" and [f.question for f in Records(db).feedback.rows()] == ["kept"]
    db.close()


def test_a_database_migrated_by_a_newer_app_is_refused_clearly(database_url):
    db = Database(database_url)
    migrate.upgrade(db)
    with db.write() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    with pytest.raises(migrate.SchemaTooNewError, match="schema '0099', which this version of the app does not know"):
        migrate.upgrade(db)
    db.close()


# --- on disk ----------------------------------------------------------------------------------

SECRET = "Flat 3 Marker Road purge-me-7d1f"


def test_sqlite_files_are_private(tmp_path):
    records = Records.open(data_dir=tmp_path / "data")
    records.feedback.add("q", "a", [], 1)
    files = sorted(p.name for p in (tmp_path / "data").iterdir())
    assert files == ["records.sqlite3", "records.sqlite3-shm", "records.sqlite3-wal"]
    for name in files:
        assert (tmp_path / "data" / name).stat().st_mode & 0o777 == 0o600, name
    records.close()


def test_a_purge_on_sqlite_leaves_no_trace_of_the_record_in_its_files(tmp_path):
    records = Records.open(data_dir=tmp_path)

    def on_disk() -> bytes:
        return b"".join(p.read_bytes() for p in tmp_path.iterdir())

    records.feedback.add(SECRET, "an answer", [], -1, comment=SECRET, created_at=OLD)
    records.questions.log(SECRET, False, 1, [], created_at=OLD)
    assert SECRET.encode() in on_disk()  # the check below can see it
    assert records.purge(90).total == 2
    assert SECRET.encode() not in on_disk()
    records.close()


def test_a_purge_on_postgresql_leaves_no_trace_in_the_table_files(postgres):
    url = postgres.new_database()
    records = Records.open(url)

    def on_disk() -> bytes:
        with records.db.read() as conn:
            oid = conn.exec_driver_sql("SELECT oid FROM pg_database WHERE datname = current_database()").scalar()
        files = (postgres.root / "data" / "base" / str(oid)).iterdir()
        return b"".join(p.read_bytes() for p in files if p.is_file())

    def checkpoint() -> None:
        with records.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("CHECKPOINT")

    records.feedback.add(SECRET, "an answer", [], -1, comment=SECRET, created_at=OLD)
    records.questions.log(SECRET, False, 1, [], created_at=OLD)
    checkpoint()
    assert SECRET.encode() in on_disk()
    assert records.purge(90).total == 2
    checkpoint()
    assert SECRET.encode() not in on_disk()
    records.close()


# --- several app servers on one PostgreSQL -----------------------------------------------------


def app_server(url: str, code: str) -> str:
    """Run `code` in a separate Python process (another app server) with `records` open on `url`."""
    script = (
        "import sys\nfrom datetime import timedelta\n"
        "from assistant.records import Records\nfrom assistant.records.tables import utcnow\n"
    )
    script += "records = Records.open(sys.argv[1])\n" + textwrap.dedent(code)
    done = subprocess.run([sys.executable, "-c", script, url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


TWO_SERVERS = [
    (
        "feedback-written-by-one-is-exported-by-the-other",
        "records.feedback.add('Asked on server A', 'answer', [], 1, user='alice')",
        "import csv, tempfile\n"
        "out = tempfile.mktemp(suffix='.csv'); records.feedback.export_csv(out)\n"
        "print([r['question'] for r in csv.DictReader(open(out))])",
        "['Asked on server A']",
    ),
    (
        "a-user-added-on-one-logs-in-on-the-other",
        "records.users.add('alice', 'a long password', admin=True)",
        "print(records.login.check('alice', 'a long password', '10.0.0.9'), records.users.is_admin('alice'))",
        "True True",
    ),
    (
        "a-purge-on-one-removes-records-written-by-the-other",
        "records.questions.log('old', False, 1, [], created_at=utcnow() - timedelta(days=200))\n"
        "records.questions.log('new', False, 1, [])",
        "print(records.purge(90, actor='admin').questions, [q.question for q in records.questions.rows()])",
        "1 ['new']",
    ),
    (
        "a-lockout-triggered-through-one-blocks-the-other",
        "records.users.add('alice', 'a long password')\n"
        "print([records.login.check('alice', 'guess', '10.0.0.1') for _ in range(5)])",
        "print(records.login.check('alice', 'a long password', '10.0.0.2'))",
        "False",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(("first", "then", "expected"), [t[1:] for t in TWO_SERVERS], ids=[t[0] for t in TWO_SERVERS])
def test_two_app_servers_share_one_postgresql(postgres, first, then, expected):
    url = postgres.new_database()
    app_server(url, first)
    assert app_server(url, then) == expected


@pytest.mark.slow
def test_app_servers_starting_together_migrate_once(postgres):
    url = postgres.new_database()
    code = "import sys\nfrom assistant.records import Records\nRecords.open(sys.argv[1]).feedback.add('q', 'a', [], 1)"
    starting = [
        subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, text=True) for _ in range(3)
    ]
    for process in starting:
        assert process.wait(timeout=120) == 0, process.stderr.read() if process.stderr else ""
    records = Records(Database(url))
    assert migrate.current(records.db) == migrate.head() and len(records.feedback.rows()) == 3
    records.close()
