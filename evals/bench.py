"""`make bench`: measured speed and scale, written to BENCHMARKS.md and docs/bench-growth.png.

    python -m evals.bench                  # sizes 100, 1000, 10000 synthetic documents
    python -m evals.bench warm [ROUNDS]    # only the warm answer vs the baseline, printed (seconds)
    python -m evals.bench ingest [N]       # only ingest of N synthetic documents vs both naive pipelines, printed
    LMCS_BENCH_SIZES=100,1000 python -m evals.bench

Every figure is a median or percentile over repeated runs on this machine, and each
speed figure is also given as a ratio against a naive LangChain pipeline run in the same
process (RecursiveCharacterTextSplitter + Chroma similarity search with the same
embedding model + stuffing the top chunks).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from assistant.settings import PROJECT_ROOT, Settings
from evals.dataset import load_dataset
from evals.metrics import percentile
from evals.synth import generate

OUT = PROJECT_ROOT / "BENCHMARKS.md"
PLOT = PROJECT_ROOT / "docs" / "bench-growth.png"
RAW = PROJECT_ROOT / "evals" / "reports" / "bench.json"  # every figure of the last run, for LMCS_BENCH_MERGE


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    """Milliseconds per call."""
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def interleaved(fns: list[Callable[[str], Any]], questions: list[str], repeat: int) -> list[list[float]]:
    """Milliseconds per call of each of `fns`, each question asked of each in turn, `repeat` rounds."""
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for q in questions:
            for fn, ms in zip(fns, out, strict=True):
                started = time.perf_counter()
                fn(q)
                ms.append((time.perf_counter() - started) * 1000)
    return out


def summary(ms: list[float]) -> dict[str, float]:
    return {"p50": round(statistics.median(ms), 1), "p95": round(percentile(ms, 0.95), 1)}


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def wrapped(embedder):  # type: ignore[no-untyped-def]
    """Our embedder (ONNX) behind LangChain's Embeddings interface."""
    from langchain_core.embeddings import Embeddings

    class Wrapped(Embeddings):
        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            return embedder.embed_documents(texts).tolist()

        def embed_query(self, text: str) -> list[float]:
            return embedder.embed_query(text).tolist()

    return Wrapped()


def sentence_transformers_embeddings():  # type: ignore[no-untyped-def]
    """The naive pipeline's model as issue 17 defines it, and as a LangChain user runs it: the same
    MiniLM through sentence-transformers on torch, fp32, read from the bundled folder (local files
    only), behind LangChain's Embeddings interface as `HuggingFaceEmbeddings` puts it (`encode`, its
    default batch of 32)."""
    from langchain_core.embeddings import Embeddings

    from index import go_offline
    from index.embed import bundled_model_path

    go_offline()
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(bundled_model_path()), device="cpu", local_files_only=True)

    class SentenceTransformers(Embeddings):
        seconds = 0.0  # in the model: the naive pipeline's own ceiling

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            started = time.perf_counter()
            vectors = model.encode(texts, show_progress_bar=False).tolist()
            self.seconds += time.perf_counter() - started
            return vectors

        def embed_query(self, text: str) -> list[float]:
            return self.embed_documents([text])[0]

    return SentenceTransformers()


class Baseline:
    """The naive pipeline: split, embed into Chroma via LangChain, similarity search, stuff.
    `embeddings`: a LangChain Embeddings; by default our own embedder (`wrapped`)."""

    def __init__(self, embedder, texts: list[str], folder: Path, embeddings=None) -> None:  # type: ignore[no-untyped-def]
        from langchain_chroma import Chroma
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        embeddings = embeddings if embeddings is not None else wrapped(embedder)
        started = time.perf_counter()  # split, embed and store: the whole of its ingest
        chunks = RecursiveCharacterTextSplitter(chunk_size=700, chunk_overlap=100).create_documents(texts)
        self.n_chunks = len(chunks)
        self.texts = [c.page_content for c in chunks]
        self.store = Chroma.from_documents(chunks, embeddings, persist_directory=str(folder))
        self.ingest_s = time.perf_counter() - started

    def answer(self, question: str) -> str:
        return "\n\n".join(d.page_content for d in self.store.similarity_search(question, k=4))


