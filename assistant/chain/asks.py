"""What a question asks that its subject words do not say, and whether a passage has it.

- **The next one**: "When is the next Ofsted inspection due?" asks for a date to come. "Ofsted inspected the
  council's children's services in March 2024" dates the last one: it answers nothing about the next.
- **A body the documents never name**: "Does the Portfolio Holder sit on the adoption panel?" of documents that never
  say "adoption" asks about a panel none of them has; the fostering panel is another body.
- **A name**: "What is the name of the Virtual School Head?" is not answered by "meet the Virtual School Head…",
  which names no one; "What does the Children in Care Council call itself?" is by "…which calls itself Bright Sparks".
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
# A passage on what is to come, or on what recurs ("every three years", "each spring"; not "in every area").
_AHEAD = re.compile(
    r"\b(will|shall|next|due|expected|expects|planned|scheduled|upcoming|forthcoming|(is|are) to)\b", re.IGNORECASE
)
# Bodies that meet. Not "council" (every council document names the council, and a Youth Council is another body),
# nor "cabinet" ("the cabinet member" is the role), nor "meeting" (a one-to-one is a meeting, named as none).
_MEETING = re.compile(
    r"\b(boards?|panels?|committees?|sub-committees?|forums?|fora|partnerships?|groups?|networks?|assembl(y|ies))\b",
    re.IGNORECASE,
)


def asks_next(question: str, kind: str | None) -> bool:
    """A "when" question about the next one ("When is the next inspection due?")."""
    return kind == "date" and bool(_NEXT.search(question))


def looks_ahead(text: str) -> bool:
    return bool(_AHEAD.search(text) or _FREQUENCY.search(text))


def asks_about_a_meeting(question: str) -> bool:
    """The question names a body that meets: a board, panel, committee, forum, partnership or group."""
    return bool(_MEETING.search(question))


def names_a_meeting(text: str) -> bool:
    return bool(_MEETING.search(text))


_NAMED_BODY = re.compile(r"\b([\w'’-]+)\s+(panel|board|committee|forum|partnership|group|service)s?\b", re.IGNORECASE)


def unknown_body(question: str, foreign: frozenset[str]) -> bool:
    """The question names a body by a word the corpus never uses ("the adoption panel"): no passage is on it."""
    return any(set(tokenize(m.group(1))) & foreign for m in _NAMED_BODY.finditer(question))


# "What is the name of…", "what's X called", "what does X call itself", "what name does X go by", "known as".
NAME_ASKED = re.compile(
    r"\bwhat(['’]s| is| are) (the |their |its )?names?\b|\bwhat names?\b|\bwhat(['’]s| is| are| was) .{1,60}\bcalled\b"
    r"|\bcalls? (itself|themselves)\b|\bknown as\b|\bgo(es)? by\b|\bwho is (the|their|its)\b.{1,60}\bby name\b",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[a-z0-9]+")
# A name: two or more capitalised words ("Bright Sparks", "Our Voice Matters"), or a capitalised word in quotes.
_NAME = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+|and\s+)?[A-Z][\w'’-]*)+|[“\"‘'][A-Z][^”\"’']{1,40}[”\"’']")


def names_something_new(text: str, question: str) -> bool:
    """The text gives a name the question does not already say: "Bright Sparks" for "what does the Children in Care
    Council call itself?", not "Virtual School Head" for "what is the name of the Virtual School Head?"."""
    asked = set(_WORDS.findall(question.lower()))  # every word: a name may be made of common ones ("Our Say")
    return any(set(_WORDS.findall(m.group().lower())) - asked for m in _NAME.finditer(text))
