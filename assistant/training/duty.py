"""Does a passage STATE a duty of the council or its lead member, or merely name it?

"Politically lead our corporate parenting responsibilities…" states it; "Corporate Parenting
Group" under "Council Appointments" names a committee; a news sentence about the DCS chairing a
partnership says what someone else does. Compare and the coverage map count only passages
that state the duty, the stronger statement first.

    >>> duty_strength("Politically lead our corporate parenting responsibilities", "Main roles", "portfolio")
    2
    >>> duty_strength("Corporate Parenting Group", "Council Appointments", "portfolio")
    0
"""

from __future__ import annotations

import re

STRONG, LISTED, NONE = 2, 1, 0
STRENGTH_WORDS = {STRONG: "strong", LISTED: "partial", NONE: "gap"}
STRENGTH_MEANING = {
    STRONG: "the document says the lead member or council does this",
    LISTED: "the document lists it among the portfolio's responsibilities without saying what is done",
    NONE: "the document does not state it",
}

# Headings under which a line names a body the member sits on, not a duty they hold.
_MEMBERSHIP = re.compile(r"appointment|membership|outside bod", re.IGNORECASE)
# The council or its lead member as the one who acts.
_OURS = re.compile(
    r"\b(lead member|cabinet member|portfolio|LMCS|the council|local authority|we|our|us|elected members?|"
    r"councillors?|members)\b",
    re.IGNORECASE,
)
# Someone else as the one who acts.
_THEIRS = re.compile(
    r"\b(chaired by|led by|run by|delivered by|on behalf of)\b|^\W*\w[\w’'() ]{0,60}?,\s+responsible for", re.IGNORECASE
)
_DUTY_VERB = re.compile(
    r"\b(lead|leads|leading|ensur\w*|promot\w*|champion\w*|hold|holds|holding|chair|chairs|chairing|work|works|"
    r"working|support\w*|responsib\w*|accountab\w*|act|acts|be|is|are|must|should|will|shall|have|has|"
    r"oversee\w*|overseeing|protect\w*|develop\w*|deliver\w*|improv\w*|monitor\w*|challeng\w*|scrutin\w*|"
    r"fulfil\w*|represent\w*|provid\w*|safeguard|safeguards|maintain\w*|tackl\w*|commission\w*)\b",
    re.IGNORECASE,
)
# A proper-named body: "Corporate Parenting Group", "Local Safeguarding Children’s Board".
_BODY = re.compile(
    r"(?:[A-Z][\w’'&-]*,?\s+(?:(?:and|of|for|the|on)\s+)?)+(?:Board|Group|Committee|Panel|Forum|Partnership|Trust)\b"
)


def duty_strength(quote: str, heading: str = "", doc_type: str = "", evidence: tuple[str, ...] = (),
                  bodies_count: bool = False) -> int:  # fmt: skip
    """STRONG (says the council or lead member does it), LISTED (a bare item in a portfolio's list of
    responsibilities) or NONE. `evidence`: the duty's words; when every one found sits inside a
    body's name, the passage names the body, not the duty (unless `bodies_count`: the duty IS
    membership of a body, e.g. the safeguarding partnership)."""
    if _MEMBERSHIP.search(heading):
        return NONE
    if evidence and not bodies_count and _only_in_bodies(quote, evidence):
        return NONE
    ours, verb = bool(_OURS.search(quote)), _has_verb(quote)
    if _THEIRS.search(quote) and not _OURS.search(quote.split(",")[0]):
        return NONE
    if "news" in doc_type.lower():  # a news item counts only where it says the council does it
        return STRONG if ours and verb else NONE
    if verb:
        return STRONG
    if evidence and _only_in_bodies(quote, evidence):  # a bare body name in a list
        return NONE
    return LISTED


def _has_verb(quote: str) -> bool:
    """A duty verb, not a capitalised word inside a title-case item ("Family Hub Development")."""
    return any(m.start() == 0 or not m.group(0)[0].isupper() for m in _DUTY_VERB.finditer(quote.lstrip("“\"'‘ ")))


def _only_in_bodies(quote: str, evidence: tuple[str, ...]) -> bool:
    lower = quote.lower().replace("'", "’")
    spans = [m.span() for m in _BODY.finditer(quote)]
    found = False
    for word in evidence:
        w = word.lower().replace("'", "’")
        for m in re.finditer(re.escape(w), lower):
            found = True
            if not any(s <= m.start() and m.end() <= e for s, e in spans):
                return False
    return found
