"""Run the eval: the same dataset through each configuration, side by side.

    lmcs eval                      # hybrid, dense and bm25 on evals/datasets/v1.jsonl
    lmcs eval --config hybrid --no-write

The corpus is indexed afresh into a temporary data dir, so results do not depend on
what else a user has ingested. Reports go to evals/reports/<date>-<config>.{md,json}
and a comparison <date>-comparison.{md,png}.
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
from evals.dataset import load_dataset
from evals.metrics import ItemResult, aggregate, as_rows, by_category, score_item

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
    "abstain_recall",
    "over_abstention",
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
    from assistant.pipeline import build_answer_pipeline
    from tqdm import tqdm

    from index.embed import load_embedder
    from index.pipeline import build_index_pipeline

    base = base or Settings()
    items = load_dataset(dataset)
    embedder = load_embedder(base.embedding_model_path, base.model_cache_dir)
    out: list[ConfigResult] = []
    with tempfile.TemporaryDirectory(prefix="lmcs-eval-") as tmp:
        report = build_index_pipeline(embedder, Path(tmp), base.corpus_dir).run([base.corpus_dir], prune_corpus=True)
        if not report.ok:
            raise RuntimeError(f"indexing the corpus failed: {report.summary()}")
        for name in configs:
            mode = "hybrid" if name == LLM_CONFIG else name
            settings = base.model_copy(update={"data_dir": Path(tmp), "retrieval_mode": mode, "chroma_url": None})
            assistant = build_answer_pipeline(settings, embedder=embedder, use_llm=name == LLM_CONFIG)
            if name == LLM_CONFIG and assistant.generator is None:
                raise RuntimeError("the llm configuration needs a model: set LMCS_LLM_BASE_URL (or _GGUF, _AZURE_*)")
            texts = assistant.store.texts(assistant.documents())
            assistant.ask("warm-up question about the lead member")  # first call builds BM25
            results = []
            for item in tqdm(items, desc=f"eval {name}", unit="q", disable=not progress):
                started = time.perf_counter()
                answer = assistant.ask(item.question, history=item.history)
                latency = (time.perf_counter() - started) * 1000
                results.append(score_item(item, answer, texts, latency, _similarity(embedder)))
            recorded = settings.model_dump(mode="json", exclude={"data_dir"})
            backend = assistant.generator.name if assistant.generator else "extractive"
            recorded |= {"dataset": dataset, "embedder": embedder.name, "answerer": backend}
            fallbacks = sum(1 for r in results if r.backend == "extractive (fallback)")
            recorded["llm_fallbacks"] = fallbacks
            out.append(ConfigResult(name, recorded, results))
    return out


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
        "citation_recall",
        "abstain_recall",
        "over_abstention",
    )
    header = "| category | " + " | ".join(metrics) + " |"
    rule = "|---|" + "---|" * len(metrics)
    rows = [f"| {c} | " + " | ".join(_fmt(v[m]) for m in metrics) + " |" for c, v in cats.items()]
    return "\n".join([header, rule, *rows])


def write_reports(runs: list[ConfigResult], folder: Path = REPORTS, day: str | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    day = day or date.today().isoformat()
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
    runs = run_eval(configs, dataset)
    print(comparison_table(runs))
    if write:
        for path in write_reports(runs):
            print(f"wrote {path}")
    return runs
