"""Calibrate the abstention policy on the dev set (never on the test set, evals/datasets/v1.jsonl).

    python -m evals.calibrate [--data-dir DIR]

Prints, for the best weights, the threshold sweep: wrong answers (unanswerable
questions answered) against wrong refusals (answerable questions refused).
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

from assistant.chain.abstain import AbstentionPolicy
from assistant.settings import Settings
from evals.dataset import DATASETS

DEV = DATASETS / "dev.jsonl"
TYPE_WEIGHT = 0.3  # a question wanting a number answered by passages with none: not an answer
# answerable, similarity, coverage, unknown share, type mismatch, reference found
Row = tuple[bool, float, float, float, bool, bool]


def signals(data_dir: Path) -> list[Row]:
    from assistant.chain.pipeline import build_answer_pipeline

    assistant = build_answer_pipeline(Settings(data_dir=data_dir, abstain_threshold=-99), use_llm=False)
    rows = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        s = assistant.ask(item["question"], item.get("history")).signals
        rows.append(
            (
                item["answerable"],
                s.similarity,
                s.coverage,
                s.unknown_share,
                s.type_mismatch,
                s.reference_found,
            )
        )
    return rows


def errors(rows: list[Row], wc: float, wo: float, t: float, wt: float = TYPE_WEIGHT) -> tuple[int, int]:
    """(wrong answers, wrong refusals) at weights wc, wo and threshold t."""
    wrong_answers = wrong_refusals = 0
    policy = AbstentionPolicy(t, wc, wo, wt, Settings().abstain_reference_weight)
    for answerable, sim, cov, unk, mismatch, reference in rows:
        answered = policy.score(sim, cov, unk, mismatch, reference) >= t
        wrong_answers += answered and not answerable
        wrong_refusals += answerable and not answered
    return wrong_answers, wrong_refusals


def main() -> None:
    from index import go_offline

    go_offline()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Settings().data_dir)
    args = parser.parse_args()
    rows = signals(args.data_dir)
    n_ans = sum(r[0] for r in rows)
    n_un = len(rows) - n_ans
    best = None
    grid = [round(x * 0.05, 2) for x in range(0, 21)]
    thresholds = [round(0.2 + x * 0.01, 2) for x in range(0, 130)]
    for wc, wo, t in itertools.product(grid, grid, thresholds):
        wa, wr = errors(rows, wc, wo, t)
        # A wrong answer costs more than a wrong refusal: trust is the product.
        cost = 2 * wa / n_un + wr / n_ans
        key = (cost, wa, -t)
        if best is None or key < best[0]:
            best = (key, wc, wo, t)
    assert best is not None
    _, wc, wo, t = best
    print(f"dev set: {n_ans} answerable, {n_un} unanswerable")
    print(f"best: coverage_weight={wc} oov_weight={wo} threshold={t}")
    print("threshold  wrong_answers  wrong_refusals")
    for dt in (-0.1, -0.05, -0.02, 0, 0.02, 0.05, 0.1):
        wa, wr = errors(rows, wc, wo, round(t + dt, 2))
        print(f"{t + dt:9.2f}  {wa:>6}/{n_un:<6}  {wr:>6}/{n_ans}")


if __name__ == "__main__":
    main()
