"""Read a question against the corpus: widen it with the documents' own vocabulary,
and notice when it names a council.

Widening draws on the corpus's own acronym definitions ("DCS" ↔ "Director of
Children’s Services") and a small domain thesaurus (`corpus/thesaurus.toml`) mapping
everyday words to statutory ones ("children in care" → "looked after children").
A council named in the question ("What does Wigan say…") is not a word to match: it is the
question's scope (scope.py).

    >>> e = QueryExpander({"children in care": ["looked after children"]})
    >>> e.run("Who looks after children in care?").query
    'Who looks after children in care? (looked after children)'
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from assistant.chain.snapshot import CorpusSnapshot
from index.lexical import content_words, tokenize
from index.lexical import stem as stem_word


@dataclass(frozen=True)
class Expansion:
    query: str  # the question plus related terms: what the retrievers search for
    terms: frozenset[str]  # the question's own content words (stemmed), less any council named
    related: dict[str, frozenset[str]] = field(default_factory=dict)  # term → stems that count as it
    weights: dict[str, float] = field(default_factory=dict)  # term → idf; rare words matter more
    corrections: dict[str, str] = field(default_factory=dict)  # misspelt word → corpus word
    specificity: dict[str, float] = field(default_factory=dict)  # term → how topic-specific in English
    foreign: frozenset[str] = frozenset()  # terms the corpus never uses, nor any related term of theirs
    everywhere: frozenset[str] = frozenset()  # terms in almost every passage ("children"): a poor subject

    def covered(self, found: set[str] | frozenset[str]) -> float:
        """The idf-weighted share of the question's terms in `found`, directly or via a related term."""
        if not self.terms:
            return 0.0
        total, each = self._covering
        return sum(w for t, w, related in each if t in found or not related.isdisjoint(found)) / total

    @cached_property
    def _covering(self) -> tuple[float, list[tuple[str, float, frozenset[str]]]]:
        """Per question, once: the weights' total and each term with its weight and related stems
        (`covered` runs for every candidate sentence); summed in the same order as before."""
        each = [(t, self.weights.get(t, 1.0), self.related.get(t, frozenset())) for t in self.terms]
        return sum(w for _, w, _ in each), each

    def unknown_share(self, vocabulary: frozenset[str]) -> float:
        """The weighted share of the question's terms unknown to the corpus.

        An unknown word counts by its idf and by how specific it is in everyday English:
        "allowance" unknown says the corpus lacks the topic; "supposed" unknown says little.
        """
        if not self.terms:
            return 0.0
        total = sum(self.weights.get(t, 1.0) for t in self.terms)
        unknown = sum(self.weights.get(t, 1.0) * self.specificity.get(t, 1.0) for t in self.unknown(vocabulary))
        return unknown / total

    def off_topic(self, vocabulary: frozenset[str], min_specificity: float = 0.3) -> bool:
        """A question about something else: its specific words are all unknown to the corpus ("banana
        bread", "capital of France"), and the words it shares with the corpus are everyday ones
        ("good"). Everyday words alone ("what do young people think?") are not off topic."""
        specific = [t for t in self.terms if self.specificity.get(t, 1.0) >= min_specificity or t in self.related]
        unknown = [t for t in specific if t not in vocabulary and not self.related.get(t, frozenset()) & vocabulary]
        return bool(specific) and len(unknown) == len(specific)

    def unknown(self, vocabulary: frozenset[str]) -> list[str]:
        """Terms neither the corpus nor any related term of theirs ever uses."""
        return sorted(
            t
            for t in self.terms
            if t not in vocabulary and t not in ASKING and not (self.related.get(t, frozenset()) & vocabulary)
        )


# Words that ask rather than name a subject: "how often", and the value a "threshold" or "limit" is; "Compare the
# allowances…", "…just confirm". A corpus that never says "threshold" may still give the threshold.
ASKING = frozenset(
    tokenize(
        "often frequently regularly many much times threshold thresholds limit limits ceiling compare comparison "
        "contrast confirm happen happens happened"
    )
)
# What people say around a question in a chat, and hedges ("is it basically…", "roughly how much…"): no subject,
# and no word a corpus should be expected to hold.
_CHAT = frozenset(
    tokenize(
        "ok okay thanks cheers hi hello hey please basically actually really roughly literally honestly apart except "
        "excluding besides"
    )
)
_AMOUNT = re.compile(r"£\s?\d[\d,.]*(\s?(k|m|bn|million|billion|thousand)\b)?|\b\d[\d,.]*\s?(k|m|bn)\b", re.I)


def _normal(text: str) -> str:
    return text.lower().replace("’", "'")


