"""Compose the answer text from chosen points: a lead line naming the sources, then one verbatim
point per citation. Apart from the lead line and the citation marks, every word is a quote.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.chain.prompts import load_prompt
from assistant.chain.select import Point
from assistant.chain.snapshot import CorpusSnapshot
from assistant.types import Answer, Citation
from index.types import Document


def citations_for(points: list[Point], docs: dict[str, Document]) -> list[Citation]:
    """One citation per point, numbered from 1, with what the document record knows of its source.
    Points of one council are kept together (in order of first appearance) so the answer can
    list them under the council's name."""
    order: dict[str, int] = {}
    for p in points:
        doc = docs.get(p.doc_id)
        order.setdefault((doc.authority or doc.title) if doc else p.doc_id, len(order))

    def council(p: Point) -> int:
        doc = docs.get(p.doc_id)
        return order[(doc.authority or doc.title) if doc else p.doc_id]

    out = []
    for i, p in enumerate(sorted(points, key=council), start=1):
        doc = docs.get(p.doc_id)
        out.append(
            Citation(
                n=i,
                doc_id=p.doc_id,
                title=doc.title if doc else p.doc_id,
                authority=doc.authority if doc else "",
                heading=p.heading,
                quote=p.quote,
                start=p.start,
                end=p.end,
                page=doc.page_at(p.start) if doc else None,
                kind=doc.kind if doc else "",
                location=str(doc.locate(p.start, p.end)) if doc else "",
            )
        )
    return out


NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
# What sort of document, in the words a reader uses, from the citation's kind or, until every
# citation carries one, from its title.
_KIND_WORDS = [
    ("statutory guidance", "statutory guidance"),
    ("legislation", "legislation"),
    ("role profile", "role profile"),
    ("news", "news item"),
    ("portfolio", "portfolio"),
]


def _count(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def _doc_kind(c: Citation) -> str:
    for text in (c.kind, c.title):
        lower = (text or "").lower()
        for key, words in _KIND_WORDS:
            if key in lower:
                return words
    return "document"


def _possessive(name: str) -> str:
    return f"{name}’" if name.endswith("s") else f"{name}’s"


def _one_council(authority: str, kinds: list[str]) -> str:
    """ "Wigan Council’s portfolio", "two Birmingham City Council documents", "an unnamed council’s role profile"."""
    if len(kinds) > 1:
        same = kinds[0] if len(set(kinds)) == 1 and kinds[0] != "document" else "document"
        plural = same if same.endswith(("guidance", "legislation")) else f"{same}s"
        return f"{_count(len(kinds))} {authority} {plural}"
    if authority.lower().startswith("unnamed"):
        return f"an unnamed council’s {kinds[0]}"
    return f"{_possessive(authority)} {kinds[0]}"


def join_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if not names:
        return ""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def lead_line(citations: list[Citation] | tuple[Citation, ...]) -> str:
    """The line before an answer's quotes, naming each council once and how many of its documents:
    "From Wigan Council’s portfolio and two Birmingham City Council documents:".

    A document with no council (an Act, national guidance) is named by its title. Pure: the chain's
    composer calls it with the answer's citations.
    """
    docs: dict[str, Citation] = {}
    for c in citations:
        docs.setdefault(c.doc_id, c)
    if not docs:
        return ""
    councils: dict[str, list[str]] = {}
    parts_order: list[tuple[str, str]] = []  # ("council", authority) or ("title", title), first-cited first
    for c in docs.values():
        if c.authority:
            if c.authority not in councils:
                councils[c.authority] = []
                parts_order.append(("council", c.authority))
            councils[c.authority].append(_doc_kind(c))
        else:
            parts_order.append(("title", c.title))
    parts = [_one_council(value, councils[value]) if what == "council" else value for what, value in parts_order]
    return load_prompt("extractive_lead").render(sources=join_names(parts))


def compose(citations: list[Citation]) -> str:
    """A lead line naming the sources, then one verbatim point per citation."""
    lead = lead_line(citations)
    councils = list(dict.fromkeys(c.authority or c.title for c in citations))
    if len(councils) == 1:
        return f"{lead}\n\n" + "\n".join(f"- {c.quote} [{c.n}]" for c in citations)
    # Several councils: each point under its council's name, so no point is read as another's.
    groups = [
        f"{name}:\n" + "\n".join(f"- {c.quote} [{c.n}]" for c in citations if (c.authority or c.title) == name)
        for name in councils
    ]
    return f"{lead}\n\n" + "\n\n".join(groups)


def fallback(extractive: Answer, reason: str) -> Answer:
    notice = load_prompt("llm_fallback").render(reason=reason)
    return replace(extractive.with_notice(notice, first=True), backend="extractive (fallback)")


def distinct_chunks(points: list[Point]) -> list[Point]:
    """The best point of each chunk, so the nearest passages are not three lines of one."""
    seen: set[str] = set()
    out = []
    for p in points:
        if p.chunk_id not in seen:
            seen.add(p.chunk_id)
            out.append(p)
    return out


_KIND_NAMES = {  # one, many
    "legislation": ("piece of legislation", "pieces of legislation"),
    "statutory guidance": ("statutory guidance document", "statutory guidance documents"),
    "council role profile": ("role profile", "role profiles"),
    "news": ("news item", "news items"),
}


def searched(snapshot: CorpusSnapshot, scope: list[str] | None) -> str:
    """What was searched, in words: "1 role profile from Wigan Council" or "7 role profiles and 1 news
    item from …" — which kinds of document, from which councils. The whole corpus's is said once per
    version: a refusal walked every document record (10,000 of them at scale)."""
    if scope is None:
        return snapshot.memo(("searched", None), lambda: _searched(snapshot, None))
    return _searched(snapshot, scope)


def _searched(snapshot: CorpusSnapshot, scope: list[str] | None) -> str:
    docs = [snapshot.documents[d] for d in (scope or snapshot.documents) if d in snapshot.documents]
    councils = sorted({d.authority for d in docs if d.authority})
    counts: dict[str, int] = {}
    for d in docs:
        kind = d.kind if d.kind in _KIND_NAMES else "other"
        counts[kind] = counts.get(kind, 0) + 1
    names = {**_KIND_NAMES, "other": ("other document", "other documents")}
    kinds = join_names([f"{n} {names[k][n != 1]}" for k, n in sorted(counts.items(), key=lambda kn: -kn[1])])
    return f"{kinds} from {join_names(councils)}" if councils else kinds


def abstain_text(nearest: list[Citation], searched: str) -> str:
    text = load_prompt("abstain").render(searched=searched)
    if nearest:
        lines = "\n".join(f"- “{c.quote}” — {c.title}" + (f", {c.authority}" if c.authority else "") for c in nearest)
        text += "\n\n" + load_prompt("abstain_nearest").render() + "\n" + lines
    return text
