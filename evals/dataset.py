"""Eval datasets: immutable, versioned JSONL files in evals/datasets/ (a changed set is a new version)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATASETS = Path(__file__).resolve().parent / "datasets"
CATEGORIES = (
    "fact",
    "paraphrase",
    "statutory",
    "synthesis",
    "follow_up",
    "unanswerable",
    "off_topic",
    "adversarial",
)


@dataclass(frozen=True)
class Evidence:
    doc_id: str
    text: str  # verbatim in the document's cleaned text


@dataclass(frozen=True)
class EvalItem:
    id: str
    category: str
    question: str
    answerable: bool
    history: list[dict[str, str]] = field(default_factory=list)
    facts: list[list[str]] = field(default_factory=list)  # each fact: acceptable alternatives
    evidence: list[Evidence] = field(default_factory=list)
    min_docs: int = 1

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> EvalItem:
        return cls(
            id=row["id"],
            category=row["category"],
            question=row["question"],
            answerable=bool(row["answerable"]),
            history=row.get("history") or [],
            facts=row.get("facts") or [],
            evidence=[Evidence(e["doc_id"], e["text"]) for e in row.get("evidence") or []],
            min_docs=int(row.get("min_docs", 1)),
        )


def dataset_path(name: str) -> Path:
    path = Path(name)
    return path if path.suffix == ".jsonl" else DATASETS / f"{name}.jsonl"


def load_dataset(name: str = "v1") -> list[EvalItem]:
    lines = dataset_path(name).read_text(encoding="utf-8").splitlines()
    return [EvalItem.from_json(json.loads(line)) for line in lines if line.strip()]


def problems(items: list[EvalItem], texts: dict[str, str]) -> list[str]:
    """What is wrong with a dataset against the cleaned corpus texts (empty when it is sound)."""
    found: list[str] = []
    ids = [i.id for i in items]
    found += [f"duplicate id {i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for item in items:
        if item.category not in CATEGORIES:
            found.append(f"{item.id}: unknown category {item.category!r}")
        if item.answerable and not (item.facts and item.evidence):
            found.append(f"{item.id}: an answerable item needs facts and evidence")
        if not item.answerable and (item.facts or item.evidence):
            found.append(f"{item.id}: an unanswerable item has no facts or evidence")
        for ev in item.evidence:
            if ev.doc_id not in texts:
                found.append(f"{item.id}: unknown document {ev.doc_id}")
            elif ev.text not in texts[ev.doc_id]:
                found.append(f"{item.id}: evidence not verbatim in {ev.doc_id}: {ev.text[:60]!r}")
    return found
