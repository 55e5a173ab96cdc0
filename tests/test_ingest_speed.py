"""Ingest at the model's speed: each token through the model once, each distinct text once, and
documents written in a few large writes without losing whole-or-nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from index.chroma import ChromaStore
from index.embed import FakeEmbedder
from index.pipeline import build_index_pipeline

PROFILE = (
    "Lead member role profile\n\n"
    "## Corporate parenting\n\n"
    "- The lead member chairs the corporate parenting board every quarter.\n"
    "- The lead member visits a children's home at least once a year.\n"
    "- Care leavers are consulted on the local offer before it is published.\n"
)


class Counting(FakeEmbedder):
    def __init__(self) -> None:
        super().__init__(64)
        self.texts: list[str] = []

    def embed_documents(self, texts):  # type: ignore[no-untyped-def]
        self.texts += texts
        return super().embed_documents(texts)


def _folder(tmp_path: Path, texts: dict[str, str]) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_each_unit_takes_its_vector_from_its_chunks_run_and_it_is_still_its_own(tmp_path, embedder):
    """One model run per chunk, none per sentence; yet each sentence's vector is nearer its own
    sentence, embedded alone, than any other sentence of the chunk."""
    folder = _folder(tmp_path, {"profile.txt": PROFILE})
    indexer = build_index_pipeline(embedder, tmp_path / "data", folder)
    report = indexer.run([folder])
    assert report.ok
    assert indexer.embed_once.embedded == report.chunks, "the model ran once per chunk, not per sentence"
    store = indexer.store
    chunks = store.all_chunks()
    _, vectors, texts = store.unit_vectors([c.chunk_id for c in chunks])
    assert len(texts) >= 3
    alone = embedder.embed_documents(texts)
    nearest = np.argmax(vectors @ alone.T, axis=1)
    assert list(nearest) == list(range(len(texts)))
    assert float(np.min(np.sum(vectors * alone, axis=1))) > 0.5  # measured 0.62–0.79: the same neighbourhood


def test_each_distinct_text_is_embedded_once(tmp_path):
    shared = "## Meetings\n\n- The lead member meets the director of children's services every month.\n"
    folder = _folder(tmp_path, {f"{c}.txt": f"{c} profile\n\n{shared}" for c in ("wigan", "bolton", "bury")})
    model = Counting()  # no token states: every text run on its own, each distinct one once
    indexer = build_index_pipeline(model, tmp_path / "data", folder)
    report = indexer.run([folder])
    assert report.ok and len(report.added) == 3
    assert len(model.texts) == len(set(model.texts)) == indexer.embed_once.embedded < indexer.embed_once.asked
    units = [t for t in model.texts if t.endswith("every month.") and "profile" not in t]
    assert len(units) == 1, "the sentence all three share, under the same heading, ran once"


def test_a_failed_batch_write_names_every_document_of_it_and_the_same_command_finishes_later(tmp_path, monkeypatch):
    folder = _folder(
        tmp_path, {f"council-{i}.txt": f"Council {i}\n\n- Council {i} chairs board {i}.\n" for i in range(5)}
    )
    real = ChromaStore.write_many
    monkeypatch.setattr(ChromaStore, "write_many", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left")))
    indexer = build_index_pipeline(FakeEmbedder(64), tmp_path / "data", folder)
    report = indexer.run([folder])
    assert not report.ok and "disk is full" in report.stopped
    assert len(report.failed) == 5 and not report.added
    assert all("not indexed" in reason for _, reason in report.failed)
    assert indexer.store.documents(max_age=0) == {}, "the index holds nothing the report does not name"
    monkeypatch.setattr(ChromaStore, "write_many", real)
    again = build_index_pipeline(FakeEmbedder(64), tmp_path / "data", folder).run([folder])
    assert again.ok and len(again.added) == 5


@pytest.mark.parametrize("n", [1, 2])
def test_a_document_replaced_in_a_batch_leaves_no_old_chunks(tmp_path, n):
    folder = _folder(tmp_path, {f"d{i}.txt": f"Doc {i}\n\n- First wording {i}.\n" for i in range(n)})
    build_index_pipeline(FakeEmbedder(64), tmp_path / "data", folder).run([folder])
    for i in range(n):
        (folder / f"d{i}.txt").write_text(f"Doc {i}\n\n- Second wording {i}.\n", encoding="utf-8")
    indexer = build_index_pipeline(FakeEmbedder(64), tmp_path / "data", folder)
    report = indexer.run([folder])
    assert len(report.updated) == n
    stored = indexer.store.chunks.get(include=["documents"])["documents"]
    assert not [t for t in stored if "First wording" in t] and len([t for t in stored if "Second" in t]) == n


def test_a_failed_write_names_the_batch_embedded_behind_it_and_writes_stay_in_order(tmp_path, monkeypatch):
    """A batch is embedded while the one before is written: when that write fails, the batch already
    embedded is named too (never written), as is every file not reached; the index holds nothing."""
    folder = _folder(
        tmp_path, {f"council-{i}.txt": f"Council {i}\n\n- Council {i} chairs board {i}.\n" for i in range(5)}
    )
    written: list[list[str]] = []
    real = ChromaStore.write_many

    def record(store, items):  # type: ignore[no-untyped-def]
        written.append([doc.doc_id for doc, *_ in items])
        return real(store, items)

    monkeypatch.setattr(ChromaStore, "write_many", record)
    indexer = build_index_pipeline(FakeEmbedder(64), tmp_path / "data", folder)
    indexer.batch_docs = 2
    assert indexer.run([folder]).ok
    assert [d for batch in written for d in batch] == [f"council-{i}" for i in range(5)], "in order, each once"
    assert [len(b) for b in written] == [2, 2, 1]

    monkeypatch.setattr(ChromaStore, "write_many", lambda *a: (_ for _ in ()).throw(OSError(28, "No space left")))
    fresh = build_index_pipeline(FakeEmbedder(64), tmp_path / "other", folder)
    fresh.batch_docs = 2
    report = fresh.run([folder])
    assert "disk is full" in report.stopped and not report.added
    named = [Path(p).name for p, _ in report.failed]
    assert sorted(named) == [f"council-{i}.txt" for i in range(5)], "each file named once"
    assert all("not indexed" in reason for _, reason in report.failed)
    assert fresh.store.documents(max_age=0) == {}


def test_batches_cut_by_tokens_give_each_text_the_vector_it_has_alone(embedder):
    """Batching (by length, at most `batch_tokens` with padding) is for speed only: a text's vector
    is the one it gets embedded alone, whatever it was batched with."""
    texts = [PROFILE, "LMCS", *PROFILE.splitlines()[3:], "The lead member " * 40]
    assert len({len(e.ids) for e in embedder.tokenize(texts)}) > 3  # lengths that batch differently
    batches = embedder.batches([len(e.ids) for e in embedder.tokenize(texts)])
    assert len(batches) > 1 and sorted(i for b in batches for i in b) == list(range(len(texts)))
    together = embedder.embed_documents(texts)
    alone = np.stack([embedder.embed_documents([t])[0] for t in texts])
    assert float(np.abs(together - alone).max()) < 1e-5


def test_batches_run_side_by_side_give_the_vectors_of_one_run_at_a_time_to_the_bit(embedder):
    """Ingest runs several batches at once, one thread each; every text and sentence keeps its own
    vector (no row written from another batch), the same to the bit as one batch after another."""
    from index.spans import embed_with_spans

    texts = [f"{line} ({i})" for i in range(30) for line in PROFILE.splitlines() if line.startswith("- ")]
    spans = [[(2, 20), None, (len(t) - 4, len(t))] for t in texts]
    was = embedder.workers
    try:
        embedder.workers = 2
        assert len(embedder.batches([len(e.ids) for e in embedder.tokenize(texts)])) > 2
        side, side_spans = embedder.embed_documents(texts), embed_with_spans(embedder, texts, spans)
        embedder.workers = 1
        one, one_spans = embedder.embed_documents(texts), embed_with_spans(embedder, texts, spans)
    finally:
        embedder.workers = was
    assert np.array_equal(side, one) and np.array_equal(side_spans[0], one_spans[0])
    for a, b in zip(side_spans[1], one_spans[1], strict=True):
        assert a[1] is None and b[1] is None
        assert all(np.array_equal(x, y) for x, y in zip((a[0], a[2]), (b[0], b[2]), strict=True))
    assert len({v.tobytes() for v in side}) == len(set(texts)), "each text its own vector"
