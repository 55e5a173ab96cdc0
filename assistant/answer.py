"""The default answerer: extractive. It picks sentences and bullet items from the
retrieved chunks and composes them into a short answer — a lead sentence, then
points, each ending in its citation. It never writes a word the documents do not
contain, apart from the lead line and the citation marks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.expand import Expansion
from assistant.prompts import load_prompt
from assistant.types import Citation, Retrieved
from index.lexical import tokenize
from index.store import ChromaStore
from index.types import Document


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
    kind: str = "sentence"  # "sentence" | "item" | "lead_in"


class ExtractiveAnswerer:
    """`ExtractiveAnswerer(store).run(query, query_vector, retrieved)` → ranked points."""

    def __init__(
        self,
        store: ChromaStore,
        max_points: int = 5,
        per_document: int = 2,
        margin: float = 0.15,
        overlap_weight: float = 0.3,
        lead_in_penalty: float = 0.15,
        max_points_for_lists: int = 16,
    ) -> None:
        self.store = store
        self.max_points = max_points
        self.per_document = per_document
        self.margin = margin
        self.overlap_weight = overlap_weight
        self.lead_in_penalty = lead_in_penalty
        self.max_points_for_lists = max_points_for_lists

    def candidates(self, question: Expansion, query_vector: np.ndarray, retrieved: list[Retrieved]) -> list[Point]:
        """Every unit of the retrieved chunks, scored against the question, best first."""
        if not retrieved:
            return []
        rank = {r.chunk.chunk_id: i for i, r in enumerate(retrieved)}
        heading = {r.chunk.chunk_id: r.chunk.heading for r in retrieved}
        metas, vectors, texts = self.store.unit_vectors(list(rank))
        if not metas:
            return []
        similarity = vectors @ np.asarray(query_vector, dtype=np.float32)
        points = []
        for meta, sim, text in zip(metas, similarity, texts, strict=True):
            cid = meta["chunk_id"]
            terms = set(tokenize(f"{heading[cid]} {text}"))
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
                )
            )
        points.sort(key=lambda p: (-p.score, p.doc_id, p.start))
        return points

    def select(self, candidates: list[Point]) -> list[Point]:
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


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 1.0


def citations_for(points: list[Point], docs: dict[str, Document]) -> list[Citation]:
    return [
        Citation(
            n=i,
            doc_id=p.doc_id,
            title=docs[p.doc_id].title if p.doc_id in docs else p.doc_id,
            authority=docs[p.doc_id].authority if p.doc_id in docs else "",
            heading=p.heading,
            quote=p.quote,
            start=p.start,
            end=p.end,
            page=docs[p.doc_id].page_at(p.start) if p.doc_id in docs else None,
        )
        for i, p in enumerate(points, start=1)
    ]


def compose(citations: list[Citation]) -> str:
    """A lead line naming the sources, then one verbatim point per citation."""
    sources: list[str] = []
    for c in citations:
        name = c.authority or c.title
        if name not in sources:
            sources.append(name)
    n_docs = len({c.doc_id for c in citations})
    lead = load_prompt("extractive_lead").render(
        n_documents=f"{n_docs} document{'s' if n_docs != 1 else ''}",
        sources=_join(sources),
    )
    # Items under a lead-in ("…includes:") already have their context: no section prefix.
    listed = any(c.quote.endswith(":") for c in citations)
    points = "\n".join(f"- {c.quote if listed else _in_context(c)} [{c.n}]" for c in citations)
    return f"{lead}\n\n{points}"


def _in_context(c: Citation) -> str:
    """A bare list item ("Youth offending") reads better after its section heading."""
    if c.heading and len(c.quote.split()) < 8 and not c.quote.endswith((".", "!", "?")):
        return f"{c.heading.split(' › ')[-1]}: {c.quote}"
    return c.quote


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
