"""Calibrate the abstention score on the dev sets — never on v1 or v2 — and show how it holds on
councils it was not fitted on (leave-one-council-out).

    python -m evals.calibrate

The chain's decision is `Confidence.answered(threshold)`: the calibrated score proposes
(similarity + coverage − unknown words − a missing number or date + a quoted reference), and
what the passages say decides (a passage that answers by itself is answered; a near-miss is not).
This fits the score's weights and threshold on dev (the seed corpus) and dev2 (the seed corpus
plus four unseen councils), then, for each council in turn, refits without that council's
questions and counts the errors on them: the spread between folds is what to expect of a
council nobody tuned on.
"""

from __future__ import annotations

import itertools
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from assistant.chain.abstain import AbstentionPolicy, Confidence
from assistant.settings import Settings

DATASETS = ("dev", "dev2", "dev3", "dev4", "dev5")


@dataclass(frozen=True)
class Row:
    dataset: str
    council: str  # the council the question names, or "" (general questions are in every fold's training)
    answerable: bool
    signals: Confidence | None  # None: refused before any score (router, scope, off topic)
    has_points: bool


def collect() -> list[Row]:
    from assistant.service import Service
    from evals.dataset import corpus_folders, dataset_path, load_dataset
    from index.embed import load_embedder
    from index.pipeline import build_index_pipeline

    base = Settings()
    embedder = load_embedder(base.embedding_model_path, base.model_cache, base.embed_precision)
    rows: list[Row] = []
    for name in DATASETS:
        import json

        raw = [json.loads(line) for line in dataset_path(name).read_text(encoding="utf-8").splitlines() if line]
        items = load_dataset(name) if all("category" in r for r in raw) else None
        with tempfile.TemporaryDirectory(prefix="lmcs-calibrate-") as tmp:
            build_index_pipeline(embedder, Path(tmp), base.corpus_dir).run(corpus_folders(name, base.corpus_dir))
            settings = base.model_copy(update={"data_dir": Path(tmp), "abstain_threshold": -99.0})
            service = Service.open(settings, embedder=embedder, use_llm=False)
            for i, row in enumerate(raw):
                answer = service.ask(row["question"], history=row.get("history") or [])
                council = (items[i].council if items else None) or ""
                rows.append(Row(name, council, bool(row["answerable"]), answer.signals, bool(answer.retrieved)))
    return rows


def errors(rows: list[Row], policy: AbstentionPolicy) -> tuple[int, int]:
    """(wrong answers, wrong refusals) of the chain's decision under `policy`."""
    wrong_answers = wrong_refusals = 0
    for r in rows:
        answered = False
        if r.signals is not None:
            s = r.signals
            score = policy.score(s.similarity, s.coverage, s.unknown_share, s.type_mismatch, s.reference_found)
            answered = replace(s, score=score).answered(policy.threshold, r.has_points)
        wrong_answers += answered and not r.answerable
        wrong_refusals += r.answerable and not answered
    return wrong_answers, wrong_refusals


def fit(rows: list[Row]) -> AbstentionPolicy:
    """The weights and threshold with the lowest cost; a wrong answer costs twice a wrong refusal."""
    n_ans = max(sum(r.answerable for r in rows), 1)
    n_un = max(len(rows) - n_ans, 1)
    fixed = Settings()  # the weights not fitted here
    best: tuple[tuple[float, int, float], AbstentionPolicy] | None = None
    grid = [round(x * 0.1, 1) for x in range(0, 11)]
    for wc, wo, t in itertools.product(grid, grid, [round(0.4 + x * 0.02, 2) for x in range(0, 60)]):
        policy = AbstentionPolicy(t, wc, wo, fixed.abstain_type_weight, fixed.abstain_reference_weight)
        wa, wr = errors(rows, policy)
        key = (2 * wa / n_un + wr / n_ans, wa, -t)
        if best is None or key < best[0]:
            best = (key, policy)
    assert best is not None
    return best[1]


def main() -> None:
    from index import go_offline

    go_offline()
    rows = collect()
    councils = sorted({r.council for r in rows if r.council})
    print(f"{len(rows)} questions from {', '.join(DATASETS)}; {len(councils)} councils named")
    print("held-out council                  wrong answers  wrong refusals   (weights fitted without it)")
    for council in councils:
        held = [r for r in rows if r.council == council]
        policy = fit([r for r in rows if r.council != council])
        wa, wr = errors(held, policy)
        n_un = sum(not r.answerable for r in held)
        print(f"{council:32}  {wa:>4} / {n_un:<4}    {wr:>4} / {len(held) - n_un:<4}   threshold {policy.threshold}")
    wa, wr = errors(rows, AbstentionPolicy.from_settings(Settings()))
    print(f"in use (Settings): {wa} wrong answers, {wr} wrong refusals")
    policy = fit(rows)
    wa, wr = errors(rows, policy)
    print(
        f"all: coverage_weight={policy.coverage_weight} oov_weight={policy.oov_weight} "
        f"threshold={policy.threshold}: {wa} wrong answers, {wr} wrong refusals"
    )


if __name__ == "__main__":
    main()
