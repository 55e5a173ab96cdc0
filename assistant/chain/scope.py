"""Council scope: a question that names a council is answered from that council's documents
(plus national sources: legislation and statutory guidance), never from another council's.

    "What does Wigan say about…"   → Wigan Council's documents
    "…in my council…"              → LMCS_COUNCIL's documents, when it is set
    "…Manchester City Council…"    → no documents from it: said plainly, nothing answered
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.chain.expand import english_words
from assistant.chain.snapshot import CorpusSnapshot, council_words, place_words
from index.councils import council_key, find_councils, gazetteer
from index.lexical import stem

NATIONAL_KINDS = frozenset({"legislation", "statutory guidance"})
_COUNCIL_NAME = re.compile(
    r"\b(?:(?:London|Royal) Borough of [A-Z][\w'’-]+(?: (?:and|upon|on) [A-Z][\w'’-]+| [A-Z][\w'’-]+)*"
    r"|(?:[A-Z][\w'’-]+ )+(?:City |Borough |County |Metropolitan Borough |District |Town )?Council)\b"
)
_MY_COUNCIL = re.compile(r"\b(my|our) (own )?(council|authority|local authority)\b", re.IGNORECASE)
_NOT_A_PLACE = {
    "the",
    "a",
    "an",
    "which",
    "what",
    "our",
    "my",
    "your",
    "each",
    "every",
    "this",
    "that",
    "county",
    "city",
}


# "X Council" that is a body, not a local authority: a Youth Council, a Children in Care Council…
_BODIES_CALLED_COUNCIL = set(
    "youth care school schools parish town student students pupil pupils advisory education "
    "religious research arts sports health safety security privy city county children's people's "
    "members executive".split()
)


@dataclass(frozen=True)
class Scope:
    doc_ids: tuple[str, ...] | None = None  # None: every document
    councils: tuple[str, ...] = ()  # the councils named, as the index knows them
    unknown: str = ""  # a council named that the index has no documents from


@lru_cache(maxsize=1)
def _gazetteer_words() -> dict[str, list[frozenset[str]]]:
    """Each way the gazetteer writes a council (name, alias, key: what `find_councils` looks for),
    as the words a text must hold to name it, filed under one of them. A word with an apostrophe
    is left out ("King's" is also written "Kings"): it only widens what may name a council."""
    out: dict[str, list[frozenset[str]]] = {}
    for key, council in gazetteer().items():
        for form in (council.name, *council.aliases, key):
            words = frozenset(w for part in form.lower().split() if "'" not in part for w in _WORD.findall(part))
            out.setdefault(max(words, key=len, default=""), []).append(words)
    return out


_WORD = re.compile(r"\w+")
_FORMS = ("Council", "Borough", "City")  # what find_councils' "X Council" and "Borough of X" forms need


def may_name_council(text: str) -> bool:
    """False only where `find_councils(text)` finds nothing: its one pattern of every council's
    every name costs most of a question's scoping (0.15 ms), and most questions name none.
    Text other than ASCII (a curly apostrophe aside) is always searched: IGNORECASE's Unicode."""
    plain = text.replace("’", "'")
    if not plain.isascii() or any(f in text for f in _FORMS):
        return True
    words = set(_WORD.findall(plain.lower()))
    forms = _gazetteer_words()
    return bool(forms.get("")) or any(f <= words for w in words for f in forms.get(w, ()))


def national_docs(snapshot: CorpusSnapshot) -> frozenset[str]:
    """Legislation and statutory guidance: once per corpus version, not a walk of every document per question."""
    return snapshot.memo(
        "national_docs",
        lambda: frozenset(d for d, doc in snapshot.documents.items() if getattr(doc, "kind", "") in NATIONAL_KINDS),
    )


_BOROUGH_OF = ("London Borough", "Royal Borough")
_PLACE_TYPES = frozenset({"city", "borough", "county", "district", "town"})  # "… City Council" is an authority


def _plain(word: str) -> str:
    """A word as the council index keys it, before stemming: "Wigan's" → "wigan"."""
    return word.lower().replace("’", "'").removesuffix("'s")