def warm_pair(embedder, data: Path, folder: Path, questions: list[str]):  # type: ignore[no-untyped-def]
    """Our chain over the seed index in `data` and the naive baseline of the same corpus (in `folder`),
    every question asked of each once: BM25 built, caches filled, the stores settled."""
    from assistant.chain.pipeline import build_answer_pipeline

    assistant = build_answer_pipeline(Settings(data_dir=data), embedder=embedder, use_llm=False)
    texts = [p.read_text(encoding="utf-8") for p in sorted((PROJECT_ROOT / "corpus").glob("*.txt"))]
    baseline = Baseline(embedder, texts, folder)
    for q in questions:
        assistant.ask(q)
        baseline.answer(q)
    return assistant, baseline


def warm_only(embedder, questions: list[str], repeat: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """`python -m evals.bench warm [ROUNDS]`: the warm row alone (seed index, ours and the baseline in
    turn), printed, BENCHMARKS.md untouched. Seconds, not the whole bench's many minutes."""
    from index.pipeline import build_index_pipeline

    with tempfile.TemporaryDirectory(prefix="lmcs-bench-") as tmp:
        corpus = PROJECT_ROOT / "corpus"
        build_index_pipeline(embedder, Path(tmp) / "data", corpus).run([corpus], prune_corpus=True)
        assistant, baseline = warm_pair(embedder, Path(tmp) / "data", Path(tmp) / "baseline", questions)
        ours, naive = interleaved([assistant.ask, baseline.answer], questions, repeat)
    return {"answer": summary(ours), "baseline_answer": summary(naive), "questions": len(ours)}


def speed(embedder, questions: list[str], repeat: int = 3) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    from index.pipeline import build_index_pipeline

    corpus = PROJECT_ROOT / "corpus"
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="lmcs-bench-") as tmp:
        data = Path(tmp) / "data"
        started = time.perf_counter()
        report = build_index_pipeline(embedder, data, corpus).run([corpus], prune_corpus=True)
        result["seed_ingest_s"] = round(time.perf_counter() - started, 2)
        assistant, baseline = warm_pair(embedder, data, Path(tmp) / "baseline", questions)
        # Ours and the baseline in turn, question by question: on a shared machine a load that comes and
        # goes then lands on both alike, not on whichever was timed during it.
        answer_ms, base_ms = interleaved([assistant.ask, baseline.answer], questions, repeat)
        retrieve_ms = [m for q in questions for m in timed(lambda q=q: retrieve(assistant, q), repeat)]
        result |= {
            "answer": summary(answer_ms),
            "retrieval": summary(retrieve_ms),
            "baseline_answer": summary(base_ms),
            "chunks": report.chunks,
            "cold_ask_s": cold_ask(data),
            "embedding": embedding_ceiling(embedder, assistant.store),
        }
        result["ingest"] = ingest_vs_naive(embedder, int(os.environ.get("LMCS_BENCH_INGEST_DOCS", "200")))
        print(result["ingest"], flush=True)
        result |= serve_under_load(data, questions)
    result["shared"] = shared_row()
    return result


def shared_row() -> dict[str, Any]:
    """20 users against two `lmcs serve` sharing a Chroma server and PostgreSQL (evals/shared.py)."""
    from evals.shared import shared_load

    return shared_load(users=20, total=200)


