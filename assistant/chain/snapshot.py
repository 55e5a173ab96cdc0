"""One view of the corpus per question: documents, versions and what is derived from them.

Built once per corpus version and shared by every stage of a question (the retriever's BM25,
the expander's acronyms and vocabulary, the scope's council names), so no stage reads the
store's catalogue again or rebuilds what another already has.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache

from index.acronyms import find_acronyms
from index.councils import council_key
from index.lexical import BM25Index, stopwords, tokenize
from index.pipeline import lexical_text
from index.store import Store, StoredChunk
from index.types import Document

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
    chunks: dict[str, StoredChunk] = field(default_factory=dict)
    bm25: BM25Index | None = None
    acronyms: dict[str, str] = field(default_factory=dict)  # short → long, as the corpus defines them
    councils: dict[str, frozenset[str]] = field(default_factory=dict)  # council word → doc ids
    council_keys: dict[str, frozenset[str]] = field(default_factory=dict)  # council_key(authority) → doc ids
    words: frozenset[str] = frozenset()  # the corpus's words as written (lower case), for spelling

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

    @classmethod
    def build(cls, version: str, documents: dict[str, Document], chunks: list[StoredChunk]) -> CorpusSnapshot:
        texts = [
            lexical_text(documents[c.doc_id].title, documents[c.doc_id].authority, c.heading, c.text)
            for c in chunks
            if c.doc_id in documents
        ]
        kept = [c for c in chunks if c.doc_id in documents]
        bm25 = BM25Index.build([c.chunk_id for c in kept], texts, [c.doc_id for c in kept])
        acronyms: dict[str, str] = {}
        for c in kept:
            for short, long in find_acronyms(c.text).items():
                acronyms.setdefault(short, long)
        councils: dict[str, set[str]] = {}
        keys: dict[str, set[str]] = {}
        for doc in documents.values():
            for word in council_words(doc.authority):
                councils.setdefault(word, set()).add(doc.doc_id)
            if doc.authority:
                keys.setdefault(council_key(doc.authority), set()).add(doc.doc_id)
        words = {w for c in kept for w in re.findall(r"[a-z]+", c.text.lower())} | stopwords()
        return cls(
            version=version,
            documents=documents,
            chunks={c.chunk_id: c for c in kept},
            bm25=bm25,
            acronyms=acronyms,
            councils={w: frozenset(d) for w, d in councils.items()},
            council_keys={k: frozenset(d) for k, d in keys.items()},
            words=frozenset(w for w in words if len(w) > 1),
        )


@lru_cache(maxsize=1)
def place_words() -> frozenset[str]:
    """The words of every UK council's name (the gazetteer): a place is never taken for a child's name."""
    from index.councils import gazetteer

    names = [n for c in gazetteer().values() for n in (c.name, *c.aliases)]
    return frozenset(w.lower() for name in names for w in re.findall(r"[A-Za-z]+", name))


class SnapshotCache:
    """`SnapshotCache(store).get()` → the snapshot for the store's current version (rebuilt when it changes)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._snapshot: CorpusSnapshot | None = None
        self._lock = threading.Lock()

    def get(self) -> CorpusSnapshot:
        version = self.store.fingerprint()
        with self._lock:
            if self._snapshot is None or self._snapshot.version != version:
                docs = self.store.documents()
                self._snapshot = CorpusSnapshot.build(version, docs, self.store.all_chunks() if docs else [])
            return self._snapshot
