"""The small service every face calls: ask, ingest, remove, sources, texts, feedback.

Faces (web, CLI, HTTP API) never reach into the store, the embedder or the chain's stages;
they call this, so each behaves the same. Policy lives in the chain; what is written to disk
(the question log, feedback) goes through here, redacted first.

    >>> service = Service.open(Settings())                      # doctest: +SKIP
    >>> service.ask("What must I do as LMCS?").citations[0].quote  # doctest: +SKIP
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assistant.chain.pipeline import AnswerChain, build_answer_pipeline
from assistant.chain.privacy import Redactor
from assistant.errors import AssistantError
from assistant.records import Records
from assistant.settings import Settings
from assistant.types import Answer, Event, Final, final
from index.embed import Embedder
from index.pipeline import IngestReport
from index.types import Document


class BusyError(AssistantError):
    """This user already has as many questions being answered as they may."""


class Service:
    """One open index and one answer chain, shared by a face's requests."""

    def __init__(self, settings: Settings, chain: AnswerChain, records: Records | None = None) -> None:
        self.settings = settings
        self.chain = chain
        self.records = records  # feedback, question log, users, audit; None: nothing is written
        self._busy: dict[str, int] = {}  # questions being answered, per user
        self._busy_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        use_llm: bool = True,
        embedder: Embedder | None = None,
        records: Records | None = None,
    ) -> Service:
        settings = settings or Settings()
        return cls(settings, build_answer_pipeline(settings, embedder=embedder, use_llm=use_llm), records)

    # --- asking --------------------------------------------------------------------------

    def stream(
        self,
        question: object,
        history: Sequence[Any] | None = None,
        doc_ids: Sequence[str] | None = None,
        generate: bool = True,
        user: str = "",
    ) -> Iterator[Event]:
        """The chain's events; the question is logged (redacted) once the answer is final. One user
        may have at most `max_questions_per_user` questions being answered at once (a page left
        asking in a loop cannot take the server from everyone else)."""
        with self._slot(user):
            for event in self.chain.stream(question, history, doc_ids, generate):
                if isinstance(event, Final) and self.records is not None:
                    a = event.answer
                    self.records.questions.log(
                        a.question, a.abstained, len(a.citations), list(a.personal_data), user=user
                    )
                yield event

    @contextmanager
    def _slot(self, user: str) -> Iterator[None]:
        limit = self.settings.max_questions_per_user
        with self._busy_lock:
            if self._busy.get(user, 0) >= limit:
                raise BusyError(
                    f"You already have {limit} question(s) being answered; wait for the answer, then ask again."
                )
            self._busy[user] = self._busy.get(user, 0) + 1
        try:
            yield
        finally:
            with self._busy_lock:
                self._busy[user] -= 1

    def ask(
        self,
        question: object,
        history: Sequence[Any] | None = None,
        doc_ids: Sequence[str] | None = None,
        generate: bool = True,
        user: str = "",
    ) -> Answer:
        return final(self.stream(question, history, doc_ids, generate, user))

    def prepare(self) -> None:
        """Do now what the first question would otherwise wait for: the corpus snapshot, the English word
        list (spelling, names) and the gazetteer of council names, one run of the embedding model, and
        Chroma's loading of the chunks', units' and documents' collections (about 1.2 s at 10,000 documents)."""
        from assistant.chain.expand import english_words
        from index.councils import find_councils

        loading = self.chain.snapshots.preload()  # in the background meanwhile
        english_words()
        find_councils("Wigan Council")
        self.chain.embedder.embed_query("lead member")
        # Last: opening the first snapshot freezes what is loaded by then, word lists included, so the
        # cycle collector never walks them again (assistant.chain.snapshot.collector_paused).
        self.chain.snapshot().known_words  # noqa: B018  # the redactor's list, made for every question
        if loading.ident is not None:
            loading.join()

    @property
    def model_name(self) -> str | None:
        return self.chain.generator.name if self.chain.generator else None

    @property
    def max_question_chars(self) -> int:
        return self.settings.max_question_chars

    @property
    def redactor(self) -> Redactor:
        return self.chain.router.redactor

    # --- the corpus ----------------------------------------------------------------------

    def documents(self) -> dict[str, Document]:
        return self.chain.documents()

    def texts(self, doc_ids: set[str] | Sequence[str]) -> dict[str, str]:
        return self.chain.texts(doc_ids)

    def ingest(
        self,
        paths: Sequence[Path],
        overrides: dict[str, str] | None = None,
        user: str = "",
        replace: Sequence[str] = (),
    ) -> IngestReport:
        """Add files to the index this service answers from (the upload panel's path)."""
        from index.load import Loader, read_manifest
        from index.pipeline import Indexer

        loader = Loader(
            read_manifest(self.settings.corpus_dir), max_bytes=self.settings.max_file_bytes, overrides=overrides
        )
        report = Indexer(self.chain.store, self.chain.embedder, loader).run(paths, replace=replace)
        if self.records is not None:
            for doc_id in [*report.added, *report.updated]:
                self.records.audit.record("document.added", user, doc_id)
        return report

    def remove(self, doc_id: str, user: str = "") -> bool:
        with self.chain.store.guard():
            removed = self.chain.store.remove(doc_id)
        if removed and self.records is not None:
            self.records.audit.record("document.removed", user, doc_id)
        return removed

    def relabel(self, doc_id: str, user: str = "", **given: str) -> bool:
        """Correct what was detected of a document: its council, kind or title, as given now."""
        fields: dict[str, Any] = {k: v for k, v in given.items() if v}
        if "authority" in fields:
            fields |= {
                "authority_confidence": 1.0,
                "authority_evidence": json.dumps([f"corrected: {fields['authority']}"]),
            }
        if "kind" in fields:
            fields["kind_evidence"] = "corrected"
        with self.chain.store.guard():
            changed = self.chain.store.relabel(doc_id, fields)
        if changed and self.records is not None:
            self.records.audit.record("document.relabelled", user, f"{doc_id}: {given}")
        return changed

    # --- feedback ------------------------------------------------------------------------

    def record_feedback(
        self,
        question: str,
        answer: str,
        citations: list[dict[str, Any]],
        rating: int,
        comment: str,
        user: str = "",
        answer_id: str = "",
    ) -> None:
        """Feedback on one answer; the question and comment are redacted like any question."""
        if self.records is None:
            raise RuntimeError("no records database is open")
        self.records.feedback.add(
            self.redactor.redact(question),
            answer,
            citations,
            rating,
            self.redactor.redact(comment.strip()[:2000]),
            user,
            answer_id=answer_id,
        )


def open_records(settings: Settings) -> Records:
    """The records database for these settings (SQLite in the data dir unless LMCS_DATABASE_URL)."""
    records = Records.open(settings.database_url, data_dir=Path(settings.data_dir))
    if settings.auth_file and Path(settings.auth_file).exists():  # an old deployment's login file
        records.import_users_toml(Path(settings.auth_file), actor="import")
    return records
