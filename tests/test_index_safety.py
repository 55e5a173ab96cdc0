"""Nothing lost: unique document ids, a rebuild that keeps every document, one writer at a time.

A real Chroma in a temp dir, real files, the fake embedder (the model is not the point).
Issue #18: a user's file named like a corpus document silently replaced it; `--rebuild`
dropped every user document; two writers at once left counts that did not match the index.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, Settings
from index.embed import FakeEmbedder
from index.pipeline import build_index_pipeline, open_store
from tests.conftest import lmcs

WIGAN = "Wigan children's portfolio\n\n- The portfolio holder chairs the Corporate Parenting Group.\n"
PORTSMOUTH = "Portsmouth cabinet member\n\n- The cabinet member holds the director to account.\n"


@pytest.fixture
def corpus(tmp_path) -> Path:
    """A small corpus with a manifest, as the project's corpus/ is."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "wigan.txt").write_text(WIGAN, encoding="utf-8")
    (folder / "portsmouth.txt").write_text(PORTSMOUTH, encoding="utf-8")
    (folder / "manifest.toml").write_text(
        '[[document]]\nfile = "wigan.txt"\ndoc_id = "wigan-childrens-portfolio"\ntitle = "Wigan portfolio"\n'
        'authority = "Wigan Council"\n\n'
        '[[document]]\nfile = "portsmouth.txt"\ndoc_id = "portsmouth-cabinet-member"\ntitle = "Portsmouth"\n'
        'authority = "Portsmouth City Council"\n',
        encoding="utf-8",
    )
    return folder


def indexer_for(tmp_path: Path, corpus: Path, overrides: dict[str, str] | None = None, rebuild: bool = False):
    return build_index_pipeline(FakeEmbedder(), tmp_path / "data", corpus, overrides=overrides, rebuild=rebuild)


