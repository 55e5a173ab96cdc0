"""What the answer chain returns: answers, citations and the passages behind them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from index.store import StoredChunk


@dataclass(frozen=True)
class Citation:
    """A verbatim quote: `quote == document_text[start:end]`, checked before it is shown."""

    n: int
    doc_id: str
    title: str
    authority: str
    heading: str
    quote: str
    start: int
    end: int
    page: int | None = None  # 1-based, for PDFs

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Retrieved:
    """A chunk found for a query, with the scores that found it."""

    chunk: StoredChunk
    score: float  # fused (reciprocal rank) score
    dense: float | None = None  # cosine similarity, when the dense retriever found it
    lexical: float | None = None  # BM25 score, when the lexical retriever found it


@dataclass
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    nearest: list[Citation] = field(default_factory=list)  # offered when abstaining
    confidence: float = 0.0
    query: str = ""  # the question as searched, after condensing a follow-up
    notice: str = ""  # e.g. an unverifiable quote that was dropped
    retrieved: list[Retrieved] = field(default_factory=list)
    signals: Any = None  # the abstention policy's Confidence, for evals and calibration
    backend: str = "extractive"  # which answerer wrote the answer text

    def to_dict(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "nearest": [c.to_dict() for c in self.nearest],
            "confidence": round(self.confidence, 4),
            "query": self.query,
            "notice": self.notice,
            "backend": self.backend,
        }