class QueryExpander:
    def __init__(self, thesaurus: dict[str, list[str]]) -> None:
        self.thesaurus = {_normal(k): v for k, v in thesaurus.items()}
        phrases = sorted(self.thesaurus, key=len, reverse=True)
        self._phrases = re.compile(r"\b(" + "|".join(map(re.escape, phrases)) + r")\b") if phrases else None

    @classmethod
    def from_file(cls, path: Path) -> QueryExpander:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8")) if Path(path).exists() else {}
        return cls(data.get("terms", {}))

    def run(
        self, question: str, corpus: CorpusSnapshot | None = None, spelled: tuple[str, dict[str, str]] | None = None
    ) -> Expansion:
        """`spelled`: `correct_spelling(question, corpus)` when the caller has it already."""
        corpus = corpus or CorpusSnapshot("", {})
        question, corrections = spelled or correct_spelling(question, corpus)
        extra: list[str] = []
        related: dict[str, set[str]] = {}
        text = _normal(question)
        abbreviated = {_normal(long): short for short, long in corpus.acronyms.items()}
        for m in self._phrases.finditer(text) if self._phrases else []:
            alternatives = self.thesaurus[m.group(1)]
            extra.extend(alternatives)
            own = tokenize(m.group(1))
            for stem in own:
                for alternative in alternatives:
                    stems = _beyond_shared(own, tokenize(alternative), corpus)
                    related.setdefault(stem, set()).update(_as_specific(stem, stems, corpus))
                    if _normal(alternative) in abbreviated:  # "the director" → "Director of Children's Services" (DCS)
                        related[stem].update(tokenize(abbreviated[_normal(alternative)]))
        for short, long in corpus.acronyms.items():
            if re.search(rf"\b{re.escape(short)}\b", question):
                extra.append(long)
                for stem in tokenize(short):
                    related.setdefault(stem, set()).update(_as_specific(stem, tokenize(long), corpus))
            elif _normal(long) in text:  # and the other way: a passage saying "DCS" names the Director
                extra.append(short)
                for stem in tokenize(long):
                    related.setdefault(stem, set()).update(_as_specific(stem, tokenize(short), corpus))
        extra = list(dict.fromkeys(e for e in extra if _normal(e) not in text))
        # An amount the question gives ("can I sign off £300,000?") is a value to compare, not a subject:
        # no passage is expected to hold "300" or "000".
        words = {stem_word(w): w for w in content_words(_AMOUNT.sub(" ", question))}
        terms = set(words)
        terms -= corpus.councils.keys()  # a council named is a scope (scope.py), not a word to match
        terms -= _CHAT  # "OK. What's the threshold there?": talk, not a word the corpus lacks
        weights = {t: corpus.idf.get(t, corpus.max_idf) for t in terms}
        query = f"{question} ({'; '.join(extra)})" if extra else question
        related_sets = {k: frozenset(v) for k, v in related.items()}
        # A word written in capitals is an acronym ("SEND", "EHC"): as specific as a word gets, whatever
        # the everyday word it spells.
        acronyms = {w.lower() for w in re.findall(r"\b[A-Z]{2,}\b", question)}
        specificity = {t: 1.0 if words[t] in acronyms else english_specificity(words[t]) for t in terms}
        vocabulary = corpus.vocabulary

        def unused(t: str) -> bool:  # neither the word nor any related word is in the corpus
            return bool(vocabulary) and t not in vocabulary and not related_sets.get(t, frozenset()) & vocabulary

        for t in filter(unused, terms):  # read as a relative the corpus does use ("judgement" → "judged")
            if kin := _derived(words[t]) & vocabulary:
                related_sets[t] = related_sets.get(t, frozenset()) | kin
        foreign = frozenset(filter(unused, terms))

        def common(t: str) -> bool:  # in almost every passage ("children")
            return t in vocabulary and corpus.idf.get(t, corpus.max_idf) < 0.1 * corpus.max_idf

        # "kids" read as "children" is as common as "children": no better a subject.
        everywhere = frozenset(
            t
            for t in terms
            if common(t) or ((used := related_sets.get(t, frozenset()) & vocabulary) and all(map(common, used)))
        )
        return Expansion(query, frozenset(terms), related_sets, weights, corrections, specificity, foreign, everywhere)


def _as_specific(term: str, stems: list[str], corpus: CorpusSnapshot, share: float = 0.5) -> set[str]:
    """The stems of one related phrase that can stand for `term`: about as rare in the corpus as it
    is, or as the phrase's rarest word. "social workers" → "children's social care" searches for all
    three words, but a passage about "children" alone is not about social workers; "schools" →
    "education" holds, however much more often the corpus says "education"."""
    idf = {s: corpus.idf.get(s, corpus.max_idf) for s in stems}
    if not idf:
        return set()
    own, rarest = corpus.idf.get(term, corpus.max_idf), max(idf.values())
    return {s for s, v in idf.items() if v >= share * own or v == rarest}


def _beyond_shared(own: list[str], stems: list[str], corpus: CorpusSnapshot) -> list[str]:
    """What a phrase's alternative adds to the words the two share, when that is its specific part:
    "youth justice" → "youth offending" relates the phrase's words to "offending", not to "youth" (a
    passage on youth services is no answer); "social workers" → "children's social care" keeps "social", the
    alternative's rarest word, for "children" and "care" are everywhere."""
    others = [s for s in stems if s not in own]
    shared = [s for s in stems if s in own]
    if not others or not shared:
        return stems
    idf = lambda s: corpus.idf.get(s, corpus.max_idf)  # noqa: E731
    return others if max(map(idf, others)) >= max(map(idf, shared)) else stems


