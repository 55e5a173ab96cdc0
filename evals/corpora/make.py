"""Generate the eval corpora's PDF and Word files from evals/corpora/src/*.txt, byte for byte the same every run.

    python -m evals.corpora.make

A source file is a few `key: value` lines, `---`, then one block per line: `# title`,
`## heading`, `- bullet`, `+ 1. item` / `++ 1.1 item` (a two-level numbered list: the text
carries its own number, the PDF hangs it in a margin), `| table | row |` (Word only; the first row
is the header) or a paragraph. `layout: slides` lays a PDF out as a landscape slide deck, each `## ` on a new
slide. `~` marks where the PDF typesetter may split a long word with a hyphen, so the
extracted text has real "respon-" / "sibility" splits, as council PDFs do.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import matplotlib

HERE = Path(__file__).resolve().parent
FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
# A fixed date for every zip member: python-docx would stamp the time of the run.
ZIP_DATE = (2025, 1, 1, 0, 0, 0)


# "++ " before "+ ": a level-two item must not be read as a level-one item starting with "+".
PREFIXES = (("# ", "title"), ("## ", "heading"), ("- ", "bullet"), ("++ ", "num2"), ("+ ", "num1"), ("| ", "row"))


@dataclass
class Source:
    meta: dict[str, str]
    blocks: list[tuple[str, str]] = field(default_factory=list)  # (kind, text): title/heading/bullet/num1/num2/row/para


def parse(path: Path) -> Source:
    head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
    meta = dict(line.split(": ", 1) for line in head.splitlines() if line.strip())
    src = Source(meta)
    for line in body.splitlines():
        if not line.strip():
            continue
        for prefix, kind in PREFIXES:
            if line.startswith(prefix):
                src.blocks.append((kind, line[len(prefix) :].rstrip(" |")))
                break
        else:
            src.blocks.append(("para", line))
    return src


def _created(src: Source) -> datetime:
    return datetime.fromisoformat(src.meta["created"]).replace(hour=9, tzinfo=UTC)


# ---------------------------------------------------------------- PDF


def _wrap(pdf, text: str, width: float) -> list[str]:  # type: ignore[no-untyped-def]
    """Greedy line filling; a word that does not fit is split at its last `~` that does."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        plain = word.replace("~", "")
        joined = f"{line} {plain}" if line else plain
        if pdf.get_string_width(joined) <= width:
            line = joined
            continue
        parts = word.split("~")
        for k in range(len(parts) - 1, 0, -1):
            head = "".join(parts[:k]) + "-"
            if pdf.get_string_width(f"{line} {head}" if line else head) <= width:
                lines.append(f"{line} {head}" if line else head)
                line = "".join(parts[k:])
                break
        else:
            lines.append(line)
            line = plain
    return [*lines, line] if line else lines


@dataclass(frozen=True)
class Layout:
    """Where a PDF's text goes: a portrait report, or a landscape slide deck as PowerPoint exports it."""

    orientation: str
    left: float
    width: float
    top: float
    bottom: float
    leading: float
    footer_y: float
    sizes: dict[str, float]  # font size per block kind
    new_page_at_heading: bool  # a slide deck starts each "## " on a slide of its own


PORTRAIT = Layout(
    "P", 28.0, 150.0, 32.0, 270.0, 6.2, 282.0, {"title": 16, "heading": 12.5, "other": 11}, new_page_at_heading=False
)
SLIDES = Layout(
    "L", 22.0, 253.0, 34.0, 186.0, 9.4, 196.0, {"title": 24, "heading": 21, "other": 16}, new_page_at_heading=True
)


