"""Condense a follow-up question with the conversation's earlier user turns.

>>> condense("What about Wigan?", [{"role": "user", "content": "What is corporate parenting?"}])
'What is corporate parenting? What about Wigan?'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from index.lexical import tokenize

_OPENERS = re.compile(
    r"^\s*(and|but|also|so|then|what about|how about|what else|why|how so|which of|and what|"
    r"is that|are they|does that|does it|do they|can you|tell me more|more on|same for|what if)\b",
    re.IGNORECASE,
)
_ANAPHORA = {
    "it",
    "its",
    "that",
    "this",
    "they",
    "them",
    "their",
    "those",
    "these",
    "he",
    "she",
    "his",
    "her",
    "there",
    "ones",
    "one",
}


def is_follow_up(question: str) -> bool:
    """Does the question lean on an earlier turn for its meaning?"""
    words = re.findall(r"[a-z']+", question.lower())
    return bool(_OPENERS.match(question)) or bool(_ANAPHORA & set(words)) or len(tokenize(question)) <= 1


def condense(question: str, history: Sequence[dict[str, Any]] | None, max_turns: int = 3) -> str:
    """The question to search for: itself, or prefixed with the turns it follows on from."""
    users = [str(t.get("content", "")).strip() for t in history or [] if t.get("role") == "user"]
    users = [u for u in users if u][-max_turns:]
    if not users or not is_follow_up(question):
        return question
    return f"{condense(users[-1], [{'role': 'user', 'content': u} for u in users[:-1]])} {question}"
