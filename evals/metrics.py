"""Score answers against the dataset and the source text.

Per item: retrieval rank of the evidence, fact recall, quote grounding, citation
support (ALCE-style recall and precision, offline: see `assistant.verify.supports`),
abstention, latency. `aggregate` averages them overall or per category.
"""

from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from typing import Any

from assistant.chain.verify import cited_sentences, containment, quote_is_verbatim, supports
from assistant.types import Answer
from evals.dataset import NATIONAL_KINDS, EvalItem
from evals.originals import at_location, in_original


@dataclass(frozen=True)
class EvalCorpus:
    """What the scorer knows of the indexed corpus, read independently of the answers."""

    texts: dict[str, str]  # doc_id → cleaned text (offsets point into it)
    file_ids: dict[str, str] = field(default_factory=dict)  # evidence `file` → doc_id
    truth: dict[str, dict[str, str]] = field(default_factory=dict)  # doc_id → {authority, kind} (ground truth)
    sources: dict[str, str] = field(default_factory=dict)  # doc_id → the original file
    documents: dict[str, Any] = field(default_factory=dict)  # doc_id → Document (for `locate`)


@dataclass
class ItemResult:
    id: str
    category: str
    answerable: bool
    abstained: bool
    latency_ms: float
    answer: str = ""
    fact_recall: float | None = None  # answerable items only
    rank: int | None = None  # 1-based rank of the first retrieved chunk holding evidence
    has_evidence: bool = False
    citations: int = 0
    grounded: int = 0  # citations whose quote is verbatim at its offsets
    claims: int = 0
    supported_claims: int = 0  # claims whose citations support them (citation recall)
    attached: int = 0  # (claim, citation) pairs
    supporting: int = 0  # pairs where the citation supports the claim (citation precision)
    evidence_cited: bool | None = None  # a citation overlaps an evidence span
    docs_cited: int = 0
    min_docs: int = 1
    backend: str = "extractive"
    in_file: int = 0  # citations whose quote is word for word in the original file
    at_location: int = 0  # … and at the place in it that the citation names
    council: str | None = None
    wrong_council: bool = False  # answered citing another council's document than the one asked about
    lookup: bool = False
    answer_chars: int = 0
    nearest_would_answer: bool = False  # refused, but a nearest passage offered holds the evidence
    cited: list[dict[str, Any]] = field(default_factory=list)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def evidence_spans(item: EvalItem, corpus: EvalCorpus) -> list[tuple[str, int, int]]:
    spans = []
    for ev in item.evidence:
        doc_id = ev.doc_id or corpus.file_ids.get(ev.file or "", "")
        start = corpus.texts.get(doc_id, "").find(ev.text)
        if start >= 0:
            spans.append((doc_id, start, start + len(ev.text)))
    return spans


def score_item(
    item: EvalItem,
    answer: Answer,
    corpus: EvalCorpus,
    latency_ms: float,
    similarity=None,  # type: ignore[no-untyped-def]  # (sentence, passage) -> cosine, optional
) -> ItemResult:
    texts = corpus.texts
    r = ItemResult(item.id, item.category, item.answerable, answer.abstained, latency_ms, answer.answer)
    r.min_docs = item.min_docs
    r.backend = answer.backend
    r.council, r.lookup = item.council, item.lookup
    r.answer_chars = 0 if answer.abstained else len(answer.answer)
    r.in_file = sum(
        c.doc_id in corpus.sources and in_original(c.quote, corpus.sources[c.doc_id]) for c in answer.citations
    )
    r.at_location = sum(
        c.doc_id in corpus.documents
        and at_location(c.quote, corpus.sources[c.doc_id], corpus.documents[c.doc_id].locate(c.start, c.end))
        for c in answer.citations
    )
    if item.council and not answer.abstained:
        for c in answer.citations:
            truth = corpus.truth.get(c.doc_id, {})
            if truth.get("kind") not in NATIONAL_KINDS and truth.get("authority") != item.council:
                r.wrong_council = True
    spans = evidence_spans(item, corpus)
    r.has_evidence = bool(spans)
    for rank, got in enumerate(answer.retrieved, start=1):
        chunk = got.chunk
        if any(d == chunk.doc_id and _overlap((s, e), (chunk.start, chunk.end)) >= (e - s) / 2 for d, s, e in spans):
            r.rank = rank
            break
    if item.answerable:
        text = answer.answer.lower() if not answer.abstained else ""
        r.fact_recall = (
            sum(any(alt.lower() in text for alt in fact) for fact in item.facts) / len(item.facts)
            if item.facts
            else 1.0
        )
    r.citations = len(answer.citations)
    r.grounded = sum(quote_is_verbatim(c, texts) for c in answer.citations)
    by_n = {c.n: c for c in answer.citations}
    for claim, numbers in cited_sentences(answer.answer) if not answer.abstained else []:
        r.claims += 1
        # A point may be shown after its section heading ("Functions…: Youth service").
        quotes = [f"{by_n[n].heading} {by_n[n].quote}" for n in numbers if n in by_n]
        joint = " ".join(quotes)
        if quotes and supports(claim, joint, _sim(similarity, claim, joint)):
            r.supported_claims += 1
        for quote in quotes:
            r.attached += 1
            r.supporting += supports(claim, quote, _sim(similarity, claim, quote))
    if spans:
        r.evidence_cited = any(
            c.doc_id == d and _overlap((c.start, c.end), (s, e)) > 0 for c in answer.citations for d, s, e in spans
        )
        r.nearest_would_answer = answer.abstained and any(
            c.doc_id == d and _overlap((c.start, c.end), (s, e)) > 0 for c in answer.nearest for d, s, e in spans
        )
    r.docs_cited = len({c.doc_id for c in answer.citations})
    r.cited = [c.to_dict() for c in answer.citations]
    return r


