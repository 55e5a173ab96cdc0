"""Hybrid retrieval: dense (the store's vectors) and BM25 (the snapshot's), fused by reciprocal rank.

Dense finds a councillor's own words ("who checks the director is doing a good job?"); BM25
finds exact references ("section 19", "18(2)").
"""

from __future__ import annotations

import threading
from typing import get_args

import numpy as np

from assistant.chain.fuse import reciprocal_rank_fusion
from assistant.chain.snapshot import CorpusSnapshot
from assistant.settings import RetrievalMode
from assistant.types import Retrieved
from index.dense import MAX_CHUNKS, DenseIndex
from index.derived import StoredChunks
from index.store import Store, StoredChunk

MODES: tuple[str, ...] = get_args(RetrievalMode)


class HybridRetriever:
    """`HybridRetriever(store, mode="hybrid").run(query, vector, snapshot, k=8)` → chunks, best first."""

    def __init__(
        self,
        store: Store,
        mode: RetrievalMode = "hybrid",
        rrf_k: int = 60,
        candidates: int = 20,
        dense_weight: float = 1.0,
        in_memory: int = MAX_CHUNKS,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"retrieval mode must be one of {MODES}, not {mode!r}")
        self.store = store
        self.mode = mode
        self.rrf_k = rrf_k
        self.candidates = candidates
        self.dense_weight = dense_weight  # BM25's weight is 1
        self.in_memory = in_memory  # corpora of up to this many chunks are searched densely in memory
        self._dense: tuple[str, DenseIndex | None] | None = None  # (corpus version, its matrix)
        self._dense_lock = threading.Lock()

    def run(
        self,
        query: str,
        vector: np.ndarray,
        snapshot: CorpusSnapshot,
        k: int = 8,
        doc_ids: list[str] | None = None,
    ) -> list[Retrieved]:
        n = max(k, self.candidates)
        dense: list[tuple[StoredChunk, float]] = []
        lexical: list[tuple[str, float]] = []
        chunks: dict[str, StoredChunk] = {}
        if self.mode in ("hybrid", "dense"):
            matrix = self.dense_index(snapshot)
            if matrix is not None:  # the snapshot's own chunks: nothing of another version to leave out
                hits = matrix.search(vector, n, doc_ids)
                kept = in_hand(snapshot, [i for i, _ in hits])
                dense = [(snapshot.chunks[i], s) for i, s in hits if i in kept]
            else:
                dense = self.store.query_chunks(vector, n, doc_ids)
                # Only chunks of the snapshot's versions: a write racing this question is not half-seen.
                dense = [(c, s) for c, s in dense if c.chunk_id in snapshot.chunks or not snapshot.chunks]
            chunks.update((c.chunk_id, c) for c, _ in dense)
        if self.mode in ("hybrid", "bm25") and snapshot.bm25 is not None:
            lexical = snapshot.bm25.search(query, n, doc_ids)
            chunks.update((i, snapshot.chunks[i]) for i, _ in lexical)
        dense_score = {c.chunk_id: s for c, s in dense}
        lexical_score = dict(lexical)
        fused = reciprocal_rank_fusion(
            [[c.chunk_id for c, _ in dense], [i for i, _ in lexical]], k=self.rrf_k, weights=[self.dense_weight, 1.0]
        )
        return [Retrieved(chunks[i], score, dense_score.get(i), lexical_score.get(i)) for i, score in fused[:k]]

    def dense_index(self, snapshot: CorpusSnapshot) -> DenseIndex | None:
        """The snapshot's chunk vectors as one matrix, read once per corpus version; None (search
        Chroma) for a corpus above `in_memory` chunks or a store that cannot hand its vectors over."""
        read = getattr(self.store, "chunk_vectors", None)
        if read is None or not snapshot.chunks or len(snapshot.chunks) > self.in_memory:
            return None
        with self._dense_lock:  # questions run in several threads: one read per version
            if self._dense is None or self._dense[0] != snapshot.version:
                self._dense = (snapshot.version, DenseIndex(*read(list(snapshot.chunks))))
            return self._dense[1]


def in_hand(snapshot: CorpusSnapshot, ids: list[str]) -> set[str]:
    """Those of `ids` whose chunks the snapshot can hand over: read in one go where it reads them
    lazily (a BM25 loaded from its file), and not a chunk of a document replaced since."""
    chunks = snapshot.chunks
    if isinstance(chunks, StoredChunks):
        chunks.fetch(ids)
        return {i for i in ids if chunks.read(i)}
    return {i for i in ids if i in chunks}
