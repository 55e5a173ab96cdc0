"""Render an Answer for people (terminal text, Markdown) and for programs (JSON)."""

from __future__ import annotations

import html
from typing import Any

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


def to_statutory_markdown(answer: Answer) -> str:
    """Statutory wording mode: the verbatim passages only, each with its reference."""
    if answer.abstained or not answer.citations:
        return answer.answer
    blocks = [f"> {c.quote}\n\n— [{c.n}] *{source_line(c)}*" for c in answer.citations]
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
            f'<li class="lmcs-source" id="source-{c.n}"><div class="lmcs-where"><strong>[{c.n}]</strong> {where}</div>'
            f'<blockquote class="lmcs-passage">{_lines(before)}<mark>{_lines(quote)}</mark>{_lines(after)}'
            "</blockquote></li>"
        )
    return f'<h2 class="lmcs-h">{heading}</h2><ol class="lmcs-sources">{"".join(items)}</ol>'


def document_html(title: str, authority: str, text: str, start: int, end: int) -> str:
    """A whole cleaned document with one span marked (id lmcs-highlight, scrolled to by the UI)."""
    head = html.escape(" — ".join(x for x in (title, authority) if x))
    body = _lines(text[:start]) + f'<mark id="lmcs-highlight">{_lines(text[start:end])}</mark>' + _lines(text[end:])
    return f'<h2 class="lmcs-h">{head}</h2><div class="lmcs-document">{body}</div>'


def _lines(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")