def _sim(similarity, claim: str, passage: str) -> float | None:  # type: ignore[no-untyped-def]
    """Embed only when containment alone does not settle it."""
    if similarity is None or containment(claim, passage) >= 0.6:
        return None
    return float(similarity(claim, passage))


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 4) if values else None


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def aggregate(results: list[ItemResult]) -> dict[str, float | int | None]:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    with_evidence = [r for r in results if r.has_evidence]
    synthesis = [r for r in results if r.min_docs > 1 and not r.abstained]
    latencies = [r.latency_ms for r in results]
    lookups = [r.answer_chars for r in results if r.lookup and r.answerable and not r.abstained]
    scoped = [r for r in results if r.council and not r.abstained]
    return {
        "n": len(results),
        "hit@1": _mean([float(r.rank is not None and r.rank <= 1) for r in with_evidence]),
        "hit@3": _mean([float(r.rank is not None and r.rank <= 3) for r in with_evidence]),
        "hit@5": _mean([float(r.rank is not None and r.rank <= 5) for r in with_evidence]),
        "mrr": _mean([1 / r.rank if r.rank else 0.0 for r in with_evidence]),
        "fact_recall": _mean([r.fact_recall for r in answerable if r.fact_recall is not None]),
        "evidence_cited": _mean([float(bool(r.evidence_cited)) for r in with_evidence]),
        # No citation at all is vacuously grounded: nothing unverified was shown.
        "quote_grounding": _ratio(sum(r.grounded for r in results), sum(r.citations for r in results))
        if any(r.citations for r in results)
        else 1.0,
        "citation_recall": _ratio(sum(r.supported_claims for r in results), sum(r.claims for r in results)),
        "citation_precision": _ratio(sum(r.supporting for r in results), sum(r.attached for r in results)),
        "synthesis_docs_ok": _mean([float(r.docs_cited >= r.min_docs) for r in synthesis]),
        "quote_in_file": _ratio(sum(r.in_file for r in results), sum(r.citations for r in results))
        if any(r.citations for r in results)
        else 1.0,
        "quote_at_location": _ratio(sum(r.at_location for r in results), sum(r.citations for r in results))
        if any(r.citations for r in results)
        else 1.0,
        "abstain_recall": _mean([float(r.abstained) for r in unanswerable]),
        "over_abstention": _mean([float(r.abstained) for r in answerable]),
        "nearest_would_answer": sum(r.nearest_would_answer for r in results),
        "wrong_council_answers": sum(r.wrong_council for r in scoped),
        "lookup_chars_median": round(statistics.median(lookups), 1) if lookups else None,
        "lookup_chars_max": max(lookups) if lookups else None,
        "latency_p50_ms": round(percentile(latencies, 0.5), 1),
        "latency_p95_ms": round(percentile(latencies, 0.95), 1),
    }


def by_category(results: list[ItemResult]) -> dict[str, dict[str, float | int | None]]:
    categories = sorted({r.category for r in results})
    return {c: aggregate([r for r in results if r.category == c]) for c in categories}


def as_rows(results: list[ItemResult]) -> list[dict[str, Any]]:
    return [asdict(r) for r in results]
