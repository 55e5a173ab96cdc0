"""Dense search in memory: the current chunks' unit vectors as one matrix, for one corpus version.

Chroma's query costs 1.3–2 ms on this machine whatever the corpus size (its HNSW index, its SQLite
reads of metadata and text, the Python around them); a matrix product over a few thousand
384-float rows costs 0.01–0.15 ms. The matrix is read once per corpus version (25–60 µs a chunk),
time the first question after every change pays, so it is kept only for corpora small enough
that this read stays short; larger ones are searched by Chroma (`MAX_CHUNKS`).

    >>> import numpy as np
    >>> dense = DenseIndex(["a:v1:0", "b:v1:0"], np.eye(2, dtype=np.float32))
    >>> [(i, round(s, 3)) for i, s in dense.search(np.array([0.6, 0.8], np.float32), k=2)]
    [('b:v1:0', 0.8), ('a:v1:0', 0.6)]
    >>> dense.search(np.array([0.6, 0.8], np.float32), k=2, doc_ids=["a"])
    [('a:v1:0', 0.6000000238418579)]
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from index.lexical import GroupRows

# Above this many chunks the matrix is not read. Measured here (384 floats a chunk, a loaded
# 2-core machine): the read took 30–40 ms for 640 chunks and 50–65 ms for 2,000 (115–125 ms for
# 5,000) from an embedded Chroma; 48 and 123 ms from a `chroma run` server; while Chroma's query
# stays at 1.3–2.5 ms at any size and the matrix product under 0.25 ms up to 5,000.
MAX_CHUNKS = 2000


def doc_of(chunk_id: str) -> str:
    """The document a chunk id names ("doc:version:index"; a doc id may hold colons)."""
    return chunk_id.rsplit(":", 2)[0]


class DenseIndex:
    """`DenseIndex(ids, vectors).search(vector, k, doc_ids)` → [(chunk id, cosine)], best first,
    as `ChromaStore.query_chunks` ranks the same chunks."""

    def __init__(self, ids: list[str], vectors: np.ndarray) -> None:
        self.ids = list(ids)
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(self.ids), -1)
        self.groups = np.asarray([doc_of(i) for i in self.ids], dtype=object)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def rows(self) -> GroupRows:
        return GroupRows(self.groups)

    def search(self, vector: np.ndarray, k: int, doc_ids: list[str] | None = None) -> list[tuple[str, float]]:
        if k <= 0 or not self.ids:
            return []
        # Chroma's cosine space: distance 1 − a·b in float32, reported as 1 − distance, as the store does.
        distance = np.float32(1.0) - self.vectors @ np.asarray(vector, dtype=np.float32)
        if doc_ids:  # Chroma's `where doc_id $in`: the best k among those documents' chunks
            rows = np.flatnonzero(self.rows.mask(doc_ids))
            if not len(rows):
                return []
            k = min(k, len(rows))
            top = rows[np.argpartition(distance[rows], k - 1)[:k]]
        else:  # every row: the same partition without copying the distances
            k = min(k, len(self.ids))
            top = np.argpartition(distance, k - 1)[:k]
        top = top[np.argsort(distance[top], kind="stable")]
        return [(self.ids[i], 1.0 - float(distance[i])) for i in top]
