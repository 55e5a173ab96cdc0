"""Render an Answer for people (terminal text, Markdown) and for programs (JSON)."""

from __future__ import annotations

import html
import re
from typing import Any

from assistant.chain.compose import join_names, lead_line  # noqa: F401  (composed by the chain; re-exported)
from assistant.types import Answer, Citation

NATIONAL_KINDS = {"legislation", "statutory guidance"}


def kind_label(kind: str) -> str:
    """What sort of source, said so that a council's words are never taken for the statute's."""
    if not kind:
        return ""
    return kind if kind in NATIONAL_KINDS else f"{kind} — not legislation"


def source_line(c: Citation) -> str:
    where = " — ".join(x for x in (c.title, c.authority) if x)
    if c.kind:
        where += f" ({kind_label(c.kind)})"
    if c.location:
        where += f", {c.location}"
    elif c.page:
        where += f", page {c.page}"
    return f"{where} › {c.heading}" if c.heading else where


def to_text(answer: Answer) -> str:
    """Any notice first (a safeguarding signpost must be read first), then the answer, then each
    citation with its source and verbatim quote."""
    parts = [f"Note: {n}" for n in answer.notices if n.strip()]
    parts.append(answer.answer)
    if answer.citations:
        parts.append("Sources:")
        for c in answer.citations:
            parts.append(f"[{c.n}] {source_line(c)}\n    “{c.quote}”")
    if answer.backend != "extractive":
        parts.append(f"Answered by: {answer.backend}")
    return "\n\n".join(parts)


def to_json(answer: Answer, item_id: Any = None) -> dict[str, Any]:
    """The `lmcs ask --json` / `--batch` record."""
    return {"id": item_id, "question": answer.question, **answer.to_dict()}


NO_LEGISLATION = (
    "No legislation is indexed, so none of these passages is the statute's own wording: each is a council's "
    "or another body's description, labelled with its kind. To quote the Act, add it as saved from "
    "legislation.gov.uk (HTML or XML): lmcs ingest children-act-2004.xml"
)


def to_statutory_markdown(answer: Answer, legislation_indexed: bool = True) -> str:
    """Statutory wording mode: the verbatim passages only, each with its reference and its kind;
    said plainly first when none of them is legislation because none is indexed."""
    if answer.abstained or not answer.citations:
        return safe_markdown(answer.answer)
    blocks = [
        f"> {escape_markdown(c.quote)}\n\n— [{c.n}] *{escape_markdown(source_line(c))}*" for c in answer.citations
    ]
    if not legislation_indexed and not any(c.kind == "legislation" for c in answer.citations):
        blocks.insert(0, f"_{NO_LEGISLATION}_")
    return "\n\n".join(blocks)


def _passage_context(c: Citation, text: str, margin: int = 160) -> tuple[str, str, str]:
    """The quote with some of the text around it, cut at line ends where possible."""
    start = text.rfind("\n", 0, max(c.start - margin, 0)) + 1 if c.start > margin else 0
    end_nl = text.find("\n", min(c.end + margin, len(text)))
    end = len(text) if end_nl < 0 else end_nl
    return text[start : c.start], text[c.start : c.end], text[c.end : end]


def sources_html(answer: Answer, texts: dict[str, str]) -> str:
    """The sources panel: for each [n], the document, section, page and the passage with the quote marked."""
    cited = answer.citations or answer.nearest
    if not cited:
        return "<p>No sources for this answer.</p>"
    heading = "Nearest passages (not an answer)" if answer.abstained else "Sources"
    items = []
    for c in cited:
        before, quote, after = _passage_context(c, texts.get(c.doc_id, ""))
        where = html.escape(source_line(c))
        items.append(
            f'<li class="lmcs-source" id="source-{c.n}" tabindex="-1">'
            f'<div class="lmcs-where"><strong>[{c.n}]</strong> {where}</div>'
            f'<blockquote class="lmcs-passage">{_lines(before)}<mark>{_lines(quote)}</mark>{_lines(after)}'
            "</blockquote></li>"
        )
    return f'<h2 class="lmcs-h">{heading}</h2><ol class="lmcs-sources">{"".join(items)}</ol>'


def document_html(
    title: str, authority: str, text: str, start: int, end: int, others: list[tuple[int, int]] | None = None
) -> str:
    """A whole cleaned document with the chosen span marked (id lmcs-highlight, scrolled to by the UI)
    and any other quoted spans from it marked too."""
    head = html.escape(" — ".join(x for x in (title, authority) if x))
    spans = sorted({(start, end, True), *((s, e, False) for s, e in others or [] if e <= start or s >= end)})
    body, at = "", 0
    for s, e, chosen in spans:
        if s < at:  # overlaps a span already marked
            continue
        mark_id = ' id="lmcs-highlight"' if chosen else ""
        body += _lines(text[at:s]) + f"<mark{mark_id}>{_lines(text[s:e])}</mark>"
        at = e
    body += _lines(text[at:])
    return f'<h2 class="lmcs-h">{head}</h2><div class="lmcs-document">{body}</div>'


def _lines(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


# --- the chat's own rendering ---------------------------------------------------------

_MARKER = re.compile(r"\[(\d{1,3})\]")


def link_markers(markdown: str, numbers: set[int]) -> str:
    """Each `[n]` of a cited source becomes a link to that source in the sources panel."""
    return _MARKER.sub(
        lambda m: f"[\\[{m.group(1)}\\]](#source-{m.group(1)})" if int(m.group(1)) in numbers else m.group(0), markdown
    )


def plain_text(answer: Answer) -> str:
    """What "Copy answer" puts on the clipboard: no Markdown marks, the references written out."""
    parts = [n.strip() for n in answer.notices if n.strip()]
    parts.append(_unmark(answer.answer))
    if answer.citations:
        refs = [f"[{c.n}] {source_line(c)}" for c in answer.citations]
        parts.append("Sources:\n" + "\n".join(refs))
    return "\n\n".join(parts)


def _unmark(text: str) -> str:
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^\s*>\s?", "", line)
        line = re.sub(r"^(\s*)[-*]\s+", r"\1• ", line)
        line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
        line = re.sub(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])", r"\1", line)
        lines.append(line)
    return "\n".join(lines)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")


def escape_markdown(text: str) -> str:
    """Text from a document or its metadata, safe inside Markdown: any HTML shown as text (an
    `<img>` in a title must never make a browser fetch a URL), no Markdown marks, one line."""
    escaped = html.escape(text, quote=False).replace("!", "&#33;")
    return _MD_SPECIAL.sub(r"\\\1", escaped).replace("\n", " ")


def safe_markdown(text: str) -> str:
    """Markdown whose document words may carry HTML: tags and images shown as text, the rest kept."""
    return html.escape(text, quote=False).replace("![", "&#33;[")


def chat_markdown(answer: Answer, statutory: bool = False, legislation_indexed: bool = True) -> str:
    """The answer as the chat page shows it: notices first, document text escaped, each [n] a link
    to its source in the sources panel."""
    text = to_statutory_markdown(answer, legislation_indexed) if statutory else safe_markdown(answer.answer)
    text = link_markers(text, {c.n for c in answer.citations})
    if answer.notice:
        text = f"_{safe_markdown(answer.notice.strip())}_\n\n{text}"
    if answer.backend != "extractive":
        text += f"\n\n_Answered by: {safe_markdown(answer.backend)}_"
    return text
