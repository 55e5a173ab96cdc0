"""The first question after an app opens the index: what opening costs, and that it changes no answer.

Real Chroma in a temp dir, the fake embedder, and a second real process for a change the app did not
make itself (tests/index_worker.py).
"""

from __future__ import annotations

import gc
import logging
import threading
import weakref
from collections.abc import Iterator

import pytest
from chromadb.api.models.Collection import Collection

from assistant.chain import snapshot as snapshot_module
from assistant.chain.snapshot import SnapshotCache
from assistant.service import Service
from evals.dataset import load_dataset
from index.chroma_reads import ChromaReads
from index.embed import FakeEmbedder
from index.faults import StoreUnavailableError
from index.pipeline import open_store
from tests.documents import NEW, small_index
from tests.index_worker import DIMENSION
from tests.index_worker import run as run_worker

EMBEDDER = FakeEmbedder(DIMENSION)


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations of the collections Python's cycle collector runs meanwhile, with thresholds so
    low that a hundred new objects start one while the collector is on; the process as it was after."""
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    ran: list[int] = []

    here = threading.get_ident()

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and threading.get_ident() == here:  # not another test's server thread collecting
            ran.append(info["generation"])

    gc.callbacks.append(seen)
    gc.set_threshold(100, 1, 1)
    snapshot_module._frozen.clear()  # as in a new process
    try:
        yield ran
    finally:
        gc.set_threshold(*thresholds)
        gc.callbacks.remove(seen)
        if gc.get_freeze_count() > frozen:
            gc.unfreeze()


def test_opening_the_index_runs_no_collection_and_leaves_the_collector_on(tmp_path, collections):
    data, _ = small_index(tmp_path, EMBEDDER)
    cache = SnapshotCache(open_store(EMBEDDER, data))
    gc.collect()
    collections.clear()
    snapshot = cache.get()  # the catalogue, the saved BM25, the council maps: thousands of objects at scale
    # A full collection walks every object of the process: 0.2 s at 1,000 documents. (A young one may still
    # start in the instant before the pause, when other threads of the test run have been allocating.)
    assert 2 not in collections, "a full collection walks every object of the process"
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0, "what start-up loaded is never walked again"
    assert snapshot.documents and snapshot.bm25 is not None
    cache.get()  # the same version: nothing opened, nothing more frozen
    gc.collect()
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    SnapshotCache(open_store(EMBEDDER, data)).get()  # another cache in the same process (a test run has hundreds)
    assert gc.get_freeze_count() <= frozen, "frozen once per process: each freeze keeps its moment's garbage"


def test_a_replaced_snapshot_is_freed_as_soon_as_unused_though_the_first_was_frozen(tmp_path):
    data, folder = small_index(tmp_path, EMBEDDER)
    snapshot_module._frozen.clear()  # as in a new process
    frozen = gc.get_freeze_count()
    cache = SnapshotCache(open_store(EMBEDDER, data))
    first = cache.get()
    try:
        frozen_then, version = gc.get_freeze_count(), first.version
        assert frozen_then > frozen
        was = weakref.ref(first)
        assert first.bm25 is not None and first.bm25.search("scrutiny committee", 1)  # chunks read on demand
        del first
        (folder / "charter.txt").write_text(NEW, encoding="utf-8")
        run_worker("ingest", str(data), str(folder), str(folder / "charter.txt"))
        cache.store.refresh()
        gc.disable()  # only reference counting may free it: a frozen cycle never would be
        try:
            second = cache.get()
        finally:
            gc.enable()
        assert second.version != version and was() is None, "the old version's memory came back"
        assert gc.get_freeze_count() < frozen_then, "a later version is not frozen; the first one's objects were freed"
    finally:
        gc.unfreeze()


def test_a_store_that_fails_while_opening_leaves_the_collector_on_and_freezes_nothing(tmp_path, monkeypatch):
    data, _ = small_index(tmp_path, EMBEDDER)
    store = open_store(EMBEDDER, data)

    def down(*_: object, **__: object) -> str:
        raise StoreUnavailableError("the index cannot be read")

    monkeypatch.setattr(store, "fingerprint", down)
    frozen = gc.get_freeze_count()
    with pytest.raises(StoreUnavailableError):
        SnapshotCache(store).get()
    assert gc.isenabled() and gc.get_freeze_count() == frozen


def _answers(service, questions: list[str]) -> list[tuple[str, bool, list[tuple[str, int, int]]]]:  # type: ignore[no-untyped-def]
    out = []
    for question in questions:
        a = service.ask(question)
        out.append((a.answer, a.abstained, [(c.doc_id, c.start, c.end) for c in a.citations]))
    return out


def test_a_prepared_server_has_loaded_the_collections_before_its_first_question(settings, embedder, monkeypatch):
    """`lmcs serve` prepares before it listens: Chroma's loading of the chunks, units and documents
    (about 1.2 s at 10,000 documents) is done by then, not met by the first user's question."""
    loaded: list[str] = []
    real = ChromaReads._load_collections

    def load(self):  # type: ignore[no-untyped-def]
        real(self)
        loaded.append("done")

    monkeypatch.setattr(ChromaReads, "_load_collections", load)
    service = Service.open(settings, embedder=embedder, use_llm=False)
    service.prepare()
    assert loaded == ["done"], "prepare() returned only once the collections were loaded"
    loading = service.chain.snapshots.preloading
    assert loading is not None and loading.name == "lmcs-preload" and not loading.daemon and not loading.is_alive()
    assert not service.ask("Who does the LMCS report to?").abstained
    assert service.chain.snapshots.preload() is loading and loaded == ["done"], "loaded once per process"


def test_every_answer_is_the_same_whether_the_collections_loaded_could_not_start_loading_or_failed(
    settings, embedder, monkeypatch, caplog
):
    """Each service opens the index anew, as a new process does. However the background load goes,
    preparing succeeds and every answer is the one an unprepared service gives."""
    caplog.set_level(logging.INFO, logger="index.chroma_reads")
    questions = [item.question for item in load_dataset("v1")[:12]]
    expected = _answers(Service.open(settings, embedder=embedder, use_llm=False), questions)

    def prepared() -> Service:
        service = Service.open(settings, embedder=embedder, use_llm=False)
        service.prepare()
        return service

    assert _answers(prepared(), questions) == expected

    def cannot_start(self):  # type: ignore[no-untyped-def]
        raise RuntimeError("can't start new thread")

    with monkeypatch.context() as patched:
        patched.setattr(ChromaReads, "preload", cannot_start)
        assert _answers(prepared(), questions) == expected
    assert "Could not start preloading the index (can't start new thread)" in caplog.text

    real_get = Collection.get

    def probe_fails(self, ids=None, **kwargs):  # type: ignore[no-untyped-def]
        if ids == ["lmcs-preload-probe"]:
            raise OSError("read error")
        return real_get(self, ids=ids, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(Collection, "get", probe_fails)
        assert _answers(prepared(), questions) == expected
    assert "Preloading lmcs" in caplog.text and "failed (read error)" in caplog.text


def test_questions_in_threads_never_leave_the_collector_off():
    """Each question passes through the pause; reading and setting the collector's state from several
    threads at once could leave it off for good, and cyclic garbage would then grow without end."""
    from assistant.chain.snapshot import collector_paused

    assert gc.isenabled()

    def ask_many() -> None:
        for _ in range(5000):
            with collector_paused():
                pass

    threads = [threading.Thread(target=ask_many) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled()
