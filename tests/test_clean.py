"""Cleaning: exact expectations on the corpus's own mess."""

from __future__ import annotations

import pytest

from assistant.settings import PROJECT_ROOT
from index.clean import Cleaner

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