def make_pdf(src: Source, out: Path) -> None:
    from fpdf import FPDF

    lay = SLIDES if src.meta.get("layout") == "slides" else PORTRAIT
    left, width, top, bottom, leading = lay.left, lay.width, lay.top, lay.bottom, lay.leading
    pdf = FPDF(orientation=lay.orientation, format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("DejaVu", fname=str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", style="B", fname=str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(src.meta["title"])
    pdf.set_author(src.meta["author"])
    pdf.set_subject(src.meta["subject"])
    pdf.set_creator("Microsoft Word")
    pdf.set_producer("fpdf2")
    pdf.set_creation_date(_created(src))

    # Lay out first (x, style, size, text, gap-before) so the footer can say "Page 2 of 4".
    placed: list[list[tuple[float, str, int, str, float]]] = [[]]
    y = top
    for kind, text in src.blocks:
        style, indent, gap = {
            "title": ("B", 0.0, 0.0),
            "heading": ("B", 0.0, 4.0),
            "bullet": ("", 6.0, 1.2),
            "num1": ("", 9.0, 2.0),
            "num2": ("", 20.0, 1.2),
            "para": ("", 0.0, 2.6),
        }[kind]
        size = lay.sizes.get(kind, lay.sizes["other"])
        pdf.set_font("DejaVu", style=style, size=size)
        label = ""
        if kind in ("num1", "num2"):  # "2.1 text": the number hangs left of the wrapped text
            label, text = text.split(" ", 1)
        lines = _wrap(pdf, text, width - indent)
        if kind == "heading" and (y + gap + 3 * leading > bottom or (lay.new_page_at_heading and y > top)):
            y = bottom  # a heading never ends a page; on a slide deck it starts one
        for i, line in enumerate(lines):
            before = gap if i == 0 else 0.0
            if y + before + leading > bottom:
                placed.append([])
                y, before = top, 0.0
            y += before + leading
            if kind == "bullet" and i == 0:
                placed[-1].append((left + 1.5, "", int(size * 10), "•", y))
            if label and i == 0:
                placed[-1].append((left + indent - (9.0 if kind == "num1" else 11.0), "", int(size * 10), label, y))
            placed[-1].append((left + indent, style, int(size * 10), line, y))
    total = len(placed)
    for number, page in enumerate(placed, start=1):
        pdf.add_page()
        pdf.set_font("DejaVu", size=8.5)
        pdf.set_text_color(90, 90, 90)
        pdf.set_xy(left, 14)
        pdf.cell(width, 5, src.meta["header"])
        pdf.line(left, 20.5, left + width, 20.5)
        pdf.set_text_color(0, 0, 0)
        for x, style, size10, text, y_pos in page:
            pdf.set_font("DejaVu", style=style, size=size10 / 10)
            pdf.set_xy(x, y_pos - leading)
            pdf.cell(0, leading, text)
        pdf.set_font("DejaVu", size=8.5)
        pdf.set_text_color(90, 90, 90)
        pdf.set_xy(left, lay.footer_y)
        pdf.cell(width, 5, f"Page {number} of {total} | {src.meta['footer']}", align="C")
        pdf.set_text_color(0, 0, 0)
    out.write_bytes(bytes(pdf.output()))


# ---------------------------------------------------------------- Word


def make_docx(src: Source, out: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    props = doc.core_properties
    props.title = src.meta["title"]
    props.author = src.meta["author"]
    props.subject = src.meta["subject"]
    props.last_modified_by = src.meta["author"]
    props.revision = 1
    props.created = props.modified = _created(src).replace(tzinfo=None)
    header = doc.sections[0].header.paragraphs[0]
    header.text = src.meta["header"]
    header.runs[0].font.size = Pt(9)

    rows: list[list[str]] = []
    for i, (kind, text) in enumerate(src.blocks):
        if kind == "row":
            rows.append([cell.strip() for cell in text.split(" | ")])
            if i + 1 < len(src.blocks) and src.blocks[i + 1][0] == "row":
                continue
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            table.style = "Table Grid"
            for r, cells in enumerate(rows):
                for c, value in enumerate(cells):
                    table.cell(r, c).text = value
                    if r == 0:
                        table.cell(r, c).paragraphs[0].runs[0].bold = True
            rows = []
        elif kind == "title":
            doc.add_heading(text, level=1)
        elif kind == "heading":
            doc.add_heading(text, level=2)
        elif kind == "bullet":
            doc.add_paragraph(text, style="List Bullet")
        else:
            doc.add_paragraph(text)
    buffer = io.BytesIO()
    doc.save(buffer)
    out.write_bytes(_fixed_zip(buffer.getvalue()))


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every member dated ZIP_DATE, so a rebuild is byte-identical."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main() -> None:
    for path in sorted((HERE / "src").glob("*.txt")):
        src = parse(path)
        out = HERE / src.meta["output"]
        (make_pdf if out.suffix == ".pdf" else make_docx)(src, out)
        print(out.relative_to(HERE))


if __name__ == "__main__":
    main()