def user_file(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_user_file_named_like_a_corpus_document_is_refused_and_the_corpus_document_kept(tmp_path, corpus):
    indexer = indexer_for(tmp_path, corpus)
    assert indexer.run([corpus], prune_corpus=True).ok
    before = indexer.store.documents(max_age=0)["wigan-childrens-portfolio"]

    mine = user_file(tmp_path / "mine", "wigan-childrens-portfolio.txt", "My notes\n\n- Something else entirely.\n")
    report = indexer.run([mine])
    assert not report.ok and report.added == report.updated == []
    [(path, reason)] = report.failed
    assert path == str(mine)
    assert "already holds 'wigan-childrens-portfolio' from" in reason and "wigan.txt" in reason
    assert "--replace wigan-childrens-portfolio" in reason and "rename the file" in reason
    assert "1 failed" in report.summary() and "0 updated" in report.summary()
    after = indexer.store.documents(max_age=0)["wigan-childrens-portfolio"]
    assert after == before  # same source, version and chunks
    assert "Corporate Parenting Group" in " ".join(c.text for c in indexer.store.all_chunks())


def test_two_files_with_one_id_in_one_run_are_both_refused_and_named(tmp_path, corpus):
    a = user_file(tmp_path / "a", "policy.txt", "Policy A\n\n- Alpha rule.\n")
    b = user_file(tmp_path / "b", "policy.txt", "Policy B\n\n- Beta rule.\n")
    indexer = indexer_for(tmp_path, corpus)
    report = indexer.run([a, b])
    assert report.added == [] and "policy" not in indexer.store.documents(max_age=0)
    reasons = dict(report.failed)
    assert set(reasons) == {str(a), str(b)}
    assert str(b) in reasons[str(a)] and str(a) in reasons[str(b)] and "rename one of them" in reasons[str(a)]


def test_a_file_of_an_unsupported_type_takes_no_id_from_a_readable_one(tmp_path, corpus):
    folder = tmp_path / "mixed"
    user_file(folder, "policy.txt", "Policy\n\n- A rule.\n")
    user_file(folder, "policy.csv", "a,b\n1,2\n")
    report = indexer_for(tmp_path, corpus).run([folder])
    assert report.added == ["policy"]
    assert [(Path(p).name, "unsupported file type" in why) for p, why in report.failed] == [("policy.csv", True)]


def test_replace_lets_a_named_file_take_an_id(tmp_path, corpus):
    indexer = indexer_for(tmp_path, corpus)
    indexer.run([corpus], prune_corpus=True)
    mine = user_file(tmp_path / "mine", "wigan-childrens-portfolio.txt", "My Wigan notes\n\n- A newer rule.\n")
    report = indexer.run([mine], replace=["wigan-childrens-portfolio"])
    assert report.ok and report.updated == ["wigan-childrens-portfolio"]
    doc = indexer.store.documents(max_age=0)["wigan-childrens-portfolio"]
    assert Path(doc.source) == mine.absolute() and doc.origin == "user"
    assert "Corporate Parenting Group" not in " ".join(c.text for c in indexer.store.all_chunks())


def test_the_same_file_again_is_an_update_not_a_collision(tmp_path, corpus):
    indexer = indexer_for(tmp_path, corpus)
    mine = user_file(tmp_path / "mine", "notes.txt", "Notes\n\n- First rule.\n")
    assert indexer.run([mine]).added == ["notes"]
    mine.write_text("Notes\n\n- Second rule.\n", encoding="utf-8")
    os.chdir(tmp_path)  # the same file named another way (relative) is the same file
    assert indexer.run([Path("mine/notes.txt")]).updated == ["notes"]


def test_an_upload_through_the_service_is_refused_the_same_way(tmp_path, corpus):
    from assistant.chain.pipeline import build_answer_pipeline
    from assistant.service import Service

    settings = Settings(data_dir=tmp_path / "data", corpus_dir=corpus)
    indexer_for(tmp_path, corpus).run([corpus], prune_corpus=True)
    service = Service(settings, build_answer_pipeline(settings, embedder=FakeEmbedder(), use_llm=False))
    upload = user_file(tmp_path / "data" / "uploads", "portsmouth-cabinet-member.txt", "Mine\n\n- Not Portsmouth.\n")
    report = service.ingest([upload], overrides={"authority": "Anytown Council"})
    assert not report.ok and "already holds 'portsmouth-cabinet-member'" in report.summary()
    doc = service.documents()["portsmouth-cabinet-member"]
    assert doc.authority == "Portsmouth City Council" and doc.origin == "corpus"


def test_a_rebuild_keeps_user_documents_with_the_metadata_they_were_given(tmp_path, corpus):
    indexer = indexer_for(tmp_path, corpus)
    indexer.run([corpus], prune_corpus=True)
    folder = tmp_path / "ours"
    for i in range(3):
        user_file(folder, f"ours-{i}.txt", f"Our page {i}\n\n- Rule number {i} for the lead member.\n")
    given = indexer_for(tmp_path, corpus, overrides={"authority": "Anytown Council", "title": "Our profile"})
    assert len(given.run([folder]).added) == 3
    store = indexer.store
    before, fingerprint, generation = store.documents(max_age=0), store.fingerprint(), store.generation

    report = indexer_for(tmp_path, corpus, rebuild=True).rebuild([corpus])
    assert report.ok, report.summary()
    assert report.summary().startswith("0 added, 0 updated, 5 unchanged, 0 removed, 0 failed")
    after = store.documents(max_age=0)  # a store opened before the rebuild follows it
    assert store.generation == generation + 1 and store.fingerprint() != fingerprint
    assert after == before
    assert after["ours-1"].authority == "Anytown Council" and after["ours-1"].title == "Our profile"
    assert len(store.all_chunks()) == sum(d.n_chunks for d in after.values())
    assert store.generations() == {store.generation}  # the old generation was deleted


def test_a_rebuild_refuses_and_names_documents_whose_files_are_gone_unless_told_to_drop_them(tmp_path, corpus):
    indexer = indexer_for(tmp_path, corpus)
    indexer.run([corpus], prune_corpus=True)
    gone = user_file(tmp_path / "ours", "minutes.txt", "Minutes\n\n- The board met.\n")
    indexer.run([gone])
    gone.unlink()
    generation = indexer.store.generation

    refused = indexer_for(tmp_path, corpus, rebuild=True).rebuild([corpus])
    assert not refused.ok and refused.added == refused.removed == []
    assert "'minutes'" in refused.stopped and "minutes.txt" in refused.stopped and "--drop-missing" in refused.stopped
    assert "Nothing was changed" in refused.summary()
    assert indexer.store.generation == generation and "minutes" in indexer.store.documents(max_age=0)

    dropped = indexer_for(tmp_path, corpus, rebuild=True).rebuild([corpus], drop_missing=True)
    assert dropped.ok and dropped.removed == ["minutes"] and len(dropped.unchanged) == 2
    assert set(indexer.store.documents(max_age=0)) == {"wigan-childrens-portfolio", "portsmouth-cabinet-member"}


def test_a_rebuild_that_cannot_read_an_indexed_documents_file_any_more_changes_nothing(tmp_path, corpus):
    indexer = indexer_for(tmp_path, corpus)
    notes = user_file(tmp_path / "ours", "notes.txt", "Notes\n\n- Kept safe.\n")
    indexer.run([corpus, notes])
    notes.write_bytes(b"\x00\x01binary now")
    before, generation = indexer.store.documents(max_age=0), indexer.store.generation

    report = indexer_for(tmp_path, corpus, rebuild=True).rebuild([corpus])
    assert not report.ok and "'notes'" in report.stopped and "binary" in dict(report.failed)[str(notes.absolute())]
    assert indexer.store.documents(max_age=0) == before and indexer.store.generation == generation
    assert indexer.store.generations() == {generation}  # the half-built generation was deleted


def test_a_rebuild_refuses_a_file_that_would_take_an_indexed_documents_id(tmp_path, corpus):
    indexer = indexer_for(tmp_path, corpus)
    indexer.run([corpus], prune_corpus=True)
    mine = user_file(tmp_path / "mine", "wigan-childrens-portfolio.txt", "Mine\n\n- Other words.\n")
    report = indexer_for(tmp_path, corpus, rebuild=True).rebuild([corpus, mine])
    assert [p for p, _ in report.failed] == [str(mine)] and "--replace" in report.failed[0][1]
    assert len(report.unchanged) == 2 and report.removed == []  # the rebuild went ahead without it


def test_a_second_writer_in_this_process_is_refused(tmp_path, corpus):
    first = indexer_for(tmp_path, corpus)
    second = indexer_for(tmp_path, corpus)
    with first.store.writing():
        report = second.run([corpus])
    assert report.added == [] and f"another ingest is running (pid {os.getpid()}" in report.stopped
    assert "Nothing was changed" in report.summary()
    assert second.run([corpus]).ok  # released: the next writer goes ahead


def test_a_second_writer_is_refused_clearly_while_another_process_writes(tmp_path, corpus):
    folder = tmp_path / "many"
    for i in range(6):
        user_file(folder, f"page-{i}.txt", f"Page {i}\n\n- Rule {i}.\n")
    first = subprocess.Popen(
        [sys.executable, "-m", "tests.index_worker", "ingest", str(tmp_path / "data"), str(corpus), str(folder)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "LMCS_TEST_SLOW_EMBED": "1.5"},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdout is not None and first.stdout.readline().strip() == "started"
        time.sleep(0.5)  # it has taken the lock and is embedding
        report = indexer_for(tmp_path, corpus).run([corpus])
        assert report.added == []
        assert f"another ingest is running (pid {first.pid}, since " in report.stopped
        assert "try again when it finishes" in report.summary()
    finally:
        out = first.communicate(timeout=120)[0]
    assert first.returncode == 0 and out.startswith("6 added"), out
    store = open_store(FakeEmbedder(), tmp_path / "data")
    assert len(store.documents()) == 6  # the first writer's summary is what the index holds


@pytest.mark.slow
def test_the_cli_refuses_a_colliding_file_keeps_user_documents_through_a_rebuild_and_replaces_when_told(
    tmp_path, corpus_data_dir
):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(corpus_data_dir, data)  # the corpus indexed with the real model
    mine = user_file(tmp_path / "mine", "wigan-childrens-portfolio.txt", "My notes\n\n- I visit a school each week.\n")
    refused = lmcs("ingest", str(mine), data_dir=data)
    assert refused.returncode == 1, refused.stderr
    assert "already holds 'wigan-childrens-portfolio' from" in refused.stdout
    assert "use --replace wigan-childrens-portfolio" in refused.stdout

    notes = user_file(tmp_path / "ours", "our-notes.txt", "Our notes\n\n- The lead member meets care leavers.\n")
    assert lmcs("ingest", str(notes), "--authority", "Anytown Council", data_dir=data).returncode == 0
    rebuilt = lmcs("ingest", "--rebuild", data_dir=data)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "0 added, 0 updated, 6 unchanged, 0 removed, 0 failed" in rebuilt.stdout
    listed = lmcs("sources", data_dir=data).stdout
    assert "our-notes\tOur notes\tAnytown Council" in listed

    replaced = lmcs("ingest", str(mine), "--replace", "wigan-childrens-portfolio", data_dir=data)
    assert replaced.returncode == 0 and replaced.stdout.startswith("0 added, 1 updated"), replaced.stdout

    stamped = lmcs("ingest", "--rebuild", "--authority", "Anytown Council", data_dir=data)
    assert stamped.returncode == 2 and "re-reads every document with the metadata it was given" in stamped.stderr
