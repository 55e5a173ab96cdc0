"""Running headers, footers and page numbers: lines at the edges of pages that repeat.

Found by repetition, not by a list: a line near the top or bottom of a page whose
wording (digits aside) recurs near the edge of other pages is page furniture, and so is
a bare page number ("3", "Page 3 of 7", "- 3 -") at an edge. Cleaning drops them;
authority detection reads them first, because a running header often names the council.

    >>> from index.readers.extracted import Line
    >>> pages = [[Line("Kestrel Bay Council"), Line("Text one."), Line("Page 1 of 2")],
    ...          [Line("Kestrel Bay Council"), Line("Text two."), Line("Page 2 of 2")]]
    >>> lines = [Line(x.text, page=p) for p, page in enumerate(pages) for x in page]
    >>> [lines[i].text for i in running_lines(lines)]
    ['Kestrel Bay Council', 'Page 1 of 2', 'Kestrel Bay Council', 'Page 2 of 2']
"""

from __future__ import annotations

import math
import re
from collections import defaultdict

from index.readers.extracted import Line

EDGE_LINES = 3  # how many lines at the top and at the bottom of a page can be furniture
_PAGE_NUMBER = re.compile(r"(page\s*)?[-–—]?\s*#\s*[-–—]?(\s*(of|/)\s*#)?", re.I)


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def running_lines(lines: list[Line]) -> list[int]:
    """Indices of `lines` that are running headers, footers or page numbers (in order)."""
    by_page: dict[int, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if line.text.strip():
            by_page[line.page].append(i)
    if len(by_page) < 2:
        return []
    edges = {p: sorted(set(ix[:EDGE_LINES] + ix[-EDGE_LINES:])) for p, ix in by_page.items()}
    pages_with: dict[str, set[int]] = defaultdict(set)
    for p, ix in edges.items():
        for i in ix:
            pages_with[_key(lines[i].text)].add(p)
    needed = 2 if len(by_page) <= 3 else max(2, math.ceil(0.4 * len(by_page)))
    found = []
    for _, ix in sorted(edges.items()):
        for i in ix:
            key = _key(lines[i].text)
            if len(pages_with[key]) >= needed or _PAGE_NUMBER.fullmatch(key):
                found.append(i)
    return found
