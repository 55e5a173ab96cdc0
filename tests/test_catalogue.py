"""Opening the index loads the document catalogue saved beside it instead of reading every document
record, and never a catalogue of another state of the index: not after another process adds or
removes a document, not after a writer (of this code or one that knows nothing of catalogues) was
killed before announcing, not after a write that failed half way, not from a damaged file. Real
Chroma in a temp dir, the fake embedder, and real second processes."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import chromadb
import pytest

from assistant.settings import PROJECT_ROOT
from index import catalogue, chroma_reads
from index.chroma import ChromaStore
from index.embed import FakeEmbedder
from index.pipeline import build_index_pipeline, open_store
from index.store import _document, _paged
from index.types import Document
from tests.documents import NEW, small_index
from tests.index_worker import run as run_worker

EMBEDDER = FakeEmbedder(64)  # the dimension tests/index_worker.py uses, so either process can write


@pytest.fixture
def indexed(tmp_path: Path) -> tuple[Path, Path]:
    return small_index(tmp_path, EMBEDDER)


class DocScans:
    """Counts full reads of a documents collection (what opening the index used to cost)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.scans = 0

        def counted(collection, include, page=5000):  # type: ignore[no-untyped-def]
            self.scans += collection.name.endswith("_documents")
            return _paged(collection, include, page)

        monkeypatch.setattr(chroma_reads, "_paged", counted)


def full_read(store: ChromaStore) -> dict[str, Document]:
    """Every document record, read from Chroma as `documents()` did before catalogues."""
    return {m["doc_id"]: _document(m, "") for _, m, _ in _paged(store.docs, ["metadatas"])}


def saved_now(data: Path, store: ChromaStore) -> dict[str, Document] | None:
    key = catalogue.chroma_key(data, store.docs.name)
    return catalogue.load(data / "derived", key) if key else None


def in_other_process(data: Path, code: str) -> subprocess.CompletedProcess[str]:
    script = (
        "from pathlib import Path\nimport os, signal\n"
        "from index.embed import FakeEmbedder\nfrom index.pipeline import open_store\n"
        f"data = Path({str(data)!r})\nstore = open_store(FakeEmbedder(64), data)\n{code}\n"
    )
    return subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True)


def test_every_kind_of_write_moves_the_key_chroma_keeps(tmp_path):
    """What the catalogue's safety rests on, checked on the installed Chroma: each write to a
    collection, by any client, changes its key; writes to other collections do not."""
    client = chromadb.PersistentClient(str(tmp_path / "chroma"))
    docs = client.get_or_create_collection("lmcs_documents", embedding_function=None)
    other = client.get_or_create_collection("lmcs_chunks", embedding_function=None)
    keys = [catalogue.chroma_key(tmp_path, "lmcs_documents")]
    docs.add(ids=["a", "b"], embeddings=[[1.0, 0.0], [0.0, 1.0]], metadatas=[{"t": "1"}, {"t": "2"}])
    keys.append(catalogue.chroma_key(tmp_path, "lmcs_documents"))
    docs.update(ids=["a"], metadatas=[{"t": "9"}])
    keys.append(catalogue.chroma_key(tmp_path, "lmcs_documents"))
    docs.upsert(ids=["b"], embeddings=[[0.0, 1.0]], metadatas=[{"t": "2"}])  # the same record again
    keys.append(catalogue.chroma_key(tmp_path, "lmcs_documents"))
    docs.delete(ids=["a"])
    keys.append(catalogue.chroma_key(tmp_path, "lmcs_documents"))
    assert None not in keys and len(set(keys)) == len(keys)
    other.add(ids=["c"], embeddings=[[1.0, 0.0]])
    assert catalogue.chroma_key(tmp_path, "lmcs_documents") == keys[-1]
    client.delete_collection("lmcs_documents")
    client.get_or_create_collection("lmcs_documents", embedding_function=None)
    assert not catalogue.same_collection(catalogue.chroma_key(tmp_path, "lmcs_documents"), keys[-1])
    assert catalogue.chroma_key(tmp_path, "absent") is None and catalogue.chroma_key(tmp_path / "x", "a") is None


def test_reopening_loads_the_saved_catalogue_and_reads_no_document_record(indexed, monkeypatch):
    data, _ = indexed
    reads = DocScans(monkeypatch)
    store = open_store(EMBEDDER, data)  # as a new app process opens it
    with store.guard():
        docs, fingerprint = store.documents(), store.fingerprint()
    assert reads.scans == 0
    assert docs == full_read(store) and list(docs) == list(full_read(store)) and set(docs) == {"profile", "notes"}
    assert docs["notes"].title == "Scrutiny notes"
    # The fingerprint (derived files are keyed on it) is the one a full read gives.
    assert fingerprint == catalogue.fingerprint(store.generation, full_read(store))
    for saved in (data / "derived").glob("catalogue-*.json"):
        saved.unlink()
    again = open_store(EMBEDDER, data)
    with again.guard():
        assert again.fingerprint() == fingerprint and again.documents() == docs
    assert reads.scans == 1, "without a catalogue the records are read, as before"
    assert saved_now(data, again) == docs, "and saved for the next process"


