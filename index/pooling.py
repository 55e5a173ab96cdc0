"""How texts go through the network: in batches sorted by length, and mean-pooled to one vector each.

The network's arithmetic for a row does not depend on its batch (nor on the threads that ran it):
batching is for speed only (tests/test_ingest_speed.py).
"""

from __future__ import annotations

import numpy as np


def mean_pooled_normalised(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The model's mean pooling over each row's real tokens (`mask`), L2-normalised: one vector a text."""
    summed = (hidden * mask[..., None]).sum(axis=1)
    pooled = summed / np.clip(mask.sum(axis=1, keepdims=True), 1e-9, None)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def length_batches(lengths: list[int], batch_size: int, batch_tokens: int) -> list[list[int]]:
    """Indices sorted by length, cut into batches of at most `batch_size` texts and (but for a text
    alone) `batch_tokens` tokens counted as the batch runs them: its count times its longest.

    >>> length_batches([5, 1, 3, 3], batch_size=3, batch_tokens=6)
    [[1, 2], [3], [0]]
    """
    out: list[list[int]] = []
    for i in sorted(range(len(lengths)), key=lambda i: lengths[i]):
        last = out[-1] if out else None
        if last is not None and len(last) < batch_size and (len(last) + 1) * lengths[i] <= batch_tokens:
            last.append(i)
        else:
            out.append([i])
    return out
