"""The `lmcs` console script, run as a user would run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import write_jsonl

LMCS = [sys.executable, "-m", "assistant.cli"]


def run(*args: str, data_dir: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    extra = ["--data-dir", str(data_dir)] if data_dir else []
    return subprocess.run(
        [*LMCS, *args, *extra],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
        env={**os.environ, "LMCS_DATA_DIR": "/nonexistent-should-not-be-used"} if data_dir else None,
    )


def test_an_empty_question_exits_with_code_2():
    result = run("ask", "   ")
    assert result.returncode == 2
    assert "empty" in result.stderr


def test_the_console_script_is_installed():
    script = Path(sys.executable).parent / "lmcs"
    result = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "ingest" in result.stdout and "ask" in result.stdout


@pytest.mark.slow
def test_ask_json_cites_section_19_verbatim(corpus_data_dir, corpus_texts):
    result = run(
        "ask", "--json", "Which section of the Children Act 2004 requires a lead member?", data_dir=corpus_data_dir
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["abstained"] is False
    cited = [c for c in out["citations"] if "Section 19" in c["quote"]]
    assert cited, out
    for c in out["citations"]:
        assert corpus_texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]
        assert c["title"] and not c["title"].endswith(".txt")  # a human title, not a file name


@pytest.mark.slow
def test_ask_batch_answers_every_line_in_order_and_reports_bad_lines(tmp_path, corpus_data_dir, corpus_texts):
    batch = write_jsonl(
        tmp_path / "q.jsonl",
        [
            {"id": "a", "question": "What is corporate parenting?"},
            "{not json",
            {
                "id": "c",
                "question": "What does Wigan say about it?",
                "history": [{"role": "user", "content": "What is corporate parenting?"}],
            },
            {"id": "d", "question": ""},
            {"id": "e", "question": "What is the capital of France?"},
            {"id": "f", "question": "Hi", "history": "not a list"},
        ],
    )
    result = run("ask", "--batch", str(batch), data_dir=corpus_data_dir)
    assert result.returncode == 1 and "3 line(s) could not be answered" in result.stderr  # every good line answered
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", None, "c", "d", "e", "f"]
    assert rows[0]["abstained"] is False and rows[0]["citations"]
    assert "not valid JSON" in rows[1]["error"]
    assert {c["doc_id"] for c in rows[2]["citations"]} == {"wigan-childrens-portfolio"}
    assert "empty" in rows[3]["error"]
    assert rows[4]["abstained"] is True and not rows[4]["citations"]
    assert "history" in rows[5]["error"]
    for r in rows:
        for c in r.get("citations", []):
            assert set(c) >= {"n", "doc_id", "title", "quote", "start", "end"}
            assert corpus_texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]


def test_ask_batch_survives_a_lone_surrogate_and_an_invalid_byte(tmp_path, corpus_data_dir):
    """A lone surrogate (valid JSON "\\ud800") is answered without it; a line with a byte that is not
    UTF-8 is one error object; every other line is answered and the run exits 1."""
    batch = tmp_path / "q.jsonl"
    batch.write_bytes(
        b'{"id": "s", "question": "\\ud800 What is corporate parenting?"}\n'
        b'{"id": "b", "question": "caf\xff?"}\n'
        b'{"id": "c", "question": "What is corporate parenting?"}\n'
    )
    result = run("ask", "--batch", str(batch), data_dir=corpus_data_dir)
    assert result.returncode == 1 and "1 line(s) could not be answered" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["s", None, "c"]
    assert rows[0]["citations"] and rows[2]["citations"]
    assert "not valid UTF-8" in rows[1]["error"]


@pytest.mark.slow
def test_ingest_then_sources_then_remove(tmp_path):
    doc = tmp_path / "our-profile.md"
    doc.write_text("# Our LMCS profile\n\n- The lead member meets the youth council every quarter.\n", encoding="utf-8")
    data = tmp_path / "data"
    first = run("ingest", str(doc), "--authority", "Anytown Council", data_dir=data)
    assert first.returncode == 0, first.stderr
    assert "1 added" in first.stdout
    again = run("ingest", str(doc), data_dir=data)
    assert "0 added, 0 updated, 1 unchanged" in again.stdout
    listing = run("sources", data_dir=data)
    assert (
        "our-profile\tOur LMCS profile\tAnytown Council (100%)\t" in listing.stdout and "\t1 chunks\t" in listing.stdout
    )
    asked = run("ask", "How often does the lead member meet the youth council?", data_dir=data)
    assert "every quarter" in asked.stdout
    assert run("remove", "our-profile", data_dir=data).returncode == 0
    assert run("remove", "our-profile", data_dir=data).returncode == 1
    bad = run("ingest", str(tmp_path / "nope.pdf"), data_dir=data)
    assert bad.returncode == 1 and "no such file" in bad.stdout


@pytest.mark.slow
def test_chat_keeps_context_across_turns(corpus_data_dir):
    result = run(
        "chat", data_dir=corpus_data_dir, stdin="What is corporate parenting?\nWhat does Wigan say about it?\n/quit\n"
    )
    assert result.returncode == 0, result.stderr
    second = result.stdout.split("You:")[2]
    assert "Wigan Council" in second and "[1]" in second


@pytest.mark.slow
def test_a_wrongly_detected_council_is_corrected_without_reading_the_file_again(tmp_path):
    doc = tmp_path / "profile.md"
    doc.write_text("# Lead member profile\n\n- The lead member chairs the fostering panel.\n", encoding="utf-8")
    data = tmp_path / "data"
    assert run("ingest", str(doc), data_dir=data).returncode == 0
    doc.unlink()  # corrected from the record alone
    fixed = run("relabel", "profile", "--authority", "Anytown Council", "--kind", "council role profile", data_dir=data)
    assert fixed.returncode == 0, fixed.stderr
    listing = run("sources", "--evidence", data_dir=data).stdout
    assert (
        "Anytown Council (100%)" in listing
        and "council role profile" in listing
        and "corrected: Anytown Council" in listing
    )
    assert run("relabel", "nope", "--authority", "X Council", data_dir=data).returncode == 2
