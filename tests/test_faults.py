"""Faults in the index's storage: deleted, damaged or full. Each gives a clear error, loses
nothing already indexed, and has a way back that a test walks."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, Settings
from index.store import StoreUnavailableError
from tests.conftest import lmcs

pytestmark = pytest.mark.slow

CORPUS = PROJECT_ROOT / "corpus"


def assert_clear_failure(result: subprocess.CompletedProcess[str], *phrases: str) -> None:
    """Non-zero exit, a one-paragraph message that says what to do, no Python traceback."""
    said = result.stdout + result.stderr
    assert result.returncode != 0, said
    assert "Traceback" not in said and "╭" not in said, said[-2000:]
    for phrase in phrases:
        assert phrase in said, said[-2000:]


def assert_answers_verbatim(data_dir: Path, corpus_texts: dict[str, str]) -> None:
    import json

    result = lmcs("ask", "--json", "--no-llm", "What is corporate parenting?", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["citations"], out
    for c in out["citations"]:
        assert corpus_texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]


def test_a_data_dir_deleted_under_a_running_app_is_a_clear_error_then_picked_up_again(tmp_path, embedder, corpus_texts):
    from assistant.chain.pipeline import build_answer_pipeline
    from index.pipeline import build_index_pipeline
    from tests.conftest import ui_for

    data = tmp_path / "data"
    indexer = build_index_pipeline(embedder, data, CORPUS)  # a second client of the same folder, kept open
    assert indexer.run([CORPUS], prune_corpus=True).ok
    assistant = build_answer_pipeline(Settings(data_dir=data), embedder=embedder, use_llm=False)
    ui = ui_for(assistant, tmp_path / "ui")
    assert ui.answer("What is corporate parenting?", [])[0] is not None

    shutil.rmtree(data)
    answer, error = ui.answer("What is corporate parenting?", [])
    assert answer is None
    assert "has been deleted or moved" in error and "lmcs ingest" in error
    with pytest.raises(StoreUnavailableError):
        assistant.documents()

    # The way back: build it again from another process, as an administrator would. This
    # one holds a single document, so answers from the old (deleted) files would show.
    wigan = next(CORPUS.glob("wigan*.txt"))
    assert lmcs("ingest", str(wigan), data_dir=data).returncode == 0
    answer, error = ui.answer("What is corporate parenting?", [])
    assert answer is not None and answer.citations, error
    assert {c.doc_id for c in answer.citations} == {"wigan-childrens-portfolio"}
    for c in answer.citations:
        assert corpus_texts[c.doc_id][c.start : c.end] == c.quote
    assert list(assistant.documents()) == ["wigan-childrens-portfolio"]
    with indexer.store.guard():  # the other client of the same folder reopens too
        assert list(indexer.store.documents(max_age=0)) == ["wigan-childrens-portfolio"]


def test_a_missing_data_dir_tells_the_user_to_build_the_index(tmp_path):
    result = lmcs("ask", "What is corporate parenting?", data_dir=tmp_path / "never-built")
    assert_clear_failure(result, "there is no index at", "lmcs ingest")
    assert not (tmp_path / "never-built").exists()  # a command that fails leaves nothing behind


def test_a_damaged_index_is_a_clear_error_and_a_rebuild_keeps_the_damaged_files(tmp_path, corpus_texts):
    data = tmp_path / "data"
    assert lmcs("ingest", data_dir=data).returncode == 0
    db = data / "chroma" / "chroma.sqlite3"
    with db.open("r+b") as f:  # overwrite the SQLite header and first pages
        f.write(b"\x00garbage" * 4096)

    for command in (["ask", "What is corporate parenting?"], ["sources"], ["ingest"]):
        assert_clear_failure(lmcs(*command, data_dir=data), "cannot be read", "lmcs ingest --rebuild")

    rebuilt = lmcs("ingest", "--rebuild", data_dir=data)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "5 added" in rebuilt.stdout
    kept = list(data.glob("chroma.damaged-*"))
    assert len(kept) == 1 and (kept[0] / "chroma.sqlite3").read_bytes()[:8] == b"\x00garbage"
    assert_answers_verbatim(data, corpus_texts)


@pytest.fixture
def small_disk(tmp_path):
    """A real 24 MB filesystem (tmpfs), so writes fail with ENOSPC as on a full disk."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here (needs root): {made.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """Take all but `leave` bytes of the disk's free space."""
    st = os.statvfs(disk)
    filler = disk / "filler"
    with filler.open("wb") as f:
        remaining = st.f_bavail * st.f_frsize - leave
        while remaining > 0:
            block = min(remaining, 1 << 20)
            f.write(b"\0" * block)
            remaining -= block
    return filler


def big_document(path: Path, sections: int = 150) -> Path:
    lines = ["# Anytown children's portfolio", ""]
    for s in range(sections):
        lines += [f"## Area {s}", ""]
        lines += [f"- The portfolio holder reviews service {s}.{i} with officers every quarter." for i in range(8)]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_full_disk_stops_ingest_with_a_clear_error_and_the_old_index_intact(small_disk, tmp_path, corpus_texts):
    data = small_disk / "data"
    assert lmcs("ingest", data_dir=data).returncode == 0
    doc = big_document(tmp_path / "anytown.md")
    filler = fill(small_disk, leave=300_000)

    result = lmcs("ingest", str(doc), data_dir=data)
    assert_clear_failure(result, "disk is full")

    filler.unlink()
    sources = lmcs("sources", data_dir=data)
    assert sources.returncode == 0 and len(sources.stdout.strip().splitlines()) == 5, sources.stdout
    assert "anytown" not in sources.stdout
    assert_answers_verbatim(data, corpus_texts)

    again = lmcs("ingest", str(doc), data_dir=data)  # with space again, the same command finishes the job
    assert again.returncode == 0 and "1 added" in again.stdout, again.stdout + again.stderr


def test_a_write_failure_mid_ingest_reports_what_was_not_indexed(tmp_path, embedder, monkeypatch):
    """The logic around the seam: which documents a failed run names, and that the run stops."""
    from index.pipeline import build_index_pipeline

    indexer = build_index_pipeline(embedder, tmp_path / "data", CORPUS)
    indexer.batch_docs = 2  # ingest writes documents in batches: the second batch fails
    real_write_many = type(indexer.store).write_many
    calls = []

    def write_then_fail(store, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_write_many(store, *args, **kwargs)

    monkeypatch.setattr(type(indexer.store), "write_many", write_then_fail)
    report = indexer.run([CORPUS])
    assert not report.ok and "disk is full" in report.stopped
    assert len(report.added) == 2 and len(report.failed) == 3  # the failed batch, and the file never reached
    assert all("not indexed" in reason for _, reason in report.failed)
    assert "Stopped early" in report.summary()
    assert set(indexer.store.documents(max_age=0)) == set(report.added)
