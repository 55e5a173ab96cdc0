"""Shared fixtures: the real embedding model and a real Chroma index of the corpus, built once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.settings import PROJECT_ROOT, Settings

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session", autouse=True)
def offline() -> None:
    """What every entry point of the app does first."""
    from index import go_offline

    go_offline()


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
    """The service every face uses, over the corpus index (extractive: no language model)."""
    from assistant.service import Service

    return Service.open(settings, embedder=embedder, use_llm=False)


@pytest.fixture(scope="session")
def chain(assistant):
    return assistant.chain


@pytest.fixture(scope="session")
def corpus_texts(assistant) -> dict[str, str]:
    """doc_id → cleaned text, read back from the store (offsets point into it)."""
    return assistant.texts(assistant.documents())


def lmcs(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """`lmcs ARGS --data-dir DATA_DIR` in a new process, as a user types it."""
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args, "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=300,
    )


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def service_for(chain_or_service, data_dir: Path, records: bool = True):
    """A service over an existing chain whose records (feedback, question log, users, uploads) live in `data_dir`."""
    from assistant.records import Records
    from assistant.service import Service

    chain = getattr(chain_or_service, "chain", chain_or_service)
    settings = getattr(chain_or_service, "settings", None) or Settings()
    settings = settings.model_copy(update={"data_dir": Path(data_dir)})
    return Service(settings, chain, Records.open(None, data_dir=Path(data_dir)) if records else None)


def ui_for(chain_or_service, data_dir: Path, users: dict[str, tuple[str, bool]] | None = None):
    """The web UI's behaviour over an existing chain (see service_for); with `users` ({name: (password,
    admin)}) they are added to its records database and login is on."""
    from assistant.web.chat import ChatUI

    service = service_for(chain_or_service, data_dir)
    for name, (password, admin) in (users or {}).items():
        service.records.users.add(name, password, admin)
    return ChatUI(service, login=bool(users))


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (evals/postgres.py: Debian's package, started in a temp
    folder as the `postgres` user). Without it the tests that use it skip; under CI=true they fail."""
    import os

    from evals.postgres import find_bindir, postgres_server

    if find_bindir() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is required in CI (make test installs it: make postgres-deps)")
        pytest.skip("PostgreSQL not installed (make postgres-deps installs Debian's package)")
    with postgres_server() as server:
        yield server
