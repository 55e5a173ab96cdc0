"""Keeping the model busy at ingest: each distinct text embedded once, and files read while it embeds.

>>> from index.embed import FakeEmbedder
>>> once = EmbedOnce(FakeEmbedder(8))
>>> once.embed(["a b", "c", "a b"]).shape, once.embedded
((3, 8), 2)
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import numpy as np

from index.embed import Embedder

T = TypeVar("T")
R = TypeVar("R")


class EmbedOnce:
    """Embeds texts through `embedder`, each distinct text once: within a call, and across calls
    for the last `keep` texts (documents written from one template share sentences, headings
    and boilerplate: 39% of the synthetic benchmark's texts). Same vectors, fewer model runs."""

    def __init__(self, embedder: Embedder, keep: int = 20_000) -> None:
        self.embedder = embedder
        self.keep = keep
        self._known: OrderedDict[str, np.ndarray] = OrderedDict()
        self.asked = self.embedded = 0  # texts asked for, texts the model ran on
        self.seconds = 0.0  # time in the model: ingest's share of it says how close ingest is to the model's speed

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.embedder.dimension), dtype=np.float32)
        new = [t for t in dict.fromkeys(texts) if t not in self._known]
        if new:
            started = time.perf_counter()
            vectors = self.embedder.embed_documents(new)
            self.seconds += time.perf_counter() - started
            for text, vector in zip(new, vectors, strict=True):
                self._known[text] = vector
        for i, text in enumerate(texts):
            out[i] = self._known[text]
            self._known.move_to_end(text)
        while len(self._known) > self.keep:
            self._known.popitem(last=False)
        self.asked += len(texts)
        self.embedded += len(new)
        return out

    def pooled(
        self, texts: list[str], spans: list[list[tuple[int, int] | None]]
    ) -> tuple[np.ndarray, list[list[np.ndarray | None]]]:
        """Texts' vectors and their spans' vectors from one run each (`index.spans`); a text with
        the same spans repeated runs once. Needs a model that gives its token states (ONNX)."""
        from index.spans import embed_with_spans

        keys = [(t, tuple(s)) for t, s in zip(texts, spans, strict=True)]
        unique = list(dict.fromkeys(keys))
        started = time.perf_counter()
        vectors, pooled = embed_with_spans(self.embedder, [t for t, _ in unique], [list(s) for _, s in unique])
        self.seconds += time.perf_counter() - started
        self.asked += len(texts) + sum(map(len, spans))
        self.embedded += len(unique)
        at = {k: j for j, k in enumerate(unique)}
        return vectors[[at[k] for k in keys]], [pooled[at[k]] for k in keys]


def read_ahead(work: Callable[[T], R], items: Iterable[T], ahead: int = 8) -> Iterator[tuple[T, Future[R]]]:
    """`(item, future of work(item))` in order, `work` running in one thread up to `ahead` items
    in front of the caller: files are read and parsed while the model (which releases the GIL)
    embeds the previous batch. The caller's `future.result()` raises what `work` raised."""
    pending: deque[tuple[T, Future[R]]] = deque()
    source = iter(items)
    with ThreadPoolExecutor(1, thread_name_prefix="lmcs-read") as pool:
        try:
            for item in source:
                pending.append((item, pool.submit(work, item)))
                if len(pending) > ahead:
                    yield pending.popleft()
            while pending:
                yield pending.popleft()
        finally:
            for _, future in pending:  # the caller stopped early: do not read the rest
                future.cancel()
