"""Select what answers: every unit (sentence or bullet item) of the retrieved chunks is scored
against the question, and the best few are chosen. Composition (`compose.py`) turns them into
the answer text; nothing here writes a word the documents do not contain.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from assistant.chain.expand import Expansion
from assistant.types import Retrieved
from index.lexical import tokenize


@dataclass(frozen=True)
class Point:
    """A unit (sentence or bullet item) chosen to answer, with how well it matches."""

    doc_id: str
    chunk_id: str
    heading: str
    quote: str
    start: int
    end: int
    similarity: float  # cosine of the (expanded) question and the unit
    overlap: float  # share of the question's content words found in the unit or its heading
    score: float
    kind: str = "sentence"  # "sentence" | "item" | "lead_in" | "cell" | "provision"
    row: int = -1  # a table cell's row: where it starts in the document ("Duty: Visit…\nHow often: Monthly")


@dataclass(frozen=True)
class UnitRows:
    """The units of some retrieved chunks: metadata, stored vectors and text, row for row."""

    metas: list[dict[str, Any]]
    vectors: np.ndarray
    texts: list[str]


class Selector:
    """`Selector(max_points=5)`: `.candidates(question, vector, retrieved, units)` scores every unit,
    `.run(candidates)` picks the points to answer with."""

    def __init__(
        self,
        max_points: int = 5,
        per_document: int = 2,
        margin: float = 0.15,
        overlap_weight: float = 0.3,
        lead_in_penalty: float = 0.15,
        max_points_for_lists: int = 16,
    ) -> None:
        self.max_points = max_points
        self.per_document = per_document
        self.margin = margin
        self.overlap_weight = overlap_weight
        self.lead_in_penalty = lead_in_penalty
        self.max_points_for_lists = max_points_for_lists

    def candidates(
        self, question: Expansion, query_vector: np.ndarray, retrieved: list[Retrieved], units: UnitRows
    ) -> list[Point]:
        """Every unit of the retrieved chunks, scored against the question, best first."""
        if not retrieved or not units.metas:
            return []
        rank = {r.chunk.chunk_id: i for i, r in enumerate(retrieved)}
        heading = {r.chunk.chunk_id: r.chunk.heading for r in retrieved}
        chunk = {r.chunk.chunk_id: r.chunk for r in retrieved}
        metas, texts = units.metas, units.texts
        similarity = units.vectors @ np.asarray(query_vector, dtype=np.float32)
        points = []
        for meta, sim, text in zip(metas, similarity, texts, strict=True):
            cid = meta["chunk_id"]
            if cid not in rank or meta.get("instruction"):  # text addressing the assistant is never quoted
                continue
            terms = unit_terms(heading[cid], text)
            overlap = question.covered(terms)
            prior = 0.05 / (1 + rank[cid])  # retrieval's own judgement breaks near-ties
            if meta.get("kind") == "lead_in":  # a line introducing a list is mostly framing
                prior -= self.lead_in_penalty
            points.append(
                Point(
                    doc_id=meta["doc_id"],
                    chunk_id=cid,
                    heading=heading[cid],
                    quote=text,
                    start=int(meta["start"]),
                    end=int(meta["end"]),
                    similarity=float(sim),
                    kind=str(meta.get("kind", "sentence")),
                    overlap=overlap,
                    score=float(sim) + self.overlap_weight * overlap + prior,
                    row=_row(chunk[cid], int(meta["start"])) if meta.get("kind") == "cell" else -1,
                )
            )
        points.sort(key=lambda p: (-p.score, p.doc_id, p.start))
        return points

    def run(self, candidates: list[Point]) -> list[Point]:
        """The best points within `margin` of the top one, a few per document, no near-repeats."""
        if not candidates:
            return []
        floor = candidates[0].score - self.margin
        # Spread points over documents, unless only one document is in play.
        cap = self.per_document if len({p.doc_id for p in candidates}) > 1 else self.max_points
        chosen: list[Point] = []
        per_doc: dict[str, int] = {}
        best = candidates[0]
        if best.kind == "lead_in":
            # A line introducing a list answers with its list: "…includes:" then the items.
            items = sorted(
                (p for p in candidates if p.chunk_id == best.chunk_id and p.kind == "item" and p.start > best.start),
                key=lambda p: p.start,
            )
            return [best, *items[: self.max_points_for_lists - 1]]
        for p in candidates:
            if len(chosen) >= self.max_points:
                break
            # Items of the best point's own list that match the question as well join it
            # ("What youth services…" → every "Youth …" item), even below the margin.
            sibling = p.chunk_id == best.chunk_id and p.overlap >= best.overlap - 0.1
            if p.score < floor and not sibling:
                continue
            if per_doc.get(p.doc_id, 0) >= cap:
                continue
            terms = set(tokenize(p.quote))
            if any(_jaccard(terms, set(tokenize(c.quote))) > 0.8 for c in chosen):
                continue
            chosen.append(p)
            per_doc[p.doc_id] = per_doc.get(p.doc_id, 0) + 1
        return chosen

    def broad(self, candidates: list[Point], max_points: int = 8, margin: float = 0.3) -> list[Point]:
        """For a broad question ("what must I do as LMCS?"): one point per distinct duty or theme,
        across documents — each new point must say something the chosen ones do not (its content
        words overlap theirs by less than half), and no document gives more than two."""
        if not candidates:
            return []
        candidates = sorted(candidates, key=lambda p: -p.score)  # answering passages come ranked by hits
        floor = candidates[0].score - margin
        chosen: list[Point] = []
        seen: list[set[str]] = []
        per_doc: dict[str, int] = {}
        for p in candidates:
            if len(chosen) >= max_points or p.score < floor:
                break
            terms = set(tokenize(p.quote))
            if p.kind == "lead_in" or len(terms) < 3 or per_doc.get(p.doc_id, 0) >= 2:
                continue
            if any(len(terms & s) / len(terms) >= 0.5 for s in seen):
                continue
            chosen.append(p)
            seen.append(terms)
            per_doc[p.doc_id] = per_doc.get(p.doc_id, 0) + 1
        return chosen


def within(points: list[Point], budget: int, least: int = 2) -> list[Point]:
    """The best points while their quotes fit in `budget` characters (at least `least` of them)."""
    kept: list[Point] = []
    for p in points:
        if len(kept) >= least and sum(len(k.quote) for k in kept) + len(p.quote) > budget:
            break
        kept.append(p)
    return kept


def _row(chunk: Any, start: int) -> int:
    """Where the table row holding offset `start` begins: rows are runs of lines between blank lines."""
    local = start - chunk.start
    if not 0 <= local <= len(chunk.text):
        return -1
    at = chunk.text.rfind("\n\n", 0, local)
    return chunk.start + (0 if at < 0 else at + 2)


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


@lru_cache(maxsize=20_000)
def unit_terms(heading: str, text: str) -> frozenset[str]:
    """A unit's stems with its chunk's heading: corpus text, the same for every question that retrieves it."""
    return frozenset(tokenize(f"{heading} {text}"))
