"""Shared deployment: the same behaviour against a real `chroma run` server on loopback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.store import StoreUnavailableError
from tests.conftest import free_port

pytestmark = pytest.mark.slow

CHROMA = Path(sys.executable).parent / "chroma"


def wait_until_up(url: str, seconds: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"chroma did not start at {url}")


@pytest.fixture
def chroma_server(tmp_path):
    assert CHROMA.exists() or shutil.which("chroma"), "chromadb's `chroma` command is missing"
    port = free_port()
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(tmp_path / "chroma-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_ingest_and_ask_against_a_chroma_server(tmp_path, chroma_server, embedder, corpus_texts):
    from assistant.pipeline import build_answer_pipeline
    from assistant.settings import PROJECT_ROOT, Settings
    from index.pipeline import build_index_pipeline

    url, _ = chroma_server
    corpus = PROJECT_ROOT / "corpus"
    report = build_index_pipeline(embedder, tmp_path / "unused", corpus, chroma_url=url).run(
        [corpus], prune_corpus=True
    )
    assert report.ok and len(report.added) == 5
    assert not (tmp_path / "unused" / "chroma").exists()  # nothing written locally

    # A second app server sharing the same index sees the same documents.
    assistant = build_answer_pipeline(Settings(data_dir=tmp_path / "other", chroma_url=url), embedder=embedder)
    answer = assistant.ask("Which section of the Children Act 2004 requires a lead member?")
    assert any("Section 19" in c.quote for c in answer.citations)
    for c in answer.citations:
        assert corpus_texts[c.doc_id][c.start : c.end] == c.quote
    again = build_index_pipeline(embedder, tmp_path / "unused", corpus, chroma_url=url).run([corpus])
    assert len(again.unchanged) == 5


def test_an_unreachable_server_is_a_clear_error(tmp_path, embedder):
    from index.pipeline import open_store

    with pytest.raises(StoreUnavailableError, match=r"Cannot open the index at http://127\.0\.0\.1"):
        open_store(embedder, tmp_path, chroma_url=f"http://127.0.0.1:{free_port()}")
