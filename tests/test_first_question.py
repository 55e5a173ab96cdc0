"""The first question after an app opens the index: what opening costs, and that it changes no answer.

Real Chroma in a temp dir, the fake embedder, and a second real process for a change the app did not
make itself (tests/index_worker.py).
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from assistant.chain.snapshot import SnapshotCache
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

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            ran.append(info["generation"])

    gc.callbacks.append(seen)
    gc.set_threshold(100, 1, 1)
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
    assert collections == [], "a collection walks every object of the process: 0.2 s at 1,000 documents"
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0, "what start-up loaded is never walked again"
    assert snapshot.documents and snapshot.bm25 is not None
    cache.get()  # the same version: nothing opened, nothing more frozen
    gc.collect()
    assert gc.isenabled()


def test_a_replaced_snapshot_is_freed_as_soon_as_unused_though_the_first_was_frozen(tmp_path):
    data, folder = small_index(tmp_path, EMBEDDER)
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
