"""Eval datasets: immutable, versioned JSONL files in evals/datasets/ (a changed set is a new version).

Each dataset runs on its own corpus: the project's corpus/, plus, for v2, v3, v4, v5, dev2, dev3, dev4 and dev5,
the unseen councils' files under evals/corpora/ (ingested with no metadata, as a council's own upload
would be). v2, v3, v4 and v5 are held out: never used to tune thresholds, weights, the thesaurus or code
(v3 was written after v2 had been looked at while fixing bugs, v4 after v3, v5 after v4; see evals/corpora/README.md).
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
DATASETS = ROOT / "datasets"
CORPORA = ROOT / "corpora"
CATEGORIES = (
    "fact",
    "paraphrase",
    "statutory",
    "synthesis",
    "follow_up",
    "scoped",
    "unanswerable",
    "wrong_council",
    "off_topic",
    "adversarial",
)
# The folders each dataset's corpus adds to corpus/ (v1 and dev: corpus/ alone).
EXTRA_CORPORA = {
    "v2": ("heldout",),
    "dev2": ("dev",),
    "v3": ("heldout3",),
    "dev3": ("dev3",),
    "v4": ("heldout4",),
    "dev4": ("dev4",),
    "v5": ("heldout5",),
    "dev5": ("dev5",),
}
NATIONAL_KINDS = frozenset({"legislation", "statutory guidance"})


@dataclass(frozen=True)
class Evidence:
    text: str  # verbatim as a reader sees the document
    doc_id: str | None = None  # a document of corpus/
    file: str | None = None  # or a file under evals/corpora/


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
    council: str | None = None  # the council the question names or means
    lookup: bool = False  # one short fact answers it
    answer_type: str | None = None
    topic_change: bool | None = None  # a follow-up that changes topic

    @classmethod
    def from_json(cls, row: dict[str, Any]) -> EvalItem:
        return cls(
            id=row["id"],
            category=row["category"],
            question=row["question"],
            answerable=bool(row["answerable"]),
            history=row.get("history") or [],
            facts=row.get("facts") or [],
            evidence=[Evidence(e["text"], e.get("doc_id"), e.get("file")) for e in row.get("evidence") or []],
            min_docs=int(row.get("min_docs", 1)),
            council=row.get("council"),
            lookup=bool(row.get("lookup", False)),
            answer_type=row.get("answer_type"),
            topic_change=row.get("topic_change"),
        )


def dataset_path(name: str) -> Path:
    path = Path(name)
    return path if path.suffix == ".jsonl" else DATASETS / f"{name}.jsonl"


def load_dataset(name: str = "v1") -> list[EvalItem]:
    lines = dataset_path(name).read_text(encoding="utf-8").splitlines()
    return [EvalItem.from_json(json.loads(line)) for line in lines if line.strip()]


def corpus_folders(name: str, corpus_dir: Path) -> list[Path]:
    """What to index for a dataset: corpus/ and its extra folders of unseen councils."""
    return [corpus_dir, *(CORPORA / f for f in EXTRA_CORPORA.get(Path(name).stem, ()))]


@dataclass(frozen=True)
class Truth:
    """Ground truth about each source, from evals/corpora/councils.toml: its council and kind."""

    by_file: dict[str, dict[str, str]]  # path under evals/corpora/ → {authority, kind}
    by_doc_id: dict[str, dict[str, str]]  # corpus/ doc_id → {authority, kind}

    @classmethod
    def load(cls) -> Truth:
        data = tomllib.loads((CORPORA / "councils.toml").read_text(encoding="utf-8"))
        return cls({f["file"]: f for f in data["file"]}, {s["doc_id"]: s for s in data["seed"]})

    def of_source(self, source: str, doc_id: str) -> dict[str, str]:
        """The truth for an indexed document, by its source path (unseen files) or doc_id (corpus/)."""
        try:
            rel = Path(source).resolve().relative_to(CORPORA.resolve()).as_posix()
        except ValueError:
            rel = ""
        return self.by_file.get(rel) or self.by_doc_id.get(doc_id) or {}


def problems(items: list[EvalItem], texts: dict[str, str], file_ids: dict[str, str] | None = None) -> list[str]:
    """What is wrong with a dataset against the cleaned corpus texts (empty when it is sound).
    `file_ids` maps an evidence `file` to the doc_id it was indexed under."""
    file_ids = file_ids or {}
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
            doc_id = ev.doc_id or file_ids.get(ev.file or "")
            if doc_id not in texts:
                found.append(f"{item.id}: unknown document {ev.doc_id or ev.file}")
            elif ev.text not in texts[doc_id]:
                found.append(f"{item.id}: evidence not verbatim in {doc_id}: {ev.text[:60]!r}")
    return found
