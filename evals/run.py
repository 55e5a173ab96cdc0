"""Run the eval: the same dataset through each configuration, side by side.

    lmcs eval                      # hybrid, dense and bm25 on evals/datasets/v1.jsonl
    lmcs eval --dataset v2         # held out: the seed corpus plus four councils never tuned on
    lmcs eval --config hybrid --no-write

The dataset's corpus is indexed afresh into a temporary data dir, so results do not depend on
what else a user has ingested; the unseen councils' files are ingested with no metadata.
Reports go to evals/reports/<date>[-<dataset>]-<config>.{md,json} and a comparison .{md,png}.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from assistant.settings import Settings
from evals.dataset import CORPORA, Truth, corpus_folders, load_dataset
from evals.metrics import EvalCorpus, ItemResult, aggregate, as_rows, by_category, score_item

REPORTS = Path(__file__).resolve().parent / "reports"
CONFIGS = ("hybrid", "dense", "bm25")
LLM_CONFIG = "llm"  # hybrid retrieval + the configured language model (LMCS_LLM_*), verified
HEADLINE = (
    "hit@1",
    "hit@5",
    "mrr",
    "fact_recall",
    "evidence_cited",
    "quote_grounding",
    "citation_recall",
    "citation_precision",
    "quote_in_file",
    "quote_at_location",
    "abstain_recall",
    "over_abstention",
    "nearest_would_answer",
    "wrong_council_answers",
    "lookup_chars_median",
    "lookup_chars_max",
    "latency_p50_ms",
    "latency_p95_ms",
)


@dataclass
class ConfigResult:
    name: str
    settings: dict[str, Any]
    results: list[ItemResult]

    @property
    def overall(self) -> dict[str, Any]:
        return aggregate(self.results)


def run_eval(
    configs: tuple[str, ...] = CONFIGS,
    dataset: str = "v1",
    base: Settings | None = None,
    progress: bool = True,
) -> list[ConfigResult]:
    from tqdm import tqdm

    from assistant.service import Service
    from index.embed import load_embedder
    from index.pipeline import build_index_pipeline

    base = base or Settings()
    items = load_dataset(dataset)
    embedder = load_embedder(base.embedding_model_path, base.model_cache, base.embed_precision)
    out: list[ConfigResult] = []
    with tempfile.TemporaryDirectory(prefix="lmcs-eval-") as tmp:
        folders = corpus_folders(dataset, base.corpus_dir)
        report = build_index_pipeline(embedder, Path(tmp), base.corpus_dir).run(folders, prune_corpus=True)
        if not report.ok:
            raise RuntimeError(f"indexing the corpus failed: {report.summary()}")
        corpus = None
        for name in configs:
            mode = "hybrid" if name == LLM_CONFIG else name
            settings = base.model_copy(update={"data_dir": Path(tmp), "retrieval_mode": mode, "chroma_url": None})
            service = Service.open(settings, embedder=embedder, use_llm=name == LLM_CONFIG)
            if name == LLM_CONFIG and service.chain.generator is None:
                raise RuntimeError("the llm configuration needs a model: set LMCS_LLM_BASE_URL (or _GGUF, _AZURE_*)")
            corpus = corpus or eval_corpus(service)
            service.ask("warm-up question about the lead member")  # the first question builds BM25
            results = []
            for item in tqdm(items, desc=f"eval {name}", unit="q", disable=not progress):
                started = time.perf_counter()
                answer = service.ask(item.question, history=item.history)
                latency = (time.perf_counter() - started) * 1000
                results.append(score_item(item, answer, corpus, latency, _similarity(embedder)))
            recorded = settings.model_dump(mode="json", exclude={"data_dir"})
            backend = service.model_name or "extractive"
            recorded |= {"dataset": dataset, "embedder": embedder.name, "answerer": backend}
            recorded["llm_fallbacks"] = sum(1 for r in results if r.backend == "extractive (fallback)")
            out.append(ConfigResult(name, recorded, results))
    return out


def eval_corpus(service) -> EvalCorpus:  # type: ignore[no-untyped-def]
    """The indexed corpus as the scorer sees it; the ground truth comes from councils.toml, not the index."""
    docs = service.documents()
    truth = Truth.load()
    file_ids: dict[str, str] = {}
    for d in docs.values():
        try:
            file_ids[Path(d.source).resolve().relative_to(CORPORA.resolve()).as_posix()] = d.doc_id
        except ValueError:
            continue
    return EvalCorpus(
        texts=service.texts(docs),
        file_ids=file_ids,
        truth={d.doc_id: truth.of_source(d.source, d.doc_id) for d in docs.values()},
        sources={d.doc_id: d.source for d in docs.values() if d.source},
        documents={d.doc_id: d for d in docs.values() if d.source},
    )


def _similarity(embedder):  # type: ignore[no-untyped-def]
    def cosine(a: str, b: str) -> float:
        va, vb = embedder.embed_documents([a, b])
        return float(va @ vb)

    return cosine


# --- reports -------------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if value > 1.5 else f"{value:.3f}"
    return str(value)


def comparison_table(runs: list[ConfigResult], metrics: tuple[str, ...] = HEADLINE) -> str:
    header = "| metric | " + " | ".join(r.name for r in runs) + " |"
    rule = "|---|" + "---|" * len(runs)
    rows = [f"| {m} | " + " | ".join(_fmt(r.overall[m]) for r in runs) + " |" for m in metrics]
    return "\n".join([header, rule, *rows])


def category_table(run: ConfigResult) -> str:
    cats = by_category(run.results)
    metrics = (
        "n",
        "hit@5",
        "mrr",
        "fact_recall",
        "quote_grounding",
        "quote_in_file",
        "abstain_recall",
        "over_abstention",
        "wrong_council_answers",
        "lookup_chars_median",
    )
    header = "| category | " + " | ".join(metrics) + " |"
    rule = "|---|" + "---|" * len(metrics)
    rows = [f"| {c} | " + " | ".join(_fmt(v[m]) for m in metrics) + " |" for c, v in cats.items()]
    return "\n".join([header, rule, *rows])


def write_reports(runs: list[ConfigResult], folder: Path = REPORTS, day: str | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    day = day or date.today().isoformat()
    dataset = runs[0].settings["dataset"] if runs else "v1"
    day = day if dataset == "v1" else f"{day}-{dataset}"
    written: list[Path] = []
    for run in runs:
        stem = folder / f"{day}-{run.name}"
        data = {
            "config": run.settings,
            "overall": run.overall,
            "by_category": by_category(run.results),
            "items": as_rows(run.results),
        }
        stem.with_suffix(".json").write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
        failures = [
            r
            for r in run.results
            if (r.fact_recall is not None and r.fact_recall < 1) or (not r.answerable and not r.abstained)
        ]
        lines = [
            f"# Eval {day}: {run.name}",
            "",
            f"Dataset `{run.settings['dataset']}`, {len(run.results)} questions. "
            "The effective configuration is in the JSON beside this file.",
            "",
            "## Overall",
            "",
            comparison_table([run]),
            "",
            "## By category",
            "",
            category_table(run),
            "",
            "## Misses (fact not stated, or unanswerable question answered)",
            "",
            *[f"- `{r.id}` ({r.category}): {'answered' if not r.abstained else 'abstained'}" for r in failures],
        ]
        stem.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
        written += [stem.with_suffix(".json"), stem.with_suffix(".md")]
    compare = folder / f"{day}-comparison"
    compare.with_suffix(".md").write_text(
        f"# Eval {day}: retrieval configurations compared\n\n{comparison_table(runs)}\n", encoding="utf-8"
    )
    chart(runs, compare.with_suffix(".png"))
    return [*written, compare.with_suffix(".md"), compare.with_suffix(".png")]


def chart(runs: list[ConfigResult], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    metrics = [m for m in HEADLINE if not m.startswith("latency")]
    x = np.arange(len(metrics))
    width = 0.8 / max(len(runs), 1)
    fig, ax = plt.subplots(figsize=(12, 4.5))
    for i, run in enumerate(runs):
        values = [run.overall[m] or 0.0 for m in metrics]
        ax.bar(x + i * width, values, width, label=run.name)
    ax.set_xticks(x + width * (len(runs) - 1) / 2, metrics, rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (over_abstention: lower is better)")
    ax.set_title("LMCS Assistant eval by retrieval configuration")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(configs: tuple[str, ...] = CONFIGS, dataset: str = "v1", write: bool = True) -> list[ConfigResult]:
    from index import go_offline

    go_offline()
    runs = run_eval(configs, dataset)
    print(comparison_table(runs))
    if write:
        for path in write_reports(runs):
            print(f"wrote {path}")
    return runs
