"""Decide whether the documents answer a question, or the assistant should say they don't.

    confidence = the best unit's similarity to the question as asked
               + coverage_weight × the idf-weighted share of the question's words in the top passages
               − oov_weight × the idf-weighted share of its words the corpus never uses
               − type_weight × [the question wants a number or a date and no chosen passage has one]
               + reference_weight × [a reference in the question ("18(2)", "2004") is in a chosen passage]

A question about an LMCS's allowance scores low on the last terms even when the
embedding finds passages about the role. Weights and threshold are calibrated on
evals/datasets/dev.jsonl (`python -m evals.calibrate`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.chain.expand import Expansion
from assistant.chain.select import Point
from assistant.types import Retrieved
from index.lexical import tokenize

if TYPE_CHECKING:
    from assistant.settings import Settings

_WANTS_FREQUENCY = re.compile(r"^\s*how (often|frequently|regularly)\b", re.IGNORECASE)
_WANTS_QUANTITY = re.compile(
    r"^\s*(how (many|much|long|big|old)|what (number|percentage|proportion|amount|size|salary|allowance))\b",
    re.IGNORECASE,
)
_WANTS_DATE = re.compile(r"^\s*(when|what (date|year|day|month)|since when)\b", re.IGNORECASE)
# Not "may" among the months: far more often a verb than a month (but "each May" is a frequency).
_MONTHS = "january|february|march|april|june|july|august|september|october|november|december"
_SEASONS = "spring|summer|autumn|winter"
# Numbers in words, for a count ("Forty-six of these meetings") and for any quantity ("forty members").
_ONES = r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\w+teen"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_COUNTS = rf"{_ONES}|({_TENS})(-\w+)?"
_DAYS = "mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?"
# How often: "weekly", "twice a year", "each school year", "every six to eight weeks", "the first Monday of the
# month" — but not "each assistant director", "the first two weeks", "a councillor may", "every decision".
_UNIT = rf"days?|weeks?|fortnights?|months?|terms?|half-terms?|quarters?|years?|{_SEASONS}|{_MONTHS}"
_SOME = r"other|few|\d+|[a-z]+"
_FREQUENCY = re.compile(
    r"\b(annual|annually|weekly|fortnightly|monthly|quarterly|termly|yearly|daily|once|twice|regularly|"
    r"biannual|biannually|bi-annual|bi-annually|biennial|biennially|bimonthly|bi-monthly|half-yearly|"
    r"\w+-weekly|\w+-monthly|\w+-yearly)\b"
    r"|\b(each|every) may\b"  # "each May": the month only straight after, never "each school may"
    rf"|\balternate ({_UNIT}|{_DAYS}|meetings?)\b"
    rf"|\b(each|per) ((school|academic|financial|calendar|municipal|working|half|new) )?({_UNIT}|meeting|session)\b"
    rf"|\ba (day|week|fortnight|month|term|quarter|year|{_SEASONS})\b"
    rf"|\b(first|second|third|fourth|last|\d+(st|nd|rd|th)) ({_DAYS}|day|week)s? "
    r"of (the|each|every) (month|term|year)\b"
    r"|\b\w+ times\b|\bas (and when )?(needed|required|necessary)\b"
    # "how many times…" is answered by a count of meetings: "Forty-six of these one-to-one meetings took place"
    rf"|\b({_COUNTS}|\d+)( of (these|the|those))?( [\w-]+)? (meetings|visits|sessions)\b"
    rf"|\bevery (({_SOME})((-|–| to | or )({_SOME}))? )?"
    rf"({_UNIT}|meetings?|sessions?|mornings?|evenings?|week-?days?|{_DAYS})\b",
    re.IGNORECASE,
)
# A count or amount: £ or % figures, number words, or a number that is not a year or a
# legal reference ("section 19", "18(2)", "Children Act 2004"); not the "one" of "one-to-one" or "one-off".
_QUANTITY = re.compile(
    rf"£\s?\d|\d\s?%|\b({_ONES}|{_TENS}|hundreds?|thousands?|millions?|dozens?|single|nil)\b|(?<!-)\bone\b(?!-)"
    r"|\b(a|one|two|three|four) (half|thirds?|quarters?|fifths?)\b(?!-)|\bhalf (of|the)\b"
    r"|(?<![Ss]ection )(?<![(\d])\b(?!(19|20)\d\d\b)\d+\b(?![(\d])",
    re.IGNORECASE,
)
_REFERENCE = re.compile(r"\b\d+(?:\(\d+\))?")
_HAS_DATE = re.compile(
    rf"\b(1[89]\d\d|20\d\d|{_MONTHS}|{_SEASONS}|{_DAYS})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Confidence:
    score: float
    similarity: float
    coverage: float
    unknown: tuple[str, ...]  # content words the corpus never uses
    unknown_share: float = 0.0  # their idf-weighted share of the question's words
    type_mismatch: bool = False  # wants a number/date; none of the chosen passages has one
    reference_found: bool = False  # a number or section reference of the question is quoted
    answering: int = 0  # candidate passages that answer it by themselves (answerable.py)
    near_miss: bool = False  # wants a number/date/frequency; the chosen passages don't hold one on the subject

    def answered(self, threshold: float, has_points: bool = True) -> bool:
        """The chain's decision, from its signals: the score proposes, what the passages say decides."""
        if not has_points:
            return False
        # Passages covering the rest do not answer a question whose weight is mostly in words the corpus
        # never uses ("how do I renew my library card?" is not answered by "libraries … sit with …").
        return (self.score >= threshold and not self.near_miss) or (self.answering > 0 and self.unknown_share < 0.5)


