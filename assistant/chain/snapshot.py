"""One view of the corpus per question: documents, versions and what is derived from them.

Built once per corpus version and shared by every stage of a question (the retriever's BM25,
the expander's acronyms and vocabulary, the scope's council names), so no stage reads the
store's catalogue again or rebuilds what another already has.
"""

from __future__ import annotations

import gc
import logging
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from typing import Any, TypeVar

from index import derived
from index.councils import council_key
from index.lexical import BM25Index, tokenize
from index.store import Store, StoredChunk
from index.types import Document

log = logging.getLogger(__name__)
T = TypeVar("T")
_MEMO_MAX = 256  # results kept per version (one per scope asked about, say): a bound, not a working size

# Words that name no particular council.
GENERIC_AUTHORITY_WORDS = frozenset(
    tokenize("city council borough county metropolitan district london unnamed royal of the")
)


def council_words(authority: str) -> set[str]:
    """The words that name a council: "Wigan Council" → {"wigan"}."""
    return set(tokenize(authority)) - GENERIC_AUTHORITY_WORDS


@dataclass(frozen=True)
class CorpusSnapshot:
    """The corpus as it is for this question."""

    version: str
    documents: dict[str, Document]
    chunks: Mapping[str, StoredChunk] = field(default_factory=dict)  # read lazily when BM25 came from a file
    bm25: BM25Index | None = None
    acronyms: dict[str, str] = field(default_factory=dict)  # short → long, as the corpus defines them
    councils: dict[str, frozenset[str]] = field(default_factory=dict)  # council word → doc ids
    council_keys: dict[str, frozenset[str]] = field(default_factory=dict)  # council_key(authority) → doc ids
    words: frozenset[str] = frozenset()  # the corpus's words as written (lower case), for spelling
    _memo: dict[Any, Any] = field(default_factory=dict, init=False, compare=False, repr=False)

    @property
    def idf(self) -> dict[str, float]:
        return self.bm25.idf if self.bm25 else {}

    @property
    def max_idf(self) -> float:
        return self.bm25.max_idf if self.bm25 else 1.0

    @property
    def vocabulary(self) -> frozenset[str]:
        """Stemmed terms the corpus uses."""
        return self.bm25.vocabulary if self.bm25 else frozenset()

    @cached_property
    def spelling_words(self) -> frozenset[str]:
        """What a misspelt word may be read as: the corpus's words, and its councils' names as written
        (a council named only in a file's metadata or running header is still asked about: "thornwik")."""
        authorities = {d.authority for d in self.documents.values()}  # ~1,400 councils name 10,000 documents
        return self.words | {w.lower() for a in authorities for w in re.findall(r"[A-Za-z]+", a)}

    @cached_property
    def known_words(self) -> frozenset[str]:
        """Words never taken for a child's name: the corpus's, every place's, and each document's council
        as written — a council named only in a file's metadata ("Wyvernbridge") is no name to redact."""
        return self.spelling_words | place_words()

    def memo(self, key: Any, make: Callable[[], T]) -> T:
        """`make()`, once for this corpus version: for what depends on the corpus and no question
        (each theme's passage for the whole-role answer). Never for a question's own work."""
        if key not in self._memo:
            if len(self._memo) >= _MEMO_MAX:
                self._memo.clear()
            self._memo[key] = make()
        return self._memo[key]  # type: ignore[no-any-return]

    @classmethod
    def build(cls, version: str, documents: dict[str, Document], chunks: list[StoredChunk]) -> CorpusSnapshot:
        """Everything from the chunks themselves (what a store with no saved structures needs)."""
        made = derived.build(derived.derived_key(version, documents), documents, chunks)
        ids = set(made.bm25.ids)
        return cls.assemble(version, documents, made, {c.chunk_id: c for c in chunks if c.chunk_id in ids})

    @classmethod
    def assemble(
        cls, version: str, documents: dict[str, Document], made: derived.Derived, chunks: Mapping[str, StoredChunk]
    ) -> CorpusSnapshot:
        """The snapshot from structures built (or loaded) for this version; council maps are
        made here, from the document records, which are read anyway."""
        # Each council's name is parsed once, not once per document (10,000 documents name ~1,400).
        by_authority: dict[str, list[str]] = {}
        for doc in documents.values():
            by_authority.setdefault(doc.authority, []).append(doc.doc_id)
        councils: dict[str, set[str]] = {}
        keys: dict[str, set[str]] = {}
        for authority, doc_ids in by_authority.items():
            for word in council_words(authority):
                councils.setdefault(word, set()).update(doc_ids)
            if authority:
                keys.setdefault(council_key(authority), set()).update(doc_ids)
        return cls(
            version=version,
            documents=documents,
            chunks=chunks,
            bm25=made.bm25,
            acronyms=made.acronyms,
            councils={w: frozenset(d) for w, d in councils.items()},
            council_keys={k: frozenset(d) for k, d in keys.items()},
            words=made.words,
        )


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """The words of every UK council's name (the gazetteer): a place is never taken for a child's name."""
    from index.councils import gazetteer

    names = [n for c in gazetteer().values() for n in (c.name, *c.aliases)]
    return frozenset(w.lower() for name in names for w in re.findall(r"[A-Za-z]+", name))


