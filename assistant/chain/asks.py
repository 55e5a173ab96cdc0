"""What a question asks that its subject words do not say, and whether a passage has it.

- **The next one**: "When is the next Ofsted inspection due?" asks for a date to come. "Ofsted inspected the
  council's children's services in March 2024" dates the last one: it answers nothing about the next.
- **A body the documents never name**: "Does the Portfolio Holder sit on the adoption panel?" of documents that never
  say "adoption" asks about a panel none of them has; the fostering panel is another body.
- **A meeting body**: "Who chairs the SEND board?" asks about a board. A sentence on SEND that names no board,
  panel, committee or forum ("championing… children with SEND, and challenging academy trusts") is about
  SEND, not the board; "the SEND Partnership Board is chaired by…" or "the SEND panel…" is.
"""

from __future__ import annotations

import re

from assistant.chain.abstain import _FREQUENCY
from index.lexical import tokenize

# "next", "due", "upcoming": a date still to come.
_NEXT = re.compile(r"\b(next|upcoming|forthcoming|due)\b", re.IGNORECASE)
# A passage on what is to come ("expected in 2027", "will take place"; not "leaders will build on this"), or on what
# recurs ("every three years", "each spring"; not "in every area").
_AHEAD = re.compile(
    r"\b(next|due|expected|planned|scheduled|upcoming|forthcoming)\b"
    r"|\bwill (be|take place|happen|come|return|visit|inspect)\b|\b(is|are) (to|due to) (be|take place)\b",
    re.IGNORECASE,
)
# Bodies that meet. Not "council" (every council document names the council, and a Youth Council is another body),
# nor "cabinet" ("the cabinet member" is the role), nor "meeting" (a one-to-one is a meeting, named as none), nor
# "group" ("the group of academy trusts").
_MEETING = re.compile(
    r"\b(boards?|panels?|committees?|sub-committees?|forums?|fora|partnerships?|networks?|assembl(y|ies))\b",
    re.IGNORECASE,
)


def asks_next(question: str, kind: str | None) -> bool:
    """A "when" question about the next one ("When is the next inspection due?")."""
    return kind == "date" and bool(_NEXT.search(question))


def looks_ahead(text: str) -> bool:
    return bool(_AHEAD.search(text) or _FREQUENCY.search(text))


def names_a_meeting(text: str) -> bool:
    """A question or passage names a body that meets: a board, panel, committee, forum or partnership."""
    return bool(_MEETING.search(text))


_NAMED_BODY = re.compile(r"\b([\w'’-]+)\s+(panel|board|committee|forum|partnership|group|service)s?\b", re.IGNORECASE)


def unknown_body(question: str, foreign: frozenset[str]) -> bool:
    """The question names a body by a word the corpus never uses ("the adoption panel"): no passage is on it."""
    return any(set(tokenize(m.group(1))) & foreign for m in _NAMED_BODY.finditer(question))
