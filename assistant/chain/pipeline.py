"""The answer chain, wired top to bottom in `build_answer_pipeline`:

route → snapshot → condense → expand (+ council scope) → retrieve → select → abstain → compose
→ verify → (generate → verify).

Every face (web, CLI, HTTP API, eval) asks through `AnswerChain.stream`/`ask`, so the
question policy (validation, personal data, safeguarding, injection, language) is the same
everywhere.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from assistant.chain.abstain import AbstentionPolicy
from assistant.chain.across import by_council
from assistant.chain.answerable import Answerability, is_broad, is_lookup, wanted_type
from assistant.chain.compose import (
    abstain_text,
    citations_for,
    compose,
    distinct_chunks,
    fallback,
    join_names,
    searched,
)
from assistant.chain.condense import is_ellipsis, standalone
from assistant.chain.expand import Expansion, QueryExpander, correct_spelling
from assistant.chain.generate import GenerativeAnswerer
from assistant.chain.llm import backend_name, make_chat_model
from assistant.chain.privacy import Redactor
from assistant.chain.prompts import load_prompt
from assistant.chain.retrieve import HybridRetriever
from assistant.chain.route import Routed, Router
from assistant.chain.scope import Scope, ScopeFinder
from assistant.chain.select import Point, Selector, UnitRows, within
from assistant.chain.shape import explained, lookup_points, with_rows
from assistant.chain.snapshot import CorpusSnapshot, SnapshotCache
from assistant.chain.themes import Theme, asks_about_the_whole_role, by_themes, load_themes
from assistant.chain.verify import verify
from assistant.errors import IndexEmptyError, LLMError
from assistant.settings import Settings
from assistant.types import Answer, Citation, Delta, Event, Final, Retrieved, Turn, final, turns_from
from index.embed import Embedder, load_embedder
from index.store import Store
from index.types import Document

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChainConfig:
    """The chain's own knobs, derived from Settings."""

    top_k: int = 8
    nearest: int = 3
    nearest_floor: float = 0.35  # a "nearest passage" less similar than this is not near: not shown
    answer_chars: int = 600  # quoted characters in an answer to a focused (not broad) question


