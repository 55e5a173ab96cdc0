"""BM25 and the other corpus-wide structures are built at ingest, saved beside the index, and used only
for the corpus version they were built from. Real Chroma in a temp dir, the fake embedder, and a
second real process for the changes an app did not make itself."""

from __future__ import annotations

from pathlib import Path

from assistant.chain.snapshot import CorpusSnapshot, SnapshotCache
from index import derived
from index.chroma import ChromaStore
from index.embed import FakeEmbedder
from index.pipeline import open_store
from tests.documents import NEW, small_index
from tests.index_worker import run as run_worker

EMBEDDER = FakeEmbedder(64)  # the dimension tests/index_worker.py uses, so either process can write


def _ingest(tmp_path: Path) -> tuple[Path, Path]:
    return small_index(tmp_path, EMBEDDER)


class CountingReads:
    """Counts the chunk scans a store makes (what opening the index used to cost)."""

    def __init__(self, monkeypatch) -> None:  # type: ignore[no-untyped-def]
        self.scans = 0
        real = ChromaStore.all_chunks

        def counted(store):  # type: ignore[no-untyped-def]
            self.scans += 1
            return real(store)

        monkeypatch.setattr(ChromaStore, "all_chunks", counted)


def test_an_app_opening_the_index_uses_what_ingest_saved_and_reads_no_chunk(tmp_path, monkeypatch):
    data, _ = _ingest(tmp_path)
    assert len(list((data / "derived").glob("*.npz"))) == 1, "ingest saved the structures beside the index"
    reads = CountingReads(monkeypatch)
    store = open_store(EMBEDDER, data)  # as a new app process opens it
    cache = SnapshotCache(store)
    snapshot = cache.get()
    assert (cache.loaded, cache.built, reads.scans) == (1, 0, 0)
    # And what it loaded is what reading every chunk would build, answer for answer.
    built = CorpusSnapshot.build(store.fingerprint(), store.documents(), store.all_chunks())
    assert (
        snapshot.acronyms
        == built.acronyms
        == {
            "LMCS": "Lead Member for Children’s Services",
            "DCS": "Director of Children’s Services",
        }
    )
    assert snapshot.words == built.words and snapshot.idf == built.idf
    for query in ("corporate parenting board", "scrutiny early help", "director monthly"):
        assert snapshot.bm25 is not None and built.bm25 is not None
        assert snapshot.bm25.search(query, 5) == built.bm25.search(query, 5)
    hit = snapshot.bm25.search("scrutiny committee", 1)[0][0]
    assert "scrutiny committee reviews early help" in snapshot.chunks[hit].text, "a hit's chunk is read on demand"


def test_a_document_added_by_another_process_is_found_and_a_removal_is_never_served_from_a_stale_file(
    tmp_path, monkeypatch
):
    data, folder = _ingest(tmp_path)
    reads = CountingReads(monkeypatch)
    cache = SnapshotCache(open_store(EMBEDDER, data))
    before = cache.get()
    assert before.bm25 is not None and not before.bm25.search("kinship mentor", 3)

    (folder / "charter.txt").write_text(NEW, encoding="utf-8")
    run_worker("ingest", str(data), str(folder), str(folder / "charter.txt"))
    cache.store.refresh()  # what the app's next question does within a second
    after = cache.get()
    assert after.version != before.version
    assert after.bm25 is not None
    hits = after.bm25.search("kinship mentor", 3)
    assert hits and "named kinship mentor" in after.chunks[hits[0][0]].text
    assert (cache.loaded, cache.built, reads.scans) == (2, 0, 0), "the other process saved the new version's file"

    # A removal writes no file of its own: the saved ones (which still hold the notes) are not used.
    store = open_store(EMBEDDER, data)
    with store.writing():
        assert store.remove("notes")
    cache.store.refresh()
    gone = cache.get()
    assert gone.bm25 is not None and not gone.bm25.search("scrutiny committee", 3)
    assert gone.bm25.search("kinship mentor", 3)
    assert (cache.built, reads.scans) == (1, 1)
    # What the app built for that version was saved for the next process to open it.
    assert SnapshotCache(open_store(EMBEDDER, data)).get().version == gone.version
    assert reads.scans == 1


def test_a_damaged_or_mislabelled_file_is_built_again_not_trusted(tmp_path):
    data, _ = _ingest(tmp_path)
    store = open_store(EMBEDDER, data)
    key = derived.derived_key(store.fingerprint(), store.documents())
    saved = data / "derived" / f"{key}.npz"
    assert derived.load(data / "derived", key) is not None
    saved.write_bytes(b"not an npz file")
    assert derived.load(data / "derived", key) is None
    cache = SnapshotCache(store)
    assert cache.get().bm25 is not None and cache.built == 1
    # A file holding another version's structures, renamed to this version's name, is refused.
    other = derived.build("another-key", {}, [])
    derived.save(other, data / "derived")
    (data / "derived" / "another-key.npz").replace(saved)
    assert derived.load(data / "derived", key) is None
