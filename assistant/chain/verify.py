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
# Does a cited passage support the sentence that cites it? Checked offline: the words
# that change a statement's meaning must agree (numbers, dates and frequencies; a negation;
# the modal — must / should / may; the bodies and roles named), and then lexical
# containment (how much of the sentence's content is in the passage) or embedding
# similarity decides. Similarity measures topic, not entailment, so it never overrides
# the hard checks.

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


_NUMBER_WORDS = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "thousand",
    "million",
    "once",
    "twice",
    "thrice",
    "first",
    "second",
    "third",
    "annual",
    "annually",
    "yearly",
    "monthly",
    "weekly",
    "daily",
    "quarterly",
    "fortnightly",
    "biannual",
    "biennial",
    "half-yearly",
    "every",
    "each",
]
_NUMBER = re.compile(r"£?\d[\d,.]*%?|\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_MONTH = re.compile(r"\b(january|february|march|april|may|june|july|august|september|october|november|december)\b")
_NEGATION = re.compile(r"\b(not|no|never|neither|nor|none|nobody|nothing|cannot|without)\b|n['’]t\b", re.IGNORECASE)
_MODALS = {"must", "should", "may", "might", "can", "could", "will", "shall", "would", "ought", "need", "required"}
# Bodies and roles that are easy to swap for one another: named in a claim, they must be in its source.
_ROLES = re.compile(
    r"\b(DCS|LMCS|director|lead member|chief executive|leader|cabinet|scrutiny|ofsted|headteachers?|governors?|"
    r"police|health|schools forum|safeguarding (?:children(?:['’]s)? )?(?:board|partnership)|corporate parenting "
    r"(?:board|panel|group|committee)|children['’]?s trust|youth (?:council|parliament)|full council|mayor)\b",
    re.IGNORECASE,
)
_ROLE_ALIASES = {"dcs": "director", "lmcs": "lead member"}


def _numbers(text: str) -> set[str]:
    return {m.group().lower().strip(".,").replace(",", "") for m in _NUMBER.finditer(text)} | set(
        _MONTH.findall(text.lower())
    )


_QUALIFIERS = re.compile(r"\b(only|more than|less than|fewer than|at least|at most|up to|over|under|all|every)\b", re.I)


def _roles(text: str) -> list[str]:
    """The bodies and roles a text names, in order."""
    found = [" ".join(m.group().lower().replace("’", "'").split()) for m in _ROLES.finditer(text)]
    found = [_ROLE_ALIASES.get(r, r) for r in found]
    return [re.sub(r"children's |children ", "", r).rstrip("s") for r in found]


def _roles_agree(sentence: str, passage: str) -> bool:
    """Every body or role the sentence names is named by the passage, in the same order. A leading
    "lead member" may be the passage's implied subject ("Be a participating observer…" under
    "The LMCS should:"); anywhere else it must be there too ("the DCS holds the lead member to
    account" is not "holding the DCS to account")."""
    claimed, named = _roles(sentence), _roles(passage)
    if claimed[:1] == ["lead member"]:
        claimed = claimed[1:]
    it = iter(named)
    return all(role in it for role in claimed)


_CLAUSE = re.compile(r"[;:,]|\b(?:but|and|while|whereas|although)\b", re.IGNORECASE)


def _negations_agree(sentence: str, passage: str) -> bool:
    """Each clause of the sentence is negated exactly when the passage's clause it matches best is
    ("…not be part of the decision making" is no support for "…is part of the decision making")."""
    theirs = [c for c in _CLAUSE.split(passage) if c and c.strip()]
    for clause in (c for c in _CLAUSE.split(sentence) if c and len(tokenize(c)) >= 2):
        best = max(theirs, key=lambda t: containment(clause, t), default="")
        if bool(_NEGATION.search(clause)) != bool(_NEGATION.search(best)):
            return False
    return True


def meaning_agrees(sentence: str, passage: str) -> bool:
    """The words that flip a statement agree: no number, date or frequency the passage lacks; a
    negation in one only if in both; the same modal; no body or role the passage does not name."""
    if not _numbers(sentence) <= _numbers(passage):
        return False
    qualifiers = {q.lower() for q in _QUALIFIERS.findall(passage)}
    if not {q.lower() for q in _QUALIFIERS.findall(sentence)} <= qualifiers:
        return False
    if not _negations_agree(sentence, passage):
        return False
    modals = {w for w in re.findall(r"[a-z]+", sentence.lower()) if w in _MODALS}
    if not modals <= {w for w in re.findall(r"[a-z]+", passage.lower()) if w in _MODALS}:
        return False
    return _roles_agree(sentence, passage)


def supports(sentence: str, passage: str, similarity: float | None = None) -> bool:
    """The meaning-flipping words agree (`meaning_agrees`), and then lexical containment ≥ 0.6 or
    (when given) cosine similarity ≥ 0.75."""
    if not meaning_agrees(sentence, passage):
        return False
    if containment(sentence, passage) >= CONTAINMENT_SUPPORTS:
        return True
    return similarity is not None and similarity >= SIMILARITY_SUPPORTS
