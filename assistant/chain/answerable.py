"""Does a candidate passage answer the question? Judged on what the passage itself says, not on a
corpus-wide score: it must cover the question's salient subject (its most specific words, or the
corpus's acronyms and synonyms for them), and hold what the question asks for — a number, a date,
a frequency, a person or body. "How many foster carers does Northmoor have?" is not answered by a
Northmoor sentence that has a number but no foster carers, nor by one about foster carers with
no number.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise

from assistant.chain import asks
from assistant.chain.abstain import _FREQUENCY, _HAS_DATE, _QUANTITY
from assistant.chain.context import antecedent, faq_question, is_question, points_to
from assistant.chain.counting import counted, counts
from assistant.chain.expand import ASKING, Expansion
from assistant.chain.select import Point
from index.lexical import stopwords, tokenize

_WANTS = [
    ("frequency", re.compile(r"\bhow (often|frequently|regularly)\b|\bhow many times\b|\bwhat frequency\b", re.I)),
    (
        "number",
        re.compile(
            r"\bhow (many|much|long|old)\b|\bhow (big|large)\b(?! a (part|role)\b)"
            r"|\bwhat (number|percentage|proportion|amount|size|cost|salary|allowance|fee|sum|age)\b"
            # "What net budget…", "What is Thornwick's children's services budget…", "What's the key decision
            # threshold…"; not the budget's process or strategy, nor the threshold for a plan.
            r"|^\s*what ([\w-]+ )?budget\b(?!\s+(process|strategy|setting|plan|role|responsibilit))"
            r"|^\s*what(['’]s| is| was| are| were) (the |its |their |[\w\s]{0,40}?['’]s )?([\w'’/-]+ ){0,3}"
            r"(threshold|limit|ceiling|budget|cost|salary|allowance|amount)s?\b"
            r"(?!\s+(process|strategy|setting|plan|role|responsibilit|of my|for (a|an|the) [\w\s-]{0,30}?plan))",
            re.I,
        ),
    ),
    ("date", re.compile(r"^\s*when\b|\b(what|which) (date|year|day|month)\b|\bsince when\b|\bby when\b", re.I)),
    (
        "person_or_body",
        re.compile(r"^\s*(who|whom)\b|\bwhich (board|committee|panel|body|group|forum|person|officer|member)\b", re.I),
    ),
]
# "Am I allowed to…", "are we supposed to…": the asking, not the subject ("can I…" says the same).
_MODAL = re.compile(
    r"\b(allowed|permitted|supposed|meant|able|entitled|expected|obliged)\s+to\b"
    r"|\bwhat (part|role)s? (?:do|does|did|should|must|can|will|could) .{1,40}?\b(play)\b",  # "what part do I play"
    re.I,
)
# "Which day of the week…", "what time of year…": asking when, no subject.
# "…at the end of March", "…this year", "in 2024/25": when, a passage's context, not its subject.
_WHEN_ASKED = re.compile(
    r"\b(which|what) (day|days|date|time|month)s? of (the )?(week|month|year)\b"
    r"|\b(at|by|in|on|for|during|from|until) (the )?(end|start|beginning|middle|close) of (the )?([\w/]+ )?"
    r"(year|month|term|quarter|january|february|march|april|june|july|august|september|october|november|december)\b"
    r"|\b(this|last|next|the past|the last) (year|month|week|term|quarter)\b",
    re.I,
)
# The role itself ("the lead member", "the LMCS", "the job", "the children's brief") is every passage's implied
# subject: it is no part of what a question asks about ("How often does the lead member meet X?" asks about X).
ROLE = frozenset(tokenize("lmcs lead member councillor cabinet portfolio holder executive job brief"))
_BODY = re.compile(
    r"\b(directors?|members?|boards?|committees?|panels?|councils?|officers?|chief|leaders?|cabinet|partnerships?|"
    r"trusts?|forums?|groups?|ofsted|headteachers?|governors?|mayor|commissioners?|scrutiny|holders?|councillors?|"
    r"executive|teams?|chair(man|woman|person)?s?|heads?|managers?|authorit(y|ies)|department|secretary of state|"
    r"partners|parliament|assembly|agenc(y|ies)|police|"
    # Not any acronym: "SEND" and "DSG" name no one.
    r"DCS|LMCS|DfE|NHS|ICB|LSCP|IRO|LADO)\b",
    re.I,
)
_HAS = {
    "frequency": _FREQUENCY,
    "number": re.compile(rf"{_QUANTITY.pattern}|\bboth of\b", _QUANTITY.flags),  # "both of the council's homes"
    "date": _HAS_DATE,
    "person_or_body": _BODY,
}


# "Do I get a say in how much money schools get?" asks yes or no, not for an amount.
_YES_NO = re.compile(r"^\s*(do|does|did|is|are|am|was|were|can|could|should|must|will|would|has|have|may)\b", re.I)


def wanted_type(question: str) -> str | None:
    """What the question asks for, if it asks for a particular kind of fact."""
    part = _asked_part(question)
    if _YES_NO.match(part):
        return None
    asked = _LEAD.sub("", part, count=1)  # "OK. What's the threshold there?"
    for kind, pattern in _WANTS:
        if pattern.search(question) or pattern.search(asked):
            return kind
    return None


def has_type(text: str, kind: str | None) -> bool:
    return kind is None or bool(_HAS[kind].search(text))


@lru_cache(maxsize=20_000)
def _quote_has(quote: str, kind: str | None) -> bool:
    """`has_type` of a corpus passage: the same for every question that retrieves it."""
    return has_type(quote, kind)


def salient_terms(expansion: Expansion, share: float = 0.6, within: str | None = None) -> list[str]:
    """The question's subject: its terms weighted by rarity in the corpus and in English, those
    within `share` of the weightiest ("foster", "carer" in "how many foster carers…"), weightiest first.
    `within`: only the terms of this part of the question."""
    part = set(tokenize(within)) if within is not None else expansion.terms
    modal = set(tokenize(" ".join(w for m in _MODAL.finditer(within or expansion.query) for w in m.groups() if w)))
    modal |= set(tokenize(" ".join(m.group() for m in _WHEN_ASKED.finditer(within or expansion.query))))
    asking = {
        # Rarity in the corpus still ranks everyday words ("looked after", "rights") among themselves.
        t: expansion.weights.get(t, 1.0) * max(expansion.specificity.get(t, 1.0), 0.05)
        for t in expansion.terms & part
        if len(t) > 2  # "co" of "co-chair"
        and t not in ASKING  # "often" asks, it is no subject
        and t not in stopwords()  # "sorts": an inflected word whose base carries no topic ("sort")
        and t not in modal
        and t not in expansion.foreign  # no passage can hold a word the corpus never uses: the policy weighs those
    }
    # The role is no subject, unless a count of it is what is asked ("How many Executive Members are there?"):
    # "Who is the lead member?" is not answered by any sentence that names the lead member.
    weight = {t: w for t, w in asking.items() if t not in ROLE}
    if not weight and set(counted(within or expansion.query)) & ROLE:
        weight = asking
    if not weight:
        return []
    # A word almost every passage holds ("children") tells none apart: the subject is in the others
    # ("looked after", however everyday "look" is), when there are others.
    if set(weight) - expansion.everywhere:
        weight = {t: w for t, w in weight.items() if t not in expansion.everywhere}
    top = max(weight.values())
    return sorted((t for t, w in weight.items() if w >= share * top), key=lambda t: (-weight[t], t))


# Words for money a sum in pounds stands for: "Can I sign off a £300k spend?" · "Up to £200,000 for a single decision".
_MONEY = frozenset(tokenize("spend spending cost costs money funding expenditure price worth"))


@lru_cache(maxsize=20_000)
def _tokens(text: str) -> tuple[str, ...]:
    """A passage's words, once per passage: the same passages come back question after question."""
    return tuple(tokenize(text))


