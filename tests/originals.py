"""Quotes checked against the corpus's original files (see evals/originals.py)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from evals.originals import in_original

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@lru_cache(maxsize=1)
def corpus_files() -> dict[str, Path]:
    manifest = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))
    return {row["doc_id"]: CORPUS / row["file"] for row in manifest["document"]}


def in_corpus_file(quote: str, doc_id: str) -> bool:
    return in_original(quote, corpus_files()[doc_id])
