"""Hybrid retrieval: dense (Chroma) and BM25 (bm25s), fused by reciprocal rank.

Dense finds a councillor's own words ("who checks the director is doing a good
job?"); BM25 finds exact references ("section 19", "18(2)"). The BM25 index is
derived from the store and rebuilt when the store's contents change.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

import numpy as np

from assistant.expand import CorpusView, council_words
from assistant.fuse import reciprocal_rank_fusion
from assistant.types import Retrieved
from index.acronyms import find_acronyms
from index.embed import Embedder
from index.lexical import BM25Index, stopwords
from index.pipeline import lexical_text
from index.store import ChromaStore, StoredChunk

MODES = ("hybrid", "dense", "bm25")


@dataclass(frozen=True)
class Lexicon:
    """What is derived from the store's current chunks: BM25, the chunks by id, acronyms."""

    fingerprint: str
    bm25: BM25Index
    chunks: dict[str, StoredChunk]
    view: CorpusView


class HybridRetriever:
    """`HybridRetriever(store, embedder).run(query, k=8)` → chunks, best first."""

    def __init__(
        self,
        store: ChromaStore,
        embedder: Embedder,
        mode: str = "hybrid",
        rrf_k: int = 60,
        candidates: int = 20,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"retrieval mode must be one of {MODES}, not {mode!r}")
        self.store = store
        self.embedder = embedder
        self.mode = mode
        self.rrf_k = rrf_k
        self.candidates = candidates
        self._lexicon: Lexicon | None = None
        self._lock = threading.Lock()

    def lexicon(self) -> Lexicon:
        """BM25 and acronyms over the store's current chunks (rebuilt when they change)."""
        fingerprint = self.store.fingerprint()
        with self._lock:
            if self._lexicon is None or self._lexicon.fingerprint != fingerprint:
                docs = self.store.documents()
                chunks = self.store.all_chunks()
                texts = [
                    lexical_text(docs[c.doc_id].title, docs[c.doc_id].authority, c.heading, c.text) for c in chunks
                ]
                bm25 = BM25Index.build([c.chunk_id for c in chunks], texts, [c.doc_id for c in chunks])
                acronyms: dict[str, str] = {}
                for c in chunks:
                    for short, long in find_acronyms(c.text).items():
                        acronyms.setdefault(short, long)
                councils: dict[str, set[str]] = {}
                for doc in docs.values():
                    for word in council_words(doc.authority):
                        councils.setdefault(word, set()).add(doc.doc_id)
                words = {w for c in chunks for w in re.findall(r"[a-z]+", c.text.lower())} | stopwords()
                view = CorpusView(
                    acronyms,
                    bm25.idf,
                    bm25.max_idf,
                    {w: frozenset(d) for w, d in councils.items()},
                    frozenset(w for w in words if len(w) > 1),
                )
                self._lexicon = Lexicon(fingerprint, bm25, {c.chunk_id: c for c in chunks}, view)
            return self._lexicon

    def run(
        self,
        query: str,
        k: int = 8,
        doc_ids: list[str] | None = None,
        query_vector: np.ndarray | None = None,
    ) -> list[Retrieved]:
        n = max(k, self.candidates)
        dense: list[tuple[StoredChunk, float]] = []
        lexical: list[tuple[str, float]] = []
        chunks: dict[str, StoredChunk] = {}
        if self.mode in ("hybrid", "dense"):
            vector = self.embedder.embed_query(query) if query_vector is None else query_vector
            dense = self.store.query_chunks(vector, n, doc_ids)
            chunks.update((c.chunk_id, c) for c, _ in dense)
        if self.mode in ("hybrid", "bm25"):
            lexicon = self.lexicon()
            lexical = lexicon.bm25.search(query, n, doc_ids)
            chunks.update((i, lexicon.chunks[i]) for i, _ in lexical)
        dense_score = {c.chunk_id: s for c, s in dense}
        lexical_score = dict(lexical)
        fused = reciprocal_rank_fusion([[c.chunk_id for c, _ in dense], [i for i, _ in lexical]], k=self.rrf_k)
        return [Retrieved(chunks[i], score, dense_score.get(i), lexical_score.get(i)) for i, score in fused[:k]]
