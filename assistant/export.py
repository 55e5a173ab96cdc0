"""Export a conversation, citations and verbatim quotes included: what a member takes to a meeting."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from assistant.present import source_line
from assistant.types import Citation

FOOTER = "Quotes are verbatim from the source documents; check the source before relying on them."


def _citations(turn: dict[str, Any]) -> list[Citation]:
    return [Citation.from_dict(c) for c in turn.get("citations", [])]


def conversation_markdown(turns: list[dict[str, Any]], title: str = "LMCS Assistant conversation") -> str:
    """`turns`: [{"question", "answer", "citations": [Citation dicts], "abstained"}]."""
    out = [f"# {title}", "", f"Exported {date.today().isoformat()}.", ""]
    for i, turn in enumerate(turns, start=1):
        out += [f"## {i}. {turn['question']}", "", turn["answer"], ""]
        cites = _citations(turn)
        if cites:
            out += ["**Sources**", ""]
            for c in cites:  # a quote already in the answer beside its [n] is not printed again
                out += [f"{c.n}. {source_line(c)} (characters {c.start}–{c.end})", ""]
                if c.quote not in turn["answer"]:
                    out += [f"   > {c.quote}", ""]
    out += ["---", FOOTER, ""]
    return "\n".join(out)


def conversation_pdf(turns: list[dict[str, Any]], path: Path, title: str = "LMCS Assistant conversation") -> Path:
    """The same content as the Markdown export, as a PDF (fpdf2, DejaVu font for curly quotes)."""
    import matplotlib
    from fpdf import FPDF

    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", fname=str(font / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(font / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", style="I", fname=str(font / "DejaVuSans-Oblique.ttf"))
    pdf.set_title(title)
    pdf.add_page()

    def para(text: str, size: int = 10, style: str = "", indent: float = 0) -> None:
        pdf.set_font("DejaVu", style=style, size=size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(pdf.epw - indent, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)

    para(title, 16, "B")
    para(f"Exported {date.today().isoformat()}.", 9, "I")
    for i, turn in enumerate(turns, start=1):
        para(f"{i}. {turn['question']}", 12, "B")
        para(turn["answer"])
        cites = _citations(turn)
        if cites:
            para("Sources", 10, "B")
            for c in cites:
                para(f"[{c.n}] {source_line(c)}", 9, "I", indent=4)
                if c.quote not in turn["answer"]:
                    para(f"“{c.quote}”", 9, indent=8)
    para(FOOTER, 8, "I")
    pdf.output(str(path))
    return Path(path)
