"""Documents from councils the project has never seen (issue #13): each names its council in
a different place, and every quote can be found in the original file from its Location.

The file is read back INDEPENDENTLY here — pypdf's page text for PDF lines, python-docx for
paragraphs and cells, the raw bytes for character ranges — never through index/readers.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from index.chunk import Chunker
from index.clean import Cleaner
from index.load import Loader
from index.prepare import prepare
from index.types import Document
from tests.documents import KESTREL_HEADER, make_guide_md, make_news_html, make_portfolio_docx, make_role_pdf

MAKERS = {
    "kestrel.pdf": make_role_pdf,
    "fernwick.docx": make_portfolio_docx,
    "moorhaven.html": make_news_html,
    "ashcombe.md": make_guide_md,
}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory) -> dict[str, tuple[Path, Document, list]]:
    folder = tmp_path_factory.mktemp("councils")
    out = {}
    for name, make in MAKERS.items():
        path = make(folder / name)
        src = Loader().run(path)
        doc, chunks = prepare(src, Cleaner(), Chunker())
        out[name] = (path, doc, chunks)
    return out


def units(doc: Document, chunks: list) -> list[tuple[int, int, str]]:
    return [(u.start, u.end, doc.text[u.start : u.end]) for c in chunks for u in c.units]


def flat(text: str) -> str:
    """Whitespace collapsed and a word split over a line end joined, as the cleaner does."""
    return re.sub(r"-\s+", "-", " ".join(text.split())).replace("-", "")


@pytest.mark.parametrize(
    ("name", "council", "kind"),
    [
        ("kestrel.pdf", "Kestrel Bay City Council", "council role profile"),
        ("fernwick.docx", "Fernwick Borough Council", "council role profile"),
        ("moorhaven.html", "Moorhaven Council", "news"),
        ("ashcombe.md", "Ashcombe Council", "council role profile"),
    ],
    ids=["pdf-author-and-running-header", "word-section-header", "html-title-site-name-footer", "md-first-sentence"],
)
def test_the_council_and_kind_are_found_in_the_file_itself(prepared, name, council, kind):
    _, doc, _ = prepared[name]
    assert doc.authority == council
    assert doc.kind == kind and doc.kind_evidence
    assert 0.5 <= doc.authority_confidence <= 1.0
    assert doc.authority_evidence and all(council in e for e in doc.authority_evidence if not e.startswith("also"))


def test_each_source_of_the_council_is_given_as_evidence(prepared):
    pdf = prepared["kestrel.pdf"][1].authority_evidence
    assert "PDF author: Kestrel Bay City Council" in pdf
    assert "running header or footer: Kestrel Bay City Council" in pdf
    assert prepared["fernwick.docx"][1].authority_evidence == ("Word header: Fernwick Borough Council",)
    page = prepared["moorhaven.html"][1].authority_evidence
    for source in ("og:site_name", "copyright footer", "HTML title"):
        assert f"{source}: Moorhaven Council" in page


def pdf_lines(path: Path) -> list[list[str]]:
    from pypdf import PdfReader

    return [[line for line in (p.extract_text() or "").splitlines() if line.strip()] for p in PdfReader(path).pages]


def assert_on_pdf_lines(path: Path, loc, quote: str) -> None:
    """The quote is on exactly the lines `loc` names, read with pypdf (page furniture aside)."""
    pages = pdf_lines(path)
    assert loc.kind == "page"
    lines = [(p, n) for p in range(loc.page, loc.page_end + 1) for n in range(1, len(pages[p - 1]) + 1)]
    lines = [pn for pn in lines if (loc.page, loc.line) <= pn <= (loc.page_end, loc.line_end)]
    # The running header and page footer sit between the lines of a sentence across pages.
    furniture = re.compile(rf"{re.escape(KESTREL_HEADER)}|Page \d of 2")
    named = [pages[p - 1][n - 1] for p, n in lines if not furniture.fullmatch(pages[p - 1][n - 1])]
    assert flat(quote) in flat("\n".join(named)), (str(loc), quote)
    # Exactly those lines: without the first or the last one, the quote is not all there.
    if len(named) > 1:
        assert flat(quote) not in flat("\n".join(named[1:]))
        assert flat(quote) not in flat("\n".join(named[:-1]))


def test_every_pdf_quote_is_on_the_page_and_lines_it_names(prepared):
    path, doc, chunks = prepared["kestrel.pdf"]
    found = units(doc, chunks)
    assert len(found) == 4
    for start, end, quote in found:
        assert_on_pdf_lines(path, doc.locate(start, end), quote)


def test_a_quote_across_a_page_break_names_both_pages(prepared):
    _, doc, chunks = prepared["kestrel.pdf"]
    start, end, quote = units(doc, chunks)[-1]
    assert quote.startswith("The Lead Member also chairs") and quote.endswith("the children it looks after.")
    assert str(doc.locate(start, end)) == "page 1, line 14 to page 2, line 3"


def test_running_headers_footers_and_page_numbers_are_dropped_but_wraps_joined(prepared):
    _, doc, chunks = prepared["kestrel.pdf"]
    assert KESTREL_HEADER not in doc.text and "Page 1 of 2" not in doc.text and "Page 2" not in doc.text
    quotes = [q for _, _, q in units(doc, chunks)]
    # Lines wrapped before a capitalised word ("…Kestrel Bay" / "Safeguarding…", "Children’s" /
    # "Services", and across the page break) are one sentence, so one unit.
    assert (
        "The Lead Member meets the independent chair of the safeguarding partnership for Kestrel Bay Safeguarding "
        "Children Partnership each quarter and reports on its work to the Cabinet, so that members can see how well "
        "children are protected from harm."
    ) in quotes
    assert any("Lead Member for Children’s Services, as section 19" in q for q in quotes)
    assert any("the Kestrel Bay Foster Care Association" in q for q in quotes)
    # A heading is not glued to the paragraph under it.
    assert "Purpose of the role\nThe Lead Member has political responsibility" in doc.text


@pytest.mark.parametrize(
    ("clause", "where"),
    [
        ("so that members can see how well children are protected from harm", "page 1, lines 12–13"),
        ("as section 19 of the Children Act 2004 requires", "page 1, line 4"),
        ("with officers and the Kestrel Bay Foster Care Association", "page 1, line 14 to page 2, line 2"),
    ],
    ids=["two-lines", "one-line", "across-the-page-break"],
)
def test_a_clause_inside_a_pdf_sentence_names_only_its_own_lines(prepared, clause, where):
    path, doc, _ = prepared["kestrel.pdf"]
    start = doc.text.index(clause)
    loc = doc.locate(start, start + len(clause))
    assert str(loc) == where
    assert_on_pdf_lines(path, loc, clause)


def test_every_word_quote_is_in_the_paragraph_or_cell_it_names(prepared):
    from docx import Document as Docx

    path, doc, chunks = prepared["fernwick.docx"]
    word = Docx(str(path))
    found = units(doc, chunks)
    kinds = {doc.locate(s, e).kind for s, e, _ in found}
    assert kinds == {"paragraph", "cell"}
    for start, end, quote in found:
        loc = doc.locate(start, end)
        if loc.kind == "paragraph":
            assert loc.paragraph == loc.paragraph_end
            assert quote in " ".join(word.paragraphs[loc.paragraph - 1].text.split()), str(loc)
        else:
            cell = word.tables[loc.table - 1].rows[loc.row - 1].cells[loc.cell - 1]
            assert quote == cell.text, str(loc)


def test_a_clause_inside_a_word_paragraph_names_that_paragraph(prepared):
    from docx import Document as Docx

    path, doc, _ = prepared["fernwick.docx"]
    clause = "champion the needs of children in care and care leavers"
    start = doc.text.index(clause)
    loc = doc.locate(start, start + len(clause))
    assert str(loc) == "paragraph 2"
    assert clause in Docx(str(path)).paragraphs[loc.paragraph - 1].text


def test_table_cells_are_each_a_unit_with_their_column_as_context(prepared):
    _, doc, chunks = prepared["fernwick.docx"]
    cells = [(q, str(doc.locate(s, e))) for s, e, q in units(doc, chunks) if doc.locate(s, e).kind == "cell"]
    assert cells == [
        ("Fostering Panel", "table 1, row 2, cell 1"),
        ("Observer", "table 1, row 2, cell 2"),
        ("Monthly", "table 1, row 2, cell 3"),
        ("Schools Forum", "table 1, row 3, cell 1"),
        ("Member", "table 1, row 3, cell 2"),
        ("Termly", "table 1, row 3, cell 3"),
    ]
    table_chunk = next(c for c in chunks if "Fostering Panel" in c.text)
    assert "Role: Observer" in table_chunk.text and "How often: Monthly" in table_chunk.text  # context for retrieval
    assert "Board" in table_chunk.heading


def without_markup(text: str) -> str:
    """HTML tags and entities, and Markdown emphasis and links, removed."""
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\]\([^)]*\)", "", text).replace("[", "")
    return html.unescape(text.replace("*", ""))


@pytest.mark.parametrize("name", ["moorhaven.html", "ashcombe.md"])
def test_every_web_and_markdown_quote_is_exactly_the_characters_it_names(prepared, name):
    path, doc, chunks = prepared[name]
    raw = path.read_bytes().decode("utf-8")
    found = units(doc, chunks)
    assert len(found) >= 5
    for start, end, quote in found:
        loc = doc.locate(start, end)
        assert loc.kind == "characters"
        assert " ".join(without_markup(raw[loc.char_start : loc.char_end]).split()) == quote, str(loc)
        assert str(loc) == f"characters {loc.char_start + 1}–{loc.char_end} of the file"


@pytest.mark.parametrize(
    ("name", "clause"),
    [
        ("moorhaven.html", "political responsibility for education & children’s social care"),
        ("moorhaven.html", "Corporate Parenting Board every two months"),
        ("ashcombe.md", "single elected member responsible for both education and children’s social care"),
        ("ashcombe.md", "Local Offer for children with special educational needs & disabilities"),
        ("moorhaven.html", "“Every child in Moorhaven deserves a safe, stable home and a good school"),
        ("moorhaven.html", "I will hold our services to account for that.”"),
    ],
    ids=[
        "html-strong-and-entity",
        "html-link",
        "md-emphasis-and-line-break",
        "md-link-and-entity",
        "html-starts-on-entity",
        "html-ends-on-entity",
    ],
)
def test_a_clause_inside_a_unit_maps_to_exactly_its_characters(prepared, name, clause):
    path, doc, _ = prepared[name]
    raw = path.read_text(encoding="utf-8")
    start = doc.text.index(clause)
    loc = doc.locate(start, start + len(clause))
    assert " ".join(without_markup(raw[loc.char_start : loc.char_end]).split()) == clause


def test_page_furniture_is_not_content(prepared):
    _, doc, _ = prepared["moorhaven.html"]
    for chrome in ("cookies", "Accessibility", "Home", "© 2025", "dataLayer"):
        assert chrome not in doc.text
    assert "Moorhaven Council" not in doc.text  # named only in the title, site name and footer


def test_instruction_like_duty_text_is_not_flagged(prepared):
    _, doc, chunks = prepared["ashcombe.md"]
    assert doc.instructions == 0
    assert not any(u.instruction for c in chunks for u in c.units)


@pytest.mark.parametrize("name", list(MAKERS))
def test_a_document_survives_its_store_metadata_exactly(prepared, name):
    _, doc, _ = prepared[name]
    meta = doc.meta()
    assert all(isinstance(v, str | int | float) for v in meta.values())  # flat, as a store needs
    again = Document.from_meta(meta, doc.text)
    assert again == doc
    start, end, _ = units(*prepared[name][1:])[0]
    assert again.locate(start, end) == doc.locate(start, end)


def test_metadata_from_before_locations_still_loads(prepared):
    _, doc, _ = prepared["kestrel.pdf"]
    old = {k: v for k, v in doc.meta().items() if k not in {"locations", "kind", "authority_evidence", "instructions"}}
    again = Document.from_meta(old, doc.text)
    assert again.kind == "" and again.instructions == 0
    assert str(again.locate(0, 10)) == "page 1"  # nothing known but the page


def test_a_cell_is_embedded_with_its_row_but_quoted_alone(prepared):
    from index.chunk import unit_context

    _, doc, chunks = prepared["fernwick.docx"]
    cell = next(u for c in chunks for u in c.units if doc.text[u.start : u.end] == "Monthly")
    assert unit_context(doc.text, cell) == "Board: Fostering Panel · How often: Monthly"
