"""The words cleaning decides by: website chrome, hyphenated prefixes English keeps, the small
words a wrapped line can end on, bullet glyphs. Data, kept apart from the rules in clean.py."""

from __future__ import annotations

DEFAULT_BOILERPLATE = (
    r"rating button",
    r"skip to (main )?content",
    r"was this page (useful|helpful)\??.*",
    r"(share|print) this page",
    r"back to top",
    r"cookies? (on|settings|policy).*",
    r"coronavirus \(covid-19\):?",
    r"coronavirus remains a serious health risk\..*",
    r"(page\s*)?\d{1,4}(\s*(of|/)\s*\d{1,4})?",  # PDF page numbers
)

# Left halves that English keeps hyphenated ("co-operation", "well-being"); any other
# line-end hyphen is taken as a typesetter's word split ("respon-\nsible").
HYPHEN_PREFIXES = frozenset(
    [
        "co",
        "well",
        "non",
        "self",
        "ex",
        "cross",
        "multi",
        "anti",
        "pre",
        "post",
        "semi",
        "inter",
        "intra",
        "sub",
        "super",
        "counter",
        "over",
        "under",
        "long",
        "short",
        "high",
        "low",
        "full",
        "part",
        "mid",
        "cross",
        "re",
        "de",
    ]
)

# A PDF line that ends on one of these words was wrapped mid-sentence, even across
# a page break.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "and",
        "or",
        "for",
        "with",
        "in",
        "on",
        "by",
        "as",
        "at",
        "from",
        "that",
        "their",
        "its",
        "is",
        "are",
        "be",
        "this",
        "these",
        "those",
        "which",
        "who",
        "not",
    ]
)

BULLET_GLYPHS = "•▪◦‣∙●○■□·–—*"
