"""A question asked of every council ("How many children are in care in each council?", "Compare the lead
members' allowances", "Which councils' lead members chair…") is answered council by council: each council whose
documents answer it gives its best answering passage, and a council whose documents do not is left out rather
than filled with its nearest sentence.

The question's own search (the eight best chunks) is mostly one or two councils' documents; this searches wider,
so a council whose passage ranks ninth is still heard.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant.chain.context import antecedent
from assistant.chain.expand import Expansion
from assistant.chain.scope import national_docs
from assistant.chain.select import Point
from assistant.chain.shape import clause
from assistant.chain.snapshot import CorpusSnapshot

if TYPE_CHECKING:
    from assistant.chain.pipeline import AnswerChain

# "…in each council", "the different councils", "compare…", "which councils…": asked of every council at once ("does
# the lead member always…" asks the law and guidance too: not this).
_ACROSS = re.compile(
    r"\b(each|every) (council|authority|local authority)\b|\b(the|all|different|other) (councils|authorities|"
    r"lead members)\b|\bcompare\b|\bwhich (councils|lead members|cabinet members)\b",
    re.IGNORECASE,
)


def asks_every_council(question: str) -> bool:
    return bool(_ACROSS.search(question))


def each_council(answering: list[Point], documents: Mapping[str, Any], leave_out: frozenset[str], most: int = 8):
    """The best answering passage of each council (a document without a council counts as its own), best
    first; legislation and national guidance (`leave_out`) are no council's answer."""
    best: dict[str, Point] = {}
    for p in answering:  # best first
        if p.doc_id in leave_out:
            continue
        doc = documents.get(p.doc_id)
        best.setdefault(getattr(doc, "authority", "") or p.doc_id, p)
    return list(best.values())[:most]


def by_council(
    chain: AnswerChain,
    asked: str,
    expansion: Expansion,
    vector: np.ndarray,
    snapshot: CorpusSnapshot,
    kind: str | None,
    earlier: str = "",
    k: int = 32,
) -> tuple[list[Point], list[Point]]:
    """Each council's best answering passage from a wider search (its clause that answers, after the sentence it
    refers back to: "…looking after 689 children." · "It was supporting 402 care leavers."), and the candidates
    it was found among; nothing when the question is not asked of every council."""
    if not asks_every_council(asked):
        return [], []
    _, candidates = chain.search(expansion, vector, snapshot, k)
    answering = chain.answerability.run(asked, expansion, candidates, earlier, kind=kind)
    points: list[Point] = []
    for p in each_council(answering, snapshot.documents, national_docs(snapshot)):
        before = antecedent(p, candidates)
        points += [*([clause(before, expansion, None, longest=200)] if before else []), clause(p, expansion, kind)]
    return points, candidates
