"""For reviewers: what each council's document says on a topic, side by side.

It asks the answer chain once per document (filtered to it), so every cell is a verified
verbatim quote or an honest "not mentioned".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.chain.pipeline import AnswerChain
from assistant.chain.verify import containment
from assistant.present import escape_markdown, source_line
from assistant.training.duty import NONE, STRENGTH_WORDS, duty_strength
from index.lexical import tokenize
from index.types import Document


@dataclass(frozen=True)
class Cell:
    doc_id: str
    quote: str  # "" when not mentioned
    reference: str
    confidence: float
    strength: int = NONE  # STRONG: states the council or lead member does it; LISTED: a bare portfolio item

    @property
    def verdict(self) -> str:
        """ "strong", "partial" or "gap", as the coverage map says it."""
        return STRENGTH_WORDS[self.strength if self.mentioned else NONE]

    @property
    def mentioned(self) -> bool:
        return bool(self.quote)


def names_topic(topic: str, text: str) -> bool:
    """Does the passage name the topic? All words of a short topic ("Education Advisory
    Board"), most of a longer one: a related body ("Standing Advisory Council on Religious
    Education") is not the same thing."""
    needed = 1.0 if len(tokenize(topic)) <= 3 else 0.6
    return containment(topic, text) >= needed


def best_cell(
    assistant: AnswerChain,
    topic: str,
    doc: Document,
    accept: Callable[[str], bool] | None = None,
    threshold: float | None = None,
    evidence: tuple[str, ...] = (),
    bodies_count: bool = True,
) -> Cell:
    """The cited quote from `doc` on `topic` that best STATES it (see duty.py), among those
    `accept(heading + quote)` allows; the answer's own order breaks ties."""
    answer = assistant.ask(topic, doc_ids=[doc.doc_id], threshold=threshold)
    if answer.abstained or not answer.citations:
        return Cell(doc.doc_id, "", "", 0.0)
    ranked = []
    for c in answer.citations:
        if accept is not None and not accept(f"{c.heading} {c.quote}"):
            continue
        strength = duty_strength(c.quote, c.heading, doc.doc_type, evidence or (topic,), bodies_count)
        if strength > NONE:
            ranked.append((-strength, c.n, c))
    if not ranked:
        return Cell(doc.doc_id, "", "", 0.0)
    strength, _, best = min(ranked)
    return Cell(doc.doc_id, best.quote, source_line(best), answer.confidence, -strength)


def label(doc: Document) -> str:
    return f"{doc.authority} — {doc.title}" if doc.authority else doc.title


def column_names(docs: list[Document]) -> list[str]:
    """A short, distinct name per document: the council, with the kind of document when a council
    has more than one ("Birmingham City Council (news item)"), and the title if that still clashes."""
    kinds = [d.doc_type.split(" (")[0] for d in docs]
    names = [d.authority or d.title for d in docs]
    shared = {n for n in names if names.count(n) > 1}
    out = [f"{n} ({k})" if n in shared and k else n for n, k in zip(names, kinds, strict=True)]
    return [f"{o} — {d.title}" if out.count(o) > 1 else o for o, d in zip(out, docs, strict=True)]


def names_acronym_topic(topic: str, acronyms: dict[str, str], text: str) -> bool:
    """A topic with an acronym ("holding the DCS to account") is named by a passage that spells the
    acronym out ("the Director of Children’s Services") and has the topic's other words."""
    used = {short: long for short, long in acronyms.items() if re.search(rf"\b{re.escape(short)}\b", topic)}
    if not used:
        return False
    if not all(names_topic(long, text) for long in used.values()):
        return False
    rest = topic
    for short in used:
        rest = re.sub(rf"\b{re.escape(short)}\b", " ", rest)
    return not tokenize(rest) or names_topic(rest, text)


def compare(assistant: AnswerChain, topic: str) -> list[tuple[Document, Cell]]:
    """What each document says about `topic`, best verbatim quote first, or not mentioned."""
    docs = sorted(assistant.documents().values(), key=label)
    acronyms = assistant.snapshot().acronyms

    def accept(text: str) -> bool:
        return names_topic(topic, text) or names_acronym_topic(topic, acronyms, text)

    return [(d, best_cell(assistant, topic, d, accept=accept)) for d in docs]


def md_cell(text: str) -> str:
    """Document text or metadata in a Markdown table cell: HTML shown as text, no marks, one line."""
    return escape_markdown(text)


def compare_markdown(topic: str, rows: list[tuple[Document, Cell]]) -> str:
    out = [f"## {md_cell(topic)}", "", "| Council | Document | What it says |", "|---|---|---|"]
    for doc, cell in rows:
        said = f"“{md_cell(cell.quote)}”" if cell.mentioned else "_not mentioned_"
        out.append(f"| {md_cell(doc.authority or '—')} | {md_cell(doc.title)} | {said} |")
    return "\n".join(out) + "\n"