class AnswerChain:
    """Answers questions from the index, every citation verified.

    >>> chain = build_answer_pipeline(Settings())                # doctest: +SKIP
    >>> chain.ask("What must I do as LMCS?").citations[0].quote  # doctest: +SKIP
    """

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        router: Router,
        expander: QueryExpander,
        retriever: HybridRetriever,
        selector: Selector,
        policy: AbstentionPolicy,
        config: ChainConfig | None = None,
        generator: GenerativeAnswerer | None = None,
        scope: ScopeFinder | None = None,
        answerability: Answerability | None = None,
        themes: list[Theme] | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.router = router
        self.expander = expander
        self.retriever = retriever
        self.selector = selector
        self.policy = policy
        self.config = config or ChainConfig()
        self.generator = generator
        self.scope = scope or ScopeFinder()
        self.answerability = answerability or Answerability()
        self.themes = themes or []
        self.snapshots = SnapshotCache(store)
        self._texts: dict[tuple[str, str], str] = {}

    # --- reading the corpus -------------------------------------------------------------

    def snapshot(self) -> CorpusSnapshot:
        with self.store.guard():
            return self.snapshots.get()

    def documents(self) -> dict[str, Document]:
        return self.snapshot().documents

    def texts(self, doc_ids: set[str] | Sequence[str], snapshot: CorpusSnapshot | None = None) -> dict[str, str]:
        """Cleaned document texts, cached per document version."""
        versions = {d: doc.version for d, doc in (snapshot or self.snapshot()).documents.items()}
        missing = [d for d in doc_ids if d in versions and (d, versions[d]) not in self._texts]
        if missing:
            with self.store.guard():
                fetched = self.store.texts(missing)
            for doc_id, text in fetched.items():
                self._texts[(doc_id, versions[doc_id])] = text
        return {d: self._texts[(d, versions[d])] for d in doc_ids if (d, versions.get(d, "")) in self._texts}

    def search(
        self, expansion: Expansion, vector: Any, snapshot: CorpusSnapshot, k: int, doc_ids: list[str] | None = None
    ) -> tuple[list[Retrieved], list[Point]]:
        """The `k` chunks nearest the question, and every unit of them scored against it, best first."""
        retrieved = self.retriever.run(expansion.query, vector, snapshot, k=k, doc_ids=doc_ids)
        metas, vectors, texts = self.store.unit_vectors([r.chunk.chunk_id for r in retrieved])
        return retrieved, self.selector.candidates(expansion, vector, retrieved, UnitRows(metas, vectors, texts))

    # --- asking --------------------------------------------------------------------------

    def ask(
        self,
        question: object,
        history: Sequence[Any] | None = None,
        doc_ids: Sequence[str] | None = None,
        generate: bool = True,
        threshold: float | None = None,
    ) -> Answer:
        """The checked answer (see `stream`)."""
        return final(self.stream(question, history, doc_ids, generate, threshold))

    def stream(
        self,
        question: object,
        history: Sequence[Any] | None = None,
        doc_ids: Sequence[str] | None = None,
        generate: bool = True,
        threshold: float | None = None,
    ) -> Iterator[Event]:
        """`Delta`s while a model writes, then one `Final`, always last.

        `threshold` overrides the calibrated one (the coverage map looks for any support).
        Raises QuestionError for an unusable question, IndexEmptyError before anything is
        indexed, and StoreUnavailableError (with what to do) when the index cannot be read."""
        text = self.router.validate(question)  # a usage error first, before the index is read
        with self.store.guard():
            snapshot = self.snapshots.get()
            if not snapshot.documents:
                raise IndexEmptyError("The index is empty. Build it first: lmcs ingest")
            self.router.redactor.set_known(snapshot.known_words)
            routed = self.router.route(text)
            turns = self._redacted(turns_from(history))
            base = Answer(
                question=routed.shown,
                answer="",
                abstained=True,
                notices=routed.notices,
                route=routed.route,
                personal_data=routed.personal,
            )
            if routed.route != "answer":
                # The route's own message is the answer (injection only, not English): nothing searched.
                yield Final(replace(base, answer=base.notices[-1], notices=base.notices[:-1]))
                return
            yield from self._answer(routed, turns, base, snapshot, doc_ids, generate, threshold)

    def _answer(
        self,
        routed: Routed,
        turns: tuple[Turn, ...],
        base: Answer,
        snapshot: CorpusSnapshot,
        doc_ids: Sequence[str] | None,
        generate: bool,
        threshold: float | None,
    ) -> Iterator[Event]:
        query = standalone(routed.text, turns, frozenset(snapshot.councils), self.generator)
        # Spelling is corrected once, for both: a council misspelt ("brakenford") is still the question's scope.
        spelled = correct_spelling(query, snapshot)
        scoped = Scope(tuple(doc_ids)) if doc_ids else self.scope.run(spelled[0], snapshot)
        if scoped.unknown:
            councils = sorted({d.authority for d in snapshot.documents.values() if d.authority})
            text = load_prompt("no_such_council").render(council=scoped.unknown, councils=join_names(councils))
            yield Final(replace(base, answer=text, query=query))
            return
        expansion = self.expander.run(query, snapshot, spelled)
        if expansion.off_topic(snapshot.vocabulary) and not doc_ids:
            yield Final(replace(base, answer=load_prompt("off_topic").render(), route="off_topic", query=query))
            return
        scope = list(scoped.doc_ids) if scoped.doc_ids is not None else None
        vector = self.embedder.embed_query(expansion.query)
        retrieved, candidates = self.search(expansion, vector, snapshot, self.config.top_k, scope)
        points = self.selector.run(candidates)
        earlier = query.removesuffix(routed.text).strip() if query.endswith(routed.text) else ""  # a follow-up's turns
        # What it asks, spelling corrected ("how oftn…"); an ellipsis ("What about X?") asks what the turn before did.
        own = spelled[0] if query == routed.text else routed.text
        asked = query if earlier and is_ellipsis(routed.text, frozenset(snapshot.councils)) else own
        kind = wanted_type(asked)  # once per question: its regexes ran 3-4 times
        answering = self.answerability.run(asked, expansion, candidates, earlier, kind=kind)
        by_theme: list[Point] = []  # each theme's passage answers that theme (themes.py): they answer the whole role
        if asks_about_the_whole_role(routed.text) and self.themes:
            # The same for every whole-role question: found once per corpus version and scope.
            key = ("themes", None if scope is None else tuple(scope))
            by_theme = list(snapshot.memo(key, lambda: by_themes(self, snapshot, scope)))
            if len(by_theme) >= 3:
                points, candidates = by_theme, by_theme + candidates
            else:
                by_theme = []
        elif is_broad(routed.text) and not doc_ids:  # one point per distinct theme, across documents
            broad = self.selector.broad(answering if len(answering) >= 3 else candidates)
            points = broad or points
        unscoped = scope is None and threshold is None and not by_theme  # asked of every council? (across.py)
        across, wide = by_council(self, asked, expansion, vector, snapshot, kind, earlier) if unscoped else ([], [])
        confidence = self.policy.assess(asked, expansion, points, retrieved, snapshot.vocabulary)
        answering = by_theme or across or answering
        near_miss = kind in {"number", "date", "frequency", "person_or_body"} and not set(points) & set(answering)
        confidence = replace(confidence, answering=len(answering), near_miss=near_miss)
        base = replace(base, confidence=confidence.score, signals=confidence, query=query, retrieved=tuple(retrieved))
        if expansion.corrections:
            base = base.with_notice("Read " + ", ".join(f"“{a}” as “{b}”" for a, b in expansion.corrections.items()))
        abstain = self.policy.abstains(confidence, threshold) or not points
        lookup = is_lookup(asked)
        if threshold is None:  # answerability: what the passages themselves say settles it
            abstain = not confidence.answered(self.policy.threshold, bool(points))
            lookup_missed = lookup and bool(points) and points[0] not in answering[:1]
            if answering and not by_theme and (near_miss or lookup_missed or self.policy.abstains(confidence)):
                points = self.selector.run(answering)  # answer with the passages that answer
        if not abstain and across:
            points, candidates = across, wide
        elif not abstain and points and lookup and threshold is None:
            points = lookup_points(asked, points, candidates, expansion)
        elif not (by_theme or is_broad(asked)) and (scope is not None or len({p.doc_id for p in points}) == 1):
            # One council's answer to a focused question (asked of it, or only its document answers): short.
            points = within(points, self.config.answer_chars)
        if abstain or not points:
            near = [p for p in distinct_chunks(candidates) if p.similarity >= self.config.nearest_floor]
            nearest = self._verified(citations_for(near[: self.config.nearest], snapshot.documents), snapshot)[0]
            text = abstain_text(nearest, searched(snapshot, scope))
            yield Final(replace(base, answer=text, nearest=tuple(nearest)))
            return
        points = with_rows(explained(asked, points, candidates), candidates)
        citations, dropped = self._verified(citations_for(points, snapshot.documents), snapshot)
        if dropped:
            log.error("dropped %d citation(s) whose quote is not verbatim in its source", len(dropped))
            base = base.with_notice(f"{len(dropped)} passage(s) could not be checked against their source.")
        if not citations:
            yield Final(replace(base, answer=abstain_text([], searched(snapshot, scope))))
            return
        extractive = replace(base, answer=compose(citations), abstained=False, citations=tuple(citations))
        if self.generator is None or not generate:
            yield Final(extractive)
            return
        yield from self._generate(query, extractive, retrieved, snapshot)

    def _generate(
        self, query: str, extractive: Answer, retrieved: list[Retrieved], snapshot: CorpusSnapshot
    ) -> Iterator[Event]:
        """A model's answer, verified sentence by sentence; the extractive one if that fails."""
        assert self.generator is not None
        texts = self.texts({r.chunk.doc_id for r in retrieved}, snapshot)
        passages = self.generator.passages(retrieved, snapshot.documents, texts)
        raw = ""
        try:
            for delta in self.generator.stream(query, passages):
                raw += delta
                yield Delta(delta)
        except LLMError as exc:
            log.warning("language model failed (%s); answering extractively", exc)
            yield Final(fallback(extractive, str(exc)))
            return
        checked = self.generator.verify(raw, passages, self._similarity)
        citations, dropped = self._verified(checked.citations, snapshot)
        if not checked.citations:
            yield Final(fallback(extractive, "none of its sentences matched a passage"))
            return
        if dropped or [c.n for c in citations] != [c.n for c in checked.citations]:
            yield Final(fallback(extractive, "a quote did not match its source"))
            return
        answer = replace(extractive, answer=checked.text, citations=tuple(citations), backend=self.generator.name)
        if checked.removed:
            answer = answer.with_notice(
                f"{len(checked.removed)} sentence(s) of the model's answer were removed: "
                "the documents do not support them."
            )
        yield Final(answer)

    def _redacted(self, turns: tuple[Turn, ...]) -> tuple[Turn, ...]:
        """Earlier user turns with personal details taken out: they may reach a model's prompt."""
        return tuple(Turn(t.role, self.router.redactor.redact(t.content)) if t.role == "user" else t for t in turns)

    def _similarity(self, a: str, b: str) -> float:
        va, vb = self.embedder.embed_documents([a, b])
        return float(va @ vb)

    def _verified(self, citations: list[Citation], snapshot: CorpusSnapshot) -> tuple[list[Citation], list[Citation]]:
        """Verbatim citations renumbered 1..n, and those that failed the check."""
        good, bad = verify(citations, self.texts({c.doc_id for c in citations}, snapshot))
        return [replace(c, n=i) for i, c in enumerate(good, start=1)], bad


