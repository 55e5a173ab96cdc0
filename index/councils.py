"""Council names: one key per council however it is written, and councils found in free text.

    >>> council_key("Wigan Council"), council_key("Wigan"), council_key("London Borough of Camden")
    ('wigan', 'wigan', 'camden')
    >>> [name for _, name in find_councils("What does Manchester say, and Kestrel Bay City Council?")]
    ['Manchester City Council', 'Kestrel Bay City Council']

The gazetteer (index/council_names.py) knows the UK's real councils, so "Manchester" alone
is found; a name written as a council ("Kestrel Bay City Council", "London Borough of X")
is found whether or not the gazetteer knows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from index.council_names import COUNCILS, LEADING_WORDS, NOT_PLACE_WORDS

# Longest first: "metropolitan borough council" before "borough council" before "council".
_SUFFIXES = [
    "metropolitan borough council",
    "metropolitan district council",
    "city and district council",
    "county borough council",
    "london borough council",
    "borough council",
    "district council",
    "county council",
    "city council",
    "council",
    "corporation",
]
_PREFIXES = [
    "the ",
    "london borough of ",
    "royal borough of ",
    "metropolitan borough of ",
    "borough council of ",
    "borough of ",
    "city and county of ",
    "council of the ",
    "city of ",
    "county of ",
    "county ",
]
TYPE_WORDS = {"city", "county", "borough", "district", "metropolitan", "london", "royal"}
_LEADING = set(LEADING_WORDS.split())
_NOT_PLACE = set(NOT_PLACE_WORDS.split())
_CONNECTORS = {"and", "of", "upon", "on", "with", "&", "-", "the", "nan", "in"}
# Place names that are also ordinary words: found alone only when capitalised mid-sentence.
_COMMON_WORDS = {"reading", "bury", "hart", "rugby", "harrow", "highland", "boston", "sutton", "stockton", "stoke"}


def _squash(name: str) -> str:
    name = name.lower().replace("&", " and ").replace("’", "'")
    name = re.sub(r"'s\b", "", name)
    name = re.sub(r"[^\w\s]", " ", name).replace("_", " ")
    return " ".join(name.split())


def _strip_forms(name: str) -> str:
    changed = True
    while changed:
        changed = False
        for s in _SUFFIXES:
            if name.endswith(" " + s):
                name, changed = name[: -len(s) - 1], True
        for p in _PREFIXES:
            # "City of London" is that council's name, not a form of "London".
            if name.startswith(p) and len(name) > len(p) and name[len(p) :] != "london":
                name, changed = name[len(p) :], True
    return name


@dataclass(frozen=True)
class Council:
    name: str
    nation: str
    type: str
    aliases: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Council]:
    """key → Council, for every council and alias in index/council_names.py."""
    table: dict[str, Council] = {}
    for row in COUNCILS.strip().splitlines():
        name, nation, kind, *rest = row.split("\t")
        council = Council(name, nation, kind, tuple(a for a in (rest[0] if rest else "").split("|") if a))
        table[_strip_forms(_squash(name))] = council
    for council in list(table.values()):
        for alias in council.aliases:
            table.setdefault(_strip_forms(_squash(alias)), council)
    return table


def council_key(name: str) -> str:
    """One key per council: "Wigan Council", "Wigan" → "wigan"; "London Borough of Camden"
    → "camden"; "Kingston upon Hull" → "hull" (the gazetteer's own key for that council)."""
    key = _strip_forms(_squash(name))
    council = gazetteer().get(key)
    return _strip_forms(_squash(council.name)) if council else key


def canonical_name(name: str) -> str:
    """The gazetteer's name for a council, or the name as written, tidied."""
    council = gazetteer().get(council_key(name))
    return council.name if council else " ".join(name.split())


# ---- finding council names in text ----------------------------------------------------

_WORD = r"[A-Z][\w'’.-]*"
_FORM_OF = re.compile(
    rf"\b(?:(?:London|Royal)\s+Borough\s+of|City\s+and\s+County\s+of|Council\s+of\s+the|Borough\s+Council\s+of)"
    rf"\s+{_WORD}(?:\s+(?:and|upon|on|of|{_WORD}))*",
)
_COUNCIL = re.compile(r"\bCouncil\b")
_TOKEN = re.compile(r"[A-Za-z][\w'’]*(?:[-.][\w'’]+)*|&")


def find_councils(text: str) -> list[tuple[tuple[int, int], str]]:
    """Council names in `text`: [((start, end), name)], in order, overlaps resolved to the
    longest. `name` is the gazetteer's name where it knows the council."""
    found = _by_form(text) + _by_council_word(text) + _by_gazetteer(text)
    found.sort(key=lambda f: (f[0][0], -(f[0][1] - f[0][0])))
    out: list[tuple[tuple[int, int], str]] = []
    for span, name in found:
        if out and span[0] < out[-1][0][1]:
            if span[1] - span[0] > out[-1][0][1] - out[-1][0][0]:
                out[-1] = (span, name)
            continue
        out.append((span, name))
    return out


def _trim_of(match: str) -> str:
    """ "London Borough of Camden and the council…" → "London Borough of Camden"."""
    words = match.split()
    while words and (words[-1].lower() in _CONNECTORS or not words[-1][0].isupper()):
        words.pop()
    return " ".join(words)


def _by_form(text: str) -> list[tuple[tuple[int, int], str]]:
    out = []
    for m in _FORM_OF.finditer(text):
        name = _trim_of(m.group())
        # "Royal Borough of Kensington and Chelsea and Hull": the longest start the gazetteer knows.
        cuts = [c.start() for c in re.finditer(r"\s+(?:and|of|on|upon)\s+", name)]
        known = [name[:c] for c in reversed(cuts) if council_key(name[:c]) in gazetteer()]
        name = known[0] if known and council_key(name) not in gazetteer() else name
        if _strip_forms(_squash(name)):
            out.append(((m.start(), m.start() + len(name)), canonical_name(name)))
    return out


def _by_council_word(text: str) -> list[tuple[tuple[int, int], str]]:
    """ "Kestrel Bay City Council": the capitalised words before "Council"."""
    out = []
    for m in _COUNCIL.finditer(text):
        window_start = max(0, m.start() - 100)
        tokens = list(_TOKEN.finditer(text, window_start, m.start()))
        run: list[re.Match[str]] = []
        for tok in reversed(tokens):
            gap = text[tok.end() : (run[0].start() if run else m.start())]
            if gap.strip() or "\n" in gap:
                break
            word = tok.group()
            if not (word[0].isupper() or word.lower() in _CONNECTORS):
                break
            run.insert(0, tok)
        words = [t.group() for t in run]
        # Cut before the last word that is not part of a place name ("Lead Member of …").
        cut = max((i + 1 for i, w in enumerate(words) if w.lower().strip(".") in _NOT_PLACE - TYPE_WORDS), default=0)
        while cut < len(words) and (words[cut].lower() in _CONNECTORS or words[cut].lower() in _LEADING):
            cut += 1
        run, words = run[cut:], words[cut:]
        place = [w for w in words if w.lower() not in TYPE_WORDS and w.lower() not in _CONNECTORS]
        if not place or any(len(w) < 2 for w in place):
            continue
        name = text[run[0].start() : m.end()]
        out.append(((run[0].start(), m.end()), canonical_name(name)))
    return out


@lru_cache(maxsize=1)
def _gazetteer_pattern() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Every key and alias of the gazetteer as one alternation: case-insensitive ones, and
    ordinary-word ones that must be capitalised."""
    names: set[str] = set()
    common: set[str] = set()
    for key, council in gazetteer().items():
        for form in (council.name, *council.aliases, key):
            (common if form.lower() in _COMMON_WORDS else names).add(form)

    def alternation(forms: set[str]) -> str:
        parts = []
        for form in sorted(forms, key=len, reverse=True):
            words = re.split(r"[\s\-]+", form.replace("&", " & "))
            parts.append(r"[\s\-]+".join(re.escape(w).replace("'", "['’]?") for w in words if w))
        return "|".join(parts)

    loose = re.compile(rf"(?<![\w-])(?:{alternation(names)})(?![\w-])", re.IGNORECASE)
    strict = re.compile(rf"(?<![\w-])(?:{alternation({c.title() for c in common})})(?![\w-])")
    return loose, strict


_NOT_COUNCIL_BEFORE = re.compile(
    r"\b(Greater|New|(University|Diocese|Bishop|Archbishop|Port|Duke|Duchess|Earl) of)\s+$"
)


def _by_gazetteer(text: str) -> list[tuple[tuple[int, int], str]]:
    loose, strict = _gazetteer_pattern()
    out = []
    for m in loose.finditer(text):
        if _NOT_COUNCIL_BEFORE.search(text[max(0, m.start() - 30) : m.start()]):
            continue  # Greater Manchester, University of Manchester
        out.append(((m.start(), m.end()), canonical_name(m.group())))
    for m in strict.finditer(text):
        if re.search(r"(^|[.!?]\s+)$", text[: m.start()]):
            continue  # "Reading the guidance…" opens a sentence
        out.append(((m.start(), m.end()), canonical_name(m.group())))
    return out