def synth_folder(root: Path, n: int) -> Path:
    folder = root / "docs"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in generate(n, seed=n):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def ingest_vs_naive(embedder, n: int, rounds: int = 1) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Our ingest and the naive pipeline's (split, embed, store) on the same `n` synthetic documents,
    in this process, in turn for `rounds` rounds (medians). The naive pipeline twice: as issue 17
    defines it (the same MiniLM through sentence-transformers on torch, fp32: what a LangChain user
    runs), and, stricter, with our own ONNX runtime. Also how much of our ingest's time the model
    itself took (1.0 would be ingest at the model's speed), and the tokens each pipeline embedded."""
    from index.pipeline import build_index_pipeline

    st = sentence_transformers_embeddings()
    ours, naive_onnx, naive_st = [], [], []
    with tempfile.TemporaryDirectory(prefix="lmcs-ingest-") as tmp:
        folder = synth_folder(Path(tmp), n)
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))]
        for r in range(rounds):
            before = getattr(embedder, "tokens", 0), getattr(embedder, "padded", 0)
            started = time.perf_counter()
            indexer = build_index_pipeline(embedder, Path(tmp) / f"data-{r}", folder)
            report = indexer.run([folder])
            ours.append(time.perf_counter() - started)
            run = getattr(embedder, "tokens", 0) - before[0], getattr(embedder, "padded", 0) - before[1]
            naive = Baseline(embedder, texts, Path(tmp) / f"naive-{r}")
            naive_onnx.append(naive.ingest_s)
            naive_st.append(Baseline(embedder, texts, Path(tmp) / f"naive-st-{r}", embeddings=st).ingest_s)
        naive_tokens = tokens(embedder, naive.texts)
    once = indexer.embed_once
    st_model_s = st.seconds / rounds
    ours_s, onnx_s, st_s = (statistics.median(x) for x in (ours, naive_onnx, naive_st))
    return {
        "documents": n,
        "rounds": rounds,
        "chunks": report.chunks,
        "ours_s": round(ours_s, 2),
        "naive_s": round(st_s, 2),  # issue 17's naive pipeline: sentence-transformers on torch
        "naive_onnx_s": round(onnx_s, 2),  # the stricter one: naive, on our ONNX runtime
        "ratio": round(ours_s / st_s, 2),
        "ratio_onnx": round(ours_s / onnx_s, 2),
        "naive_chunks": naive.n_chunks,
        "texts_asked": once.asked,
        "texts_embedded": once.embedded,
        "tokens": run[0],
        "padded_tokens": run[1],
        "naive_tokens": naive_tokens,
        "model_s": round(once.seconds, 2),
        "model_texts_per_s": round(once.embedded / once.seconds) if once.seconds else 0,
        "model_share": round(once.seconds / ours[-1], 2),
        # The ceilings: tokens a second in each pipeline's model, and our ratio were ingest only its model.
        "model_tokens_per_s": round(run[0] / once.seconds) if once.seconds else 0,
        "naive_model_s": round(st_model_s, 2),
        "naive_model_tokens_per_s": round(naive_tokens / st_model_s) if st_model_s else 0,
        "ratio_at_model_speed": round(once.seconds / st_s, 2),
    }


def tokens(embedder, texts: list[str]) -> int:  # type: ignore[no-untyped-def]
    """Tokens the model runs on for `texts` (truncated as it truncates); 0 if it has no tokenizer."""
    if not hasattr(embedder, "tokenize"):
        return 0
    return sum(len(e.ids) for e in embedder.tokenize(texts))


def first_question(data: Path, question: str, embedder, saved: bool) -> float:  # type: ignore[no-untyped-def]
    """Milliseconds from opening the index to the first answer: with the structures ingest
    saved, or (`saved=False`) building them from every chunk as before."""
    import shutil

    from assistant.chain.pipeline import build_answer_pipeline

    if not saved:
        shutil.rmtree(data / "derived", ignore_errors=True)
    started = time.perf_counter()
    build_answer_pipeline(Settings(data_dir=data), embedder=embedder, use_llm=False).ask(question)
    return round((time.perf_counter() - started) * 1000, 1)


