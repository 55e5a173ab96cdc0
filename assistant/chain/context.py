"""Which neighbouring sentences a passage is read with: the sentence a "It meets monthly…" or "…respond to its
recommendations" points back to, the question an FAQ's or a transcript's answer answers, the first cell of a table
row. Answerability reads a passage with them (answerable.py); shaping shows them before it (shape.py, across.py).
"""

from __future__ import annotations

import re

from assistant.chain.select import Point

# A sentence that goes on about the one before it ("It meets monthly…", "The board meets every six
# weeks…"): its subject is in that sentence.
_REFERRING = re.compile(
    r"^(it|its|they|their|them|this|these|that|those|he|she|both|of (this|these|that|them|which)|"
    r"the (board|panel|group|forum|committee|"
    r"partnership|service|meeting|role|post|plan|strategy))\b",
    re.I,
)


# "You must respond to its recommendations", "The Lead Member co-chairs it": what, the sentence before says.
_OWNER = re.compile(r"\b(its|their|it|them)\b", re.I)


def is_question(quote: str) -> bool:
    """A question in a document ("Q: How often will I meet the DCS?") answers nothing itself."""
    return quote.rstrip(" \"'”’)").endswith("?")


# Characters between two sentences of one passage that follow each other (a space, a newline, a bullet).
ADJACENT = 3


def _preceding(point: Point, candidates: list[Point]) -> list[Point]:
    """The candidates before `point` in its chunk, the nearest first."""
    before = (p for p in candidates if p.chunk_id == point.chunk_id and p.end <= point.start)
    return sorted(before, key=lambda p: -p.end)


def antecedent(point: Point, candidates: list[Point]) -> Point | None:
    """The sentence before `point` in its chunk, when `point` refers back to it or answers it (an
    FAQ's "A: Once a fortnight." after "Q: How often will I meet the DCS?"); for a table cell, the
    first cell of its row, which names what the row is about ("Visit a children's home…" · "Once a month")."""
    if point.kind == "cell":
        row = [p for p in candidates if p.chunk_id == point.chunk_id and point.row == p.row and p.start < point.start]
        return min(row, key=lambda p: p.start, default=None)
    earlier = _preceding(point, candidates)
    if not earlier or not (
        _REFERRING.match(point.quote) or _OWNER.search(point.quote) or is_question(earlier[0].quote)
    ):
        return None
    return earlier[0]


def points_to(point: Point, before: Point | None, asked: Point) -> bool:
    """`point` points back, sentence by sentence, to the FAQ question `asked` ("It meets eight times a year" ·
    "The Lead Member chairs it." · "Who chairs the Corporate Parenting Panel?"), not at another body in between."""
    if not _REFERRING.match(point.quote) or before is None:
        return False
    return before is asked or bool(_REFERRING.match(before.quote) or _OWNER.search(before.quote))


def faq_question(point: Point, candidates: list[Point], back: int = 3) -> Point | None:
    """The question of the FAQ answer `point` is part of: any sentence of the answer answers it ("What is the
    Schools Forum and does the Cabinet Member vote there?" · "The Schools Forum advises…" · "The Cabinet Member
    attends as an observer and does not vote."). Back through the sentences, each straight after the one before."""
    after = point
    for p in _preceding(point, candidates)[:back]:
        if after.start - p.end > ADJACENT:
            return None
        if is_question(p.quote):
            return p
        after = p
    return None
