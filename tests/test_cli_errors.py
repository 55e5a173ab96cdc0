"""Every user error of the trainer and serve commands: one line saying what to do, exit code 2 for
usage errors, and nothing left on disk by a command that fails."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from assistant.cli import app

EMPTY = "{empty}"  # a folder that does not exist, in the test's own tmp_path


def files_under(path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")}


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["compare", ""], 2, "give a topic"),
        (["compare", "x" * 5000], 2, "5,000 characters long; keep it under 200"),
        (["compare", "corporate parenting", "--data-dir", EMPTY], 1, "no index at"),
        (["coverage", "--data-dir", EMPTY], 1, "Build it first: lmcs ingest"),
        (["coverage", "--out", "{tmp}/no-such-folder/map.png"], 2, "does not exist"),
        (["bank", "refresh", "--data-dir", EMPTY], 1, "no index at"),
        (["handout", "--format", "pdf", "--out", "{tmp}/no-such-folder/pack.pdf"], 2, "does not exist"),
        (["handout", "--format", "pdf", "--out", "{tmp}"], 2, "is a folder"),
        (["handout", "--format", "xyz"], 2, "md, pdf or docx"),
        (["handout", "--theme", "astrology", "--format", "pdf", "--out", "{tmp}/pack.pdf"], 2, "no theme"),
        (["quiz", "--count", "0"], 2, "at least 1"),
        (["quiz", "--theme", "astrology"], 2, "no theme"),
        (["feedback", "export", "--out", "{tmp}/no-such-folder/f.csv", "--data-dir", "{tmp}"], 2, "does not exist"),
    ],
    ids=[
        "empty-topic",
        "huge-topic",
        "compare-no-index",
        "coverage-no-index",
        "coverage-no-folder",
        "refresh-no-index",
        "handout-no-folder",
        "handout-to-folder",
        "handout-format",
        "handout-theme",
        "quiz-count",
        "quiz-theme",
        "export-no-folder",
    ],
)
def test_a_user_error_is_one_line_saying_what_to_do_and_leaves_nothing_behind(tmp_path, args, code, says):
    args = [a.replace("{tmp}", str(tmp_path)).replace(EMPTY, str(tmp_path / "no-index")) for a in args]
    before = files_under(tmp_path)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == code, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ") and says in lines[0], result.output
    assert "Traceback" not in result.output
    assert files_under(tmp_path) == before  # nothing created by a command that failed


@pytest.mark.slow
def test_serve_on_a_port_in_use_says_so_in_one_line(corpus_data_dir, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--data-dir", str(corpus_data_dir)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode != 0 and "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"port {port}" in lines[0] and "--port" in lines[0], done.stderr
