"""What kind of source a document is, so a quote from a council's role profile is never
passed off as the statute.

The vocabulary is closed (index.types.KINDS). A kind is taken only where the file makes it
plain — legislation.gov.uk markup; "statutory guidance", "role profile", "portfolio" or
"press release" in the title; a news item's "…, said: “…”" — checked on the title first,
then on the opening of the text, else "other". The manifest or `--kind` overrides it.

    >>> detect_kind("Lead Member for Children’s Services: role profile", "")
    ('council role profile', "the title says 'role profile'")
"""

from __future__ import annotations

import re

from index.readers.extracted import Extracted

OPENING_CHARS = 800

# Checked in this order, the first that matches wins: what the title names the document
# ("role profile") outranks how the opening reads (a quote "said" by a councillor), which
# outranks a role merely named in the title ("New Lead Member for Children appointed").
_CHECKS = [
    ("title", "statutory guidance", re.compile(r"statutory guidance", re.I)),
    ("title", "news", re.compile(r"press release|\bnews\b", re.I)),
    ("title", "council role profile", re.compile(r"role profile|role description|job description|portfolio", re.I)),
    ("opening", "news", re.compile(r"press release|^(published|posted|issued)\s*:?\s+\d", re.I | re.M)),
    ("opening", "news", re.compile(r"\b[Ss]aid:?\s*[“\"]|[”\"],?\s+(?:said|says|added)\b")),
    ("title", "council role profile", re.compile(r"(?:cabinet|lead) member for|terms of reference", re.I)),
    (
        "opening",
        "statutory guidance",
        re.compile(
            r"\b(?:this|the following) (?:document )?is statutory guidance"
            r"|\bthis (?:statutory )?guidance is issued under"
            r"|^statutory guidance\b",
            re.I | re.M,
        ),
    ),
    ("opening", "council role profile", re.compile(r"role profile|role description|job description|portfolio", re.I)),
    ("opening", "council role profile", re.compile(r"\b(?:lead|cabinet) member\b.{0,300}\bresponsibilit", re.I | re.S)),
]


def detect_kind(title: str, text: str, extracted: Extracted | None = None) -> tuple[str, str]:
    """(kind, evidence) from what the file itself says."""
    if extracted is not None and extracted.kind:
        return extracted.kind
    where = {"title": title, "opening": text[:OPENING_CHARS]}
    for part, kind, pattern in _CHECKS:
        m = pattern.search(where[part])
        if m:
            words = " ".join(m.group().split())
            return kind, f"the {part} says '{words[:60]}'"
    return "other", "nothing in the file says what kind of document it is"
