"""Broad questions about the role ("what must I do as LMCS?", "what are my duties?") are answered
theme by theme: each theme of the role (corpus/themes.toml) is searched within the question's
scope, and the best passage that answers it — if one does — becomes one point. The answer then
covers safeguarding, corporate parenting, education, SEND, partnership, participation and
holding the DCS to account, rather than the four sentences nearest the words "my duties".
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.chain.select import Point
from assistant.chain.snapshot import CorpusSnapshot
from index.lexical import tokenize

if TYPE_CHECKING:
    from assistant.chain.pipeline import AnswerChain

_ROLE_BROAD = re.compile(
    r"\bwhat (must|should|do) i (do|be doing)\b|\bwhat (are|is) (my|the|their|his|her) (main |key |statutory )?"
    r"(duties|responsibilities|role|roles|job)\b|\bwhat does (the|a) (lead member|lmcs)\b.*\bdo\b"
    r"|\bwhat (are|is) (the )?(lmcs|lead member)'?s? (main |key )?(duties|responsibilities|role)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Theme:
    name: str
    query: str


def load_themes(path: Path) -> list[Theme]:
    if not Path(path).exists():
        return []
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return [Theme(t["name"], t["query"]) for t in data.get("theme", [])]


# Words that only name the role or ask about it: a broad question has no other subject.
_ROLE_WORDS = frozenset(
    tokenize(
        "lmcs lead member children's services role duties duty responsibilities job main key statutory do must "
        "should need have doing councillor cabinet portfolio holder executive"
    )
)


def asks_about_the_whole_role(question: str) -> bool:
    """The whole role ("what must I do as LMCS?"), not one part of it ("what does the LMCS have to
    do under the Equality Act?")."""
    return bool(_ROLE_BROAD.search(question)) and not (set(tokenize(question)) - _ROLE_WORDS)


def by_themes(chain: AnswerChain, snapshot: CorpusSnapshot, scope: list[str] | None) -> list[Point]:
    """The best passage answering each theme of the role, one point per theme, no repeats."""
    points: list[Point] = []
    for theme in chain.themes:
        expansion = chain.expander.run(theme.query, snapshot)
        vector = chain.embedder.embed_query(expansion.query)
        _, candidates = chain.search(expansion, vector, snapshot, 4, scope)
        answering = chain.answerability.run(theme.query, expansion, candidates, subject=theme.name)
        fresh = [p for p in answering if all((p.doc_id, p.start) != (q.doc_id, q.start) for q in points)]
        if fresh:
            points.append(fresh[0])
    return points
