"""A separate process that writes to an index or answers from it, for the cross-process safety tests.

It runs the real store, indexer and answer chain with the fake embedder (fast to start, fast to
embed 300 files); what is under test is Chroma, the files and the processes, not the model.

    python -m tests.index_worker ingest DATA CORPUS PATH... [--replace ID]
    python -m tests.index_worker rebuild DATA CORPUS [PATH...] [--drop-missing]
    python -m tests.index_worker ask DATA LOG [--upload FILE] QUESTION...   # until LOG.stop exists

`LMCS_TEST_SLOW_EMBED=S` makes every embedding call take S seconds longer (a writer that holds
the lock for a while). `ask` appends one JSON line per answer to LOG; `--upload` first adds
FILE through the service, as the web UI's upload panel does.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from index import go_offline
from index.embed import FakeEmbedder

DIMENSION = 64


class SlowFakeEmbedder(FakeEmbedder):
    def __init__(self, delay: float) -> None:
        super().__init__(DIMENSION)
        self.delay = delay

    def embed_documents(self, texts):  # type: ignore[no-untyped-def]
        time.sleep(self.delay)
        return super().embed_documents(texts)


def run(*args: object) -> None:
    """Run this worker in another process to its end (`run("ingest", data, corpus, path)`); it must succeed."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "tests.index_worker", *map(str, args)],
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def embedder() -> FakeEmbedder:
    delay = float(os.environ.get("LMCS_TEST_SLOW_EMBED", "0") or 0)
    return SlowFakeEmbedder(delay) if delay else FakeEmbedder(DIMENSION)


def write(command: str, data: Path, corpus: Path, args: list[str]) -> int:
    from index.pipeline import build_index_pipeline

    replace = [args[i + 1] for i, a in enumerate(args) if a == "--replace"]
    paths = [Path(a) for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or args[i - 1] != "--replace")]
    indexer = build_index_pipeline(embedder(), data, corpus, rebuild=command == "rebuild")
    print("started", flush=True)
    if command == "rebuild":
        report = indexer.rebuild(paths or [corpus], drop_missing="--drop-missing" in args, replace=replace)
    else:
        report = indexer.run(paths, replace=replace)
    print(report.summary(), flush=True)
    return 0 if report.ok else 1


def ask(data: Path, log: Path, questions: list[str]) -> int:
    from assistant.service import Service
    from assistant.settings import Settings

    service = Service.open(Settings(data_dir=data), use_llm=False, embedder=FakeEmbedder(DIMENSION))
    if questions[:1] == ["--upload"]:
        report = service.ingest([Path(questions[1])])
        assert report.ok, report.summary()
        questions = questions[2:]
    stop = log.with_name(log.name + ".stop")
    with log.open("a", encoding="utf-8") as out:
        while not stop.exists():
            for question in questions:
                row: dict[str, object] = {"question": question, "start": time.time()}
                try:
                    answer = service.ask(question)
                    cited = sorted({c.doc_id for c in answer.citations})
                    texts = service.texts(cited)
                    store = service.chain.store
                    with store.guard():  # the dense index alone: vectors another process added must be found
                        nearest = store.query_chunks(service.chain.embedder.embed_query(question), k=3)
                    row.update(
                        nearest=[c.doc_id for c, _ in nearest],
                        documents=len(service.documents()),
                        cited=cited,
                        verbatim=all(texts[c.doc_id][c.start : c.end] == c.quote for c in answer.citations),
                        abstained=answer.abstained,
                    )
                except Exception as exc:  # what a user of the running app would see instead of an answer
                    row["error"] = f"{type(exc).__name__}: {exc}"
                row["end"] = time.time()
                out.write(json.dumps(row) + "\n")
                out.flush()
    return 0


def main(argv: list[str]) -> int:
    go_offline()
    command, data = argv[0], Path(argv[1])
    if command == "ask":
        return ask(data, Path(argv[2]), argv[3:])
    return write(command, data, Path(argv[2]), argv[3:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