def reference_found(question: str, quotes: list[str]) -> bool:
    refs = set(_REFERENCE.findall(question))
    return any(re.search(rf"(?<![\d(]){re.escape(r)}(?![\d(])", q) for r in refs for q in quotes)


def type_mismatch(question: str, quotes: list[str]) -> bool:
    """The question wants a frequency, a quantity or a date, and no quote has one."""
    for wants, has in ((_WANTS_FREQUENCY, _FREQUENCY), (_WANTS_QUANTITY, _QUANTITY), (_WANTS_DATE, _HAS_DATE)):
        if wants.match(question):
            return not any(has.search(q) for q in quotes)
    return False


class AbstentionPolicy:
    """`AbstentionPolicy(threshold).assess(...)` → Confidence; abstain when below threshold."""

    def __init__(
        self,
        threshold: float,
        coverage_weight: float,
        oov_weight: float,
        type_weight: float,
        reference_weight: float,
    ) -> None:
        """Every weight comes from Settings (calibrated by evals/calibrate.py): no second set of defaults."""
        self.threshold = threshold
        self.coverage_weight = coverage_weight
        self.oov_weight = oov_weight
        self.type_weight = type_weight
        self.reference_weight = reference_weight

    @classmethod
    def from_settings(cls, settings: Settings) -> AbstentionPolicy:
        return cls(
            settings.abstain_threshold,
            coverage_weight=settings.abstain_coverage_weight,
            oov_weight=settings.abstain_oov_weight,
            type_weight=settings.abstain_type_weight,
            reference_weight=settings.abstain_reference_weight,
        )

    def assess(
        self,
        question: str,
        expansion: Expansion,
        points: list[Point],
        retrieved: list[Retrieved],
        vocabulary: frozenset[str],
    ) -> Confidence:
        n = len(expansion.terms)
        if not points or not n:
            return Confidence(0.0, 0.0, 0.0, tuple(sorted(expansion.terms)), 1.0)
        found: set[str] = set()
        for r in retrieved[:3]:
            found |= set(tokenize(f"{r.chunk.heading} {r.chunk.text}"))
        coverage = expansion.covered(found)
        unknown = tuple(expansion.unknown(vocabulary))
        similarity = max(p.similarity for p in points)
        quotes = [p.quote for p in points]
        mismatch = type_mismatch(question, quotes)
        reference = reference_found(question, quotes)
        share = expansion.unknown_share(vocabulary)
        score = self.score(similarity, coverage, share, mismatch, reference)
        return Confidence(score, similarity, coverage, unknown, share, mismatch, reference)

    def score(
        self, similarity: float, coverage: float, unknown_share: float, mismatch: bool, reference: bool = False
    ) -> float:
        return (
            similarity
            + self.coverage_weight * coverage
            - self.oov_weight * unknown_share
            - self.type_weight * float(mismatch)
            + self.reference_weight * float(reference)
        )

    def abstains(self, confidence: Confidence, threshold: float | None = None) -> bool:
        return confidence.score < (self.threshold if threshold is None else threshold)
