"""Shared fixtures: the real embedding model and a real Chroma index of the corpus, built once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, Settings

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session", autouse=True)
def model_cache(tmp_path_factory) -> Path:
    """A fresh ONNX model cache for the session (the CLI subprocesses inherit it): the export runs once here."""
    import os

    path = tmp_path_factory.mktemp("model-cache")
    os.environ["LMCS_MODEL_CACHE"] = str(path)
    return path


@pytest.fixture(scope="session")
def embedder(model_cache):
    """The app's own embedder: exported to ONNX on first use, then run by onnxruntime."""
    from index.embed import OnnxEmbedder, load_embedder

    model = load_embedder(cache_dir=model_cache)
    assert isinstance(model, OnnxEmbedder), "the ONNX export failed; see the log"
    return model


@pytest.fixture(scope="session")
def corpus_data_dir(tmp_path_factory, embedder) -> Path:
    """A data dir holding the whole corpus, indexed with the real model."""
    from index.pipeline import build_index_pipeline

    data_dir = tmp_path_factory.mktemp("lmcs-data")
    report = build_index_pipeline(embedder, data_dir, CORPUS).run([CORPUS], prune_corpus=True)
    assert report.ok and len(report.added) == 5, report.summary()
    return data_dir


@pytest.fixture(scope="session")
def settings(corpus_data_dir) -> Settings:
    return Settings(data_dir=corpus_data_dir)


@pytest.fixture(scope="session")
def assistant(settings, embedder):
    from assistant.pipeline import build_answer_pipeline

    return build_answer_pipeline(settings, embedder=embedder)


@pytest.fixture(scope="session")
def corpus_texts(assistant) -> dict[str, str]:
    """doc_id → cleaned text, read back from the store."""
    docs = assistant.documents()
    return assistant.store.texts(docs)


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
