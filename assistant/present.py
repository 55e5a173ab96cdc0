"""Render an Answer for people (terminal text, Markdown) and for programs (JSON)."""

from __future__ import annotations

from typing import Any

from assistant.types import Answer, Citation


def source_line(c: Citation) -> str:
    where = " — ".join(x for x in (c.title, c.authority) if x)
    if c.page:
        where += f", page {c.page}"
    return f"{where} › {c.heading}" if c.heading else where


def to_text(answer: Answer) -> str:
    """The answer, then each citation with its source and verbatim quote."""
    parts = [answer.answer]
    if answer.citations:
        parts.append("Sources:")
        for c in answer.citations:
            parts.append(f"[{c.n}] {source_line(c)}\n    “{c.quote}” (characters {c.start}–{c.end})")
    if answer.notice:
        parts.append(f"Note: {answer.notice}")
    return "\n\n".join(parts)


def to_markdown(answer: Answer) -> str:
    parts = [answer.answer.replace("\n- ", "\n* ")]
    if answer.citations:
        parts.append("**Sources**")
        parts.append("\n".join(f"{c.n}. *{source_line(c)}*  \n   > {c.quote}" for c in answer.citations))
    if answer.notice:
        parts.append(f"_Note: {answer.notice}_")
    return "\n\n".join(parts)


def to_json(answer: Answer, item_id: Any = None) -> dict[str, Any]:
    """The `lmcs ask --json` / `--batch` record."""
    return {"id": item_id, "question": answer.question, **answer.to_dict()}