def build_answer_pipeline(
    settings: Settings | None = None,
    embedder: Embedder | None = None,
    use_llm: bool = True,
    store: Store | None = None,
    redactor: Redactor | None = None,
) -> AnswerChain:
    """Wire the chain from one Settings object: every stage's configuration comes from it."""
    from index.pipeline import open_store

    settings = settings or Settings()
    embedder = embedder or load_embedder(settings.embedding_model_path, settings.model_cache, settings.embed_precision)
    store = store or open_store(embedder, settings.data_dir, settings.chroma_url)
    policy = AbstentionPolicy.from_settings(settings)
    model = make_chat_model(settings) if use_llm else None
    return AnswerChain(
        store,
        embedder,
        Router(redactor or Redactor(), max_chars=settings.max_question_chars),
        QueryExpander.from_file(settings.corpus_dir / "thesaurus.toml"),
        HybridRetriever(store, mode=settings.retrieval_mode, rrf_k=settings.rrf_k, dense_weight=settings.dense_weight),
        Selector(max_points=settings.max_points),
        policy,
        ChainConfig(top_k=settings.top_k),
        GenerativeAnswerer(model, backend_name(settings)) if model is not None else None,
        ScopeFinder(my_council=settings.council),
        themes=load_themes(settings.corpus_dir / "themes.toml"),
    )