_DERIVED = (
    ("ments", ""), ("ment", ""), ("ance", ""), ("ence", ""), ("sion", "de"), ("tion", "te"), ("ion", ""), ("ion", "e"),
    ("ises", "y"), ("ised", "y"), ("ise", "y"), ("izes", "y"), ("ize", "y"), ("y", "ise"), ("ors", ""), ("or", ""),
    ("or", "e"),
)  # fmt: skip


def _derived(word: str) -> set[str]:
    """Stems of the word's near relatives by a common English suffix: "judgement" → "judg" (judge, judged),
    "visitor" → "visit", "scrutinise" → "scrutini" (scrutiny), "decision" → "decid" (decide)."""
    return {
        stem_word(word[: -len(suffix)] + base)
        for suffix, base in _DERIVED
        if word.endswith(suffix) and len(word) - len(suffix) >= 5  # not "tension" → "ten", "mission" → "miss"
    } - {stem_word(word)}


def english_specificity(word: str) -> float:
    """1.0 for rare words, falling towards 0 for everyday ones ("keep", "another").

    From the word's frequency in pyspellchecker's English list (per million words):
    log10(1000 / f) / 2, clipped to [0, 1] — 1 per million or rarer is fully specific,
    30 → 0.76, 100 → 0.5, 1,000 or more → 0.
    """
    if word.isdigit():
        return 1.0
    # The list holds few inflected forms: "approves" or "defined" is as everyday as "approve", "define".
    per_million = max(english_words().word_usage_frequency(w) for w in _base_forms(word)) * 1e6
    if per_million <= 0:
        return 1.0
    return min(1.0, max(0.0, math.log10(1000 / per_million) / 2))


def _base_forms(word: str) -> set[str]:
    """The word and what it may be inflected from: "approves" → "approve", "switching" → "switch"."""
    forms = {word}
    for suffix, base in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                         ("ing", "e"), ("ly", "")):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) + len(base) >= 3:
            forms.add(word[: -len(suffix)] + base)
    return forms


@lru_cache(maxsize=1)
def english_words():  # type: ignore[no-untyped-def]
    from spellchecker import SpellChecker  # pyspellchecker: an English word list, offline

    return SpellChecker(language="en", distance=1)


# Shorthand a councillor types in a chat box or a council writes in minutes: read as the word it stands for,
# unless the corpus itself uses it. Words, not a fit to any question: the common chat and committee forms.
_SHORTHAND = {
    "hw": "how", "wat": "what", "wot": "what", "abt": "about", "u": "you", "ur": "your", "r": "are",
    "pls": "please", "plz": "please", "ppl": "people", "thru": "through", "cllr": "councillor",
    "cllrs": "councillors", "exec": "executive", "mtg": "meeting", "mtgs": "meetings", "dept": "department",
    "govt": "government", "cttee": "committee", "wk": "week", "wks": "weeks", "mth": "month", "mths": "months",
    "yrs": "years", "approx": "approximately",
}  # fmt: skip


# "r u", not "R v Southwark", "(u)" of a list in law, or "U.S.": a lone letter is chat only as a lower-case word.
_CHAT_LETTER = re.compile(r"(^|\s)[ru](\s|$|[?,])")


def correct_spelling(question: str, corpus: CorpusSnapshot) -> tuple[str, dict[str, str]]:
    """Replace a misspelt word by the corpus word one edit away (two for words of 10+ letters).

    Shorthand ("hw", "cllr", "exec") is read as its word. Otherwise only words that are neither in the corpus
    nor English words are touched:
    "secton" → "section", "safegaurding" → "safeguarding", but "pension" stays "pension"
    (not "person"). Edits are optimal string alignment, so swapping two letters is one.
    """
    if not corpus.words:
        return question, {}
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    vocabulary = corpus.idf  # its keys: a set of them was made for every question (O(corpus words))
    corrections: dict[str, str] = {}

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        lower = word.lower()
        if (
            lower in _SHORTHAND
            and word in (lower, lower.capitalize())
            and lower not in corpus.spelling_words
            and (len(word) > 1 or _CHAT_LETTER.fullmatch(m.string, max(m.start() - 1, 0), m.end() + 1))
        ):
            corrections[word] = _SHORTHAND[lower]
            return _SHORTHAND[lower]
        if len(lower) < 4 or lower in corpus.spelling_words or all(t in vocabulary for t in tokenize(lower)):
            return word
        if english_words().known([lower]):
            return word
        limit = 2 if len(lower) >= 10 else 1
        near = process.extract(lower, corpus.spelling_words, scorer=OSA.distance, score_cutoff=limit, limit=None)
        if not near:
            return word
        # Of the words as near, the one the corpus uses most ("leed" → "lead", not "leek"); then the
        # first alphabetically, so that the same question is read the same way in every process.
        best = min(near, key=lambda m: (m[1], corpus.idf.get(stem_word(m[0]), corpus.max_idf), m[0]))[0]
        corrections[word] = best
        return best

    return re.sub(r"[A-Za-z]+", fix, question), corrections
