"""Check every quote against its source before an answer leaves the chain.

A citation passes only if its quote is, character for character, the text of its
document between `start` and `end`. Nothing else is trusted: not the answerer, not
the store's copy of a sentence, not a language model.
"""

from __future__ import annotations

from collections.abc import Mapping

from assistant.types import Citation


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
