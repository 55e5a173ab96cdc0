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


def start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    assert CHROMA.exists() or shutil.which("chroma"), "chromadb's `chroma` command is missing"
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_until_up(f"http://127.0.0.1:{port}")
    return proc


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    proc = start_chroma(tmp_path / "chroma-data", port)
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_ingest_and_ask_against_a_chroma_server(tmp_path, chroma_server, embedder, corpus_texts):
    from assistant.chain.pipeline import build_answer_pipeline
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


def test_a_server_stopped_mid_session_is_a_clear_error_and_answers_resume_when_it_returns(
    tmp_path, chroma_server, embedder, corpus_texts
):
    from assistant.chain.pipeline import build_answer_pipeline
    from assistant.settings import PROJECT_ROOT, Settings
    from index.pipeline import build_index_pipeline
    from tests.conftest import ui_for

    url, proc = chroma_server
    corpus = PROJECT_ROOT / "corpus"
    assert build_index_pipeline(embedder, tmp_path / "unused", corpus, chroma_url=url).run([corpus]).ok
    assistant = build_answer_pipeline(Settings(data_dir=tmp_path / "app", chroma_url=url), embedder=embedder)
    ui = ui_for(assistant, tmp_path / "app")
    assert ui.answer("What is corporate parenting?", [])[0] is not None

    proc.terminate()
    proc.wait(timeout=30)
    answer, error = ui.answer("Who chairs the corporate parenting board?", [])
    assert answer is None
    assert f"Cannot open the index at {url}" in error and "`chroma run` is up" in error and "nothing was lost" in error

    restarted = start_chroma(tmp_path / "chroma-data", int(url.rsplit(":", 1)[1]))
    try:
        answer, error = ui.answer("Who chairs the corporate parenting board?", [])
        assert answer is not None and answer.citations, error
        for c in answer.citations:
            assert corpus_texts[c.doc_id][c.start : c.end] == c.quote
    finally:
        restarted.terminate()
        restarted.wait(timeout=30)


def test_on_a_server_a_rebuild_switches_every_app_server_and_a_second_writer_is_refused(tmp_path, chroma_server):
    """Generations and the writers' lease work the same against `chroma run` (fake embedder)."""
    from assistant.chain.pipeline import build_answer_pipeline
    from assistant.settings import PROJECT_ROOT, Settings
    from index.embed import FakeEmbedder
    from index.lock import LeaseWriterLock
    from index.pipeline import build_index_pipeline

    url, _ = chroma_server
    corpus = PROJECT_ROOT / "corpus"
    ours = tmp_path / "ours.txt"
    ours.write_text("Our pledge\n\n- We answer every care leaver within a week.\n", encoding="utf-8")
    first = build_index_pipeline(FakeEmbedder(), tmp_path / "a", corpus, chroma_url=url)
    assert first.run([corpus]).ok and first.run([ours]).ok
    app = build_answer_pipeline(Settings(data_dir=tmp_path / "app", chroma_url=url), embedder=FakeEmbedder())
    assert app.ask("What is corporate parenting?", generate=False).citations

    with first.store.writing():  # held by one host: another is refused, saying by whom
        second = build_index_pipeline(FakeEmbedder(), tmp_path / "b", corpus, chroma_url=url)
        refused = second.run([ours])
        assert refused.added == [] and "another ingest is running (pid" in refused.stopped

    rebuilder = build_index_pipeline(FakeEmbedder(), tmp_path / "b", corpus, chroma_url=url, rebuild=True)
    rebuilt = rebuilder.rebuild([corpus])
    assert rebuilt.summary().startswith("0 added, 0 updated, 6 unchanged, 0 removed, 0 failed"), rebuilt.summary()
    answer = app.ask("What is corporate parenting?", generate=False)  # the other app server follows, no error
    assert answer.citations and app.store.generation == 1 and len(app.documents()) == 6
    import chromadb

    names = {c.name for c in chromadb.HttpClient(port=int(url.rsplit(":", 1)[1])).list_collections()}
    assert names == {"lmcs_version", "lmcs_g1_chunks", "lmcs_g1_units", "lmcs_g1_documents"}  # old one deleted

    crashed = LeaseWriterLock(first.store._record.collection, ttl=0.5)  # a writer that died holding its lease
    crashed.acquire()
    crashed._stop.set()  # its process is gone: nothing renews the lease
    time.sleep(0.6)
    assert build_index_pipeline(FakeEmbedder(), tmp_path / "c", corpus, chroma_url=url).run([ours]).ok  # taken over


def test_a_writers_lease_is_kept_alive_while_it_works_and_freed_when_it_ends(tmp_path, chroma_server):
    """Embedding a batch of big documents can outlast the lease: the writer must not lose it meanwhile."""
    import chromadb

    from index.lock import IndexBusyError, LeaseWriterLock
    from index.version import VersionRecord

    url, _ = chroma_server
    record = VersionRecord(chromadb.HttpClient(port=int(url.rsplit(":", 1)[1])))
    working = LeaseWriterLock(record.collection, ttl=0.4, settle=0.05)
    working.acquire()
    time.sleep(1.2)  # three lease lengths
    with pytest.raises(IndexBusyError, match=r"another ingest is running \(pid \d+, since .*lapses at"):
        LeaseWriterLock(record.collection, ttl=0.4, settle=0.05).acquire()
    working.release()
    LeaseWriterLock(record.collection, ttl=0.4, settle=0.05).acquire()  # free at once, no wait for expiry