def test_a_writer_updates_the_catalogue_with_what_it_wrote_without_reading_every_record(indexed, monkeypatch):
    data, folder = indexed
    store = open_store(EMBEDDER, data)
    reads = DocScans(monkeypatch)
    assert store.relabel("notes", {"title": "Renamed notes"})
    (folder / "charter.txt").write_text(NEW, encoding="utf-8")
    report = build_index_pipeline(EMBEDDER, data, folder).run([folder / "charter.txt"])
    assert report.added == ["charter"]
    assert store.remove("profile")
    assert reads.scans == 0, "each writer read back only the documents it wrote"
    fresh = open_store(EMBEDDER, data)
    with fresh.guard():
        assert fresh.documents() == full_read(fresh) and set(fresh.documents()) == {"notes", "charter"}
        assert list(fresh.documents()) == list(full_read(fresh)), "in Chroma's own order"
    assert fresh.documents()["notes"].title == "Renamed notes"
    assert reads.scans == 0


def test_another_process_adding_or_removing_a_document_is_seen_at_the_next_question(indexed, monkeypatch):
    data, folder = indexed
    reader = open_store(EMBEDDER, data)
    with reader.guard():
        assert set(reader.documents()) == {"profile", "notes"}
    (folder / "charter.txt").write_text(NEW, encoding="utf-8")
    run_worker("ingest", data, folder, folder / "charter.txt")
    reads = DocScans(monkeypatch)
    with reader.guard():  # the app's next question
        assert set(reader.documents()) == {"profile", "notes", "charter"} == set(full_read(reader))
    assert reads.scans == 0, "the writer saved the new state's catalogue"

    removed = in_other_process(data, "assert store.remove('notes')")
    assert removed.returncode == 0, removed.stderr[-2000:]
    with reader.guard():
        assert set(reader.documents()) == {"profile", "charter"}
    assert set(open_store(EMBEDDER, data).documents()) == {"profile", "charter"}
    assert reads.scans == 0


KILLED = {
    "this code, removing": "with store.writing():\n    store.remove('notes')\n    os.kill(os.getpid(), signal.SIGKILL)",
    "this code, relabelling": (
        "with store.writing():\n    store.relabel('notes', {'title': 'Renamed'})\n    os.kill(os.getpid(), signal.SIGKILL)"
    ),
    # A writer that knows nothing of catalogues (older code, or a hand-made script): it changes a
    # record straight through Chroma, announces nothing, and dies.
    "code that knows no catalogue": (
        "got = store.docs.get(ids=['notes'], include=['metadatas'])\n"
        "store.docs.update(ids=['notes'], metadatas=[{**got['metadatas'][0], 'title': 'Renamed'}])\n"
        "os.kill(os.getpid(), signal.SIGKILL)"
    ),
}


@pytest.mark.parametrize("writer", list(KILLED))
def test_a_writer_killed_before_announcing_never_leaves_a_reader_a_wrong_catalogue(indexed, monkeypatch, writer):
    data, _ = indexed
    reader = open_store(EMBEDDER, data)
    with reader.guard():
        before = reader.documents()
    assert before["notes"].title == "Scrutiny notes"
    killed = in_other_process(data, KILLED[writer])
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]

    reads = DocScans(monkeypatch)
    opened = open_store(EMBEDDER, data)
    for store in (opened, reader):  # an app opened afterwards, and the running one once its catalogue is due
        with store.guard():
            assert store.documents(max_age=0) == full_read(store) != before
    assert reads.scans == 1, "the catalogue saved before the kill is not used; the read saves the new state's"
    assert saved_now(data, opened) == full_read(opened)


def test_a_write_that_fails_half_way_saves_no_catalogue(indexed, monkeypatch):
    data, _ = indexed
    store = open_store(EMBEDDER, data)

    def fails(**_):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(store.chunks, "delete", fails)  # after the record is deleted, before the chunks
    with pytest.raises(OSError):
        store.remove("notes")
    assert saved_now(data, store) is None
    fresh = open_store(EMBEDDER, data)
    with fresh.guard():
        assert set(fresh.documents()) == {"profile"} == set(full_read(fresh))


def test_a_damaged_or_renamed_catalogue_is_ignored(indexed, monkeypatch):
    data, _ = indexed
    store = open_store(EMBEDDER, data)
    key = catalogue.chroma_key(data, store.docs.name)
    assert key is not None
    saved = catalogue.path_for(data / "derived", key)
    header, body = saved.read_bytes().split(b"\n", 1)
    reads = DocScans(monkeypatch)

    saved.write_bytes(header + b"\n" + body.replace(b"Scrutiny notes", b"Scrutiny nodes"))  # one byte changed
    assert catalogue.load(data / "derived", key) is None
    with store.guard():
        assert store.documents(max_age=0)["notes"].title == "Scrutiny notes"
    assert reads.scans == 1
    assert catalogue.load(data / "derived", key) == full_read(store), "that read saved a good one again"

    for damage in (b"not json at all", b""):
        saved.write_bytes(damage)
        again = open_store(EMBEDDER, data)
        with again.guard():
            assert again.documents() == full_read(again)
    # Another state's catalogue renamed to this state's name says which key it holds: refused.
    catalogue.save(data / "derived", "other.1.0", {})
    catalogue.path_for(data / "derived", "other.1.0").replace(saved)
    assert catalogue.load(data / "derived", key) is None
    again = open_store(EMBEDDER, data)
    with again.guard():
        assert again.documents() == full_read(again)
    assert reads.scans == 4
