"""Chunking: structure kept, offsets exact."""

from __future__ import annotations

import pytest

from assistant.settings import PROJECT_ROOT
from index.chunk import Chunker, is_heading
from index.clean import Cleaner

FILES = sorted((PROJECT_ROOT / "corpus").glob("*.txt"))


@pytest.fixture(scope="module", params=FILES, ids=[f.stem for f in FILES])
def cleaned(request) -> str:
    return Cleaner().run(request.param.read_text(encoding="utf-8"))


def test_offsets_map_back_to_the_exact_text(cleaned):
    for chunk in Chunker().run("d", cleaned):
        assert cleaned[chunk.start : chunk.end] == chunk.text
        for unit in chunk.units:
            assert chunk.start <= unit.start < unit.end <= chunk.end
            assert cleaned[unit.start : unit.end].strip() == cleaned[unit.start : unit.end]


def test_a_bullet_item_is_never_cut(cleaned):
    chunks = Chunker(max_chars=300).run("d", cleaned)
    offset = 0
    for line in cleaned.splitlines(keepends=True):
        start, end = offset, offset + len(line.rstrip("\n"))
        offset += len(line)
        if line.startswith("- "):
            assert any(c.start <= start and end <= c.end for c in chunks), line


def test_every_chunk_carries_its_section_heading():
    text = Cleaner().run((PROJECT_ROOT / "corpus" / "portsmouth-lead-member-children-families.txt").read_text())
    chunks = Chunker().run("p", text)
    overall = [c for c in chunks if "holding the Director of Children’s Services to account" in c.text]
    assert len(overall) == 1
    assert overall[0].heading == "Overall"
    assert overall[0].text.startswith("Overall:\n- To be responsible")  # heading kept with its content
    assert all(c.heading for c in chunks)


def test_a_lead_in_line_stays_with_the_item_after_it():
    text = Cleaner().run((PROJECT_ROOT / "corpus" / "unnamed-council-lmcs-role-profile.txt").read_text())
    chunks = Chunker().run("u", text)
    with_lead_in = [c for c in chunks if "The LMCS should:\n" in c.text]
    assert with_lead_in and all("\n- " in c.text[c.text.index("The LMCS should:") :] for c in with_lead_in)


def test_units_are_sentences_and_items_never_bare_lead_ins():
    text = Cleaner().run((PROJECT_ROOT / "corpus" / "unnamed-council-lmcs-role-profile.txt").read_text())
    units = [text[u.start : u.end] for c in Chunker().run("u", text) for u in c.units]
    assert (
        "Discharge alongside the DCS the functions for which they are responsible are set out in section "
        "18(2) of the Children Act 2004."
    ) in units
    assert "The LMCS should:" not in units
    wigan = Cleaner().run((PROJECT_ROOT / "corpus" / "wigan-childrens-portfolio-2024-25.txt").read_text())
    wigan_units = [wigan[u.start : u.end] for c in Chunker().run("w", wigan) for u in c.units]
    assert "For those in the age range 0-19:" in wigan_units  # a lead-in that says something
    assert "Youth offending" in wigan_units  # a whole list item, however short


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Corporate Parenting", True),
        ("Introduction:", True),
        ("Functions covered by the portfolio", True),
        ("The LMCS should:", False),
        ("- Youth service", False),
        ("Political leadership on improving the lives of looked after children.", False),
    ],
    ids=["title-case", "short-colon", "plain", "lead-in", "bullet", "sentence"],
)
def test_heading_detection(line, expected):
    assert is_heading(line) is expected


def test_an_faq_question_stays_with_its_answer():
    """The chunk that answers "how often will I meet the director?" must hold the question it answers,
    even where the chunk's size limit falls between the two."""
    question, answer = "Q: How often will I meet the director?", "A: Once a fortnight, for about two hours."
    words = "The lead member takes part in meetings of the year with partners and the council. " * 8
    filler = words[: 700 - len("Questions\n") - len(question) - 10].rsplit(" ", 1)[0] + "."
    text = f"Questions\n{filler}\n{question}\n{answer}\n"
    assert len(text) > 700 > text.index(answer)  # the limit falls inside the answer
    chunks = Chunker(max_chars=700).run("faq", text)
    assert question in next(c for c in chunks if answer in c.text).text


def test_a_fragment_answer_is_kept_with_the_sentence_that_explains_it():
    """ "A: No." is the answer: it is quoted with the sentence after it, never dropped as too short."""
    text = (
        "Meetings\nQ: Do I have to go to the Schools Forum?\nA: No. The Schools Forum advises the council on funding.\n"
    )
    [chunk] = Chunker().run("faq", text)
    units = [text[u.start : u.end] for u in chunk.units]
    assert "A: No. The Schools Forum advises the council on funding." in units
