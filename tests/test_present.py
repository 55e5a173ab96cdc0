"""How answers read on the page and the clipboard: the lead line, [n] links, plain-text copy, escaping."""

from __future__ import annotations

import pytest

from assistant.present import (
    chat_markdown,
    document_html,
    escape_markdown,
    lead_line,
    plain_text,
    sources_html,
)
from assistant.types import Answer, Citation
from assistant.web.chat import ChatUI


def cite(n: int, doc_id: str, title: str, authority: str, quote: str = "Quote.", kind: str = "") -> Citation:
    return Citation(n, doc_id, title, authority, "", quote, 0, len(quote), kind=kind)


WIGAN = ("wigan", "Children’s portfolio: roles, priorities and functions 2024/25", "Wigan Council")
BHAM_PORTFOLIO = ("bham-p", "Cabinet Member for Children’s Wellbeing (portfolio)", "Birmingham City Council")
BHAM_NEWS = ("bham-n", "Putting children at the heart of everything we do (news item)", "Birmingham City Council")
PROFILE = ("unnamed", "Lead Member for Children’s Services Role Profile", "Unnamed council")
PORTSMOUTH = ("ports", "Lead Member for Children and Families: portfolio responsibilities", "Portsmouth City Council")
ACT = ("ca2004", "Children Act 2004", "")


@pytest.mark.parametrize(
    ("docs", "expected"),
    [
        ([WIGAN], "From Wigan Council’s portfolio:"),
        (
            [WIGAN, BHAM_PORTFOLIO, BHAM_NEWS],
            ("From Wigan Council’s portfolio and two Birmingham City Council documents:"),
        ),
        (
            [BHAM_PORTFOLIO, WIGAN, BHAM_NEWS],
            ("From two Birmingham City Council documents and Wigan Council’s portfolio:"),
        ),
        ([PROFILE], "From an unnamed council’s role profile:"),
        (
            [PORTSMOUTH, PROFILE, ACT],
            "From Portsmouth City Council’s portfolio, an unnamed council’s role profile and Children Act 2004:",
        ),
        ([WIGAN, WIGAN], "From Wigan Council’s portfolio:"),  # one document quoted twice is named once
    ],
    ids=["one-council", "council-twice", "order-kept", "unnamed", "three-kinds", "same-doc-twice"],
)
def test_the_lead_line_names_each_council_once_in_plain_english(docs, expected):
    citations = [cite(i, *d) for i, d in enumerate(docs, start=1)]
    assert lead_line(citations) == expected


def test_the_lead_line_uses_the_citation_kind_when_it_has_one():
    c = cite(1, "x", "Working Together to Safeguard Children", "Department for Education", kind="statutory guidance")
    assert lead_line([c]) == "From Department for Education’s statutory guidance:"
    assert lead_line([]) == ""


def answer_with(citations: list[Citation], text: str, notices: tuple[str, ...] = ()) -> Answer:
    return Answer(question="q", answer=text, abstained=False, citations=tuple(citations), notices=notices)


def test_each_marker_in_the_chat_links_to_its_source_in_the_panel():
    answer = answer_with([cite(1, *WIGAN), cite(2, *PROFILE)], "From two documents:\n\n- A duty. [1]\n- Another. [2]")
    shown = chat_markdown(answer)
    assert "[\\[1\\]](#source-1)" in shown and "[\\[2\\]](#source-2)" in shown
    panel = sources_html(answer, {})
    assert 'id="source-1"' in panel and 'id="source-2"' in panel


def test_copy_gives_plain_text_with_the_references_written_out():
    answer = answer_with(
        [cite(1, *WIGAN)],
        "From Wigan Council’s portfolio:\n\n- **Politically lead** our corporate parenting responsibilities. [1]",
        notices=("If a child is at risk, call 999.",),
    )
    text = plain_text(answer)
    assert text.startswith("If a child is at risk, call 999.")
    assert "• Politically lead our corporate parenting responsibilities. [1]" in text
    assert "*" not in text and ">" not in text and "#" not in text
    assert "[1] Children’s portfolio: roles, priorities and functions 2024/25 — Wigan Council" in text


IMG = '<img src="http://127.0.0.1:9/x.png" onerror="alert(1)">'


def test_html_in_a_document_or_its_metadata_is_shown_as_text():
    c = Citation(1, "evil", f"Title {IMG}", f"Council {IMG}", "Head", f"A quote {IMG}", 0, 10)
    answer = answer_with([c], f"From a document:\n\n- A quote {IMG} [1]")
    for shown in (chat_markdown(answer), chat_markdown(answer, statutory=True), escape_markdown(c.authority)):
        assert "<img" not in shown and "&lt;img" in shown
    assert "<img" not in sources_html(answer, {"evil": f"A quote {IMG} and more"})
    assert "<img" not in document_html(c.title, c.authority, f"text {IMG}", 0, 4)
    assert "!\\[" not in escape_markdown("![x](http://example.org/x.png)").replace("&#33;", "")


def test_open_a_cited_document_lists_each_document_once():
    citations = [cite(1, *WIGAN), cite(2, *PROFILE), cite(3, *WIGAN), cite(4, *WIGAN)]
    choices = ChatUI.cited_documents(answer_with(citations, ""))
    assert [label for label, _ in choices] == [
        "Children’s portfolio: roles, priorities and functions 2024/25 — Wigan Council [1], [3], [4]",
        "Lead Member for Children’s Services Role Profile — Unnamed council [2]",
    ]
    assert [value for _, value in choices] == ["1", "2"]


def test_an_opened_document_marks_every_quote_from_it_and_scrolls_to_the_chosen_one():
    text = "Alpha one. Beta two. Gamma three."
    page = document_html("T", "A", text, 11, 20, others=[(0, 10), (21, 33)])
    assert page.count("<mark") == 3
    assert '<mark id="lmcs-highlight">Beta two.</mark>' in page


def test_statutory_mode_says_plainly_when_no_legislation_is_indexed():
    from assistant.present import NO_LEGISLATION, to_statutory_markdown
    from assistant.types import Answer

    profile = Citation(
        1, "p", "Role profile", "Wigan Council", "", "Lead on safeguarding.", 0, 21, kind="council role profile"
    )
    answer = Answer("q", "- Lead on safeguarding. [1]", False, (profile,))
    shown = to_statutory_markdown(answer, legislation_indexed=False)
    assert NO_LEGISLATION[:40] in shown and "not legislation" in shown  # and the quote is labelled as a council's
    assert NO_LEGISLATION[:40] not in to_statutory_markdown(answer, legislation_indexed=True)