@lru_cache(maxsize=20_000)
def _word_set(text: str) -> frozenset[str]:
    return frozenset(_tokens(text))


def hits(expansion: Expansion, terms: list[str], text: str) -> int:
    """How many of the salient terms the text holds, itself or by a word the corpus or thesaurus relates."""
    found = _word_set(text)
    pounds = "£" in text
    return sum(
        bool(t in found or expansion.related.get(t, frozenset()) & found or (pounds and t in _MONEY)) for t in terms
    )


def enough(found: int, terms: list[str], yes_no: bool = False) -> bool:
    """Enough of the salient terms to hold the subject: all of one or two, two of three ("Family Hubs …
    in the county" is answered without "county"). A yes/no question asks about all it names: "Are the Corporate
    Parenting Board's meetings open to the public?" is not answered by a passage on the board that says nothing
    of the public; one term in four may still be missing."""
    return found >= len(terms) - (len(terms) // (4 if yes_no else 3))


class Answerability:
    """`Answerability().run(question, expansion, candidates)` → the candidates that answer it."""

    def __init__(self, floor: float = 0.2, look: int = 30) -> None:
        self.floor = floor  # below this similarity a passage is about something else
        self.look = look

    def run(
        self,
        question: str,
        expansion: Expansion,
        candidates: list[Point],
        earlier: str = "",
        subject: str | None = None,
        kind: str | None = "",
    ) -> list[Point]:
        """`earlier`: the turns a follow-up was searched with ("who else sits on it?" after "Who chairs
        the Corporate Parenting Board?"): their subject is the follow-up's subject too. `subject`: the
        part of the question a passage must hold (a theme's name, of its longer search query)."""
        kind = wanted_type(question) if kind == "" else kind  # "": not given (`wanted_type(question)` when it is)
        terms = salient_terms(expansion, within=subject)
        if earlier:
            terms = list(
                dict.fromkeys(salient_terms(expansion, within=earlier) + salient_terms(expansion, within=question))
            )
        if not terms or asks.unknown_body(question, expansion.foreign):
            return []
        answering = []
        what = counted(question) if kind == "number" else []
        yes_no = bool(_YES_NO.match(_asked_part(question)))
        ahead, meeting = asks.asks_next(question, kind), asks.names_a_meeting(question)  # asks.py
        own = tokenize(question)
        asked_pairs = set(pairwise(own))
        in_chunk: dict[str, list[Point]] = {}  # antecedent() looks only within a point's chunk
        for c in candidates:
            in_chunk.setdefault(c.chunk_id, []).append(c)
        for p in candidates[: self.look]:
            # A list's lead-in ("The Lead Member will:") answers nothing, unless it holds what is asked ("For those
            # in the age range 0-19:").
            lead_in = p.kind == "lead_in" and kind not in {"number", "date", "frequency"}
            if p.similarity < self.floor or lead_in or is_question(p.quote) or not _quote_has(p.quote, kind):
                continue
            before = antecedent(p, in_chunk[p.chunk_id])
            asked_there = faq_question(p, in_chunk[p.chunk_id])
            if (
                asked_there is not None
                and wanted_type(asked_there.quote) != kind
                and not points_to(p, before, asked_there)
            ):
                # An FAQ asking another kind of thing lends its subject to no date or count, unless the sentence
                # points back at it ("Who chairs the Panel?" · "The Lead Member chairs it." · "It meets eight times…").
                asked_there = None
            said = " ".join(x.quote for x in dict.fromkeys((asked_there, before, p)) if x is not None)
            if (ahead and not asks.looks_ahead(said)) or (meeting and not asks.names_a_meeting(f"{p.heading} {said}")):
                continue
            # A count or a date is about what its own sentence names: "The county council looks after 845
            # children" under a heading on care leavers does not count care leavers.
            heading = "" if kind in {"number", "date"} else p.heading
            found = hits(expansion, terms, f"{heading} {said}")
            if enough(found, terms, yes_no) and (not what or counts(expansion, what, said)):
                words = _tokens(said)
                pairs = len(asked_pairs & set(pairwise(words)))
                answering.append(((found, hits(expansion, terms, said), expansion.covered(set(words)), pairs), p))
        # The passage holding more of the subject first, then more of it in its own words rather than its
        # heading's, then more of the whole question ("…meet the DCS?" over "…the DCS presents a report"),
        # then more of the question's word pairs in its order ("the Portfolio Holder reports to…" over
        # "…report is received by the Portfolio Holder"); the selector's order among equals.
        return [p for _, p in sorted(answering, key=lambda fp: tuple(-x for x in fp[0]))]


_BROAD = re.compile(
    r"\bwhat (must|should|do) i do\b"
    r"|\bwhat (are|is) (my|the|their|his|her) (main )?(duties|responsibilities|role|roles|job)\b"
    r"|\bwhat does .* say\b|\bhow do(es)? (the )?councils?\b|\bdescribe\b|\btell me about\b|\boverview\b"
    r"|\bwhat .* (duties|responsibilities)\b|\bsummar",
    re.IGNORECASE,
)
_LOOKUP = re.compile(
    r"^\s*((on|in|at|for|by|to|from|with|until|up to) )?(is|are|does|do|did|can|could|should|must|will|would|has|"
    r"have|am|who|whom|whose|which|when|where|how (many|much|often|long|quickly|soon|big|old))\b"
    r"|\bwhat is the (name|title|limit|number|date)\b",
    re.IGNORECASE,
)


def is_broad(question: str) -> bool:
    """A question asking for the whole picture ("what must I do as LMCS?", "how do councils describe…")."""
    return bool(_BROAD.search(question))


# "Which board…", "What strategy…", "What is X's threshold for…", "What is the council called…": one
# thing named; not "What does Wigan say…" nor "What exact words…" (wording wants the whole sentence).
_NAMED_THING = re.compile(
    r"^\s*(what|which) (?!(does|do|did|is|are|was|were|should|must|can|could|would|will|has|have|exact|words?|"
    r"wording|about|happens?|happened|if|else)\b)\w+"
    r"|^\s*what(['’]s| is| are| was| were) (the|its|their|.{0,50}?['’]s)\b.{0,60}\b(called|named|threshold|limit|"
    r"number|name|title|date|figure|amount|budget|age|rating|judgement|average|size)\b"
    r"|^\s*what did .{0,60}\b(rate|judge|grade)\b",
    re.IGNORECASE,
)
_MANY = re.compile(r"^\s*(what|which) [\w\s'’-]{0,40}?\b(are|were|do|have)\b", re.IGNORECASE)
# What a follow-up opens with before its question: "And who…", "ok, so which…", "Changing subject: which…".
_LEAD = re.compile(
    r"^\s*(((and|but|so|ok|okay|also|then|right|separately)[,.]?\s+)+|[^:?]{0,40}:\s*|(in|at|for) [^,?]{1,30},\s*)",
    re.IGNORECASE,
)


def _asked_part(question: str) -> str:
    """The question after whatever it opens with: "I'm the portfolio holder - can I sign off £300k?" asks
    "can I sign off £300k?"."""
    parts = [p for p in re.split(r"(?<=[.!?])\s+|\s+[-–—]\s+", question.strip()) if p.strip()]
    asking = [p for p in parts if p.rstrip().endswith("?")]
    return (asking or parts or [question])[-1]


def is_lookup(question: str) -> bool:
    """One short fact answers it (a name, a number, a yes or no), as opposed to a broad question."""
    if _BROAD.search(question):
        return False
    asked = _LEAD.sub("", _asked_part(question), count=1)
    many = bool(_MANY.search(asked))  # "What youth services are in…" asks for a list
    return wanted_type(asked) is not None or bool(_LOOKUP.search(asked) or (_NAMED_THING.search(asked) and not many))
