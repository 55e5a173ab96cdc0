"""Which council published a document, with how sure we are and what said so.

Every place a file names its publisher is read: a PDF's author, title and subject and its
running header and footer; a Word file's properties and section headers and footers; a web
page's <title>, og:site_name, copyright footer and breadcrumbs (the readers keep these before
dropping the page furniture); the opening of the text itself ("Kestrel Bay Council
designates…"); the file and folder names. Each source has a weight for how reliably it names
the publisher; a council's score is the chance that at least one of its sources is right
(noisy-or), less half its strongest rival's.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from index.councils import council_key, find_councils, gazetteer
from index.furniture import running_lines
from index.readers.extracted import Extracted

# How reliably each source names the publisher (not a mere mention).
WEIGHTS = {
    "og:site_name": 0.9,
    "copyright footer": 0.9,
    "Word header": 0.85,
    "Word footer": 0.85,
    "running header or footer": 0.8,
    "PDF author": 0.8,
    "HTML dc.publisher": 0.8,
    "HTML title": 0.7,
    "HTML author": 0.7,
    "Word author property": 0.7,
    "PDF title": 0.6,
    "PDF subject": 0.6,
    "Word title property": 0.6,
    "Word subject property": 0.6,
    "page header": 0.6,
    "opening of the text": 0.6,
    "breadcrumbs": 0.5,
    "file name": 0.4,
    "Word keywords property": 0.4,
    "Word category property": 0.4,
    "folder name": 0.3,
    "later in the text": 0.2,
}
MIN_SCORE = 0.4  # below this no council is named: a passing mention is not a publisher
OPENING_CHARS = 600


@dataclass(frozen=True)
class Authority:
    name: str  # "" when nothing names the publisher well enough
    confidence: float
    evidence: tuple[str, ...]  # "PDF author: Kestrel Bay City Council", …


def _sources(extracted: Extracted, path: Path | None) -> list[tuple[str, str]]:
    found = list(extracted.evidence)
    furniture = running_lines(extracted.lines)
    seen: set[str] = set()
    for i in furniture:
        text = " ".join(extracted.lines[i].text.split())
        if text not in seen:
            seen.add(text)
            found.append(("running header or footer", text))
    skip = set(furniture)
    body = " ".join(line.text for i, line in enumerate(extracted.lines) if i not in skip and line.text.strip())
    body = " ".join(body.split())
    found.append(("opening of the text", body[:OPENING_CHARS]))
    found.append(("later in the text", body[OPENING_CHARS:20_000]))
    if path is not None:
        found.append(("file name", _as_words(path.stem)))
        if path.parent.name:
            found.append(("folder name", _as_words(path.parent.name)))
    return found


def _as_words(name: str) -> str:
    """ "kestrel-bay-council_profile" → "Kestrel Bay Council Profile" (so its council is found)."""
    return " ".join(w.capitalize() for w in re.split(r"[-_.\s]+", name) if w)


def detect_authority(extracted: Extracted, path: Path | None = None) -> Authority:
    """The council that published the file `extracted` was read from."""
    support: dict[str, list[tuple[float, str, str]]] = defaultdict(list)
    for source, text in _sources(extracted, path):
        weight = WEIGHTS.get(source, 0.3)
        named = {council_key(name): name for _, name in find_councils(text)}
        for key, name in named.items():
            support[key].append((weight, source, name))
    if not support:
        return Authority("", 0.0, ())
    scores = {key: 1 - math.prod(1 - w for w, _, _ in rows) for key, rows in support.items()}
    ranked = sorted(scores, key=lambda k: scores[k], reverse=True)
    best = ranked[0]
    rival = scores[ranked[1]] if len(ranked) > 1 else 0.0
    confidence = round(max(0.0, scores[best] - 0.5 * rival), 2)
    evidence = tuple(f"{source}: {name}" for _, source, name in sorted(support[best], reverse=True))
    evidence += tuple(f"also named ({support[k][0][1]}): {support[k][0][2]}" for k in ranked[1:3])
    if scores[best] < MIN_SCORE:
        return Authority("", confidence, evidence)
    return Authority(_best_name(best, support[best]), confidence, evidence)


def _best_name(key: str, rows: list[tuple[float, str, str]]) -> str:
    """The gazetteer's name, or the form of the name the strongest sources agree on."""
    if key in gazetteer():
        return gazetteer()[key].name
    weight: dict[str, float] = defaultdict(float)
    for w, _, name in rows:
        weight[name] += w
    return max(weight, key=lambda n: (weight[n], len(n)))
