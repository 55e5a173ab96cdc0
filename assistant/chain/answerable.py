"""Does a candidate passage answer the question? Judged on what the passage itself says, not on a
corpus-wide score: it must cover the question's salient subject (its most specific words, or the
corpus's acronyms and synonyms for them), and hold what the question asks for — a number, a date,
a frequency, a person or body. "How many foster carers does Northmoor have?" is not answered by a
Northmoor sentence that has a number but no foster carers, nor by one about foster carers with
no number.
"""

from __future__ import annotations

import re

from assistant.chain.abstain import _FREQUENCY, _HAS_DATE, _QUANTITY
from assistant.chain.expand import Expansion
from assistant.chain.select import Point
from index.lexical import tokenize

_WANTS = [
    ("frequency", re.compile(r"\bhow (often|frequently|regularly)\b|\bhow many times\b|\bwhat frequency\b", re.I)),
    ("number", re.compile(r"\bhow (many|much)\b|\bwhat (number|percentage|proportion|amount|size)\b", re.I)),
    ("date", re.compile(r"^\s*when\b|\bwhat (date|year|day|month)\b|\bsince when\b|\bby when\b", re.I)),
    (
        "person_or_body",
        re.compile(r"^\s*(who|whom)\b|\bwhich (board|committee|panel|body|group|forum|person|officer|member)\b", re.I),
    ),
]
_BODY = re.compile(
    r"\b(director|member|board|committee|panel|council|officer|chief|leader|cabinet|partnership|trust|forum|"
    r"group|ofsted|headteachers?|governors?|mayor|commissioner|DCS|LMCS|scrutiny)\b",
    re.I,
)
_HAS = {
    "frequency": _FREQUENCY,
    "number": _QUANTITY,
    "date": _HAS_DATE,
    "person_or_body": _BODY,
}


def wanted_type(question: str) -> str | None:
    """What the question asks for, if it asks for a particular kind of fact."""
    for kind, pattern in _WANTS:
        if pattern.search(question):
            return kind
    return None


def has_type(text: str, kind: str | None) -> bool:
    return kind is None or bool(_HAS[kind].search(text))


def salient_terms(expansion: Expansion, share: float = 0.6) -> list[str]:
    """The question's subject: its terms weighted by rarity in the corpus and in English, those
    within `share` of the weightiest ("foster", "carer" in "how many foster carers…")."""
    weight = {t: expansion.weights.get(t, 1.0) * expansion.specificity.get(t, 1.0) for t in expansion.terms}
    if not weight:
        return []
    top = max(weight.values())
    return sorted(t for t, w in weight.items() if w >= share * top)


def covers(expansion: Expansion, terms: list[str], text: str) -> bool:
    """Every salient term is in the text, or a word the corpus or thesaurus relates to it."""
    found = set(tokenize(text))
    return all(t in found or expansion.related.get(t, frozenset()) & found for t in terms)


class Answerability:
    """`Answerability().run(question, expansion, candidates)` → the candidates that answer it."""

    def __init__(self, floor: float = 0.25, look: int = 30) -> None:
        self.floor = floor  # below this similarity a passage is about something else
        self.look = look

    def run(self, question: str, expansion: Expansion, candidates: list[Point]) -> list[Point]:
        kind = wanted_type(question)
        terms = salient_terms(expansion)
        if not terms:
            return []
        return [
            p
            for p in candidates[: self.look]
            if p.similarity >= self.floor
            and p.kind != "lead_in"
            and covers(expansion, terms, f"{p.heading} {p.quote}")
            and has_type(p.quote, kind)
        ]
