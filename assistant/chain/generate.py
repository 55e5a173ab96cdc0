"""Generative answers from a chat model, held to the source sentence by sentence.

The retrieved passages go into the prompt as numbered, delimited data; sentences in
them that address the assistant ("ignore previous instructions…") are withheld. After
generation every sentence of the answer must cite a passage that supports it
(`assistant.verify.supports`, the same test the eval uses); each citation carries the
best-matching verbatim sentence of the cited passage with its offsets. Unsupported
sentences are removed and the user told; if none survive, the caller falls back to the
extractive answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from assistant.chain.prompts import load_prompt
from assistant.chain.verify import cited_sentences, containment, supports
from assistant.errors import LLMError
from assistant.types import Citation, Retrieved
from index.injection import is_instruction
from index.types import Document


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Passage:
    n: int
    doc_id: str
    title: str
    authority: str
    heading: str
    sentences: tuple[Sentence, ...]

    def render(self) -> str:
        body = " ".join(s.text for s in self.sentences)
        source = " — ".join(x for x in (self.title, self.authority) if x)
        return f'<passage n="{self.n}" source="{source}" section="{self.heading}">\n{body}\n</passage>'


@dataclass(frozen=True)
class Verified:
    text: str
    citations: list[Citation]
    removed: list[str]  # sentences dropped as unsupported or uncited


Similarity = Callable[[str, str], float]


class GenerativeAnswerer:
    """`GenerativeAnswerer(chat_model, name).stream(question, passages)` → text deltas."""

    def __init__(self, model: Any, name: str, max_passages: int = 5) -> None:
        self.model = model
        self.name = name
        self.max_passages = max_passages

    def passages(self, retrieved: list[Retrieved], docs: dict[str, Document], texts: dict[str, str]) -> list[Passage]:
        out: list[Passage] = []
        for r in retrieved[: self.max_passages]:
            text = texts.get(r.chunk.doc_id, "")
            sentences = tuple(
                # Text addressing the assistant is withheld from the prompt: the same test ingest
                # flags such units with (index/injection.py), so they are never cited either.
                Sentence(s, e, text[s:e])
                for s, e in r.chunk.units
                if not is_instruction(text[s:e])
            )
            if not sentences:
                continue
            doc = docs.get(r.chunk.doc_id)
            out.append(
                Passage(
                    len(out) + 1,
                    r.chunk.doc_id,
                    doc.title if doc else r.chunk.doc_id,
                    doc.authority if doc else "",
                    r.chunk.heading,
                    sentences,
                )
            )
        return out

    def messages(self, question: str, passages: list[Passage]) -> list[Any]:
        from langchain_core.messages import HumanMessage, SystemMessage

        rendered = "\n\n".join(p.render() for p in passages)
        return [
            SystemMessage(load_prompt("system").render()),
            HumanMessage(load_prompt("answer").render(passages=rendered, question=question)),
        ]

    def stream(self, question: str, passages: list[Passage]) -> Iterator[str]:
        """The model's words as they come. Only the model call is guarded: whatever it raises
        (down, slow, refused, malformed) becomes LLMError; our own code's errors stay bugs."""
        messages = self.messages(question, passages)
        stream = iter(_model_call(lambda: self.model.stream(messages)))
        while True:
            chunk = _model_call(lambda: next(stream, None))
            if chunk is None:
                return
            content = chunk.content if isinstance(chunk.content, str) else ""
            if content:
                yield content

    def condense(self, question: str, earlier: list[str]) -> str | None:
        """A standalone version of a follow-up, or None if the model gave nothing usable."""
        prompt = load_prompt("condense").render(history="\n".join(f"- {q}" for q in earlier), question=question)
        reply = str(_model_call(lambda: self.model.invoke(prompt)).content).strip().strip('"')
        return reply if 5 <= len(reply) <= 400 and "\n" not in reply else None

    def verify(self, raw: str, passages: list[Passage], similarity: Similarity | None = None) -> Verified:
        by_n = {p.n: p for p in passages}
        numbering: dict[tuple[str, int], int] = {}
        citations: list[Citation] = []
        kept: list[str] = []
        removed: list[str] = []
        for claim, numbers in cited_sentences(raw):
            cited = [by_n[n] for n in dict.fromkeys(numbers) if n in by_n]
            best = _best_sentence(claim, cited, similarity)
            if best is None:
                removed.append(claim)
                continue
            passage, sentence = best
            key = (passage.doc_id, sentence.start)
            if key not in numbering:
                numbering[key] = len(citations) + 1
                citations.append(
                    Citation(
                        numbering[key],
                        passage.doc_id,
                        passage.title,
                        passage.authority,
                        passage.heading,
                        sentence.text,
                        sentence.start,
                        sentence.end,
                    )
                )
            kept.append(f"{claim} [{numbering[key]}]")
        return Verified(" ".join(kept), citations, removed)


def _model_call(call: Callable[[], Any]) -> Any:
    try:
        return call()
    except Exception as exc:  # the model's client raises anything: connection, timeout, HTTP, parse
        raise LLMError(f"the model did not answer: {type(exc).__name__}") from exc


def _best_sentence(
    claim: str, passages: list[Passage], similarity: Similarity | None
) -> tuple[Passage, Sentence] | None:
    """The cited sentence that best supports the claim, if any supports it."""
    scored = [(containment(claim, s.text), p, s) for p in passages for s in p.sentences]
    if not scored:
        return None
    scored.sort(key=lambda x: -x[0])
    for share, passage, sentence in scored[:3]:
        sim = similarity(claim, sentence.text) if similarity is not None and share < 0.6 else None
        if supports(claim, sentence.text, sim):
            return passage, sentence
    return None
