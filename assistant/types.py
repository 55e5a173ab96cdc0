"""What the answer chain returns: answers, citations, the passages behind them, and stream events."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from assistant.errors import QuestionError
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
    kind: str = ""  # what sort of source: legislation, statutory guidance, council role profile, news, other
    location: str = ""  # where the quote sits in the original file, in words

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Retrieved:
    """A chunk found for a query, with the scores that found it."""

    chunk: StoredChunk
    score: float  # fused score
    dense: float | None = None  # cosine similarity, when the dense retriever found it
    lexical: float | None = None  # BM25 score, when the lexical retriever found it


@dataclass(frozen=True)
class Answer:
    """One answer. Frozen: a later stage adds to it with `with_notice` or `dataclasses.replace`."""

    question: str  # as it may be shown and stored: personal details redacted
    answer: str
    abstained: bool
    citations: tuple[Citation, ...] = ()
    nearest: tuple[Citation, ...] = ()  # offered when abstaining, only when they are near
    confidence: float = 0.0
    query: str = ""  # the question as searched, after condensing a follow-up
    notices: tuple[str, ...] = ()  # said to the user beside the answer, in order
    retrieved: tuple[Retrieved, ...] = ()
    signals: Any = None  # the abstention policy's Confidence, for evals and calibration
    backend: str = "extractive"  # which answerer wrote the answer text
    route: str = "answer"  # what the router decided: answer, off_topic, injection, not_english
    personal_data: tuple[str, ...] = ()  # kinds of personal detail found in the question (never the details)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)  # feedback is attached to this answer

    @property
    def notice(self) -> str:
        return " ".join(n.strip() for n in self.notices if n.strip())

    def with_notice(self, text: str, first: bool = False) -> Answer:
        if not text.strip():
            return self
        notices = (text, *self.notices) if first else (*self.notices, text)
        return replace(self, notices=notices)

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.to_dict() for c in self.citations],
            "nearest": [c.to_dict() for c in self.nearest],
            "confidence": round(self.confidence, 4),
            "query": self.query,
            "notice": self.notice,
            "notices": list(self.notices),
            "backend": self.backend,
            "route": self.route,
            "personal_data": list(self.personal_data),
            "answer_id": self.id,
        }


@dataclass(frozen=True)
class Delta:
    """A piece of a language model's answer as it arrives, before it is checked."""

    text: str


@dataclass(frozen=True)
class Final:
    """The checked answer: always the last event of a stream."""

    answer: Answer


Event = Delta | Final


def final(events: Iterable[Event]) -> Answer:
    """The answer a stream ends with (every stream ends with exactly one `Final`)."""
    for event in events:
        if isinstance(event, Final):
            return event.answer
    raise AssertionError("the stream ended without a Final event")


@dataclass(frozen=True)
class Turn:
    """One earlier message of a conversation."""

    role: str  # "user" | "assistant"
    content: str


def turns_from(history: Any) -> tuple[Turn, ...]:
    """Earlier messages as Turns, from [{"role", "content"}] dicts or Turns; anything else is an error."""
    turns: list[Turn] = []
    for t in history or ():
        if isinstance(t, Turn):
            turns.append(t)
            continue
        if (
            not isinstance(t, dict)
            or t.get("role") not in {"user", "assistant"}
            or not isinstance(t.get("content"), str)
        ):
            raise QuestionError("history must be a list of {role: user|assistant, content: text}")
        turns.append(Turn(t["role"], t["content"]))
    return tuple(turns)


__all__ = ["Answer", "Citation", "Delta", "Event", "Final", "Retrieved", "Turn", "turns_from"]
