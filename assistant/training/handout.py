"""Printable induction packs (Markdown, Word, PDF) with the same content in each: a heading per
theme, each question with its model answer and key points, a source line for each [n], and
the list of source documents at the end. Each quote is printed once: the model answer already
quotes it beside its [n], so the references below it name the source only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from assistant.present import escape_markdown, safe_markdown, source_line
from assistant.training.bank import Bank, BankQuestion
from assistant.types import Citation

TITLE = "Induction pack: the Lead Member for Children's Services"
NO_ANSWER_YET = "No model answer yet: run `lmcs bank refresh`."
FOOTER = "Quotes are verbatim from the source documents; check the source before relying on them."


@dataclass(frozen=True)
class Item:
    number: int
    question: BankQuestion

    def references(self) -> list[tuple[Citation, bool]]:
        """Each citation, and whether its quote must be printed (it is not already in the answer)."""
        return [(c, c.quote not in self.question.answer) for c in self.question.citations]


@dataclass(frozen=True)
class Pack:
    title: str
    subtitle: str
    themes: list[tuple[str, list[Item]]]  # theme label, its questions in bank order
    sources: list[Citation]  # one per document, in first-cited order


def pack(bank: Bank, theme: str | None = None) -> Pack:
    """What every format prints."""
    label = bank.themes.get(theme, theme) if theme else "All themes"
    themes: list[tuple[str, list[Item]]] = []
    sources: dict[str, Citation] = {}
    for i, q in enumerate(bank.by_theme(theme), start=1):
        name = bank.themes.get(q.theme, q.theme)
        if not themes or themes[-1][0] != name:
            themes.append((name, []))
        themes[-1][1].append(Item(i, q))
        for c in q.citations:
            sources.setdefault(c.doc_id, c)
    return Pack(TITLE, f"{label} · {date.today().isoformat()}", themes, list(sources.values()))


def _document(c: Citation) -> str:
    return c.title + (f" — {c.authority}" if c.authority else "")


def handout_markdown(bank: Bank, theme: str | None = None) -> str:
    p = pack(bank, theme)
    out = [f"# {p.title}", "", p.subtitle, ""]
    for name, items in p.themes:
        out += [f"## {escape_markdown(name)}", ""]
        for item in items:
            q = item.question
            out += [f"### {item.number}. {escape_markdown(q.question)}", ""]
            out += [safe_markdown(q.answer) if q.answer else f"_{NO_ANSWER_YET}_", ""]
            if q.key_points:
                out += ["**Key points**", ""] + [f"- {escape_markdown(k)}" for k in q.key_points] + [""]
            if q.citations:
                out += ["**Sources**", ""]
                for c, with_quote in item.references():
                    quote = f" “{escape_markdown(c.quote)}”" if with_quote else ""
                    out.append(f"{c.n}. {escape_markdown(source_line(c))}{quote}")
                out.append("")
    out += ["## Source documents", ""] + [f"- {escape_markdown(_document(c))}" for c in p.sources]
    out += ["", FOOTER]
    return "\n".join(out) + "\n"


def handout_docx(bank: Bank, path: Path, theme: str | None = None) -> Path:
    from docx import Document

    p = pack(bank, theme)
    doc = Document()
    doc.add_heading(p.title, level=0)
    doc.add_paragraph(p.subtitle)
    for name, items in p.themes:
        doc.add_heading(name, level=1)
        for item in items:
            q = item.question
            doc.add_heading(f"{item.number}. {q.question}", level=2)
            for line in (q.answer or NO_ANSWER_YET).splitlines():
                if line.strip():
                    bullet = line.lstrip().startswith(("- ", "* "))
                    doc.add_paragraph(line.lstrip()[2:] if bullet else line, style="List Bullet" if bullet else None)
            if q.key_points:
                doc.add_heading("Key points", level=3)
                for k in q.key_points:
                    doc.add_paragraph(k, style="List Bullet")
            if q.citations:
                doc.add_heading("Sources", level=3)
                for c, with_quote in item.references():
                    doc.add_paragraph(f"[{c.n}] {source_line(c)}" + (f" “{c.quote}”" if with_quote else ""))
    doc.add_heading("Source documents", level=1)
    for c in p.sources:
        doc.add_paragraph(_document(c), style="List Bullet")
    doc.add_paragraph(FOOTER)
    doc.save(str(path))
    return Path(path)


def handout_pdf(bank: Bank, path: Path, theme: str | None = None) -> Path:
    """A4, 11 pt, a trainer's printout: headings that stand out, key points as a list, page numbers."""
    import matplotlib
    from fpdf import FPDF

    p = pack(bank, theme)
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"

    class Handout(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("DejaVu", size=8)
            self.set_text_color(80, 80, 80)
            self.cell(0, 6, f"{p.title} · page {self.page_no()}", align="C")
            self.set_text_color(0, 0, 0)

    pdf = Handout(format="A4")
    pdf.set_margins(20, 18, 20)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font("DejaVu", fname=str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", style="I", fname=str(fonts / "DejaVuSans-Oblique.ttf"))
    pdf.set_title(p.title)
    pdf.add_page()

    def para(text: str, size: float = 10.5, style: str = "", indent: float = 0, after: float = 1.5) -> None:
        pdf.set_font("DejaVu", style=style, size=size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(pdf.epw - indent, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(after)

    def bullet(text: str, size: float = 10.5, indent: float = 4) -> None:
        pdf.set_font("DejaVu", size=size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(5, size * 0.5, "•")
        pdf.multi_cell(pdf.epw - indent - 5, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)

    para(p.title, 18, "B", after=1)
    para(p.subtitle, 10, "I", after=4)
    for name, items in p.themes:
        if pdf.get_y() > pdf.h - 60:  # a theme heading never sits alone at the foot of a page
            pdf.add_page()
        para(name, 15, "B", after=2)
        for item in items:
            q = item.question
            para(f"{item.number}. {q.question}", 12.5, "B", after=1.5)
            for line in (q.answer or NO_ANSWER_YET).splitlines():
                stripped = line.strip()
                if stripped.startswith(("- ", "* ")):
                    bullet(stripped[2:])
                elif stripped:
                    para(stripped, after=1)
            if q.key_points:
                para("Key points", 11, "B", after=0.5)
                for k in q.key_points:
                    bullet(k)
            if q.citations:
                para("Sources", 10, "B", after=0.5)
                for c, with_quote in item.references():
                    para(f"[{c.n}] {source_line(c)}" + (f" “{c.quote}”" if with_quote else ""), 9, indent=4, after=0.5)
            pdf.ln(3)
    para("Source documents", 15, "B", after=2)
    for c in p.sources:
        bullet(_document(c), 10)
    pdf.ln(2)
    para(FOOTER, 9, "I")
    pdf.output(str(path))
    return Path(path)
