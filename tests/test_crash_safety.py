"""A process killed mid-ingest leaves an index that a re-run makes whole: no duplicates, nothing missing."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections import Counter

import pytest

from assistant.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow


def make_documents(folder, n: int = 40) -> None:
    seed = (PROJECT_ROOT / "corpus" / "unnamed-council-lmcs-role-profile.txt").read_text(encoding="utf-8")
    for i in range(n):
        text = seed.replace("Children Act 2004", f"Children Act 2004 (copy {i})")
        (folder / f"council-{i:02d}.txt").write_text(f"Council {i} role profile\n\n{text}", encoding="utf-8")


def ingest(folder, data_dir) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "ingest", str(folder), "--data-dir", str(data_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_kill_9_during_ingest_then_rerun_gives_a_consistent_index(tmp_path, embedder):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_documents(folder)
    data = tmp_path / "data"

    proc = ingest(folder, data)
    progressed = threading.Event()

    def watch() -> None:
        buffer = ""
        while proc.stderr and (ch := proc.stderr.read(1)):
            buffer += ch
            done = [int(m) for m in re.findall(r"\b(\d+)/40\b", buffer[-200:])]
            if done and max(done) >= 5:
                progressed.set()
                return

    threading.Thread(target=watch, daemon=True).start()
    assert progressed.wait(timeout=180), "ingest never got going"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    rerun = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ingest", str(folder), "--data-dir", str(data)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "0 failed" in rerun.stdout
    assert "unchanged" in rerun.stdout and not rerun.stdout.startswith("0 added, 0 updated, 40 unchanged")

    from index.pipeline import open_store

    store = open_store(embedder, data)
    docs = store.documents()
    assert len(docs) == 40
    chunks = store.chunks.get(include=["metadatas"])
    per_doc = Counter(m["doc_id"] for m in chunks["metadatas"])
    assert len(set(chunks["ids"])) == len(chunks["ids"])
    for doc_id, doc in docs.items():
        assert per_doc[doc_id] == doc.n_chunks, doc_id  # no stale or half-written version left
    assert all(m["version"] == docs[m["doc_id"]].version for m in chunks["metadatas"])
    units = store.units.get(include=["metadatas"])
    assert all(m["version"] == docs[m["doc_id"]].version for m in units["metadatas"])
    assert len(store.all_chunks()) == sum(d.n_chunks for d in docs.values())
