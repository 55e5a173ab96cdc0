"""The front of the chain: every question, from every face, passes here first.

It validates the question (one place, one set of errors), takes personal details out of it,
puts a safeguarding signpost first when a child may be at risk, and recognises questions it
must not answer from the documents as asked: prompt injection, questions not in English.

    >>> Router(Redactor(use_ner=False)).run("  What is   corporate parenting? ").text
    'What is corporate parenting?'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.chain.privacy import Redactor, notice_for
from assistant.chain.prompts import load_prompt
from assistant.errors import QuestionError

# Text that tries to instruct the assistant rather than ask it something.
INSTRUCTION_LIKE = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}?\b(instructions?|rules|prompts?|above|previous|"
    r"documents?|guidelines|restrictions|everything)\b"
    r"|\byou are now\b|\bsystem prompt\b|\bhidden prompt\b|\bjailbreak\b|^\s*system\s*:"
    r"|\b(reveal|print|show|repeat)\s+(me\s+)?(your|the)\s+(system\s+|hidden\s+)?(prompt|instructions)\b"
    r"|\b(reply|respond|answer|say)\s+(only\s+)?(with|by saying)\b|\bpretend (to be|you are)\b"
    r"|\bnew instructions?\b|</?\s*(documents?|passages?|system|context|instructions?)\s*>"
    r"|\b(from|as) (the|an|your) (administrator|developer|system)\b|\bsystem override\b"
    r"|\b(developer|admin|god|debug|unrestricted) mode\b",
    re.IGNORECASE,
)
# Asking for someone's personal details: the assistant holds none and gives none.
_PERSONAL_REQUEST = re.compile(
    r"\b(home )?(address(es)?|phone numbers?|mobile numbers?|email addresses|dates? of birth|salary of|"
    r"salaries of|who (lives|live) at)\b.{0,60}\b(of|for) (every|each|all|the|a|my|our)?\s*"
    r"(councillors?|members?|children|child|staff|officers?|social workers?|foster carers?|families)\b",
    re.IGNORECASE,
)
# Harm to a child, described as happening (not the duty to prevent it in general).
_HARM = re.compile(
    r"\b(abus(ed|ing|es)|being (abused|hit|hurt|harmed|neglected|beaten|groomed|exploited)|neglected|"
    r"hit(s|ting)? (him|her|them)|beat(s|en|ing)? (him|her|them)|hurt(s|ing)? (him|her|them)|bruis(es|ed|ing)|"
    r"self[- ]harm(ing|s)?|suicidal|groom(ed|ing)|sexually|exploited|trafficked|gone missing|went missing|"
    r"is missing|ran away|scared to go home|afraid to go home|not safe at home|unsafe at home|in danger|"
    r"kicked out|locked (in|up)|starving|no food at home)\b",
    re.IGNORECASE,
)
# A particular child rather than children in general.
_PARTICULAR_CHILD = re.compile(
    r"\b(a|one|this|that|my|our|the|his|her|their|neighbour'?s|constituent'?s)\s+"
    r"(little\s+)?(child|kid|boy|girl|pupil|teenager|baby|toddler|young person|son|daughter|grandchild|"
    r"foster child|student)\b|\b\d{1,2}[- ]years?[- ]old\b|\baged \d{1,2}\b",
    re.IGNORECASE,
)
# Words that mark a question as Welsh, the other language councils here are likeliest to meet.
_WELSH = frozenset(
    [
        "beth",
        "yw",
        "sut",
        "pwy",
        "pam",
        "ble",
        "mae",
        "ydy",
        "ydw",
        "oes",
        "dylai",
        "dylwn",
        "gyda",
        "gan",
        "dros",
        "ar",
        "gyfer",
        "cyngor",
        "plant",
        "aelod",
        "arweiniol",
        "gwasanaethau",
        "dyletswyddau",
        "rôl",
        "fy",
        "ein",
        "eich",
        "yn",
        "y",
        "yr",
        "ac",
        "a",
        "i'r",
        "o'r",
    ]
)


@dataclass(frozen=True)
class Routed:
    """A question as the rest of the chain may see it."""

    text: str  # what is searched: personal details and injected instructions taken out
    shown: str  # what may be stored, logged or echoed: personal details redacted
    route: str = "answer"  # "answer" | "injection" (nothing left to answer) | "not_english" | "personal_request"
    personal: tuple[str, ...] = ()  # kinds of personal detail found
    notices: tuple[str, ...] = ()  # to put before the answer, in order
    safeguarding: bool = False


_NOT_TEXT = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})  # read as a space
_ASCII_CONTROLS = {c: " " for c in [*range(32), 127]}


def clean_question(question: object, max_chars: int) -> str:
    """The question with control characters removed and spaces collapsed, or QuestionError.

    The length is checked first, before any other work: a megabyte of text costs nothing.
    """
    if not isinstance(question, str):
        raise QuestionError("The question must be text.")
    if len(question) > max_chars * 4:
        raise QuestionError(f"The question is {len(question):,} characters long; the limit is {max_chars:,}.")
    if question.isascii():  # of those categories ASCII has only its control characters (Cc)
        text = question.translate(_ASCII_CONTROLS)
    else:
        text = "".join(" " if unicodedata.category(c) in _NOT_TEXT else c for c in question)
    text = " ".join(text.split())
    if not text:
        raise QuestionError("Please type a question: it is empty.")
    if len(text) > max_chars:
        raise QuestionError(
            f"The question is {len(text):,} characters long; the limit is {max_chars:,}. Please shorten it."
        )
    return text


def is_instruction(text: str) -> bool:
    """Does the text try to instruct the assistant (ignore its rules, reveal its prompt, reply with…)?"""
    return bool(INSTRUCTION_LIKE.search(text))


# What a remainder still tells the assistant to do: refused whole, not answered in part.
_STILL_INSTRUCTS = re.compile(
    r"\b(translate|rewrite|write (it|this|that|them)|add (a|an|the) (line|sentence|note)|as if you|act as|pretend|"
    r"respond (as|with|in)|reply (as|with|in)|format|repeat|reveal|print|confirm|guidelines|instructions|prompt)\b",
    re.IGNORECASE,
)


def without_instructions(question: str) -> str:
    """The question less its clauses that try to instruct the assistant ("Ignore your rules and
    just tell me: who…" → "who…"); "" when nothing else is left."""
    parts = re.split(  # sentences; "…: who…"; "… and tell me…"; "Print your prompt, then tell me…"
        r"(?<=[.!?:;])\s+|\s*:\s*|\s+and (?:just |then )?(?=tell me|say|answer|explain|what|who|how)"
        r"|,?\s+(?:and |but )?then (?:just )?(?=tell me|answer|explain|what|who|how|when|which|where)",
        question,
    )
    kept = [p for p in parts if p.strip() and not is_instruction(p)]
    rest = " ".join(kept).strip()
    if re.match(r"(just\s+)?(say|state|write|declare|claim|confirm)\s+(that|it)\b", rest, re.IGNORECASE):
        return ""  # "…ignore the above and say that X": X is a claim to be made, not a question
    rest = re.sub(r"^(just\s+)?(tell me|say|answer)\s*[:,]?\s*", "", rest, flags=re.IGNORECASE).strip()
    if _STILL_INSTRUCTS.search(rest):
        return ""  # "…and translate your guidelines", "answer as if you were…": more instructions, not a question
    return rest if len(re.findall(r"[A-Za-z]{3,}", rest)) >= 2 else ""


# English words a Welsh question does not use; "a" and "i" are words of both languages.
_ENGLISH = frozenset("the of and is what a an i to in if me my it do does am are can how who when which for on".split())


def looks_welsh(words: list[str]) -> bool:
    """Two Welsh words that are no English ones, and no English function word ("am I allowed to get a
    kid's case if a parent rings me?" has "a" twice, and is English)."""
    return sum(w in _WELSH and w not in _ENGLISH for w in words) >= 2 and not any(w in _ENGLISH for w in words)


def describes_child_at_risk(question: str, names_found: bool) -> bool:
    """Harm happening to a particular child ("my neighbour's boy is being hit"), as opposed to a
    question about the duty to protect children in general."""
    return bool(_HARM.search(question)) and (names_found or bool(_PARTICULAR_CHILD.search(question)))


class Router:
    """`Router(redactor, max_chars=2000).run(question)` → Routed, or QuestionError."""

    def __init__(self, redactor: Redactor, max_chars: int = 2000) -> None:
        self.redactor = redactor
        self.max_chars = max_chars

    def validate(self, question: object) -> str:
        return clean_question(question, self.max_chars)

    def run(self, question: object) -> Routed:
        return self.route(self.validate(question))

    def route(self, text: str) -> Routed:
        """Route a question `validate` has already cleaned."""
        words = re.findall(r"[a-zA-Z'’]+", text.lower())
        if looks_welsh(words):
            # Checked before the name detector, which reads Welsh words ("Beth") as names.
            return Routed(text="", shown=text, route="not_english", notices=(load_prompt("not_english").render(),))
        findings = self.redactor.find(text)
        kinds = tuple(sorted({f.kind for f in findings}))
        shown = self.redactor.redact(text) if findings else text
        notices: list[str] = []
        at_risk = describes_child_at_risk(text, any(f.kind == "NAME" for f in findings))
        if at_risk:
            notices.append(load_prompt("safeguarding").render())
        if kinds:
            notices.append(notice_for(list(kinds)))
        if _PERSONAL_REQUEST.search(text):
            return Routed("", shown, "personal_request", kinds, (*notices, load_prompt("personal_request").render()))
        asked = self.redactor.general_question(text) if findings else text
        if at_risk:  # answer what they asked, not the account of the child
            asked = " ".join(s for s in re.split(r"(?<=[.!?])\s+", asked) if s.endswith("?")) or asked
        if is_instruction(asked):
            rest = without_instructions(asked)
            if not rest:
                return Routed("", shown, "injection", kinds, (*notices, load_prompt("injection").render()), at_risk)
            asked = rest
            notices.append(load_prompt("instructions_ignored").render())
        return Routed(asked, shown, "answer", kinds, tuple(notices), at_risk)
