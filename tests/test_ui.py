"""The chat UI: a real Gradio server asked through gradio_client, and the UI's behaviour behind the page."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from assistant.present import escape_markdown
from assistant.records.passwords import check_password, hash_password
from assistant.web.app import launch
from assistant.web.chat import safe_upload_name, turn_of
from tests.conftest import free_port, ui_for
from tests.documents import make_pdf

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ui(assistant, tmp_path_factory):
    return ui_for(assistant, tmp_path_factory.mktemp("ui-data"))


@pytest.fixture(scope="module")
def server(ui):
    port = free_port()
    demo = launch(ui, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def test_a_remote_client_gets_an_answer_with_verbatim_citations(server, corpus_texts):
    from gradio_client import Client

    out = Client(server, verbose=False).predict("What is corporate parenting?", api_name="/ask")
    assert out["abstained"] is False and out["citations"]
    for c in out["citations"]:
        assert corpus_texts[c["doc_id"]][c["start"] : c["end"]] == c["quote"]
    refused = Client(server, verbose=False).predict("   ", api_name="/ask")
    assert "empty" in refused["error"]


def test_follow_ups_use_the_conversation(ui):
    first, _ = ui.answer("What is corporate parenting?", [])
    assert first is not None
    second, _ = ui.answer("What does Wigan say about it?", [turn_of(first)])
    assert second is not None and {c.doc_id for c in second.citations} == {"wigan-childrens-portfolio"}


def test_statutory_mode_shows_only_verbatim_passages_with_references(ui):
    answer, _ = ui.answer("Is the lead member a voting member of the safeguarding board?", [])
    assert answer is not None
    shown = ui.display(answer, statutory=True)
    assert "in their own words" not in shown  # no framing, passages only
    for c in answer.citations:  # each quote whole (escaped for Markdown), its [n] a link to the source
        assert f"> {escape_markdown(c.quote)}" in shown and f"(#source-{c.n})" in shown and c.title in shown


def test_abstention_is_plain_and_offers_the_nearest_passages(ui):
    answer, _ = ui.answer("What allowance is paid to the Lead Member?", [])
    assert answer is not None and answer.abstained
    assert ui.display(answer, False).startswith(
        "I couldn't find this in the documents I searched (4 role profiles and 1 news"
    )
    panel = ui.sources(answer)
    assert "Nearest passages (not an answer)" in panel and "<mark>" in panel


def test_opening_a_citation_marks_it_in_the_whole_document(ui, corpus_texts):
    answer, _ = ui.answer("Who chairs Portsmouth's Corporate Parenting Board?", [])
    assert answer is not None
    page = ui.open_document([turn_of(answer)], f"[1] {answer.citations[0].title}")
    assert 'id="lmcs-highlight"' in page
    assert len(page) > len(corpus_texts[answer.citations[0].doc_id])


def test_feedback_round_trip_lands_in_sqlite_and_exports_to_csv(ui, tmp_path):
    answer, _ = ui.answer("What is corporate parenting?", [])
    assert answer is not None
    turns = [turn_of(answer)]
    assert ui.record_feedback(turns, 0, -1, "Missing the Portsmouth board", "alice").startswith("Thank you")
    row = ui.service.records.feedback.rows()[-1]
    assert (row.question, row.rating, row.comment, row.user) == (
        "What is corporate parenting?",
        -1,
        "Missing the Portsmouth board",
        "alice",
    )
    assert answer.citations[0].quote in [c["quote"] for c in row.citations]
    assert row.answer_id == answer.id  # attached to the answer it was given on
    out = tmp_path / "feedback.csv"
    assert ui.service.records.feedback.export_csv(out) >= 1
    assert list(csv.DictReader(out.open(encoding="utf-8")))[-1]["comment"] == "Missing the Portsmouth board"


def test_cli_feedback_export(ui, tmp_path):
    import subprocess

    out = tmp_path / "fb.csv"
    ui.service.records.feedback.add("q", "a", [], 1)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "assistant.cli",
            "feedback",
            "export",
            "--out",
            str(out),
            "--data-dir",
            str(ui.data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "question" in out.read_text(encoding="utf-8").splitlines()[0]


def test_exports_contain_the_quotes(ui):
    from pypdf import PdfReader

    answer, _ = ui.answer("What is corporate parenting?", [])
    assert answer is not None
    turns = [turn_of(answer)]
    markdown = Path(ui.export(turns, "md")).read_text(encoding="utf-8")
    pdf_text = " ".join(p.extract_text() for p in PdfReader(ui.export(turns, "pdf")).pages)
    for c in answer.citations:
        assert markdown.count(c.quote) == 1  # in the answer beside its [n], not repeated under Sources
        assert " ".join(c.quote.split()[:6]) in " ".join(pdf_text.split())
    assert ui.export([], "md") is None


def test_upload_names_cannot_escape_the_uploads_folder():
    assert safe_upload_name("../../etc/passwd") == "passwd"
    assert safe_upload_name("..\\..\\windows\\evil.pdf") == "evil.pdf"
    assert safe_upload_name(".hidden.pdf") == "hidden.pdf"
    assert safe_upload_name("Our profile (2024).pdf") == "Our-profile-2024-.pdf"


def test_adding_documents_in_the_ui_is_admin_only_when_login_is_on(assistant, tmp_path):
    users = {"admin": ("a long password 1", True), "member": ("a long password 2", False)}
    from assistant.chain.pipeline import build_answer_pipeline
    from assistant.settings import PROJECT_ROOT, Settings
    from index.pipeline import build_index_pipeline

    data = tmp_path / "data"
    build_index_pipeline(assistant.chain.embedder, data, PROJECT_ROOT / "corpus").run([PROJECT_ROOT / "corpus"])
    own = build_answer_pipeline(Settings(data_dir=data), embedder=assistant.chain.embedder)
    ui = ui_for(own, data, users)
    assert ui.check_login("admin", "a long password 1") and not ui.check_login("admin", "wrong")
    pdf = make_pdf(tmp_path / "anytown profile.pdf")
    assert ui.add_documents([str(pdf)], "Anytown Council", "member") == "Only an administrator can add documents."
    status = ui.add_documents([str(pdf)], "Anytown Council", "admin")
    assert status.startswith("1 added"), status
    assert (data / "uploads" / "anytown-profile.pdf").exists()
    answer = own.ask("Which panel does the lead member chair every month?")
    cited = [c for c in answer.citations if "Fostering Panel" in c.quote]
    assert cited and cited[0].authority == "Anytown Council" and cited[0].page == 2


def test_password_hashes_verify_and_reject():
    stored = hash_password("correct horse battery")
    assert check_password("correct horse battery", stored)
    assert not check_password("Correct horse battery", stored)
    assert not check_password("x", "not-a-hash")


def test_an_upload_over_the_size_limit_is_refused_at_the_http_layer(assistant, tmp_path):
    import httpx

    from assistant.web.chat import ChatUI
    from tests.conftest import service_for

    service = service_for(assistant, tmp_path / "ui")
    service.settings = service.settings.model_copy(update={"max_file_bytes": 10_000})
    port = free_port()
    demo = launch(ChatUI(service), "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        url = f"http://127.0.0.1:{port}/gradio_api/upload"
        small = httpx.post(url, files={"files": ("small.txt", b"x" * 1_000)}, timeout=30)
        big = httpx.post(url, files={"files": ("big.exe", b"x" * 200_000)}, timeout=30)
        assert small.status_code == 200, small.text
        assert big.status_code == 413, (big.status_code, big.text)
    finally:
        demo.close()


def test_a_document_added_by_another_process_is_in_every_sessions_filter_list(assistant, tmp_path):
    """The filter refreshes its list from the index on focus; the index is read afresh after
    another writer (here a second indexer, as another app server or `lmcs ingest` would be)."""
    from assistant.chain.pipeline import build_answer_pipeline
    from assistant.settings import PROJECT_ROOT, Settings
    from index.pipeline import build_index_pipeline

    data = tmp_path / "data"
    embedder = assistant.chain.embedder
    build_index_pipeline(embedder, data, PROJECT_ROOT / "corpus").run([PROJECT_ROOT / "corpus"])
    ui = ui_for(build_answer_pipeline(Settings(data_dir=data), embedder=embedder, use_llm=False), data)
    before = {value for _, value in ui.document_choices()}
    doc = tmp_path / "anytown.md"
    doc.write_text("# Anytown lead member\n\n- The lead member meets the youth council monthly.\n", encoding="utf-8")
    assert build_index_pipeline(embedder, data, tmp_path, overrides={"authority": "Anytown Council"}).run([doc]).ok
    after = dict((value, label) for label, value in ui.document_choices())
    assert set(after) - before == {"anytown"} and after["anytown"].startswith("Anytown Council")
