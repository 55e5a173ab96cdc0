"""Check every quote against its source before an answer leaves the chain.

A citation passes only if its quote is, character for character, the text of its
document between `start` and `end`. Nothing else is trusted: not the answerer, not
the store's copy of a sentence, not a language model.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.types import Citation
from index.lexical import tokenize


def quote_is_verbatim(citation: Citation, texts: Mapping[str, str]) -> bool:
    text = texts.get(citation.doc_id)
    return (
        text is not None
        and bool(citation.quote.strip())
        and 0 <= citation.start < citation.end <= len(text)
        and text[citation.start : citation.end] == citation.quote
    )


def verify(citations: list[Citation], texts: Mapping[str, str]) -> tuple[list[Citation], list[Citation]]:
    """Split citations into (verbatim, not verbatim)."""
    good = [c for c in citations if quote_is_verbatim(c, texts)]
    bad = [c for c in citations if not quote_is_verbatim(c, texts)]
    return good, bad


# --- citation support -------------------------------------------------------------
# Does a cited passage support the sentence that cites it? Checked offline, two ways:
# lexical containment (how much of the sentence's content is in the passage) and
# embedding similarity. Limits: neither detects negation or a changed number, and
# similarity measures topic, not entailment; containment is exact for extractive
# answers and is the stricter of the two.

_MARKER = re.compile(r"\s*\[(\d+)\]")
CONTAINMENT_SUPPORTS = 0.6
SIMILARITY_SUPPORTS = 0.75


def cited_sentences(answer: str) -> list[tuple[str, list[int]]]:
    """The claims of an answer, each with the citation numbers it carries.

    Framing lines (ending in ':') are not claims. Text up to a citation mark is one claim,
    so a point of two sentences with one mark at its end is one claim.
    """
    claims: list[tuple[str, list[int]]] = []
    for line in answer.splitlines():
        line = line.strip().lstrip("-*• ").strip()
        if not line or line.endswith(":"):
            continue
        for sentence in re.split(r"(?<=\])[.,;]?\s+(?=[^\[\s])", line):
            numbers = [int(n) for n in _MARKER.findall(sentence)]
            text = _MARKER.sub("", sentence).strip()
            if text:
                claims.append((text, numbers))
    return claims


def containment(sentence: str, passage: str) -> float:
    """The share of the sentence's content words that the passage contains."""
    words = set(tokenize(sentence))
    return len(words & set(tokenize(passage))) / len(words) if words else 1.0


def supports(sentence: str, passage: str, similarity: float | None = None) -> bool:
    """Lexical containment ≥ 0.6, or (when given) cosine similarity ≥ 0.75."""
    if containment(sentence, passage) >= CONTAINMENT_SUPPORTS:
        return True
    return similarity is not None and similarity >= SIMILARITY_SUPPORTS
