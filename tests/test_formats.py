"""Bring your own documents: PDF, Word, HTML read to text, bad files refused with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.embed import FakeEmbedder
from index.load import Loader, LoadError
from index.pipeline import build_index_pipeline
from tests.documents import make_docx, make_encrypted_pdf, make_html, make_pdf, make_scanned_pdf


def test_pdf_text_keeps_its_pages(tmp_path):
    src = Loader().run(make_pdf(tmp_path / "profile.pdf"))
    assert src.title == "Anytown LMCS role profile"  # from the PDF's own metadata
    assert src.paged and src.raw_text.count("\f") == 1
    page_two = " ".join(src.raw_text.split("\f")[1].split())
    assert "chairs the Anytown Fostering Panel every month" in page_two


def test_word_headings_lists_and_tables_are_read(tmp_path):
    src = Loader().run(make_docx(tmp_path / "portfolio.docx"))
    assert src.title == "Anytown cabinet portfolio: children"
    lines = src.raw_text.splitlines()
    assert "Children and Families portfolio" in lines
    assert "- Meeting the Children in Care Council every quarter." in lines
    # Each table cell is its own line, labelled by its column's header (never glued into one quote).
    assert "Board: Anytown Schools Forum" in lines and "Role: Observer" in lines


def test_html_keeps_the_content_and_drops_the_page_furniture(tmp_path):
    src = Loader().run(make_html(tmp_path / "cabinet.html"))
    assert src.title == "Cabinet Member for Children and Young People"
    assert "- Championing the Anytown Young Carers Strategy across the council." in src.raw_text
    for chrome in ("cookies", "Home", "Accessibility statement", "tracking", "Councillors"):
        assert chrome not in src.raw_text


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("encrypted.pdf", lambda p: make_encrypted_pdf(p, make_pdf(p.with_name("plain.pdf"))), "password-protected"),
        ("scan.pdf", make_scanned_pdf, "needs OCR"),
        ("corrupt.pdf", lambda p: p.write_bytes(b"%PDF-1.7\n this is not really a pdf \x00\x01") and p, "damaged"),
        ("corrupt.docx", lambda p: p.write_bytes(b"PK\x03\x04 not a zip at all") and p, "damaged"),
        ("empty.pdf", lambda p: p.write_bytes(b"") and p, "empty"),
        ("binary.html", lambda p: p.write_bytes(bytes(range(256)) * 4) and p, "binary"),
        ("sheet.xlsx", lambda p: p.write_bytes(b"PK\x03\x04") and p, "unsupported file type '.xlsx'"),
    ],
    ids=["encrypted-pdf", "scanned-pdf", "corrupt-pdf", "corrupt-docx", "empty", "binary-html", "unsupported"],
)
def test_bad_files_get_a_clear_reason(tmp_path, name, make, reason):
    path = tmp_path / name
    made = make(path)
    with pytest.raises(LoadError, match=reason):
        Loader().run(made if isinstance(made, Path) else path)


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    with pytest.raises(LoadError, match="the limit is 1,000"):
        Loader(max_bytes=1000).run(make_pdf(tmp_path / "big.pdf"))


def test_a_folder_with_one_bad_file_ingests_the_good_ones(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "profile.pdf")
    make_docx(folder / "portfolio.docx")
    make_html(folder / "cabinet.html")
    make_scanned_pdf(folder / "scan.pdf")
    report = build_index_pipeline(FakeEmbedder(), tmp_path / "data", tmp_path).run([folder])
    assert sorted(report.added) == ["cabinet", "portfolio", "profile"]
    assert [(Path(p).name, "OCR" in r) for p, r in report.failed] == [("scan.pdf", True)]


@pytest.mark.slow
def test_ask_about_your_own_documents_gets_verbatim_quotes_with_page_numbers(tmp_path, embedder):
    from assistant.chain.pipeline import build_answer_pipeline
    from assistant.settings import Settings

    folder = tmp_path / "docs"
    folder.mkdir()
    make_pdf(folder / "profile.pdf")
    make_docx(folder / "portfolio.docx")
    make_html(folder / "cabinet.html")
    data = tmp_path / "data"
    assert build_index_pipeline(embedder, data, tmp_path).run([folder]).ok
    assistant = build_answer_pipeline(Settings(data_dir=data), embedder=embedder)
    texts = assistant.store.texts(assistant.documents())

    pdf_answer = assistant.ask("Which panel does the lead member chair every month?")
    cited = [c for c in pdf_answer.citations if "Fostering Panel" in c.quote]
    assert cited and cited[0].doc_id == "profile" and cited[0].page == 2
    assert texts["profile"][cited[0].start : cited[0].end] == cited[0].quote

    word_answer = assistant.ask("How often does the lead member meet the Children in Care Council?")
    assert any("every quarter" in c.quote and c.page is None for c in word_answer.citations)

    html_answer = assistant.ask("What strategy does the cabinet member champion?")
    assert any("Young Carers Strategy" in c.quote for c in html_answer.citations)
    for answer in (pdf_answer, word_answer, html_answer):
        for c in answer.citations:
            assert texts[c.doc_id][c.start : c.end] == c.quote
