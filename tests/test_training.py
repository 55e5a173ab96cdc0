"""For trainers and reviewers: the question bank, the quiz, handouts, council comparison, coverage map."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from assistant.settings import PROJECT_ROOT
from assistant.training.bank import BANK_NAME, Bank
from assistant.training.handout import handout_docx, handout_markdown, handout_pdf
from assistant.training.marking import MEANING_COVERED, Marker, fit_threshold, load_pairs
from assistant.training.quiz import QuizSession, mark
from index.clean import Cleaner
from index.load import Loader, read_manifest

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="module")
def bank() -> Bank:
    return Bank.load(CORPUS / BANK_NAME)


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    loader = Loader(read_manifest(CORPUS))
    return {d.doc_id: Cleaner().run(d.raw_text) for d in (loader.run(p) for p in sorted(CORPUS.glob("*.txt")))}


def test_the_bank_is_sound_and_every_model_quote_is_verbatim(bank, cleaned):
    assert len(bank.questions) >= 15
    assert set(bank.themes) >= {
        "statutory",
        "safeguarding",
        "corporate_parenting",
        "education",
        "send",
        "early_help",
        "participation",
        "partnership",
        "dcs",
    }
    for q in bank.questions:
        assert q.theme in bank.themes, q.id
        assert q.key_points, q.id
        assert q.answer and not q.abstained and q.citations, f"{q.id}: no reviewed model answer (lmcs bank refresh)"
        for c in q.citations:
            assert cleaned[c.doc_id][c.start : c.end] == c.quote, (q.id, c.quote)
            assert f"[{c.n}]" in q.answer


def test_marking_credits_key_points_in_the_participants_own_words():
    marks = mark(
        "The lead member is a participating observer who can challenge the DCS independently.",
        ["participating observer", "not part of decision making", "independence to challenge"],
    )
    assert marks == {
        "participating observer": True,
        "not part of decision making": False,
        "independence to challenge": True,
    }


def test_a_quiz_session_summarises_what_was_covered(bank):
    session = QuizSession(bank.by_theme("safeguarding"))
    session.record(session.questions[0], "They are a participating observer.")
    summary = session.summary()
    assert summary.startswith("You covered 1 of") and "over 1 question." in summary and "missed:" in summary
    with pytest.raises(KeyError, match="no theme"):
        bank.by_theme("astrology")


def test_an_empty_answer_is_no_answer_given_not_a_score(bank):
    session = QuizSession(bank.by_theme("safeguarding"))
    assert session.record(session.questions[0], "   ") is None
    assert session.summary().startswith("No answers given to 1 question.")
    session.record(session.questions[1], "protect children from harm")
    summary = session.summary()
    assert "over 1 question (1 question with no answer given)." in summary
    assert f"{session.questions[0].question}: no answer given" in summary


PAIRS = load_pairs(PROJECT_ROOT / "tests" / "data" / "quiz_marking.toml")


@pytest.fixture(scope="module")
def marker(embedder) -> Marker:
    return Marker.from_corpus(CORPUS, embedder)


def test_the_meaning_threshold_is_the_one_fitted_on_the_labelled_pairs(marker):
    assert len(PAIRS) >= 40 and {c for _, _, c in PAIRS} == {True, False}
    fitted, accuracy = fit_threshold(marker, PAIRS)
    assert abs(fitted - MEANING_COVERED) <= 0.02, f"refit: the labelled set now gives {fitted}"
    words_only = Marker(None, marker.acronyms, marker.thesaurus)
    by_words = sum(words_only.covers(a, k) == c for a, k, c in PAIRS) / len(PAIRS)
    by_meaning = sum(marker.covers(a, k) == c for a, k, c in PAIRS) / len(PAIRS)
    assert by_meaning == accuracy >= 0.8 and by_meaning >= by_words + 0.1


@pytest.mark.parametrize(
    ("answer", "key_point", "covered"),
    [
        ("I don't vote on decisions", "not part of decision making", True),
        ("Making sure there are good arrangements in place.", "clear and effective arrangements", True),
        ("Holding the DCS to account.", "hold to account", True),
        ("Scrutinising how the director performs.", "hold to account", True),
        ("The lead member votes on every decision the board makes.", "not part of decision making", False),
        ("Setting the council tax.", "protect children from harm", False),
        ("", "participating observer", False),
    ],
    ids=["negated-paraphrase", "paraphrase", "acronym", "thesaurus", "negation-trap", "miss", "empty"],
)
def test_marking_credits_meaning_not_just_words(marker, answer, key_point, covered):
    assert marker.mark(answer, [key_point]) == {key_point: covered}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_handouts_in_three_formats_carry_the_same_content_each_quote_once(bank, tmp_path):
    from docx import Document

    theme = "corporate_parenting"
    questions = bank.by_theme(theme)
    md = handout_markdown(bank, theme)
    docx_text = "\n".join(p.text for p in Document(str(handout_docx(bank, tmp_path / "pack.docx", theme))).paragraphs)
    pdf_text = _pdftotext(handout_pdf(bank, tmp_path / "pack.pdf", theme))
    for text in (md, docx_text, pdf_text):
        flat = _flat(text)
        assert bank.themes[theme] in flat and "Key points" in flat and "Source documents" in flat
        for q in questions:
            assert _flat(q.question) in flat
            for k in q.key_points:
                assert k in flat
        quotes = {c.quote for q in questions for c in q.citations}
        for quote in quotes:  # printed once per question that cites it, not twice
            cited_by = sum(any(c.quote == quote for c in q.citations) for q in questions)
            assert flat.count(_flat(quote)) == cited_by, quote[:60]


def _pdftotext(pdf) -> str:
    if not (shutil.which("pdftotext") and shutil.which("pdftoppm")):
        if os.environ.get("CI") == "true":
            pytest.fail("poppler-utils is required in CI (make browser-deps installs it)")
        pytest.skip("poppler-utils not installed (make browser-deps installs it)")
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_handout_prints_as_a_trainer_would_want(bank, tmp_path):
    pdf = handout_pdf(bank, tmp_path / "pack.pdf")
    text = _pdftotext(pdf)
    # Every theme heading, every question's key points, the final source list, page numbers.
    for label in {bank.themes[q.theme] for q in bank.questions}:
        assert label in text
    assert text.count("Key points") == sum(1 for q in bank.questions if q.key_points)
    assert "Source documents" in text.split("Key points")[-1]
    pages = text.count("\f")
    assert f"page {pages}" in text and pages <= 12
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5_000  # a page with text on it


def test_cli_quiz_and_handout_work_without_a_model(tmp_path):
    quiz = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "quiz", "--theme", "safeguarding", "-n", "2"],
        input="participating observer and independence to challenge\nprotect children from harm\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert quiz.returncode == 0, quiz.stderr
    assert "Model answer:" in quiz.stdout and "You covered" in quiz.stdout
    out = tmp_path / "pack.docx"
    made = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "handout", "--theme", "send", "--format", "docx", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0 and out.exists(), made.stderr


@pytest.mark.slow
def test_compare_shows_each_councils_words_or_not_mentioned(assistant):
    from assistant.training.compare import compare, compare_markdown

    rows = {doc.doc_id: cell for doc, cell in compare(assistant.chain, "Education Advisory Board")}
    assert [d for d, c in rows.items() if c.mentioned] == ["portsmouth-lead-member"]
    assert "Education Advisory Board" in rows["portsmouth-lead-member"].quote
    parenting = {doc.doc_id: cell for doc, cell in compare(assistant.chain, "corporate parenting")}
    # Wigan's statement of the duty, not the name of a committee from its list of appointments.
    wigan = parenting["wigan-childrens-portfolio"]
    assert wigan.verdict == "strong" and wigan.quote.startswith(
        ("Politically lead our", "To promote Corporate Parenting")
    )
    # An acronym in the topic is found spelt out; a news sentence about the DCS chairing a partnership
    # is not a council holding the DCS to account.
    dcs = {doc.doc_id: cell for doc, cell in compare(assistant.chain, "holding the DCS to account")}
    assert dcs["portsmouth-lead-member"].quote.startswith("To be responsible for holding the Director")
    assert not dcs["birmingham-news-2022"].mentioned
    table = compare_markdown("corporate parenting", compare(assistant.chain, "corporate parenting"))
    assert table.count("\n|") == 2 + 5 and "_not mentioned_" in table  # the news item does not say


@pytest.mark.parametrize(
    ("text", "heading", "doc_type", "evidence", "expected"),
    [
        (
            "Politically lead our corporate parenting responsibilities",
            "Main roles",
            "portfolio",
            ("corporate parent",),
            2,
        ),
        ("Corporate Parenting Group", "Council Appointments", "portfolio description", ("corporate parent",), 0),
        ("Corporate Parenting Board", "Main roles", "portfolio description", ("corporate parent",), 0),
        ("Early Years", "Functions covered by the portfolio", "portfolio description", ("early years",), 1),
        ("Early Help services / Family Hub Development", "Functions", "portfolio description", ("early help",), 1),
        (
            "Birmingham Children’s Partnership, chaired by the council’s Director of Children’s Services, is "
            "developing a Children and Young People’s Plan.",
            "News",
            "news item",
            ("Director of Children’s Services",),
            0,
        ),
        ("We are working to centre the voice of children.", "News", "news item", ("voice",), 2),
        (
            "Be a Member of the Children’s, Education, Libraries and Safeguarding Committee.",
            "Committee Membership",
            "role profile",
            ("safeguarding",),
            0,
        ),
    ],
    ids=["states", "appointment", "body-name", "listed", "title-case-noun", "someone-else", "news-we", "committee"],
)
def test_a_duty_counts_only_where_the_passage_states_it(text, heading, doc_type, evidence, expected):
    from assistant.training.duty import duty_strength

    assert duty_strength(text, heading, doc_type, evidence) == expected


# council × duty → what a reviewer reading the documents would put in the cell.
EXPECTED_CELLS = [
    ("wigan-childrens-portfolio", "Corporate parenting", "strong"),
    ("portsmouth-lead-member", "Corporate parenting", "strong"),
    ("birmingham-news-2022", "Corporate parenting", "gap"),
    ("unnamed-council-lmcs-profile", "Equality duties", "strong"),
    ("wigan-childrens-portfolio", "Equality duties", "gap"),
    ("portsmouth-lead-member", "Holding the DCS to account", "strong"),
    ("birmingham-news-2022", "Holding the DCS to account", "gap"),  # the DCS chairs a partnership: not this duty
    (
        "wigan-childrens-portfolio",
        "Holding the DCS to account",
        "strong",
    ),  # "political support and challenge to the Directorate"
    ("unnamed-council-lmcs-profile", "Safeguarding", "strong"),  # its arrangements, not its committee's name
    ("wigan-childrens-portfolio", "Safeguarding", "strong"),
    ("unnamed-council-lmcs-profile", "Safeguarding board or partnership", "strong"),
    ("wigan-childrens-portfolio", "Statutory role (Children Act 2004 s19)", "strong"),
    ("birmingham-news-2022", "Statutory role (Children Act 2004 s19)", "gap"),
    ("portsmouth-lead-member", "Early years", "partial"),  # listed in the portfolio, nothing said of it
    ("wigan-childrens-portfolio", "Youth services and youth justice", "partial"),
    ("birmingham-cabinet-member", "SEND", "strong"),
]


@pytest.fixture(scope="module")
def coverage_grid(assistant):
    from assistant.training.coverage import coverage

    return coverage(assistant.chain)


@pytest.mark.slow
@pytest.mark.parametrize(("doc_id", "duty", "verdict"), EXPECTED_CELLS, ids=[f"{d}:{u}" for d, u, _ in EXPECTED_CELLS])
def test_coverage_cells_tick_only_duties_the_document_states(coverage_grid, corpus_texts, doc_id, duty, verdict):
    from assistant.training.coverage import DUTIES

    docs, grid = coverage_grid
    cell = grid[[d.name for d in DUTIES].index(duty)][[d.doc_id for d in docs].index(doc_id)]
    assert cell.verdict == verdict, cell.quote
    assert not cell.mentioned or cell.quote in corpus_texts[doc_id]


@pytest.mark.slow
def test_coverage_map_names_each_column_once_and_explains_its_scale(coverage_grid, tmp_path):
    from assistant.training.coverage import coverage_markdown, coverage_png

    docs, grid = coverage_grid
    table = coverage_markdown(docs, grid)
    head = next(line for line in table.splitlines() if line.startswith("| Duty |"))
    columns = [c.strip() for c in head.strip("|").split("|")][1:]
    assert len(columns) == len(set(columns)) == len(docs)
    assert "Birmingham City Council (news item)" in columns
    for word in ("**strong**", "**partial**", "**gap**"):
        assert word in table.split("| Duty |")[0]  # the legend, before the table
    png = coverage_png(docs, grid, tmp_path / "coverage.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_quiz_through_the_real_server(assistant, tmp_path):
    from gradio_client import Client

    from assistant.web.app import launch
    from tests.conftest import free_port, ui_for

    ui = ui_for(assistant, tmp_path)
    port = free_port()
    demo = launch(ui, "127.0.0.1", port, prevent_thread_lock=True, quiet=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        first = client.predict(0, "safeguarding", api_name="/quiz_question")
        assert first["theme"] == "safeguarding" and first["count"] >= 2
        marked = client.predict(
            first["id"], "A participating observer, independent enough to challenge.", api_name="/quiz_mark"
        )
        assert marked["model_answer"] and marked["citations"]
        assert any(marked["key_points"].values()) and not all(marked["key_points"].values())
        from assistant.web.quiz import QuizUI

        quiz = QuizUI(ui.bank, tmp_path)
        state, prompt, _, _ = quiz.start("dcs")
        assert "Question 1 of" in prompt
        state, reveal = quiz.reveal(state, "Hold them to account with support and challenge")
        assert "Model answer" in reveal and "✅" in reveal
        while "finished" not in (step := quiz.next(state))[1]:
            state = step[0]
        assert step[3].startswith("You covered")
    finally:
        demo.close()
