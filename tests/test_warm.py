"""A warm question does only its own work: dense search in memory over the corpus version's chunk
vectors, and no read of the version record while nothing has been written. Neither may change an
answer, nor hide another process's change from the next question."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from assistant.chain.pipeline import build_answer_pipeline
from assistant.chain.retrieve import HybridRetriever
from assistant.chain.themes import asks_about_the_whole_role
from assistant.settings import Settings
from evals.dataset import load_dataset
from index.change_counter import ChangeCounter, watched
from index.embed import FakeEmbedder
from index.pipeline import build_index_pipeline
from index.version import VersionRecord
from tests.documents import PROFILE, small_index
from tests.index_worker import run as run_worker

EMBEDDER = FakeEmbedder(64)  # the dimension tests/index_worker.py uses, so either process can write
CHARTER = "Fostering charter\n\n- The lead member's fostering charter promises every foster carer a kinship mentor.\n"
QUESTION = "What does the lead member's fostering charter promise every foster carer?"


def test_dense_search_in_memory_finds_what_chroma_finds_on_the_corpus(chain, embedder):
    snapshot = chain.snapshot()
    dense = chain.retriever.dense_index(snapshot)
    assert dense is not None and len(dense) == len(snapshot.chunks), "the seed corpus is searched in memory"
    some_docs = sorted(snapshot.documents)[:2]
    for item in load_dataset("v1")[:20]:
        vector = embedder.embed_query(item.question)
        for scope in (None, some_docs):
            ours = dense.search(vector, 20, scope)
            chroma = chain.store.query_chunks(vector, 20, scope)
            assert [i for i, _ in ours] == [c.chunk_id for c, _ in chroma], item.question
            assert [snapshot.chunks[i] for i, _ in ours] == [c for c, _ in chroma]  # same text, offsets, units
            assert max(abs(a - b) for (_, a), (_, b) in zip(ours, chroma, strict=True)) < 1e-6


def test_a_corpus_above_the_in_memory_limit_is_searched_by_chroma_with_the_same_result(chain, embedder):
    snapshot = chain.snapshot()
    ours = chain.retriever
    small = HybridRetriever(
        chain.store, ours.mode, ours.rrf_k, ours.candidates, ours.dense_weight, len(snapshot.chunks) - 1
    )
    assert small.dense_index(snapshot) is None
    question = "Who does the LMCS hold to account for children's services?"
    vector = embedder.embed_query(question)
    assert [(r.chunk.chunk_id, r.score) for r in small.run(question, vector, snapshot)] == [
        (r.chunk.chunk_id, r.score) for r in chain.retriever.run(question, vector, snapshot)
    ]


def test_a_document_another_process_adds_is_found_densely_at_the_next_question_and_nothing_else_rereads(
    tmp_path, monkeypatch
):
    data, folder = small_index(tmp_path, EMBEDDER, {"profile.txt": PROFILE})
    chain = build_answer_pipeline(Settings(data_dir=data, retrieval_mode="dense"), embedder=EMBEDDER, use_llm=False)
    reads = []
    real = VersionRecord.read
    monkeypatch.setattr(VersionRecord, "read", lambda self: reads.append(1) or real(self))

    before = chain.ask(QUESTION)
    assert {r.chunk.doc_id for r in before.retrieved} == {"profile"}
    reads.clear()
    chain.ask(QUESTION)
    assert not reads, "nothing was written: a warm question reads no version record"

    (folder / "charter.txt").write_text(CHARTER, encoding="utf-8")
    run_worker("ingest", data, folder, folder / "charter.txt")

    after = chain.ask(QUESTION)  # the very next question, no waiting
    assert reads, "another process committed: the record was read again"
    found = [r for r in after.retrieved if r.chunk.doc_id == "charter"]
    assert found and found[0].dense is not None and "kinship mentor" in found[0].chunk.text
    dense = chain.retriever.dense_index(chain.snapshot())
    assert dense is not None and set(dense.groups) == {"profile", "charter"}


def _write(path: Path, value: int) -> None:
    with sqlite3.connect(path) as db:
        db.execute("insert into t values (?)", (value,))


def test_the_change_counter_moves_with_each_commit_and_gives_up_on_a_wal_database(tmp_path):
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("create table t (x)")
    counter = ChangeCounter(path)
    first = counter.read()
    assert first is not None and counter.read() == first  # nothing written: same token
    _write(path, 1)
    second = counter.read()
    assert second is not None and second != first
    with sqlite3.connect(path) as db:
        db.execute("select * from t").fetchall()
    assert counter.read() == second  # a read commits nothing

    path.unlink()  # a new file at the same path: never taken for the old one
    with sqlite3.connect(path) as db:
        db.execute("create table t (x)")
    assert counter.read() not in (None, first, second)

    wal = tmp_path / "wal.sqlite3"
    with sqlite3.connect(wal) as db:
        db.execute("pragma journal_mode=wal")
        db.execute("create table t (x)")
    assert ChangeCounter(wal).read() is None, "WAL commits leave the counter alone: read the record every time"
    assert ChangeCounter(tmp_path / "missing").read() is None


@pytest.mark.parametrize("journal", ["delete", "truncate", "persist"])
def test_every_rollback_journal_mode_bumps_the_counter(tmp_path, journal):
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute(f"pragma journal_mode={journal}")
        db.execute("create table t (x)")
    counter = ChangeCounter(path)
    seen = {counter.read()}
    for value in range(3):
        _write(path, value)
        seen.add(counter.read())
    assert None not in seen and len(seen) == 4


def test_the_themes_of_a_whole_role_answer_are_searched_once_per_corpus_version(settings, embedder, monkeypatch):
    chain = build_answer_pipeline(settings, embedder=embedder, use_llm=False)  # its own snapshot, nothing memoised
    assert len(chain.themes) >= 3
    embedded: list[str] = []
    real = embedder.embed_query
    monkeypatch.setattr(embedder, "embed_query", lambda text: embedded.append(text) or real(text))

    first = chain.ask("What must I do as LMCS?")
    assert len(embedded) == 1 + len(chain.themes)  # the question, then each theme
    embedded.clear()
    assert asks_about_the_whole_role("What are my main duties as the lead member?")
    again = chain.ask("What are my main duties as the lead member?")
    assert len(embedded) == 1, "only the question's own text is embedded"
    assert len(again.citations) >= 3 and [c.quote for c in again.citations] == [c.quote for c in first.citations]


def test_a_document_replaced_during_a_question_is_left_out_of_its_dense_hits_not_half_seen(tmp_path):
    data, folder = small_index(tmp_path, EMBEDDER, {"profile.txt": PROFILE, "charter.txt": CHARTER})
    chain = build_answer_pipeline(Settings(data_dir=data, retrieval_mode="dense"), embedder=EMBEDDER, use_llm=False)
    snapshot = chain.snapshot()  # the question's view, taken before the write below
    assert chain.retriever.dense_index(snapshot) is not None

    (folder / "profile.txt").write_text(PROFILE + "- The lead member visits a children's home each term.\n")
    assert build_index_pipeline(EMBEDDER, data, folder).run([folder]).ok  # its old chunks are deleted

    vector = EMBEDDER.embed_query(QUESTION)
    found = chain.retriever.run(QUESTION, vector, snapshot, k=8)
    assert found and {r.chunk.doc_id for r in found} == {"charter"}  # the old profile's chunks are gone, not errors
    after = chain.ask(QUESTION)  # the next question sees the new version whole
    assert any("children's home" in r.chunk.text for r in after.retrieved)


def test_a_watched_record_is_read_again_only_after_a_commit_and_always_without_a_file(tmp_path):
    path = tmp_path / "db.sqlite3"
    with sqlite3.connect(path) as db:
        db.execute("create table t (x)")

    class Record:
        collection = None
        reads = 0

        def read(self) -> int:
            self.reads += 1
            return self.reads

    record = Record()
    watch = watched(record, path)
    assert [watch.read(), watch.read()] == [1, 1] and record.reads == 1
    _write(path, 1)
    assert [watch.read(), watch.read()] == [2, 2]
    server = Record()  # a Chroma server: no file to watch, the record is read every time
    assert watched(server, None) is server


def test_a_prepared_server_answers_its_first_question_with_nothing_left_to_build(settings, embedder):
    """`lmcs serve` prepares its service before it listens: the first user's question finds the corpus
    snapshot, the English word list and the gazetteer ready."""
    from assistant.chain.expand import english_words
    from assistant.service import Service
    from index.councils import _gazetteer_pattern

    english_words.cache_clear()
    _gazetteer_pattern.cache_clear()
    service = Service.open(settings, embedder=embedder, use_llm=False)
    service.prepare()
    made = service.chain.snapshots.loaded + service.chain.snapshots.built
    assert made == 1 and english_words.cache_info().currsize == 1 and _gazetteer_pattern.cache_info().currsize == 1
    answer = service.ask("Who does the LMCS report to?")
    assert not answer.abstained
    assert service.chain.snapshots.loaded + service.chain.snapshots.built == made  # nothing built again
    assert english_words.cache_info().misses == 1 and _gazetteer_pattern.cache_info().misses == 1
