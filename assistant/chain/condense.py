"""Make a follow-up question standalone, but only when it depends on what came before.

A question that leans on an earlier turn (a pronoun, or an ellipsis such as "and that?",
"what about Wigan?") is searched with that turn. A question with a subject of its own ("and
what about schools?", "how many schools are there?") is searched as itself: it keeps only the
council the conversation was about, until another is named, never the earlier topic.

>>> condense("Who chairs it?", [{"role": "user", "content": "What is the Corporate Parenting Board?"}])
'What is the Corporate Parenting Board? Who chairs it?'
>>> condense("And what about schools?", [{"role": "user", "content": "Do I attend the safeguarding board?"}])
'And what about schools?'
>>> condense("What about schools, who leads there?", [{"role": "user", "content": "Who chairs the board?"}])
'What about schools, who leads there?'
>>> condense("Different topic - who chairs it?", [{"role": "user", "content": "Who chairs Wigan's board?"}], {"wigan"})
'who chairs it? (Wigan)'
>>> condense("And the allowance for the job there?", [{"role": "user", "content": "Who chairs Wigan's?"}], {"wigan"})
'And the allowance for the job there? (Wigan)'
>>> asked = [{"role": "user", "content": "Who chairs Portsmouth's board?"}]
>>> condense("What about Wigan?", asked, frozenset({"wigan", "portsmouth"}))
'Who chairs board? What about Wigan?'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Protocol

from assistant.errors import LLMError
from index.lexical import tokenize

_OPENERS = re.compile(
    r"^\s*((ok|okay|right|thanks),?\s+)?(and|but|also|so|then|what about|how about|what else|why|how so|which of|"
    r"and what|is that|are they|does that|does it|do they|can you|tell me more|more on|same for|what if)\b",
    re.IGNORECASE,
)
_TOPIC = re.compile(r"^\s*((and|but|so|ok|okay|right)\s+)?(what about|how about|as for|regarding|turning to)\b")
# "Separate question: …", "Different topic - …", "Changing the subject, …": the user says the topic changes, so
# nothing of the earlier topic is searched (its council stays, as for any question with a subject of its own).
_CHANGE = re.compile(
    r"^\W*((ok|okay|right|thanks|thank you|cheers|great|got it)[,.!]?\s+)*"
    r"((a |on a )?(separate|different|new|unrelated) (question|topic|subject)|"
    r"(chang|switch)(e|es|ing)? (of )?(the )?(subject|topic)|on another (note|topic|subject)|moving on|unrelated|"
    r"something else)"
    # "Another question about the board:", "New question on the same topic:", "…on that:" go on with the topic
    r"(?!\s+(about|on|regarding|re)\b)(?![^:?]{0,30}\b(same|that|this|it)\b[^?]{0,3}[:,-])"
    r"\b[\s,.:;!?–—-]*",
    re.IGNORECASE,
)
_OPENER_WORDS = set(tokenize("and but also so then about else why how which same more tell ok okay right thanks"))
_ANAPHORA = {
    "it", "its", "that", "this", "they", "them", "their", "those", "these", "he", "she", "his", "her",
    "there", "ones", "one", "such",
}  # fmt: skip


def _words(text: str) -> set[str]:
    """Every word, pronouns included (tokenize drops them as stopwords)."""
    return set(re.findall(r"[a-z']+", text.lower()))


def _user_turns(history: Sequence[Any] | None) -> list[str]:
    out = []
    for t in history or []:
        role = t.get("role") if isinstance(t, dict) else getattr(t, "role", "")
        content = t.get("content", "") if isinstance(t, dict) else getattr(t, "content", "")
        if role == "user" and str(content).strip():
            out.append(str(content).strip())
    return out


def depends_on_earlier(question: str, councils: frozenset[str] = frozenset()) -> bool:
    """Does the question need an earlier turn for its meaning (a pronoun, or no subject of its own)?"""
    # "how many are there", "is there a…": an existential "there" points back at nothing.
    plain = re.sub(r"\b(is|are|was|were)\s+there\b|\bthere\s+(is|are|was|were)\b", " ", question.lower())
    words = _words(plain)
    # "What about safeguarding, what's my role there?": the pronoun points back at the topic the question
    # itself opens with ("Cheers, who chairs it?" opens with none).
    first, _, rest = plain.partition(",")  # rest is empty without a comma
    own_subject = set(tokenize(first)) - _OPENER_WORDS - councils
    if _TOPIC.match(first) and rest.strip() and own_subject and not _ANAPHORA & _words(first):
        return False
    return bool(_ANAPHORA & words) or is_ellipsis(question, councils)


def _only_there(question: str, councils: frozenset[str]) -> bool:
    """ "What's the allowance for the job there?": "there" is the only word pointing back, and the question has a
    subject of its own (two words or more), so it points at the council the conversation was about, not its topic.
    "What happens there?" has no subject of its own: it follows on."""
    return (
        _ANAPHORA & _words(question) == {"there"}
        and len(set(tokenize(question)) - _OPENER_WORDS - councils - {"there"}) >= 2
    )


# "and care leavers?", "what about the panel?": a noun phrase only, no question of its own.
_FRAGMENT = re.compile(
    r"^\W*(?:(?:ok|okay|right)[,.]?\s+)?(?:(?:(?:and|or|also)\s+)?(?:what|how) about|and|or|also)\s+"
    r"(?!(?:what|who|whom|when|where|which|how|why|is|are|was|were|do|does|did|can|could|should|will|would|has|have|"
    r"that|this|it|them|those|these)\b)([\w'’-]+(?:\s+[\w'’-]+){0,3})\W*$",
    re.IGNORECASE,
)
# The question a fragment asks again: "How many children…" → "How many".
_FRAME = re.compile(r"^\W*(how (?:many|much|often|long|soon))\b", re.IGNORECASE)


def _framed(question: str, before: str) -> str:
    """A fragment after a "how many" or "how often" question asks that again of its own subject:
    "and care leavers?" after "How many children does Eldersham look after?" is "How many care leavers?"."""
    if len(question) > 80:  # a fragment is short
        return question
    fragment, frame = _FRAGMENT.match(question), _FRAME.match(before)
    if fragment and _ANAPHORA & _words(fragment.group(1)):
        return question  # "and the allowance there?" points back: not a fragment
    return f"{frame.group(1).capitalize()} {fragment.group(1)}?" if fragment and frame else question


def is_ellipsis(question: str, councils: frozenset[str] = frozenset()) -> bool:
    """No subject of its own ("What about Lynchmere?", "and Wigan?"): it asks again what the turn before asked."""
    return not set(tokenize(question)) - _OPENER_WORDS - councils


def is_follow_up(question: str) -> bool:
    """Does the question read as a follow-up at all (an opener, a pronoun, or almost no words)?"""
    return bool(_OPENERS.match(question)) or depends_on_earlier(question)


def condense(
    question: str, history: Sequence[Any] | None, councils: frozenset[str] = frozenset(), max_turns: int = 3
) -> str:
    """The question to search for: itself, itself plus the council the conversation was about,
    or (when it depends on them) prefixed with the turns it follows on from."""
    users = _user_turns(history)[-max_turns:]
    if not users:
        return question
    earlier = condense(users[-1], [{"role": "user", "content": u} for u in users[:-1]], councils)
    changed = _CHANGE.match(question)
    if changed and question[changed.end() :].strip():
        question = question[changed.end() :]
    named_now = set(tokenize(question)) & councils
    # The council as the user wrote it ("Saltmarsh"), so the scope stage reads it as a name.
    named_before = [w for w in re.findall(r"[A-Z][\w'’-]*", earlier) if set(tokenize(w)) & councils]
    there = bool(named_before) and _only_there(question, councils)  # "…the allowance for the job there?": the council
    if not changed and not is_ellipsis(question, councils):  # "and care leavers?" → "How many care leavers?"
        question = _framed(question, users[-1])
    if not changed and not there and depends_on_earlier(question, councils):
        if named_now:  # "What about Lynchmere?": the earlier topic, asked of the council named now
            kept = (w for w in earlier.split() if not (w[:1].isupper() and set(tokenize(w)) & councils))
            earlier = " ".join(kept)
        return f"{earlier} {question}"
    if named_before and not named_now:  # the conversation's council stays its scope until another is named
        names = dict.fromkeys(re.sub(r"['’]s$", "", w) for w in named_before)
        return f"{question} ({' '.join(names)})"
    return question


class _Rewriter(Protocol):
    def condense(self, question: str, earlier: list[str]) -> str | None: ...


def standalone(question: str, history: Sequence[Any], councils: frozenset[str], model: _Rewriter | None = None) -> str:
    """A follow-up made standalone: by the model when there is one and the rule says it follows on, else by rule."""
    by_rule = condense(question, history, councils)
    if model is None or by_rule == question:
        return by_rule
    try:
        return model.condense(question, _user_turns(history)[-3:]) or by_rule
    except LLMError:
        return by_rule
