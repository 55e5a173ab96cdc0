"""The answer pipeline, wired top to bottom:
validate → condense → retrieve (dense + BM25) → fuse → answer (extractive) → verify → abstain or present.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from assistant.abstain import AbstentionPolicy
from assistant.answer import ExtractiveAnswerer, Point, citations_for, compose
from assistant.condense import condense
from assistant.expand import QueryExpander
from assistant.generate import GenerativeAnswerer
from assistant.llm import backend_name, make_chat_model
from assistant.prompts import load_prompt
from assistant.retrieve import HybridRetriever
from assistant.settings import Settings
from assistant.types import Answer, Citation, Retrieved
from assistant.verify import verify
from index.embed import Embedder, load_embedder
from index.pipeline import open_store
from index.store import ChromaStore
from index.types import Document

log = logging.getLogger(__name__)


class QuestionError(ValueError):
    """The question cannot be asked as it is (empty, too long); the message says why."""


class IndexEmptyError(RuntimeError):
    """No documents are indexed yet."""


def clean_question(question: object, max_chars: int) -> str:
    """The question with control characters removed, or QuestionError."""
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    text = "".join(" " if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} else c for c in question)
    text = " ".join(text.split())
    if not text:
        raise QuestionError("Please type a question: it is empty.")
    if len(text) > max_chars:
        raise QuestionError(
            f"The question is {len(text):,} characters long; the limit is {max_chars:,}. Please shorten it."
        )
    return text


class Assistant:
    """Answers questions from the index, every citation verified.

    >>> assistant = build_answer_pipeline(Settings())          # doctest: +SKIP
    >>> assistant.ask("What must I do as LMCS?").citations[0].quote  # doctest: +SKIP
    """

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        retriever: HybridRetriever,
        answerer: ExtractiveAnswerer,
        policy: AbstentionPolicy,
        expander: QueryExpander,
        top_k: int = 8,
        generator: GenerativeAnswerer | None = None,
        max_question_chars: int = 2000,
        nearest: int = 3,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.retriever = retriever
        self.answerer = answerer
        self.policy = policy
        self.expander = expander
        self.generator = generator
        self.top_k = top_k
        self.max_question_chars = max_question_chars
        self.nearest = nearest
        self._texts: dict[tuple[str, str], str] = {}

    def documents(self) -> dict[str, Document]:
        with self.store.guard():
            return self.store.documents()

    def ask(
        self,
        question: str,
        history: Sequence[dict[str, Any]] | None = None,
        doc_ids: list[str] | None = None,
        threshold: float | None = None,
        generate: bool = True,
    ) -> Answer:
        """Answer with verified citations, or abstain below the confidence threshold
        (`threshold` overrides the calibrated one: the coverage map looks for any support).
        With a language model configured and `generate`, the answer is generated and verified."""
        for kind, value in self.ask_stream(question, history, doc_ids, threshold, generate):
            if kind == "answer":
                return value
        raise AssertionError("ask_stream ended without an answer")

    def ask_stream(
        self,
        question: str,
        history: Sequence[dict[str, Any]] | None = None,
        doc_ids: list[str] | None = None,
        threshold: float | None = None,
        generate: bool = True,
    ) -> Iterator[tuple[str, Any]]:
        """Events: ("delta", text) while a model writes, then ("answer", Answer), always last.

        Raises QuestionError for an unusable question, IndexEmptyError before anything is
        indexed, and StoreUnavailableError (with what to do) when the index cannot be read."""
        question = clean_question(question, self.max_question_chars)
        with self.store.guard():
            yield from self._answer(question, history, doc_ids, threshold, generate)

    def _answer(
        self,
        question: str,
        history: Sequence[dict[str, Any]] | None,
        doc_ids: list[str] | None,
        threshold: float | None,
        generate: bool,
    ) -> Iterator[tuple[str, Any]]:
        docs = self.store.documents()
        if not docs:
            raise IndexEmptyError("The index is empty. Build it first: lmcs ingest")
        query = self._condense(question, history)
        lexicon = self.retriever.lexicon()
        expansion = self.expander.run(query, lexicon.view)
        scope = doc_ids or sorted(expansion.doc_ids) or None
        vector = self.embedder.embed_query(expansion.query)
        retrieved = self.retriever.run(expansion.query, k=self.top_k, doc_ids=scope, query_vector=vector)
        candidates = self.answerer.candidates(expansion, vector, retrieved)
        points = self.answerer.select(candidates)
        confidence = self.policy.assess(question, expansion, points, retrieved, lexicon.bm25.vocabulary)

        # What every outcome below shares; each fills in its own answer.
        base = Answer(
            question=question,
            answer="",
            abstained=True,
            confidence=confidence.score,
            signals=confidence,
            query=query,
            retrieved=retrieved,
        )
        if self.policy.abstains(confidence, threshold) or not points:
            nearest = self._verified(citations_for(_distinct_chunks(candidates)[: self.nearest], docs))[0]
            yield "answer", replace(base, answer=_abstain_text(nearest), nearest=nearest)
            return

        citations, dropped = self._verified(citations_for(points, docs))
        notice = _corrections_notice(expansion.corrections)
        if dropped:
            log.error("dropped %d citation(s) whose quote is not verbatim in its source", len(dropped))
            notice += f"{len(dropped)} passage(s) could not be checked against their source and were left out."
        if not citations:
            yield "answer", replace(base, answer=_abstain_text([]), notice=notice)
            return
        extractive = replace(base, answer=compose(citations), abstained=False, citations=citations, notice=notice)
        if self.generator is None or not generate:
            yield "answer", extractive
            return
        yield from self._generate(query, extractive, retrieved, docs)

    def _generate(
        self, query: str, extractive: Answer, retrieved: list[Retrieved], docs: dict[str, Document]
    ) -> Iterator[tuple[str, Any]]:
        """A model's answer, verified sentence by sentence; the extractive one if that fails."""
        assert self.generator is not None
        passages = self.generator.passages(retrieved, docs, self.texts({r.chunk.doc_id for r in retrieved}))
        raw, reason = "", ""
        try:
            for delta in self.generator.stream(query, passages):
                raw += delta
                yield "delta", delta
            checked = self.generator.verify(raw, passages, self._similarity)
            citations, dropped = self._verified(checked.citations)
            if not checked.citations:
                reason = "none of its sentences matched a passage"
            elif dropped or [c.n for c in citations] != [c.n for c in checked.citations]:
                reason = "a quote did not match its source"
        except Exception as exc:  # the model is down, slow or broken: the user still gets an answer
            log.warning("language model failed (%s: %s); answering extractively", type(exc).__name__, exc)
            reason = f"the model did not answer: {type(exc).__name__}"
        if reason:
            fallback = load_prompt("llm_fallback").render(reason=reason)
            yield (
                "answer",
                replace(extractive, notice=f"{fallback} {extractive.notice}".strip(), backend="extractive (fallback)"),
            )
            return
        notice = extractive.notice
        if checked.removed:
            notice += (
                f" {len(checked.removed)} sentence(s) of the model's answer were removed: "
                "the documents do not support them."
            )
        yield (
            "answer",
            replace(
                extractive, answer=checked.text, citations=citations, notice=notice.strip(), backend=self.generator.name
            ),
        )

    def _condense(self, question: str, history: Sequence[dict[str, Any]] | None) -> str:
        """A follow-up made standalone: by the model when there is one, else by rule."""
        by_rule = condense(question, history)
        if self.generator is None or by_rule == question:
            return by_rule
        earlier = [str(t.get("content", "")) for t in history or [] if t.get("role") == "user"][-3:]
        try:
            return self.generator.condense(question, earlier) or by_rule
        except Exception:
            return by_rule

    def _similarity(self, a: str, b: str) -> float:
        va, vb = self.embedder.embed_documents([a, b])
        return float(va @ vb)

    def _verified(self, citations: list[Citation]) -> tuple[list[Citation], list[Citation]]:
        """Verbatim citations renumbered 1..n, and those that failed the check."""
        good, bad = verify(citations, self.texts({c.doc_id for c in citations}))
        renumbered = [replace(c, n=i) for i, c in enumerate(good, start=1)]
        return renumbered, bad

    def texts(self, doc_ids: set[str]) -> dict[str, str]:
        """Cleaned document texts, cached per document version."""
        with self.store.guard():
            versions = self.store.current_versions()
            missing = [d for d in doc_ids if (d, versions.get(d, "")) not in self._texts]
            fetched = self.store.texts(missing)
        for doc_id, text in fetched.items():
            self._texts[(doc_id, versions.get(doc_id, ""))] = text
        return {d: self._texts[(d, versions.get(d, ""))] for d in doc_ids if (d, versions.get(d, "")) in self._texts}