class SnapshotCache:
    """`SnapshotCache(store).get()` → the snapshot for the store's current version.

    Per version, in order: the snapshot in memory; the structures ingest saved beside the index
    (`index.derived`: no chunk is read until a question needs it); else built from every chunk
    and saved, where the store has a data dir, for the next process to open this version."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._snapshot: CorpusSnapshot | None = None
        self._lock = threading.Lock()
        self.loaded = self.built = 0  # how each snapshot so far was made (for tests and logs)
        self.preloading: threading.Thread | None = None

    def get(self) -> CorpusSnapshot:
        with collector_paused() as opening:
            version = self.store.fingerprint()  # reads the catalogue when the version moved
            with self._lock:
                if self._snapshot is None or self._snapshot.version != version:
                    first = self._snapshot is None  # start-up: see collector_paused
                    self._snapshot = self._open(version, self.store.documents())
                    opening.freeze = first
                return self._snapshot

    def preload(self) -> threading.Thread:
        """The store's collections loading in the background (`ChromaReads.preload`), started once;
        never a reason for a question to fail. A thread never started (`ident` None) stands for one
        that could not be. `Service.prepare` uses it; a question does not start it: on two busy cores
        the load only competed with the question's own work (first question at 10,000 documents in a
        new process, median of 5 interleaved: 2.55 s with it, 2.43 s without)."""
        with self._lock:  # two callers at once start one load
            if self.preloading is None:
                self.preloading = self._preload()
            return self.preloading

    def _preload(self) -> threading.Thread:
        preload = getattr(self.store, "preload", None)
        try:
            if callable(preload):
                return preload()  # type: ignore[no-any-return]
        except Exception as exc:  # e.g. no thread can be started: the question loads them itself
            log.warning("Could not start preloading the index (%s); the first question loads it.", exc)
        return threading.Thread()

    def _open(self, version: str, docs: dict[str, Document]) -> CorpusSnapshot:
        folder = derived.folder_of(self.store)
        key = derived.derived_key(version, docs)
        read = getattr(self.store, "chunks_by_id", None)
        found = derived.load(folder, key) if folder is not None and read is not None else None
        if found is not None and read is not None:
            self.loaded += 1
            chunks = derived.StoredChunks(found.bm25.ids, read)
            return CorpusSnapshot.assemble(
                version, docs, replace(found, bm25=derived.ReadingBM25(found.bm25, chunks)), chunks
            )
        self.built += 1
        all_chunks = self.store.all_chunks() if docs else []
        made = derived.build(key, docs, all_chunks)
        if folder is not None and self.store.fingerprint() == version:  # nothing changed while building
            try:
                derived.save(made, folder)
            except OSError as exc:
                log.warning("Could not save the derived index in %s (%s)", folder, exc)
        ids = set(made.bm25.ids)
        return CorpusSnapshot.assemble(version, docs, made, {c.chunk_id: c for c in all_chunks if c.chunk_id in ids})


class _Opening:
    freeze = False  # set once the snapshot made is this cache's first


_frozen = threading.Event()  # once per process: a test run opens hundreds of caches, a server one


class _Pause:
    """How many threads are inside `collector_paused`, and whether the collector was on before the first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.depth = 0
        self.was_enabled = True

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(self, *_: object) -> None:
        self._lock.release()


_pause = _Pause()


@contextmanager
def collector_paused() -> Iterator[_Opening]:
    """Python's cycle collector off while a snapshot may be made; after the first snapshot of a
    cache (the process starting to answer), what is in memory is frozen (`gc.freeze`): the
    collector never walks it again.

    Why: opening a version makes ~10 objects per document (the catalogue's records, council maps),
    and that many new objects start a full collection, which walks every object of the process:
    220 ms of a 390 ms first question at 1,000 documents in a process that had loaded the word lists
    (measured with `gc.callbacks`), more in a bigger one. Frozen, the snapshot and what start-up
    loaded (imports, word lists, the gazetteer, the model) cost later collections nothing either.
    The price: a reference cycle frozen stays even once unused (an object with no cycle is freed as
    soon as unused, frozen or not; a snapshot holds no cycle: tests/test_first_question.py). So only the
    first snapshot freezes: later versions are made with the collector paused, no more. Questions
    run in threads: the collector is back on when the last of them leaves (a depth count under a
    lock: reading and setting the collector's state from several threads could leave it off for good).
    Once per process: each freeze keeps the cyclic garbage of its moment for good, and a test run
    opens hundreds of caches."""
    with _pause:  # questions run in threads: the first in turns the collector off, the last out back on
        if _pause.depth == 0:
            _pause.was_enabled = gc.isenabled()
            gc.disable()
        _pause.depth += 1
    opening = _Opening()
    try:
        yield opening
    finally:
        with _pause:
            if opening.freeze and not _frozen.is_set():  # before the collector is back: setting allocates
                _frozen.set()
                gc.freeze()
            _pause.depth -= 1
            if _pause.depth == 0 and _pause.was_enabled:
                gc.enable()
