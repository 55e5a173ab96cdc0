"""Fit the fusion weight of dense retrieval against BM25 on a dev set (never v1 or v2).

    python -m evals.fusion --dataset dev2

For every question with evidence it takes the dense and the BM25 rankings as the chain builds
them (condensed, scoped, expanded) and prints hit@5 and hit@3 for dense alone, BM25 alone and
weighted reciprocal rank fusion at several weights: the setting `LMCS_DENSE_WEIGHT` comes from
this table.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path


def rankings(dataset: str) -> list[tuple[set[str], list[str], list[str]]]:
    """(chunk ids holding evidence, dense ranking, BM25 ranking) for each question with evidence."""
    from assistant.chain.condense import condense
    from assistant.service import Service
    from assistant.settings import Settings
    from evals.dataset import corpus_folders, load_dataset
    from evals.metrics import evidence_spans
    from evals.run import eval_corpus
    from index.embed import load_embedder
    from index.pipeline import build_index_pipeline

    base = Settings()
    embedder = load_embedder(base.embedding_model_path, base.model_cache, base.embed_precision)
    rows = []
    with tempfile.TemporaryDirectory(prefix="lmcs-fusion-") as tmp:
        build_index_pipeline(embedder, Path(tmp), base.corpus_dir).run(corpus_folders(dataset, base.corpus_dir))
        service = Service.open(base.model_copy(update={"data_dir": Path(tmp)}), embedder=embedder, use_llm=False)
        corpus, chain = eval_corpus(service), service.chain
        snapshot = chain.snapshot()
        for item in load_dataset(dataset):
            spans = evidence_spans(item, corpus)
            if not spans or snapshot.bm25 is None:
                continue
            query = condense(item.question, item.history, frozenset(snapshot.councils))
            expansion = chain.expander.run(query, snapshot)
            scoped = chain.scope.run(query, snapshot)
            scope = list(scoped.doc_ids) if scoped.doc_ids is not None else None
            vector = embedder.embed_query(expansion.query)
            dense = [c.chunk_id for c, _ in chain.store.query_chunks(vector, 30, scope)]
            lexical = [i for i, _ in snapshot.bm25.search(expansion.query, 30, scope)]
            hits = {
                cid
                for cid in {*dense, *lexical}
                if (c := snapshot.chunks.get(cid))
                and any(d == c.doc_id and min(e, c.end) - max(s, c.start) >= (e - s) / 2 for d, s, e in spans)
            }
            rows.append((hits, dense, lexical))
    return rows


def hit_rate(rows, dense_weight: float, lexical_weight: float = 1.0, k: int = 60, at: int = 5) -> float:  # type: ignore[no-untyped-def]
    from assistant.chain.fuse import reciprocal_rank_fusion

    found = 0
    for hits, dense, lexical in rows:
        fused = reciprocal_rank_fusion([dense, lexical], k=k, weights=[dense_weight, lexical_weight])
        found += bool({i for i, _ in fused[:at]} & hits)
    return found / max(len(rows), 1)


def main() -> None:
    from index import go_offline

    go_offline()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dataset", default="dev2")
    args = parser.parse_args()
    rows = rankings(args.dataset)
    print(f"{args.dataset}: {len(rows)} questions with evidence")
    print(f"dense alone  hit@5 {hit_rate(rows, 1, 0):.3f}   BM25 alone  hit@5 {hit_rate(rows, 0, 1):.3f}")
    for weight in (0.25, 0.5, 0.75, 1.0):
        print(
            f"dense weight {weight:.2f}  hit@5 {hit_rate(rows, weight):.3f}  hit@3 {hit_rate(rows, weight, at=3):.3f}"
        )


if __name__ == "__main__":
    main()