def _corrections_notice(corrections: dict[str, str]) -> str:
    if not corrections:
        return ""
    return "Read " + ", ".join(f"“{a}” as “{b}”" for a, b in corrections.items()) + ". "


def _distinct_chunks(points: list[Point]) -> list[Point]:
    """The best point of each chunk, so the nearest passages are not three lines of one."""
    seen: set[str] = set()
    out = []
    for p in points:
        if p.chunk_id not in seen:
            seen.add(p.chunk_id)
            out.append(p)
    return out


def _abstain_text(nearest: list[Citation]) -> str:
    text = load_prompt("abstain").render()
    if nearest:
        lines = "\n".join(f"- “{c.quote}” — {c.title}" + (f", {c.authority}" if c.authority else "") for c in nearest)
        text += "\n\n" + load_prompt("abstain_nearest").render() + "\n" + lines
    return text


def build_answer_pipeline(
    settings: Settings | None = None, embedder: Embedder | None = None, use_llm: bool = True
) -> Assistant:
    settings = settings or Settings()
    embedder = embedder or load_embedder(settings.embedding_model_path, settings.model_cache_dir)
    store = open_store(embedder, settings.data_dir, settings.chroma_url)
    retriever = HybridRetriever(store, embedder, mode=settings.retrieval_mode, rrf_k=settings.rrf_k)
    answerer = ExtractiveAnswerer(store, max_points=settings.max_points)
    policy = AbstentionPolicy(
        settings.abstain_threshold,
        coverage_weight=settings.abstain_coverage_weight,
        oov_weight=settings.abstain_oov_weight,
        type_weight=settings.abstain_type_weight,
    )
    expander = QueryExpander.from_file(settings.corpus_dir / "thesaurus.toml")
    model = make_chat_model(settings) if use_llm else None
    generator = GenerativeAnswerer(model, backend_name(settings)) if model is not None else None
    return Assistant(
        store,
        embedder,
        retriever,
        answerer,
        policy,
        expander,
        top_k=settings.top_k,
        max_question_chars=settings.max_question_chars,
        generator=generator,
    )