# "other than Wigan", "except Portsmouth's": a council named to be left out.
_EXCEPT = re.compile(
    r"\b((?i:other than|except(?: for)?|apart from|aside from|besides|excluding|not including))\s+(?:the\s+)?"
    r"([A-Z][\w'’-]*(?:\s+(?:and\s+|or\s+)?[A-Z][\w'’-]*)*)"
)


class ScopeFinder:
    """`ScopeFinder(my_council="Wigan Council").run(question, snapshot)` → Scope."""

    def __init__(self, my_council: str | None = None) -> None:
        self.my_council = my_council

    def run(self, question: str, snapshot: CorpusSnapshot) -> Scope:
        words: set[str] = set()
        # A council's word counts as written with a capital ("Reading", not "reading the report"), or in
        # lower case when it is no English word ("hw oftn does eastmere…").
        for m in re.finditer(r"\b[A-Za-z][\w'’-]*", question):
            token = _plain(m.group())
            if stem(token) in snapshot.councils and (m.group()[0].isupper() or not english_words().known([token])):
                words.add(stem(token))
        if self.my_council and _MY_COUNCIL.search(question):
            words |= council_words(self.my_council) & snapshot.councils.keys() or {"\x00mine"}
        named_docs = {d for w in words for d in snapshot.councils.get(w, ())}
        unknown = ""
        for _, name in find_councils(question) if may_name_council(question) else []:  # any "X … Council" too
            docs = snapshot.council_keys.get(council_key(name), frozenset())
            named_docs |= docs
            unknown = unknown or ("" if docs or set(council_words(name)) & words or _a_body(name, snapshot) else name)
        unknown = "" if named_docs else (unknown or self._unknown_council(question, snapshot))
        if self.my_council and _MY_COUNCIL.search(question) and not named_docs:
            unknown = self.my_council
        if not named_docs:
            return Scope(None, (), unknown) if not unknown else Scope((), (), unknown)
        left_out = {
            d
            for m in _EXCEPT.finditer(question)
            for w in re.findall(r"[A-Za-z][\w'’-]*", m.group(2))
            for d in snapshot.councils.get(stem(_plain(w)), ())
        }
        if left_out and named_docs <= left_out:  # "Which councils other than Wigan…": every council but those
            return Scope(tuple(sorted(set(snapshot.documents) - left_out)), ())
        councils = tuple(sorted({snapshot.documents[d].authority for d in named_docs if d in snapshot.documents}))
        return Scope(tuple(sorted(named_docs | national_docs(snapshot))), councils)

    @staticmethod
    def _unknown_council(question: str, snapshot: CorpusSnapshot) -> str:
        """A council named in full ("Manchester City Council") that the index has no documents from.
        A bare "X Council" counts only when X is not an everyday word: a Youth Council or a
        Children in Care Council is a body, not a local authority."""
        if "Council" not in question and "Borough of" not in question:  # what each form of the pattern holds
            return ""
        for m in _COUNCIL_NAME.finditer(question):
            name = m.group()
            words = name.split()
            if words[0].lower() in _NOT_A_PLACE or not (council_words(name) - {"council"}):
                continue
            place_type = len(words) > 1 and words[-2] == words[-2].capitalize() and words[-2].lower() in _PLACE_TYPES
            borough_of = name.startswith(_BOROUGH_OF)
            if not place_type and not borough_of and words[-2].lower() in _BODIES_CALLED_COUNCIL:
                continue
            if _a_body(name, snapshot):
                continue
            if not council_words(name) & snapshot.councils.keys():
                return name
        return ""


def _a_body(name: str, snapshot: CorpusSnapshot) -> bool:
    """ "Shout Out Council", "the Compass Council": a bare "X Council" whose words the documents use and no UK
    place's name has names a body in them (a Children in Care Council), not an authority."""
    words = [_plain(w) for w in name.split()[:-1]]
    if not words or words[-1] in _PLACE_TYPES or name.startswith(_BOROUGH_OF):
        return False
    return all(w in snapshot.words and w not in place_words() for w in words)
