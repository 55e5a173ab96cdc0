"""What kind of source each document is, and which council published it, with evidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT
from index.kinds import detect_kind
from index.load import Loader, read_manifest

CORPUS = PROJECT_ROOT / "corpus"


@pytest.mark.parametrize(
    ("title", "opening", "kind"),
    [
        ("Children Act 2004", "", "other"),
        ("Statutory guidance on the roles of the DCS and LMCS", "", "statutory guidance"),
        (
            "Roles of the DCS and LMCS",
            "This is statutory guidance from the Department for Education.",
            "statutory guidance",
        ),
        (
            "Lead Member role profile",
            "This role profile is based upon the Statutory Guidance on the roles…",
            "council role profile",
        ),
        ("Cabinet portfolio: children", "", "council role profile"),
        (
            "Cabinet Member for Children’s Wellbeing",
            "Political accountability for children’s services.",
            "council role profile",
        ),
        ("Press release: new Lead Member", "", "news"),
        ("New Lead Member for Children appointed", "Cllr Shah said: “I will hold services to account.”", "news"),
        ("Meeting notes", "Published: 3 March 2025. The board met.", "news"),
        ("Minutes", "The committee noted the report.", "other"),
    ],
    ids=[
        "nothing-says",
        "guidance-title",
        "guidance-opening",
        "profile-based-on-guidance",
        "portfolio-title",
        "cabinet-member-title",
        "press-release-title",
        "quote-outranks-role-in-title",
        "dateline",
        "minutes",
    ],
)
def test_kind_from_what_the_file_says(title, opening, kind):
    found, evidence = detect_kind(title, opening)
    assert found == kind
    assert evidence


CORPUS_KINDS = {
    "birmingham-cabinet-member-childrens-wellbeing.txt": ("council role profile", "Birmingham City Council"),
    "birmingham-news-children-at-the-heart.txt": ("news", "Birmingham City Council"),
    "portsmouth-lead-member-children-families.txt": ("council role profile", "Portsmouth City Council"),
    "unnamed-council-lmcs-role-profile.txt": ("council role profile", ""),
    "wigan-childrens-portfolio-2024-25.txt": ("council role profile", "Wigan Council"),
}


@pytest.mark.parametrize("name", sorted(CORPUS_KINDS))
def test_the_corpus_read_without_its_manifest_agrees_with_the_manifest(name):
    src = Loader().run(CORPUS / name)
    assert (src.kind, src.authority) == CORPUS_KINDS[name]
    listed = Loader(read_manifest(CORPUS)).run(CORPUS / name)
    assert listed.kind == src.kind and listed.kind_evidence == "corpus manifest"
    assert listed.authority_confidence == 1.0


def test_the_unnamed_councils_profile_names_no_council():
    src = Loader().run(CORPUS / "unnamed-council-lmcs-role-profile.txt")
    assert src.authority == "" and src.authority_confidence == 0.0


def test_given_authority_and_kind_override_the_file(tmp_path):
    path = tmp_path / "kestrel-bay-council-profile.txt"
    path.write_text("Kestrel Bay Council designates a Lead Member for Children’s Services.\n", encoding="utf-8")
    found = Loader().run(path)
    assert found.authority == "Kestrel Bay Council" and found.authority_confidence > 0.7
    assert "opening of the text: Kestrel Bay Council" in found.authority_evidence
    assert "file name: Kestrel Bay Council" in found.authority_evidence
    given = Loader(overrides={"authority": "Anytown Council", "kind": "statutory guidance"}).run(path)
    assert (given.authority, given.authority_confidence, given.authority_evidence) == (
        "Anytown Council",
        1.0,
        ("given: Anytown Council",),
    )
    assert (given.kind, given.kind_evidence) == ("statutory guidance", "given")


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        Loader(overrides={"kind": "memo"})


def test_a_council_named_once_in_passing_is_not_the_publisher(tmp_path):
    path = tmp_path / "notes.txt"
    filler = "The Lead Member chairs the Corporate Parenting Board and meets young people in care. " * 10
    path.write_text(filler + "We learned from Wigan’s approach to family hubs.\n", encoding="utf-8")
    found = Loader().run(path)
    assert found.authority == ""
    assert found.authority_evidence == ("later in the text: Wigan Council",)


def test_the_manifest_kind_must_be_in_the_vocabulary(tmp_path):
    (tmp_path / "manifest.toml").write_text(
        '[[document]]\nfile = "a.txt"\ndoc_id = "a"\ntitle = "A"\nkind = "leaflet"\n', encoding="utf-8"
    )
    with pytest.raises(ValueError, match="must be one of"):
        read_manifest(Path(tmp_path))
