"""The index in a real Chroma (temp dir) with the fake embedder: incremental, atomic, model-checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embed import FakeEmbedder
from index.pipeline import build_index_pipeline, open_store
from index.store import IndexMismatchError

ROLE = """Role profile

- Hold political responsibility for children’s services.
- Be a participating observer of the safeguarding board.
"""


def _corpus(tmp_path: Path, text: str = ROLE) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    (folder / "profile.txt").write_text(text, encoding="utf-8")
    (folder / "notes.md").write_text(
        "# Notes\n\n* Early help comes first.\n* Corporate parents care.\n", encoding="utf-8"
    )
    return folder


def test_ingest_is_incremental(tmp_path):
    folder = _corpus(tmp_path)
    indexer = build_index_pipeline(FakeEmbedder(), tmp_path / "data", tmp_path)
    first = indexer.run([folder])
    assert sorted(first.added) == ["notes", "profile"] and first.ok
    again = indexer.run([folder])
    assert again.added == again.updated == [] and sorted(again.unchanged) == ["notes", "profile"]
    assert again.chunks == 0


def test_a_changed_document_replaces_its_chunks(tmp_path):
    folder = _corpus(tmp_path)
    indexer = build_index_pipeline(FakeEmbedder(), tmp_path / "data", tmp_path)
    indexer.run([folder])
    (folder / "profile.txt").write_text(ROLE.replace("participating observer", "full voting member"), encoding="utf-8")
    report = indexer.run([folder])
    assert report.updated == ["profile"]
    texts = " ".join(c.text for c in indexer.store.all_chunks())
    assert "full voting member" in texts and "participating observer" not in texts
    stored = indexer.store.chunks.get(where={"doc_id": "profile"})["documents"]
    assert all("participating observer" not in t for t in stored)  # old chunks deleted, not just hidden
    assert indexer.store.units.get(where={"doc_id": "profile"})["ids"]


def test_an_interrupted_replace_shows_one_whole_version(tmp_path):
    """New chunks written but the document record not yet flipped: readers still see only the old version."""
    folder = _corpus(tmp_path)
    indexer = build_index_pipeline(FakeEmbedder(), tmp_path / "data", tmp_path)
    indexer.run([folder])
    new_text = ROLE.replace("participating observer", "full voting member")
    (folder / "profile.txt").write_text(new_text, encoding="utf-8")
    doc, chunks = indexer.prepare(indexer.loader.run(folder / "profile.txt"))
    store = indexer.store
    vectors = indexer.embedder.embed_documents([c.text for c in chunks])
    store._add(
        store.chunks,
        [c.chunk_id(doc.version) for c in chunks],
        vectors,
        [c.text for c in chunks],
        [
            {
                "doc_id": doc.doc_id,
                "version": doc.version,
                "index": c.index,
                "start": c.start,
                "end": c.end,
                "heading": c.heading,
                "units": "[]",
            }
            for c in chunks
        ],
    )  # crash here, before the flip
    visible = " ".join(c.text for c in store.all_chunks())
    assert "participating observer" in visible and "full voting member" not in visible
    hits = store.query_chunks(indexer.embedder.embed_query("full voting member"), k=10)
    assert all("full voting member" not in c.text for c, _ in hits)
    # Re-running finishes the job: the new version only.
    assert indexer.run([folder]).updated == ["profile"]
    visible = " ".join(c.text for c in store.all_chunks())
    assert "full voting member" in visible and "participating observer" not in visible


def test_an_index_built_with_another_model_is_a_clear_error_and_a_rebuild_keeps_every_document(tmp_path):
    build_index_pipeline(FakeEmbedder(64), tmp_path / "data", tmp_path).run([_corpus(tmp_path)])
    with pytest.raises(IndexMismatchError, match="lmcs ingest --rebuild"):
        open_store(FakeEmbedder(32), tmp_path / "data")
    report = build_index_pipeline(FakeEmbedder(32), tmp_path / "data", tmp_path, rebuild=True).rebuild([])
    assert report.ok and sorted(report.updated) == ["notes", "profile"] and report.removed == []
    store = open_store(FakeEmbedder(32), tmp_path / "data")  # opens: the new model's index is live
    assert set(store.documents()) == {"notes", "profile"}
    hits = store.query_chunks(FakeEmbedder(32).embed_query("safeguarding board observer"), k=1)
    assert hits[0][0].doc_id == "profile"


def test_remove_deletes_everything_of_a_document(tmp_path):
    indexer = build_index_pipeline(FakeEmbedder(), tmp_path / "data", tmp_path)
    indexer.run([_corpus(tmp_path)])
    assert indexer.store.remove("notes")
    assert not indexer.store.remove("notes")
    assert set(indexer.store.documents()) == {"profile"}
    assert not indexer.store.chunks.get(where={"doc_id": "notes"})["ids"]
    assert not indexer.store.units.get(where={"doc_id": "notes"})["ids"]


def test_bad_files_are_reported_and_good_ones_still_indexed(tmp_path):
    folder = _corpus(tmp_path)
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (folder / "sheet.xlsx").write_bytes(b"PK\x03\x04")
    report = build_index_pipeline(FakeEmbedder(), tmp_path / "data", tmp_path).run([folder, tmp_path / "missing.txt"])
    assert sorted(report.added) == ["notes", "profile"]
    reasons = {Path(p).name: r for p, r in report.failed}
    assert reasons["empty.txt"] == "the file is empty"
    assert "binary" in reasons["binary.txt"]
    assert "unsupported file type '.xlsx'" in reasons["sheet.xlsx"]
    assert "no such file" in reasons["missing.txt"]
    assert not report.ok


def test_markdown_is_read_as_text_with_bullets(tmp_path):
    indexer = build_index_pipeline(FakeEmbedder(), tmp_path / "data", tmp_path)
    indexer.run([_corpus(tmp_path)])
    assert (
        indexer.store.texts(["notes"])["notes"] == "Notes\n\n- Early help comes first.\n\n- Corporate parents care.\n"
    )
    assert indexer.store.documents()["notes"].title == "Notes"


def test_corpus_manifest_metadata_is_used(
    tmp_path,
):
    from assistant.settings import PROJECT_ROOT

    corpus = PROJECT_ROOT / "corpus"
    indexer = build_index_pipeline(FakeEmbedder(), tmp_path / "data", corpus)
    report = indexer.run([corpus], prune_corpus=True)
    assert report.ok and len(report.added) == 5
    docs = indexer.store.documents()
    assert docs["wigan-childrens-portfolio"].authority == "Wigan Council"
    assert docs["unnamed-council-lmcs-profile"].note.startswith("The council is not named")
    assert all(d.origin == "corpus" for d in docs.values())


def test_reading_every_chunk_goes_page_by_page_and_misses_none(tmp_path):
    """Chroma fails on one get() of tens of thousands of records; the store reads in pages."""
    from index.store import _paged

    indexer = build_index_pipeline(FakeEmbedder(), tmp_path / "data", tmp_path)
    indexer.run([_corpus(tmp_path)])
    everything = indexer.store.chunks.get()["ids"]
    for page in (1, 2, 3, 1000):
        ids = [i for i, _, _ in _paged(indexer.store.chunks, ["metadatas"], page=page)]
        assert sorted(ids) == sorted(everything) and len(ids) == len(set(ids))


def test_a_newline_in_a_file_name_cannot_forge_a_summary_line():
    from index.report import IngestReport

    report = IngestReport(failed=[("evil\n300 added, 0 failed.txt", "the file is empty")])
    assert report.summary().count("\n") == 1 and "\\x0a300 added" in report.summary()
