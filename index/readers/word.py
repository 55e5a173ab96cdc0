"""Word (.docx) files: paragraphs and table cells, each numbered as python-docx counts them.

"paragraph 12" is `docx.Document(path).paragraphs[11]` (empty paragraphs count: each is a
visible empty line in Word); "table 1, row 3, cell 2" is `tables[0].rows[2]`'s second
`<w:tc>`. Section headers and footers are not document text, but they often name the
council: they are kept as evidence for authority detection.
"""

from __future__ import annotations

import io
from typing import Any

from index.readers.extracted import Extracted, Line, Unreadable, blank
from index.readers.tables import Cell, table_lines

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes) -> Extracted:
    from docx import Document

    try:
        doc = Document(io.BytesIO(data))
    except Exception as exc:  # zipfile.BadZipFile, lxml and KeyError errors have no common base
        raise Unreadable(f"the Word file is damaged or not a .docx ({type(exc).__name__})") from exc
    out = Extracted([], mode="refs", layout="blocks")
    n_para = n_table = 0
    for block in doc.element.body.iterchildren():
        if block.tag == f"{_W}p":
            n_para += 1
            out.lines += _paragraph(block, doc, out.add_ref(("paragraph", n_para)))
        elif block.tag == f"{_W}tbl":
            n_table += 1
            out.lines += table_lines(*_table(block, n_table, out))
    props = doc.core_properties
    out.title = (props.title or "").strip()
    out.date = props.created.date().isoformat() if props.created else ""
    for name in ("author", "title", "subject", "keywords", "category", "comments"):
        value = (getattr(props, name, "") or "").strip()
        if value:
            out.evidence.append((f"Word {name} property", value))
    for section in doc.sections:
        for part, where in ((section.header, "Word header"), (section.footer, "Word footer")):
            try:
                texts = [p.text for p in part.paragraphs] + [
                    c.text for t in part.tables for r in t.rows for c in r.cells
                ]
            except Exception:  # noqa: S112  (a damaged header part should not lose the document)
                continue
            out.evidence += [(where, " ".join(t.split())) for t in texts if t.strip()]
    return out


def _paragraph(element: Any, doc: Any, ref: int) -> list[Line]:
    from docx.text.paragraph import Paragraph

    para = Paragraph(element, doc)
    text = para.text
    if not text.strip():
        return []
    style = (para.style.name if para.style is not None else "") or ""
    numbered = element.pPr is not None and element.pPr.numPr is not None
    if "List" in style or numbered:
        return [Line(text, None, ref, "item")]
    if style.startswith("Heading") or style == "Title":
        return [Line(text, None, ref, "heading"), blank()]
    return [Line(text, None, ref), blank()]


def _table(element: Any, number: int, out: Extracted) -> tuple[list[list[Cell]], bool | None]:
    rows: list[list[Cell]] = []
    header: bool | None = None
    for r, tr in enumerate(element.iterchildren(f"{_W}tr"), start=1):
        cells = []
        for c, tc in enumerate(tr.iterchildren(f"{_W}tc"), start=1):
            text = "\n".join("".join(t.text or "" for t in p.iter(f"{_W}t")) for p in tc.iter(f"{_W}p"))
            cells.append(Cell(text, None, out.add_ref(("cell", number, r, c))))
        rows.append(cells)
        if r == 1:
            marked = tr.find(f"{_W}trPr/{_W}tblHeader") is not None
            bold = all(_all_bold(tc) for tc in tr.iterchildren(f"{_W}tc"))
            header = True if marked or bold else None
    return rows, header


def _all_bold(tc: Any) -> bool:
    runs = [r for r in tc.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()]
    return bool(runs) and all(r.find(f"{_W}rPr/{_W}b") is not None for r in runs)
