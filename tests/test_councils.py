"""Council names: one key however a council is written, and councils found in questions."""

from __future__ import annotations

import pytest

from index.councils import council_key, find_councils, gazetteer


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Wigan Council", "wigan"),
        ("Wigan", "wigan"),
        ("Wigan Metropolitan Borough Council", "wigan"),
        ("London Borough of Camden", "camden"),
        ("Camden Council", "camden"),
        ("Royal Borough of Kensington and Chelsea", "kensington and chelsea"),
        ("Kensington & Chelsea", "kensington and chelsea"),
        ("Manchester City Council", "manchester"),
        ("City of York Council", "york"),
        ("Kingston upon Hull City Council", "hull"),
        ("Durham County Council", "durham"),
        ("Stoke-on-Trent City Council", "stoke on trent"),
        ("St. Helens Borough Council", "st helens"),
        ("City of London Corporation", "city of london"),
        ("Kestrel Bay City Council", "kestrel bay"),
        ("Kestrel Bay Council", "kestrel bay"),
    ],
)
def test_one_key_per_council(name, key):
    assert council_key(name) == key


def test_the_gazetteer_covers_the_four_nations():
    nations = {c.nation for c in gazetteer().values()}
    assert nations == {"England", "Wales", "Scotland", "Northern Ireland"}
    names = {c.name for c in gazetteer().values()}
    assert len(names) > 350
    for real in ("Portsmouth City Council", "Birmingham City Council", "Cardiff Council", "Belfast City Council"):
        assert real in names


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("What does Manchester say about corporate parenting?", ["Manchester City Council"]),
        ("what does manchester say about corporate parenting?", ["Manchester City Council"]),
        ("Who is the lead member in Kestrel Bay City Council?", ["Kestrel Bay City Council"]),
        ("Compare Wigan’s portfolio with Portsmouth.", ["Wigan Council", "Portsmouth City Council"]),
        ("The Lead Member of Kestrel Bay City Council chairs the board.", ["Kestrel Bay City Council"]),
        ("© 2025 Moorhaven Borough Council", ["Moorhaven Borough Council"]),
        ("London Borough of Newtown and the Isle of Wight", ["London Borough of Newtown", "Isle of Wight Council"]),
        ("Meeting the Children in Care Council every quarter.", []),
        ("The Youth Council and full Council both meet in June.", []),
        ("Reading the guidance, the LMCS should attend.", []),
        ("What does Reading say?", ["Reading Borough Council"]),
        ("Greater Manchester Combined Authority and the University of Manchester", []),
    ],
    ids=[
        "bare-name",
        "lower-case",
        "made-up-council",
        "possessive-and-two",
        "role-before-name",
        "copyright-footer",
        "borough-of-form",
        "children-in-care-council",
        "youth-and-full-council",
        "ordinary-word-opening-a-sentence",
        "ordinary-word-as-a-name",
        "not-a-council",
    ],
)
def test_councils_found_in_text(text, found):
    assert [name for _, name in find_councils(text)] == found


def test_spans_point_at_the_name_in_the_text():
    text = "Is the Lead Member in Kestrel Bay City Council also in Wigan?"
    assert [text[s:e] for (s, e), _ in find_councils(text)] == ["Kestrel Bay City Council", "Wigan"]
