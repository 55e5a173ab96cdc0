"""For reviewers: what each council's document says on a topic, side by side.

It asks the answer chain once per document (filtered to it), so every cell is a verified
verbatim quote or an honest "not mentioned".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.chain.pipeline import AnswerChain
from assistant.chain.verify import containment
from assistant.present import escape_markdown, source_line
from index.lexical import tokenize
from index.types import Document


@dataclass(frozen=True)
class Cell:
    doc_id: str
    quote: str  # "" when not mentioned
    reference: str
    confidence: float

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
) -> Cell:
    """The best cited quote from `doc` on `topic` that `accept(heading + quote)` allows."""
    answer = assistant.ask(topic, doc_ids=[doc.doc_id], threshold=threshold)
    if answer.abstained or not answer.citations:
        return Cell(doc.doc_id, "", "", 0.0)
    cited = [c for c in answer.citations if accept is None or accept(f"{c.heading} {c.quote}")]
    if not cited:
        return Cell(doc.doc_id, "", "", 0.0)
    return Cell(doc.doc_id, cited[0].quote, source_line(cited[0]), answer.confidence)


def label(doc: Document) -> str:
    return f"{doc.authority} — {doc.title}" if doc.authority else doc.title


def compare(assistant: AnswerChain, topic: str) -> list[tuple[Document, Cell]]:
    """What each document says about `topic`, best verbatim quote first, or not mentioned."""
    docs = sorted(assistant.documents().values(), key=label)
    return [(d, best_cell(assistant, topic, d, accept=lambda text: names_topic(topic, text))) for d in docs]


def md_cell(text: str) -> str:
    """Document text or metadata in a Markdown table cell: HTML shown as text, no marks, one line."""
    return escape_markdown(text)


def compare_markdown(topic: str, rows: list[tuple[Document, Cell]]) -> str:
    out = [f"## {topic}", "", "| Council | Document | What it says |", "|---|---|---|"]
    for doc, cell in rows:
        said = f"“{md_cell(cell.quote)}”" if cell.mentioned else "_not mentioned_"
        out.append(f"| {md_cell(doc.authority or '—')} | {md_cell(doc.title)} | {said} |")
    return "\n".join(out) + "\n"