def first_question_prepared(data: Path, question: str) -> float:
    """Milliseconds of the first question in a new process after `Service.prepare()`: what the first
    user of a newly started `lmcs serve` waits for (the collections, word lists and snapshot loaded)."""
    code = (
        "import sys, time; from assistant.service import Service; from assistant.settings import Settings; "
        "s = Service.open(Settings(data_dir=sys.argv[1]), use_llm=False); s.prepare(); "
        "t = time.perf_counter(); s.ask(sys.argv[2]); print((time.perf_counter() - t) * 1000)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(data), question], capture_output=True, text=True, check=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def open_costs(data: Path, embedder) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """What opening an index costs before a question: reading its document records (a new store
    reads every one), and loading the structures ingest saved (`index/derived.py`)."""
    from index import derived
    from index.pipeline import open_store

    store = open_store(embedder, data)
    started = time.perf_counter()
    docs = store.documents(max_age=0)
    catalogue = time.perf_counter() - started
    started = time.perf_counter()
    derived.load(data / "derived", derived.derived_key(store.fingerprint(), docs))
    return {
        "catalogue_ms": round(catalogue * 1000, 1),
        "derived_load_ms": round((time.perf_counter() - started) * 1000, 1),
    }


def retrieve(chain, question: str):  # type: ignore[no-untyped-def]
    """Retrieval alone, as the chain runs it: embed the question, dense + BM25, fuse."""
    snapshot = chain.snapshot()
    return chain.retriever.run(question, chain.embedder.embed_query(question), snapshot, k=8)


def embedding_ceiling(embedder, store) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """The model alone, on the seed corpus's own sentences: the ceiling ingest cannot pass,
    since ingest embeds every chunk and every sentence (unit) of it."""
    metas, _, texts = store.unit_vectors([c.chunk_id for c in store.all_chunks()])
    sample = (texts * (2000 // max(len(texts), 1) + 1))[:2000]
    started = time.perf_counter()
    embedder.embed_documents(sample)
    per_s = len(sample) / (time.perf_counter() - started)
    per_chunk = 1 + len(metas) / max(len(store.all_chunks()), 1)
    int8_per_s = 0.0
    try:  # the opt-in int8 copy (index/quantize.py), on the same sentences
        from index.embed import load_embedder

        int8 = load_embedder(precision="int8")
        started = time.perf_counter()
        int8.embed_documents(sample)
        int8_per_s = len(sample) / (time.perf_counter() - started)
    except Exception as exc:  # a figure missing, not a failed bench
        print(f"int8 not measured: {exc}", flush=True)
    return {
        "sentences_per_s": round(per_s),
        "int8_sentences_per_s": round(int8_per_s),
        "embeddings_per_chunk": round(per_chunk, 1),
        "chunks_per_s": round(per_s / per_chunk),
    }


def one_time_export_s() -> float:
    """The first start on a new machine: export the model to ONNX (torch imported once)."""
    code = (
        "import tempfile, time; from index.embed import load_embedder; t = time.perf_counter(); "
        "load_embedder(cache_dir=tempfile.mkdtemp()); print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 1)


def audit() -> dict[str, Any]:
    """pip-audit over the installed environment: how many packages it could check, what it found."""
    import json

    done = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--format", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
    )
    try:
        deps = json.loads(done.stdout)["dependencies"]
    except (ValueError, KeyError):
        return {"error": (done.stderr or done.stdout).strip()[-300:]}
    skipped = [d for d in deps if d.get("skip_reason")]
    return {
        "packages": len(deps),
        "audited": len(deps) - len(skipped),
        "vulnerabilities": sum(len(d.get("vulns", [])) for d in deps),
        "vulnerable": sorted(f"{d['name']} {d['version']}" for d in deps if d.get("vulns")),
        "skip_reason": skipped[0]["skip_reason"] if skipped else "",
    }


def cold_ask(data: Path, runs: int = 3) -> dict[str, float]:
    """A new process, from start to printed answer; and how long the imports alone take."""
    question = "What is corporate parenting?"
    ask = [sys.executable, "-m", "assistant.cli", "ask", "--no-llm", "--data-dir", str(data), question]
    total = [timed(lambda: subprocess.run(ask, capture_output=True, check=True), 1)[0] / 1000 for _ in range(runs)]
    imports = [
        sys.executable,
        "-c",
        "import chromadb, onnxruntime, tokenizers, assistant.chain.pipeline, assistant.cli",
    ]
    imp = [timed(lambda: subprocess.run(imports, capture_output=True, check=True), 1)[0] / 1000 for _ in range(runs)]
    return {
        "total_s": round(statistics.median(total), 2),
        "imports_s": round(statistics.median(imp), 2),
        "export_once_s": one_time_export_s(),
    }


def serve_under_load(data: Path, questions: list[str], users: int = 20, total: int = 200) -> dict[str, Any]:
    """A real `lmcs serve`: `users` gradio_client users asking `total` questions at once
    (after a warm-up), then the server's peak resident memory (VmHWM)."""
    from evals.load import run_load, serving

    with serving(data) as (url, pid):
        run_load(url, questions, users=2, total=len(questions))  # warm: BM25, spaCy, caches
        load = run_load(url, questions, users=users, total=total)
        load.pop("results")
        status = Path(f"/proc/{pid}/status").read_text()
        kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
    return {"load": load, "serve_peak_rss_mb": round(kb / 1024, 1)}


def scale(embedder, sizes: list[int], questions: list[str]) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    from assistant.chain.pipeline import build_answer_pipeline
    from index.pipeline import build_index_pipeline

    rows = []
    keep = os.environ.get("LMCS_BENCH_KEEP")  # a folder to keep each size's index in, to measure it again later
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"lmcs-scale-{n}-", dir=keep) as tmp:
            if keep:
                tmp = str(Path(keep) / f"scale-{n}")
            folder = Path(tmp) / "docs"
            folder.mkdir(parents=True)
            for name, text in generate(n, seed=n):
                (folder / name).write_text(text, encoding="utf-8")
            data = Path(tmp) / "data"
            started = time.perf_counter()
            report = build_index_pipeline(embedder, data, folder).run([folder], progress=True)
            build_s = time.perf_counter() - started
            first_ms = first_question(data, questions[0], embedder, saved=True)
            prepared_ms = first_question_prepared(data, questions[0])
            costs = open_costs(data, embedder)
            built_ms = first_question(data, questions[0], embedder, saved=False)  # as before: BM25 built
            assistant = build_answer_pipeline(Settings(data_dir=data), embedder=embedder, use_llm=False)
            assistant.ask(questions[0])
            answer_ms = [m for q in questions for m in timed(lambda q=q, a=assistant: a.ask(q), 2)]
            retrieve_ms = [m for q in questions for m in timed(lambda q=q, a=assistant: retrieve(a, q), 2)]
            rows.append(
                {
                    "documents": n,
                    "chunks": report.chunks,
                    "build_s": round(build_s, 1),
                    "chunks_per_s": round(report.chunks / build_s, 1),
                    "disk_mb": round(du(data) / 2**20, 1),
                    "first_question_ms": first_ms,
                    "first_question_prepared_ms": prepared_ms,
                    "first_question_built_ms": built_ms,
                    **costs,
                    "retrieval": summary(retrieve_ms),
                    "answer": summary(answer_ms),
                }
            )
            print(rows[-1], flush=True)
    return rows


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = [r["documents"] for r in rows]
    fig, ax = plt.subplots(1, 2, figsize=(11, 4))
    for key, label in (("answer", "answer"), ("retrieval", "retrieval")):
        ax[0].plot(n, [r[key]["p50"] for r in rows], marker="o", label=f"{label} p50")
        ax[0].plot(n, [r[key]["p95"] for r in rows], marker="o", linestyle="--", label=f"{label} p95")
    ax[0].axhline(150, color="grey", linewidth=0.8, linestyle=":", label="target: answer p95 150 ms")
    ax[0].set(xscale="log", xlabel="documents", ylabel="ms per question", title="Latency as the index grows")
    ax[0].legend(fontsize=8)
    ax[1].plot(n, [r["build_s"] for r in rows], marker="o", label="index build (s)")
    ax[1].plot(n, [r["disk_mb"] for r in rows], marker="s", label="index on disk (MB)")
    ax[1].set(xscale="log", yscale="log", xlabel="documents", title="Build time and size")
    ax[1].legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}×" if theirs else "–"


