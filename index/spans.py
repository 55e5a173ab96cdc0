"""A chunk's units take their vectors from the chunk's own run of the model: each token is embedded once.

Ingest used to embed every chunk, then every unit (sentence, bullet) of it on its own: each token
went through the model twice (2.7 texts per chunk on the synthetic benchmark, 4.3 on the seed
corpus). Now a chunk runs once, and a unit's vector is the mean of its own tokens' output states in
that run, normalised: the model's mean pooling, over the unit's span instead of the whole text.
Its tokens have seen the title, the heading and the sentences around it (which the unit's own
text gave only as a "heading: " prefix). Chunk vectors are exactly as before.

On the eval (hybrid, against the per-unit runs): retrieval unchanged (hit@1, hit@5, MRR equal on
v1 and dev2), refusals unchanged, fact recall 0.841 → 0.864 (v1) and 0.714 → 0.750 (dev2).

A unit is still embedded on its own (`None` span) when its vector needs words that are not beside
it in the chunk (a table cell takes its row's first line, a subsection its number: `unit_context`),
or when it lies past the model's token limit, where the chunk run has no tokens for it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from index.types import Chunk, Document

OWN_RUN = frozenset({"cell", "provision"})  # kinds whose vector text is not their place in the chunk


def unit_spans(doc: Document, chunk: Chunk, prefix: str) -> list[tuple[int, int] | None]:
    """Each unit's characters within the chunk's embedding text (`prefix` + the chunk's text)."""
    if doc.text[chunk.start : chunk.end] != chunk.text:  # offsets would not line up: embed them alone
        return [None] * len(chunk.units)
    shift = len(prefix) - chunk.start
    return [None if u.kind in OWN_RUN else (u.start + shift, u.end + shift) for u in chunk.units]


def embed_with_spans(
    model: Any, texts: list[str], spans: list[list[tuple[int, int] | None]]
) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
    """Each text's vector (mean-pooled, normalised, as `embed_documents`), and each of its spans'
    vectors pooled from the same run; None for a span with no token in the run."""
    encodings = model.tokenize(texts)
    out = np.zeros((len(texts), model.dimension), dtype=np.float32)
    pooled: list[list[np.ndarray | None]] = [[None] * len(s) for s in spans]

    def pool(batch: list[int], hidden: np.ndarray, _mask: np.ndarray) -> None:  # this batch's rows only
        for row, i in enumerate(batch):
            encoding = encodings[i]
            states = hidden[row, : len(encoding.ids)]
            out[i] = _normalised(states.mean(axis=0))
            offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(-1, 2)
            real = (np.asarray(encoding.special_tokens_mask) == 0) & (offsets[:, 1] > offsets[:, 0])
            for j, span in enumerate(spans[i]):
                if span is None:
                    continue
                inside = real & (offsets[:, 0] >= span[0]) & (offsets[:, 1] <= span[1])
                if inside.any():
                    pooled[i][j] = _normalised(states[inside].mean(axis=0))

    model.map_batches(encodings, pool)  # by length (little padding), batches side by side
    return out, pooled


def _normalised(v: np.ndarray) -> np.ndarray:
    return (v / max(float(np.linalg.norm(v)), 1e-12)).astype(np.float32)
