"""Printable induction packs: questions, model answers, verbatim quotes and sources (md, pdf, docx)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from assistant.present import source_line
from assistant.training.bank import Bank
from assistant.types import Citation


def handout_markdown(bank: Bank, theme: str | None = None) -> str:
    questions = bank.by_theme(theme)
    title = "Induction pack: the Lead Member for Children's Services"
    label = bank.themes.get(theme, theme) if theme else "All themes"
    out = [f"# {title}", "", f"{label} · {date.today().isoformat()}", ""]
    sources: dict[str, Citation] = {}
    current = None
    for i, q in enumerate(questions, start=1):
        if q.theme != current:
            current = q.theme
            out += [f"## {bank.themes.get(q.theme, q.theme)}", ""]
        out += [f"### {i}. {q.question}", "", q.answer or "_No model answer yet: run `lmcs bank refresh`._", ""]
        if q.key_points:
            out += ["Key points: " + "; ".join(q.key_points), ""]
        for c in q.citations:
            out += [f"> “{c.quote}”  ", f"> — [{c.n}] {source_line(c)}", ""]
            sources.setdefault(c.doc_id, c)
    out += ["## Sources", ""]
    out += [f"- {c.title}" + (f" — {c.authority}" if c.authority else "") for c in sources.values()]
    out += ["", "Quotes are verbatim from the source documents."]
    return "\n".join(out) + "\n"


def handout_pdf(bank: Bank, path: Path, theme: str | None = None) -> Path:
    from assistant.export import conversation_pdf

    turns = [q.turn() for q in bank.by_theme(theme)]
    label = bank.themes.get(theme, theme) if theme else "all themes"
    return conversation_pdf(turns, path, title=f"Induction pack: the Lead Member ({label})")


def handout_docx(bank: Bank, path: Path, theme: str | None = None) -> Path:
    from docx import Document

    doc = Document()
    doc.add_heading("Induction pack: the Lead Member for Children's Services", level=0)
    doc.add_paragraph(f"{bank.themes.get(theme, theme) if theme else 'All themes'} · {date.today().isoformat()}")
    sources: dict[str, Citation] = {}
    for i, q in enumerate(bank.by_theme(theme), start=1):
        doc.add_heading(f"{i}. {q.question}", level=2)
        doc.add_paragraph(q.answer or "No model answer yet.")
        if q.key_points:
            doc.add_paragraph("Key points: " + "; ".join(q.key_points))
        for c in q.citations:
            doc.add_paragraph(f"“{c.quote}”", style="Quote")
            doc.add_paragraph(f"[{c.n}] {source_line(c)}")
            sources.setdefault(c.doc_id, c)
    doc.add_heading("Sources", level=1)
    for c in sources.values():
        doc.add_paragraph(c.title + (f" — {c.authority}" if c.authority else ""), style="List Bullet")
    doc.save(str(path))
    return Path(path)
