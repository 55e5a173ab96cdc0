"""Cleaning: exact expectations on the corpus's own mess."""

from __future__ import annotations

import re

import pytest

from assistant.settings import PROJECT_ROOT
from index.clean import Cleaner
from index.readers.extracted import Extracted, Line, lines_of_text

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="module")
def profile() -> str:
    return Cleaner().run((CORPUS / "unnamed-council-lmcs-role-profile.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def birmingham() -> str:
    return Cleaner().run((CORPUS / "birmingham-cabinet-member-childrens-wellbeing.txt").read_text(encoding="utf-8"))


def test_a_word_hyphen_split_across_lines_is_rejoined(profile):
    # Source: "opportunities for co-\noperation with local partners to improve the well-\nbeing"
    assert "create opportunities for co-operation with local partners to improve the well-being of children" in profile


def test_a_typesetters_hyphen_is_removed_but_a_real_one_kept():
    cleaner = Cleaner()
    assert cleaner.run("the LMCS is respon-\nsible for this") == "the LMCS is responsible for this\n"
    assert cleaner.run("a stable and co-\nordinated offer") == "a stable and co-ordinated offer\n"
    assert cleaner.run("ages 16-\n19 provision") == "ages 16-19 provision\n"


def test_pdf_line_wraps_are_joined_even_across_a_page_break(profile):
    # Source: "development of an \n\n\n\nincreasingly autonomous" (a page break mid-sentence).
    assert "strategic local leadership and development of an increasingly autonomous and diverse education" in profile
    assert "report to the Chief Executive and to the Council Leader" in profile


def test_each_bullet_item_is_one_line_marked_with_a_dash(profile):
    item = (
        "- Work with the DCS to ensure that there are clear and effective arrangements to protect children "
        "and young people from harm (including those attending independent schools)."
    )
    assert item in profile.splitlines()


def test_private_use_bullet_glyphs_become_dashes():
    raw = (
        "The LMCS should:\n\uf0b7 Hold political responsibility for children’s services.\n\uf0a7 Report to the leader."
    )
    assert Cleaner().run(raw) == (
        "The LMCS should:\n- Hold political responsibility for children’s services.\n- Report to the leader.\n"
    )


def test_web_boilerplate_is_dropped(birmingham):
    assert "rating button" not in birmingham
    assert "Coronavirus" not in birmingham
    assert "| Birmingham City Council" not in birmingham  # page-title line repeating the heading
    assert birmingham.startswith("Cabinet Member for Children’s Wellbeing\n")


def test_a_repeated_banner_sentence_is_collapsed():
    raw = "Please follow the advice. Please follow the advice. Then read on."
    assert Cleaner().run(raw) == "Please follow the advice. Then read on.\n"


def test_non_breaking_and_doubled_spaces_are_normalised(birmingham):
    assert "\u00a0" not in birmingham and "  " not in birmingham


def test_cleaning_is_idempotent(profile, birmingham):
    assert Cleaner().run(profile) == profile
    assert Cleaner().run(birmingham) == birmingham


# ---- Where each quote came from (index/locate.py) --------------------------------------

FILES = sorted(CORPUS.glob("*.txt"))


def flat(text: str) -> str:
    """Whitespace collapsed and words split over a line end joined, read straight off the file."""
    return re.sub(r"-\s+", "-", " ".join(text.split())).replace("-", "")


@pytest.mark.parametrize("path", FILES, ids=[f.stem for f in FILES])
def test_every_corpus_quote_is_the_characters_its_location_names(path):
    from index.chunk import Chunker
    from index.readers import read

    cleaned = Cleaner().clean(read(path))
    raw = path.read_bytes().decode("utf-8-sig")
    n = 0
    for chunk in Chunker().run("d", cleaned.text, cleaned.roles):
        for unit in chunk.units:
            quote = cleaned.text[unit.start : unit.end]
            loc = cleaned.locations.locate(unit.start, unit.end)
            assert flat(raw[loc.char_start : loc.char_end]) == flat(quote), (str(loc), quote)
            assert raw[loc.char_start] == quote[0] and raw[loc.char_end - 1] == quote[-1]  # not a character more
            n += 1
    assert n >= 10


def test_reading_a_corpus_file_cleans_it_exactly_as_before():
    # The eval datasets quote the cleaned corpus: reading through the new readers must not change it.
    from index.readers import read

    for path in FILES:
        assert Cleaner().clean(read(path)).text == Cleaner().run(path.read_text(encoding="utf-8")), path.name


def test_a_split_word_maps_to_both_halves_in_the_file():
    raw = "The LMCS is respon-\nsible for this."
    cleaned = Cleaner().clean(Extracted(lines_of_text(raw), raw=raw))
    start = cleaned.text.index("responsible")
    loc = cleaned.locations.locate(start, start + len("responsible"))
    assert raw[loc.char_start : loc.char_end] == "respon-\nsible"


# ---- Page furniture and PDF line wraps ----------------------------------------------------


def pdf_like(pages: list[list[str]]) -> Extracted:
    """Lines as pypdf gives them: each its own reference, laid out on pages."""
    out = Extracted([], mode="refs", layout="visual", paged=True)
    for p, lines in enumerate(pages):
        for n, text in enumerate(lines, start=1):
            out.lines.append(Line(text, None, out.add_ref(("page", p + 1, n)), page=p))
    return out


REPORT = [
    [
        "Anyshire County Council – Lead Member for Children’s Services",
        "The Lead Member is the councillor who answers to the council for children’s services in",
        "Anyshire, and who works with the Director of Children’s Services to improve outcomes for all",
        "Children in Care across the county.",
        "3",
    ],
    [
        "Anyshire County Council – Lead Member for Children’s Services",
        "Accountability",
        "The Lead Member reports to the full council every year on the work of the Corporate Parenting",
        "Board and on the",
        "Page 4",
    ],
    [
        "Anyshire County Council – Lead Member for Children’s Services",
        "Annual Report of the Independent Reviewing Officers.",
        "5",
    ],
]


def test_running_headers_footers_and_page_numbers_are_dropped_by_repetition():
    text = Cleaner().clean(pdf_like(REPORT)).text
    assert "Anyshire County Council – Lead Member" not in text
    assert not re.search(r"^(Page )?\d$", text, re.M)


def test_a_pdf_line_wrapped_before_a_capitalised_word_is_joined():
    text = Cleaner().clean(pdf_like(REPORT)).text
    assert (
        "The Lead Member is the councillor who answers to the council for children’s services in Anyshire, and who "
        "works with the Director of Children’s Services to improve outcomes for all Children in Care across the county."
    ) in text.splitlines()
    # A short line without a full stop is a heading, not the start of the next sentence.
    assert "\nAccountability\nThe Lead Member reports" in text
    # The sentence runs on over the footer, the page break and the next page's header.
    assert "on the work of the Corporate Parenting Board and on the Annual Report of the Independent Reviewing" in text


def test_a_pdf_sentence_across_pages_is_located_on_both():
    cleaned = Cleaner().clean(pdf_like(REPORT))
    start = cleaned.text.index("The Lead Member reports")
    end = cleaned.text.index("Officers.") + len("Officers.")
    assert str(cleaned.locations.locate(start, end)) == "page 2, line 3 to page 3, line 2"


def test_a_location_map_costs_a_few_characters_per_line():
    from index.locate import LocationMap

    words = [
        "Lead",
        "Member",
        "holds",
        "the",
        "Director",
        "of",
        "Children’s",
        "Services",
        "to",
        "account",
        "for",
        "education",
        "and",
        "care",
    ]
    pages = [
        [f"The {words[(p * 7 + n) % 14]} {words[(p + n * 3) % 14]} line ends here." for n in range(50)]
        for p in range(20)
    ]
    cleaned = Cleaner().clean(pdf_like(pages))
    packed = cleaned.locations.to_json()
    assert len(packed) < 8 * 1000  # 1,000 lines
    assert LocationMap.from_json(packed) == cleaned.locations
