"""Dense search in memory: the current chunks' unit vectors as one matrix, for one corpus version.

Chroma's query costs about 1.3 ms on this machine whatever the corpus size (its HNSW index,
its SQLite reads of metadata and text, the Python around them); a matrix product over a few
thousand 384-float rows costs 0.01–0.15 ms. The matrix is read once per corpus version (all
chunk vectors: ~25 µs a chunk), so it is kept only for corpora small enough that this read
stays short; larger ones are searched by Chroma (`MAX_CHUNKS`).

    >>> import numpy as np
    >>> dense = DenseIndex([], np.zeros((0, 3), np.float32))
    >>> dense.search(np.ones(3, np.float32), k=2)
    []
"""

from __future__ import annotations

import numpy as np

from index.store import StoredChunk

# Above this many chunks the matrix is not read: measured, reading chunks with their vectors
# from an embedded Chroma took ~44 ms for 2,000 and ~115 ms for 5,000, time the first question
# after every corpus change would pay, while Chroma's query stays under ~2 ms at any size.
MAX_CHUNKS = 2000


class DenseIndex:
    """`DenseIndex(chunks, vectors).search(vector, k, doc_ids)` → [(chunk, cosine)], best first,
    as `ChromaStore.query_chunks` returns them for the same chunks."""

    def __init__(self, chunks: list[StoredChunk], vectors: np.ndarray) -> None:
        self.chunks = chunks
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(chunks), -1)
        self.groups = np.asarray([c.doc_id for c in chunks], dtype=object)

    def __len__(self) -> int:
        return len(self.chunks)

    def search(self, vector: np.ndarray, k: int, doc_ids: list[str] | None = None) -> list[tuple[StoredChunk, float]]:
        if k <= 0 or not self.chunks:
            return []
        # Chroma's cosine space: distance 1 − a·b in float32, reported here as 1 − distance, as the store does.
        distance = np.float32(1.0) - self.vectors @ np.asarray(vector, dtype=np.float32)
        rows = np.arange(len(self.chunks))
        if doc_ids:  # Chroma's `where doc_id $in`: the best k among those documents' chunks
            rows = rows[np.isin(self.groups, list(doc_ids))]
        if not len(rows):
            return []
        k = min(k, len(rows))
        top = rows[np.argpartition(distance[rows], k - 1)[:k]]
        top = top[np.argsort(distance[top], kind="stable")]
        return [(self.chunks[i], 1.0 - float(distance[i])) for i in top]
