"""Quiz marking by meaning as well as words: does a participant's answer cover a key point?

A key point counts as covered when the answer contains most of its words (stemmed, with the
corpus's acronyms and the domain thesaurus applied to both sides), or when some clause of
the answer means the same (embedding cosine at or above a threshold fitted on a labelled set,
tests/data/quiz_marking.toml), and the two agree on negation: "votes on decisions" is not
"not part of decision making".

    >>> from index.embed import load_embedder
    >>> marker = Marker(embedder=load_embedder(), acronyms={"DCS": "Director of Children’s Services"})
    >>> marker.mark("I don't vote on decisions", ["not part of decision making"])
    {'not part of decision making': True}
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.chain.verify import containment

WORDS_COVERED = 0.5  # share of a key point's content words found in the answer
# Fitted on tests/data/quiz_marking.toml (all-MiniLM-L6-v2 via ONNX): the middle of the thresholds
# with the best accuracy there. Refit with `fit_threshold` when the model changes.
MEANING_COVERED = 0.35
_NEGATION = re.compile(r"\b(not|no|never|nor|without|neither|cannot)\b|n[’']t\b", re.IGNORECASE)
_CLAUSES = re.compile(r"[.;:!?\n]+|,\s+|\s+(?:and|but|while|whereas)\s+", re.IGNORECASE)


def negated(text: str) -> bool:
    return bool(_NEGATION.search(text))


def clauses(text: str) -> list[str]:
    """The answer, each sentence and each clause of it: a key point may sit in any one of them."""
    parts = [p.strip() for p in _CLAUSES.split(text) if len(p.strip()) > 2]
    sentences = [s.strip() for s in re.split(r"[.;!?\n]+", text) if len(s.strip()) > 2]
    return list(dict.fromkeys([text.strip(), *sentences, *parts]))


@dataclass
class Marker:
    """Marks answers against key points; with no embedder it marks by words alone."""

    embedder: Any = None
    acronyms: dict[str, str] = field(default_factory=dict)
    thesaurus: dict[str, list[str]] = field(default_factory=dict)
    threshold: float = MEANING_COVERED

    @classmethod
    def from_corpus(cls, corpus_dir: Path, embedder: Any = None) -> Marker:
        """The corpus's own acronym definitions and its thesaurus (corpus/thesaurus.toml)."""
        from index.acronyms import find_acronyms

        acronyms: dict[str, str] = {}
        for path in sorted(Path(corpus_dir).glob("*.txt")):
            for short, long in find_acronyms(path.read_text(encoding="utf-8")).items():
                acronyms.setdefault(short, long)
        thesaurus_file = Path(corpus_dir) / "thesaurus.toml"
        terms = (
            tomllib.loads(thesaurus_file.read_text(encoding="utf-8")).get("terms", {})
            if thesaurus_file.exists()
            else {}
        )
        return cls(embedder=embedder, acronyms=acronyms, thesaurus=terms)

    def widen(self, text: str) -> str:
        """The text with each acronym spelt out and each everyday phrase's statutory words added."""
        out = text.replace("'", "’")
        for short, long in self.acronyms.items():
            out = re.sub(rf"\b{re.escape(short)}\b", f"{short} ({long})", out)
        lower = out.lower()
        extra = [
            alt for phrase, alts in self.thesaurus.items() if re.search(_phrase_pattern(phrase), lower) for alt in alts
        ]
        return out + (" (" + "; ".join(extra) + ")" if extra else "")

    def similarity(self, answer: str, key_point: str) -> float:
        """The best cosine between the key point and any clause of the answer agreeing with it on negation."""
        if self.embedder is None:
            return 0.0
        candidates = [c for c in clauses(answer) if negated(c) == negated(key_point)]
        if not candidates:
            return 0.0
        vectors = np.asarray(self.embedder.embed_documents([key_point, *candidates]), dtype=float)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-12
        return float((vectors[1:] @ vectors[0]).max())

    def covers(self, answer: str, key_point: str) -> bool:
        if not answer.strip():
            return False
        wide_answer, wide_point = self.widen(answer), self.widen(key_point)
        by_words = containment(key_point, wide_answer) >= WORDS_COVERED or containment(wide_point, wide_answer) >= 0.8
        if by_words and negated(answer) == negated(key_point):
            return True
        return self.similarity(answer, key_point) >= self.threshold

    def mark(self, answer: str, key_points: Iterable[str]) -> dict[str, bool]:
        return {kp: self.covers(answer, kp) for kp in key_points}


def _phrase_pattern(phrase: str) -> str:
    """A thesaurus phrase with any ending on its last word: "scrutinise" finds "scrutinising"."""
    stem = re.sub(r"(e|es|s|ing)$", "", phrase.lower()) if len(phrase) > 4 else phrase.lower()
    return rf"\b{re.escape(stem)}\w*"


def fit_threshold(marker: Marker, pairs: list[tuple[str, str, bool]]) -> tuple[float, float]:
    """(threshold, accuracy): the middle of the thresholds with the best accuracy on labelled
    (answer, key point, covered) pairs, word matches counted as the marker counts them."""
    scored = []
    for answer, key_point, covered in pairs:
        no_meaning = Marker(None, marker.acronyms, marker.thesaurus).covers(answer, key_point)
        scored.append((no_meaning, marker.similarity(answer, key_point), covered))
    results = []
    for t in np.arange(0.30, 0.90, 0.01):
        right = sum((words or s >= t) == covered for words, s, covered in scored)
        results.append((round(float(t), 2), right / len(scored)))
    best = max(a for _, a in results)
    band = [t for t, a in results if a == best]
    return round((band[0] + band[-1]) / 2, 2), best


def load_pairs(path: Path) -> list[tuple[str, str, bool]]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return [(p["answer"], p["key_point"], bool(p["covered"])) for p in data["pair"]]
