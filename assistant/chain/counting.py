"""What a "how many" question counts, and whether a passage gives a count of it.

"How many schools are there in the borough?" counts schools: "Six councillors, the Virtual School Head…" gives none,
"There are 61 schools in the borough" does.
"""

from __future__ import annotations

import re
from itertools import takewhile

from assistant.chain.abstain import _QUANTITY
from assistant.chain.expand import Expansion
from index.lexical import stem as stem_word
from index.lexical import tokenize

# "How many schools are there…": what is counted, up to the verb ("schools").
_HOW_MANY = re.compile(
    r"\bhow many ((?:(?!(?:does|do|did|is|are|was|were|has|have|had|can|will|would|sit|sits|serve|there)\b)"
    r"[\w'’-]+\s+){1,4}?)(?:does|do|did|is|are|was|were|has|have|had|can|will|would|sit|sits|serve|there)\b",
    re.IGNORECASE,
)
_LINKS = {"and", "in", "on", "at", "as", "by", "or"}
_RANGE = {"aged", "age", "ages", "to", "under", "over", "between", "from"}
_FIGURE = re.compile(r"£?\d{1,3}(,\d{3})+|\d+(\.\d+)?%")  # "1,200", "45%": counts, whatever the year rule says
_WORD = re.compile(r"£?\d+(?:,\d{3})*(?:\.\d+)?%?|[a-z]+|[,;()]")  # "118, and…" is 118 and a comma
# "How many members sit on…" is counted in any kind of people, in a sentence on membership.
_MEMBERS = set(tokenize("members people persons representatives"))
_PEOPLE = _MEMBERS | set(
    tokenize("councillors young people children parents carers headteachers governors officers partners trustees")
)
# "rose to 118", "fell from 512 to 467": the number after "to" is what the count became, not a range's end.
_CHANGED = {"rose", "fell", "increased", "decreased", "grew", "dropped", "went", "reduced", "climbed"}
# What a number counts ends where its noun phrase does: "two young people chosen by the Children in Care Council"
# counts young people, not children; "455 children in care", "300 of the children" and "296 young people who have
# left care" go on past "in", "of" and "who".
_ENDS = {"by", "from", "with", "for", "to", "on", "at", "than", "while"}
_MORE = {stem_word(w) for w in ("more", "fewer", "less", "over", "above")}  # "three or more times" counts times
_MEMBERSHIP = re.compile(r"\b(made up of|membership|members (are|include)|compris|consists? of|sit on|seats)", re.I)


def counted(question: str) -> list[str]:
    """The stems of what a "how many" question counts: ["school"] for "How many schools are there in X?"."""
    m = _HOW_MANY.search(question)
    return tokenize(m.group(1)) if m else []


def counts(expansion: Expansion, what: list[str], text: str, ahead: int = 6, behind: int = 8) -> bool:
    """Whether `text` gives a count of `what`: a number just before it ("nine Executive Members", "455
    children") or, standing alone, just after it ("Children in care: 455"). "Six councillors, the Virtual
    School Head…" counts councillors, not schools; "…Children Partnership, which meets four times a year"
    counts times. A number alone may come a few words after what it counts: "Permanent exclusions, however, rose to
    118", "child protection plans fell from 512 to 467"."""
    words = _WORD.findall(text.lower().replace("’", "'"))
    stems = [stem_word(w) for w in words]
    wanted = set(what) | {r for t in what for r in expansion.related.get(t, frozenset())}
    if wanted & _MEMBERS and _MEMBERSHIP.search(text):  # "made up of seven councillors and two young people"
        wanted |= _PEOPLE
    for i, w in enumerate(words):
        ranged = i and words[i - 1] in _RANGE and not _CHANGED & set(words[max(i - 5, 0) : i - 1])
        both = w == "both" and words[i + 1 : i + 2] == ["of"]  # "both of the council's homes"; not "both X and Y"
        if not (_QUANTITY.fullmatch(w) or _FIGURE.fullmatch(w) or both) or ranged:
            continue  # "aged 18 to 25" counts no care leavers; "both of the council's children's homes" counts two
        ahead_words = takewhile(lambda w: w not in ",;()" and w not in _ENDS, words[i + 1 : i + 1 + ahead])
        following = stems[i + 1 : i + 1 + len(list(ahead_words))]  # to the comma, or where its noun phrase ends
        if following[:1] == ["or"] and following[1:2] and following[1] in _MORE:  # "three or more times"
            following = following[2:] or ["or"]
        alone = not following or following[0] in _LINKS  # "455." or "455 and…", not "four times"
        # Far back only across a report's verb ("exclusions, however, rose to 118"), else just before it.
        back = behind if _CHANGED & set(words[max(i - behind, 0) : i]) else 4
        if wanted & set(following) or (alone and wanted & set(stems[max(i - back, 0) : i])):
            return True
    return False
