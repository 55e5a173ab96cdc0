"""Other processes change the index while it is in use: nothing is lost, and a running app keeps answering.

Issue #18: `kill -9` during a rebuild left 134 of 305 documents; a running `lmcs serve` failed
every question after a rebuild ("Collection … does not exist"), failed after 300 files were
added ("Error finding id"), and never cited a newly added document. Real Chroma, real files,
real processes (`tests/index_worker.py`), the fake embedder.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, Settings
from index.embed import FakeEmbedder
from index.pipeline import build_index_pipeline

pytestmark = pytest.mark.slow

CORPUS = PROJECT_ROOT / "corpus"
QUESTION = "What is corporate parenting?"
NEW_QUESTION = "What does the Anytown fostering charter promise?"
NEW_DOCUMENT = (
    "Anytown fostering charter\n\n"
    "- The Anytown fostering charter promises every foster carer a named link worker.\n"
    "- The charter is reviewed by the corporate parenting board each year.\n"
)


def user_documents(folder: Path, n: int, first: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(first, first + n):
        (folder / f"council-{i:03d}.txt").write_text(
            f"Council {i} lead member profile\n\n"
            f"- The lead member for council {i} chairs improvement board {i}.\n"
            "- The lead member meets the director of children's services every month.\n"
            "- Corporate parenting is a shared duty of the whole council.\n",
            encoding="utf-8",
        )
    return folder


def worker(*args: object, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.index_worker", *map(str, args)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> str:
    """The worker's summary, once it has exited cleanly."""
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, out + err[-3000:]
    return out.removeprefix("started\n")


@pytest.fixture
def populated(tmp_path) -> tuple[Path, Path]:
    """An index of the project corpus (5 documents) and 300 user files."""
    users = user_documents(tmp_path / "users", 300)
    data = tmp_path / "data"
    report = build_index_pipeline(FakeEmbedder(), data, CORPUS, rebuild=True).rebuild([CORPUS, users])
    assert report.ok and len(report.added) == 305, report.summary()
    return data, users


def assert_whole(service, expected: dict[str, str], seed: int) -> None:
    """Every document at its version with all its chunks, and an answer quoted word for word."""
    store = service.chain.store
    with store.guard():
        docs = store.documents(max_age=0)
        assert {d: doc.version for d, doc in docs.items()} == expected, f"seed {seed}"
        per_doc = Counter(c.doc_id for c in store.all_chunks())
        assert per_doc == {d: doc.n_chunks for d, doc in docs.items()}, f"seed {seed}"
    answer = service.ask(QUESTION)
    assert answer.citations, f"seed {seed}"
    texts = service.texts({c.doc_id for c in answer.citations})
    assert all(texts[c.doc_id][c.start : c.end] == c.quote for c in answer.citations)


def test_kill_9_at_random_points_of_a_rebuild_loses_nothing_and_a_rerun_finishes_it(populated):
    from assistant.service import Service

    data, _ = populated
    service = Service.open(Settings(data_dir=data), use_llm=False, embedder=FakeEmbedder())
    expected = {d: doc.version for d, doc in service.chain.store.documents(max_age=0).items()}
    assert sum(doc.origin == "user" for doc in service.documents().values()) == 300

    proc = worker("rebuild", data, CORPUS)  # once whole, to time it
    assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
    started = time.monotonic()
    assert "0 added, 0 updated, 305 unchanged, 0 removed, 0 failed" in finish(proc)
    work = time.monotonic() - started

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    for _ in range(5):
        proc = worker("rebuild", data, CORPUS)
        assert proc.stdout is not None and proc.stdout.readline().strip() == "started"
        time.sleep(rng.uniform(0, work))
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=60)
        assert_whole(service, expected, seed)

    rerun = finish(worker("rebuild", data, CORPUS))
    assert "0 added, 0 updated, 305 unchanged, 0 removed, 0 failed" in rerun
    assert_whole(service, expected, seed)
    store = service.chain.store
    assert store.generations() == {store.generation}  # what killed runs left is gone


def read_rows(log: Path) -> list[dict]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.endswith("}")]


def wait_for(log: Path, ok, seconds: float = 120) -> dict:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = [r for r in read_rows(log) if ok(r)]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError(f"no such answer in {seconds} s: {read_rows(log)[-3:]}")


def test_a_running_app_answers_throughout_a_rebuild_and_an_ingest_of_300_files_and_cites_a_new_document_at_once(
    tmp_path,
):
    data = tmp_path / "data"
    assert build_index_pipeline(FakeEmbedder(), data, CORPUS, rebuild=True).rebuild([CORPUS]).ok
    log = tmp_path / "answers.jsonl"
    upload = tmp_path / "uploads" / "our-pledge.txt"
    upload.parent.mkdir()
    upload.write_text("Our pledge\n\n- We answer every care leaver within a week.\n", encoding="utf-8")
    app = worker("ask", data, log, "--upload", upload, QUESTION, NEW_QUESTION)
    try:
        wait_for(log, lambda r: r["question"] == NEW_QUESTION)  # up and answering

        windows = {}
        t = time.time()
        assert finish(worker("ingest", data, CORPUS, user_documents(tmp_path / "more", 300))).startswith("300 added")
        windows["ingest of 300 files"] = (t, time.time())
        new = tmp_path / "new" / "anytown-fostering-charter.txt"
        new.parent.mkdir()
        new.write_text(NEW_DOCUMENT, encoding="utf-8")
        assert finish(worker("ingest", data, CORPUS, new)).startswith("1 added")
        added = time.time()
        first_after = wait_for(log, lambda r: r["question"] == NEW_QUESTION and r["start"] > added)
        t = time.time()
        rebuilt = finish(worker("rebuild", data, CORPUS))
        assert "0 added, 0 updated, 307 unchanged, 0 removed, 0 failed" in rebuilt  # the upload kept too
        windows["rebuild"] = (t, time.time())
        after_rebuild = wait_for(log, lambda r: r["question"] == NEW_QUESTION and r["start"] > windows["rebuild"][1])
    finally:
        (tmp_path / "answers.jsonl.stop").touch()
        app.communicate(timeout=120)

    rows = read_rows(log)
    assert [r["error"] for r in rows if "error" in r] == []
    assert all(r["verbatim"] for r in rows)
    assert all(r["cited"] for r in rows if r["question"] == QUESTION)  # answered every time, not abstained
    for name, (start, end) in windows.items():
        assert any(start < r["end"] and r["start"] < end for r in rows), f"no question asked during the {name}"
    assert first_after["cited"] == ["anytown-fostering-charter"], first_after
    assert first_after["nearest"][0] == "anytown-fostering-charter", first_after  # its vectors too, not just words
    assert first_after["documents"] == after_rebuild["documents"] == 307
    assert after_rebuild["cited"] == ["anytown-fostering-charter"]