def shared_lines(r: dict[str, Any] | None) -> list[str]:
    if not r:
        return []
    return [
        "## Shared deployment (`python -m evals.shared`, also `tests/test_shared_deploy.py`)",
        "",
        f"{r.get('users', 20)} signed-in users split between two `lmcs serve` processes sharing one `chroma run` "
        "server and one PostgreSQL, all on this machine (clients included), after a warm-up. Two servers on the "
        "same 2 cores are no faster than one: this shows the state is shared and nothing fails, not scaling.",
        "",
        "| errors | p50 | p95 | max | wall | questions/s | feedback given on A exported by B | same records on both |",
        "|---|---|---|---|---|---|---|---|",
        f"| {r['errors']} | {r['p50_ms']} ms | {r['p95_ms']} ms | {r['max_ms']} ms | {r['wall_s']} s "
        f"| {r['per_second']} | {r['feedback_from_a_exported_by_b']} | {r['same_records_on_both']} |",
        "",
    ]


def write(speed_row: dict[str, Any], rows: list[dict[str, Any]], path: Path = OUT) -> None:
    s = speed_row
    g = s["ingest"]
    lines = [
        "# Benchmarks",
        "",
        f"Measured {date.today().isoformat()} by `make bench` (`python -m evals.bench`) on this machine: "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, CPU only. Latencies are per question, "
        "median (p50) and 95th percentile over the 62 questions of `evals/datasets/v1.jsonl`, each asked "
        "3 times, warm (model loaded, every question asked once before timing). Ratios are ours ÷ the naive LangChain "
        "baseline run in the same process (RecursiveCharacterTextSplitter 700/100 + Chroma similarity "
        "search k=4 with the same embedding model + stuffing the chunks): below 1× is faster.",
        "",
        "## Speed (seed corpus)",
        "",
        "| measure | result | target | vs baseline |",
        "|---|---|---|---|",
        f"| warm answer, extractive, end to end | p50 {s['answer']['p50']} ms, p95 {s['answer']['p95']} ms "
        f"| p50 ≤ 30, p95 ≤ 80 ms | {ratio(s['answer']['p50'], s['baseline_answer']['p50'])} "
        f"(baseline p50 {s['baseline_answer']['p50']} ms; it retrieves and stuffs, it does not compose, "
        "verify or decide to abstain) |",
        f"| retrieval alone (embed + dense + BM25 + fusion) | p50 {s['retrieval']['p50']} ms, "
        f"p95 {s['retrieval']['p95']} ms | p50 ≤ 15 ms | – |",
        f"| cold `lmcs ask` (new process → printed answer) | {s['cold_ask_s']['total_s']} s; of which "
        f"imports (chromadb, onnxruntime, the chain; no torch): {s['cold_ask_s']['imports_s']} s "
        f"| ≤ 3 s | – |",
        f"| first start on a new machine (one-time ONNX export of the model, torch imported once) "
        f"| {s['cold_ask_s']['export_once_s']} s | – | – |",
        f"| seed corpus ingest | {s['seed_ingest_s']} s for {s['chunks']} chunks | – | – |",
        f"| embedding model alone, this corpus's sentences | {s['embedding']['sentences_per_s']} sentences/s "
        f"(the opt-in int8 copy: {s['embedding']['int8_sentences_per_s']}); ingest runs the model once per "
        f"chunk, its sentences pooled from that run (`index/spans.py`), where it ran "
        f"{s['embedding']['embeddings_per_chunk']} times (the chunk, then each sentence) | ingest ≥ 400 chunks/s "
        "| – |",
        f"| ingest of the same {g['documents']} synthetic documents, one run each, vs the naive pipeline as "
        "issue 17 defines it (RecursiveCharacterTextSplitter 700/100 + Chroma + the same MiniLM through "
        f"sentence-transformers on torch, fp32) | {g['ours_s']} s ({g['chunks']} chunks; naive: {g['naive_s']} s, "
        f"{g['naive_chunks']} chunks) | ≤ 1.0× | {ratio(g['ours_s'], g['naive_s'])} |",
        f"| the same, vs the stricter naive pipeline: the same splitter and Chroma on our ONNX runtime of the model "
        f"| naive: {g.get('naive_onnx_s', '–')} s | – | {ratio(g['ours_s'], g.get('naive_onnx_s', 0))} |",
        f"| ingest at the model's speed | the model ran {g['model_s']} s of the {g['ours_s']} s "
        f"({g['model_share']:.0%}; {g['model_texts_per_s']} texts/s); {g['texts_embedded']} distinct texts "
        f"embedded of {g['texts_asked']} asked (each text once); {g.get('tokens', '–')} tokens run "
        f"({g.get('padded_tokens', '–')} with padding; the naive pipeline's chunks: {g.get('naive_tokens', '–')}: "
        "ours carry the document title and section heading) | 100% | – |",
        f"| the ceiling: each pipeline's model alone | ours {g.get('model_tokens_per_s', '–')} tokens/s "
        f"(ONNX, fp32); the naive pipeline's {g.get('naive_model_tokens_per_s', '–')} tokens/s "
        f"(torch, {g.get('naive_model_s', '–')} s); were ingest only its model: "
        f"{g.get('ratio_at_model_speed', '–')}× | – | – |",
        f"| peak memory of `lmcs serve` (VmHWM, after the load test below) | {s['serve_peak_rss_mb']} MB | – | – |",
        "",
        "## Concurrency (`evals/load.py`, also `tests/test_load.py`)",
        "",
        f"{s['load']['users']} users through gradio_client against a real `lmcs serve`, "
        f"{s['load']['questions']} questions between them, all starting together, after a warm-up. "
        "The users run on the same 2 cores as the server, and the client side uses about as much CPU.",
        "",
        "| errors | p50 | p95 | max | wall | questions/s |",
        "|---|---|---|---|---|---|",
        f"| {s['load']['errors']} | {s['load']['p50_ms']} ms | {s['load']['p95_ms']} ms | {s['load']['max_ms']} ms "
        f"| {s['load']['wall_s']} s | {s['load']['per_second']} |",
        "",
        *shared_lines(s.get("shared")),
        "## Scale (synthetic role profiles, `evals/synth.py`, seeded)",
        "",
        "Index build: `lmcs ingest` of the folder (target at 10,000 documents: ≤ 8 min). First question: "
        "from opening the index to the answer, with the structures ingest saved beside it (`index/derived.py`; "
        "target ≤ 0.3 s at 10,000 documents), and, for comparison, building them from every chunk as the "
        "app did before (and still does once per corpus version no ingest saved, e.g. after a removal). "
        "Served: the first question in a new process after `Service.prepare()`, which `lmcs serve` runs before "
        "it listens (Chroma's collections, the word lists and the snapshot loaded).",
        "",
        "| documents | chunks | index build | chunks/s | on disk | first question (saved) | first question (served) "
        "| first question (built) | retrieval p50 / p95 | answer p50 / p95 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['documents']:,} | {r['chunks']:,} | {r['build_s']} s | {r['chunks_per_s']} | {r['disk_mb']} MB "
            f"| {r['first_question_ms']} ms | {r.get('first_question_prepared_ms', '–')} ms "
            f"| {r.get('first_question_built_ms', '–')} ms "
            f"| {r['retrieval']['p50']} / {r['retrieval']['p95']} ms | {r['answer']['p50']} / {r['answer']['p95']} ms |"
        )
    read = [r for r in rows if r.get("catalogue_ms")]
    if read:
        r = read[-1]
        lines += [
            "",
            f"Of the first question at {r['documents']:,} documents, reading the index's document records "
            f"(`ChromaStore.documents`, which every question's retrieval needs) took {r['catalogue_ms']} ms on a "
            f"newly opened store, and loading the saved structures {r['derived_load_ms']} ms.",
        ]
    lines += ["", "![Growth curve](docs/bench-growth.png)", ""]
    a = s["audit"]
    if "error" in a:
        audited = f"pip-audit could not run: {a['error']}"
    else:
        audited = (
            f"`pip-audit` ran over {a['packages']} installed packages and could check {a['audited']} of them"
            + (f" (the others: {a['skip_reason']!r})" if a["audited"] < a["packages"] else "")
            + f"; known vulnerabilities found: {a['vulnerabilities']}"
            + (f" ({', '.join(a['vulnerable'])})" if a["vulnerable"] else "")
            + "."
            + (
                " With nothing checked, that proves nothing: run `make bench` or `pip-audit` where PyPI's"
                " per-version JSON API (or OSV) is reachable."
                if a["audited"] == 0
                else ""
            )
        )
    lines += [
        "## Reliability and security (tests, run by `make test`)",
        "",
        "| what | test | result |",
        "|---|---|---|",
        "| kill -9 during ingest, then re-run | `tests/test_crash_safety.py` | no duplicates, nothing missing |",
        "| data dir deleted under a running app | `tests/test_faults.py` | clear error; rebuilt by "
        "`lmcs ingest` in another process, picked up without a restart |",
        "| index files damaged | `tests/test_faults.py` | clear error; `lmcs ingest --rebuild` keeps the "
        "damaged folder aside and rebuilds |",
        "| disk full during ingest (a real 24 MB tmpfs) | `tests/test_faults.py` | clear error, exit 1, old index "
        "answers as before; the same command finishes once there is space |",
        "| Chroma server stopped mid-session | `tests/test_chroma_server.py` | clear error; answers resume when "
        "it is back |",
        "| fuzzed questions and loaders (hypothesis) | `tests/test_fuzz.py` | no crash, no quote that is not "
        "in its source |",
        "| 20 users × 200 questions | `tests/test_load.py` | 0 errors; each answer the same as asked alone |",
        "| login on: every route requested as a stranger | `tests/test_security.py` | no passage, answer or "
        "question served; /config, the API, queue, upload and file routes refuse |",
        "| secrets | `tests/test_security.py` | API key and passwords in no log, output or stored file |",
        "| upload names | `tests/test_ui.py` | cannot leave the uploads folder |",
        "",
        audited,
        "",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    import json

    from index.embed import load_embedder

    sizes = [int(x) for x in os.environ.get("LMCS_BENCH_SIZES", "100,1000,10000").split(",") if x]
    questions = [i.question for i in load_dataset("v1")]
    embedder = load_embedder()
    if sys.argv[1:2] == ["ingest"]:
        n = int(sys.argv[2]) if len(sys.argv) > 2 else int(os.environ.get("LMCS_BENCH_INGEST_DOCS", "200"))
        print(ingest_vs_naive(embedder, n, rounds=int(os.environ.get("LMCS_BENCH_ROUNDS", "1"))))
        return
    if sys.argv[1:2] == ["warm"]:
        row = warm_only(embedder, questions, int(sys.argv[2]) if len(sys.argv) > 2 else 3)
        ours, naive = row["answer"], row["baseline_answer"]
        print(row | {f"ratio_{p}": ratio(ours[p], naive[p]) for p in ("p50", "p95")})
        return
    # LMCS_BENCH_MERGE=FILE: keep the speed figures and scale rows of an earlier run's RAW file
    # and measure only LMCS_BENCH_SIZES (to add the 10,000-document row without the rest again).
    earlier = json.loads(Path(os.environ["LMCS_BENCH_MERGE"]).read_text()) if os.environ.get("LMCS_BENCH_MERGE") else {}
    speed_row = earlier.get("speed") or speed(embedder, questions)
    speed_row.setdefault("audit", audit())
    if "shared" not in speed_row:
        speed_row["shared"] = shared_row()
    print(speed_row, flush=True)
    measured = scale(embedder, sizes, questions)
    rows = sorted(
        {r["documents"]: r for r in [*earlier.get("rows", []), *measured]}.values(), key=lambda r: r["documents"]
    )
    RAW.write_text(json.dumps({"speed": speed_row, "rows": rows}, indent=1) + "\n", encoding="utf-8")
    if rows:  # LMCS_BENCH_SIZES= (no scale rows): nothing to plot, and a log axis of nothing fails
        plot(rows, PLOT)
    write(speed_row, rows)
    print(f"wrote {OUT}, {PLOT} and {RAW}")


if __name__ == "__main__":
    main()
