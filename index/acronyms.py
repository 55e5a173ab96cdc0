"""Find the acronyms a corpus defines for itself, e.g. "Director of Children’s Services (DCS)".

A short form in brackets is matched to the words before it whose initials spell it,
small words allowed in between (after Schwartz & Hearst, 2003).

    >>> find_acronyms("the Lead Member for Children’s Services (LMCS) is")
    {'LMCS': 'Lead Member for Children’s Services'}
"""

from __future__ import annotations

import re

_DEFINITION = re.compile(r"\(([A-Z][A-Za-z]{1,7})\)")
_SMALL = {"for", "of", "and", "the", "on", "in", "to", "with", "&"}


def find_acronyms(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for m in _DEFINITION.finditer(text):
        short = m.group(1)
        if sum(c.isupper() for c in short) < 2:
            continue
        words = text[: m.start()].split()[-(len(short) * 2 + 2) :]
        long = _match(short.upper(), words)
        if long and short not in found:
            found[short] = long
    return found


def _match(short: str, words: list[str]) -> str | None:
    """The shortest tail of `words` whose significant words' initials spell `short`."""
    initials = ""
    for i in range(len(words) - 1, -1, -1):
        word = words[i].strip("“”\"'‘’,;:")
        if not word:
            return None
        if word.lower() in _SMALL:
            continue
        if not word[0].isupper():
            return None
        initials = word[0].upper() + initials
        if initials == short:
            return " ".join(w.strip('“”"‘,;:') for w in words[i:])
        if not short.endswith(initials):
            return None
    return None
