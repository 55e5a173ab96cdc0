"""The README's shared deployment, as an operator runs it: a `chroma run` server, a real PostgreSQL,
the corpus ingested once, a user added with `lmcs user add`, two `lmcs serve` processes with login
on, and signed-in users asking through both at once (evals/shared.py, small).

What an operator would notice: no errors, every quote word for word in the indexed text, and the
two servers agreeing on feedback, users, the question log and the audit log.
Without PostgreSQL or chromadb's `chroma` command this skips; under CI=true it fails instead.
"""

from __future__ import annotations

import os

import pytest

from evals.postgres import find_bindir
from evals.shared import CHROMA, USER, shared_load

pytestmark = pytest.mark.slow


def _require(present: bool, what: str) -> None:
    if present:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is required in CI (make test installs it)")
    pytest.skip(f"{what} not installed")


@pytest.fixture(scope="module")
def report():
    _require(find_bindir() is not None, "PostgreSQL (make postgres-deps)")
    _require(CHROMA.exists(), "chromadb's `chroma` command")
    return shared_load(users=4, total=20, warm=False, keep_results=True)


def test_four_signed_in_users_across_two_servers_get_verbatim_answers_and_no_errors(report):
    assert report["errors"] == 0, report["error_examples"]
    assert len(report["results"]) == 20
    texts = report["texts"]
    quoted = 0
    for question, answer in report["results"]:
        assert not answer.get("error"), question
        for c in answer["citations"]:
            assert texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"], (question, c)
            quoted += 1
    assert quoted >= 10  # most of v1's questions are answered with quotes: this checked real ones


def test_feedback_given_on_server_a_is_exported_by_server_b(report):
    assert "Thank you: your feedback was saved" in report["feedback_status_on_a"]
    assert report["feedback_from_a_exported_by_b"] == 1
    assert report["feedback_user_exported_by_b"] == USER


def test_both_servers_see_the_same_users_question_log_and_audit(report):
    assert report["same_records_on_both"], report["seen"]
    assert report["users_seen"] == [[USER], [USER]]
    assert report["question_log_rows"] == [21, 21]  # 20 under load and the one asked on the page
    assert report["question_log_users"] == [USER]  # questions through the HTTP API are logged as their user
    assert report["wrong_password_refused_on_a"]
    # Sign-ins live in each server's memory: hence sticky sessions at the load balancer (README).
    assert report["sign_in_on_a_honoured_by"] == {"A": True, "B": False}
    for actions in report["audit_actions"]:  # `lmcs user add` on the ingest host; a bad password on A
        assert {"user.added", "login.failed"} <= set(actions)
