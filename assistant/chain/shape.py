"""A lookup's answer, shaped: the clause that answers first (a verbatim sub-span of its sentence), then
at most two supporting points.
"""

from __future__ import annotations

import re

from assistant.chain.answerable import has_type, hits, salient_terms, wanted_type
from assistant.chain.context import ADJACENT, antecedent, is_question
from assistant.chain.expand import Expansion
from assistant.chain.select import Point, within


def clause(point: Point, expansion: Expansion, kind: str | None, longest: int = 260) -> Point:
    """A long sentence cut to the clause that answers: a verbatim sub-span (start and end move with
    it, so the quote is still checked against the text), the clause holding most of the subject."""
    if len(point.quote) <= longest:
        return point
    terms = salient_terms(expansion) or sorted(expansion.terms)
    pieces = [m for m in re.finditer(r"[^;,:–—]+[;,:–—]?", point.quote)]
    best, best_score = None, -1.0
    for i in range(len(pieces)):
        for j in range(i, min(i + 3, len(pieces))):
            start, end = pieces[i].start(), pieces[j].end()
            text = point.quote[start:end]
            if len(text) > longest or len(text.split()) < 6:
                continue
            score = hits(expansion, terms, text) + 0.5 * has_type(text, kind) - len(text) / 10_000
            if score > best_score:
                best, best_score = (start, end), score
    if best is None:
        return point
    start, end = best
    raw = point.quote[start:end]
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip().rstrip(";,:–—").rstrip()
    s = point.start + start + lead
    return Point(
        point.doc_id, point.chunk_id, point.heading, text, s, s + len(text),
        point.similarity, point.overlap, point.score, point.kind, point.row,
    )  # fmt: skip


def lookup_points(
    question: str,
    points: list[Point],
    candidates: list[Point],
    expansion: Expansion,
    budget: int = 450,
) -> list[Point]:
    """A lookup's answer: the clause that answers first, then at most two supporting points, only
    those as good. A first point that refers back ("It meets monthly…") comes after what it refers to."""
    kind = wanted_type(question)
    before = antecedent(points[0], candidates)
    near = [p for p in points[1:] if p.score >= points[0].score - 0.1 and p != before]
    first = [clause(before, expansion, None, longest=200)] if before else []
    shaped = [*first, clause(points[0], expansion, kind)]
    for p in (clause(p, expansion, kind, longest=200) for p in near):
        # Short: a supporting point joins only while the answer stays under `budget` characters of quotes.
        if len(shaped) < 3 and sum(len(q.quote) for q in shaped) + len(p.quote) <= budget:
            shaped.append(p)
    return shaped


# "What does it mean that…": the meaning is often the sentence after the one that matches ("This means
# that the Cabinet Member may speak… but does not vote").
_MEANING = re.compile(r"\bmean(s|t|ing)?\b|\bexplain\b|\bin practice\b", re.IGNORECASE)
_GOES_ON = re.compile(r"^\W*(this|that) (means|is because|is why)\b|^\W*in (practice|other words)\b", re.IGNORECASE)


def _following(point: Point, candidates: list[Point]) -> list[Point]:
    """The sentence straight after `point` in its passage, if it is among the candidates and asks nothing."""
    return [
        c
        for c in candidates
        if c.chunk_id == point.chunk_id and 0 <= c.start - point.end <= ADJACENT and not is_question(c.quote)
    ][:1]


# "What do I do if…", "what happens if I pass it on?": the steps are the sentences that follow the one that matches
# ("Pass it to the Director's office, which will acknowledge it within two working days.").
_STEPS = re.compile(
    r"\bwhat happens (if|when|after|next|then)\b|\bwhat (is|are) the (next )?steps?\b(?!-)|\bwhat('s| is) the process\b"
    # "what do I do with it?", "if…, what should I do?"; not the whole role ("What must I do as lead member?")
    r"|\bwhat (do|should|must|would|can|will) (i|we|you|they) (do|need to do) (if|when|with|about|after|next|then)\b"
    r"|\b(if|when)\b[^?]*\bwhat (do|should|must|would|can|will) (i|we|you|they) (do|need to do)\b",
    re.IGNORECASE,
)


def explained(
    question: str, points: list[Point], candidates: list[Point], steps: int = 2, budget: int = 600
) -> list[Point]:
    """A question asking what something means: each point followed by the sentence that explains it, when
    that sentence comes straight after it in the same passage. A question asking what to do or what happens:
    the first point (a sentence, not a list) followed by the next `steps` sentences of its passage, and the
    other points only while the quotes stay within `budget` characters."""
    meaning = bool(_MEANING.search(question))
    doing = bool(points) and points[0].kind == "sentence" and bool(_STEPS.search(question))
    if not (meaning or doing):
        return points
    shaped: list[Point] = []
    first = 1
    for i, p in enumerate(points):
        shaped.append(p)
        for _ in range(steps if doing and i == 0 else 1):
            goes_on = next((c for c in _following(shaped[-1], candidates)), None)
            if goes_on is None or goes_on in points or goes_on in shaped:
                break
            if not (doing or _GOES_ON.match(goes_on.quote)):
                break
            shaped.append(goes_on)
        first = len(shaped) if i == 0 else first
    return within(shaped, budget, least=first) if doing else shaped


def with_rows(points: list[Point], candidates: list[Point]) -> list[Point]:
    """A table row's first cell names what the row is about ("Special responsibility allowance"); the cells after it
    say it ("£14,860 a year"). A point that is a row's first cell is followed by the rest of its row."""
    shaped: list[Point] = []
    taken = set(points)
    for p in points:
        shaped.append(p)
        if p.kind != "cell" or antecedent(p, candidates) is not None:
            continue
        row = [c for c in candidates if c.kind == "cell" and c.chunk_id == p.chunk_id and c.row == p.row]
        rest = sorted((c for c in row if c.start > p.start and c not in taken), key=lambda c: c.start)
        shaped.extend(rest)
        taken.update(rest)
    return shaped
