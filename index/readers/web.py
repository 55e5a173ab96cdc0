"""HTML pages: the content, without navigation, cookie banners and footers.

Each character of the text keeps its offset in the decoded file, so a quote's "characters
1043–1190 of the file" can be checked against the page's source. Who published the page is
read first, while the page furniture is still there: the <title>, og:site_name, the
copyright footer and the breadcrumbs. A page saved from legislation.gov.uk is handed to
the legislation reader.
"""

from __future__ import annotations

import re

from index.readers.dom import RAW, Node, Text, parse
from index.readers.extracted import Extracted, Line, blank
from index.readers.tables import Cell, table_lines
from index.readers.text import decode_text

# Elements that are page furniture, not content.
CHROME_TAGS = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "button", "iframe"}
CHROME_WORDS = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|breadcrumbs?|cookie|banner|footer|header|skip|share|social)([-_ ]|$)", re.I
)
CHROME_ROLES = {"navigation", "banner", "contentinfo"}
BLOCKS = {
    *[
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
    ],
    *[
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "menu",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "td",
        "th",
        "tr",
        "ul",
    ],
}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def read_html(data: bytes) -> Extracted:
    source = decode_text(data)
    if _is_legislation(source):
        from index.readers.legislation import read_legislation_html

        return read_legislation_html(source)
    root = parse(source)
    out = Extracted([], mode="chars", layout="blocks", widths=root.widths)
    title = root.find("title")
    out.evidence = _evidence(root)
    _drop_chrome(root)
    content = _main(root)
    _Walker(out).walk(content, "")
    heading = content.find("h1", "h2")
    out.title = heading.plain() if heading is not None else (title.plain() if title is not None else "")
    return out


def _is_legislation(source: str) -> bool:
    return (
        "legislation.gov.uk" in source and re.search(r'class="[^"]*\bLeg(Snippet|P1No|P2No|P1Text)', source) is not None
    )


def _evidence(root: Node) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    title = root.find("title")
    if title is not None and title.plain():
        found.append(("HTML title", title.plain()))
    for meta in (n for n in root.iter() if n.tag == "meta"):
        name = (meta.attrs.get("property") or meta.attrs.get("name") or "").lower()
        content = " ".join(meta.attrs.get("content", "").split())
        if content and name in {"og:site_name", "author", "dc.publisher", "dc.creator", "application-name"}:
            found.append((name if name.startswith("og:") else f"HTML {name}", content))
    for node in root.iter():
        marks = node.marks().lower()
        if node.tag == "footer" or node.attrs.get("role") == "contentinfo" or "footer" in marks:
            text = node.plain()
            for line in re.findall(r"(?:©|\(c\)|copyright)[^·|•\n]{3,80}", text, re.I):
                found.append(("copyright footer", line.strip()))
        elif "breadcrumb" in marks:
            found.append(("breadcrumbs", node.plain()))
        elif node.tag == "header" or node.attrs.get("role") == "banner":
            alts = " ".join(n.attrs.get("alt", "") for n in node.iter() if n.tag == "img")
            found.append(("page header", f"{node.plain()} {alts}".strip()))
    return [(where, text) for where, text in found if text]


def _drop_chrome(node: Node) -> None:
    kept: list[Node | Text] = []
    for child in node.children:
        if isinstance(child, Node):
            marks = child.marks()
            if child.tag in CHROME_TAGS or CHROME_WORDS.search(marks) or child.attrs.get("role") in CHROME_ROLES:
                continue
            _drop_chrome(child)
        kept.append(child)
    node.children = kept


def _main(root: Node) -> Node:
    for n in root.iter():
        if n.tag == "main" or n.attrs.get("role") == "main":
            return n
    return root.find("article") or root.find("body") or root


class _Walker:
    """Turn a tree into lines: a block element starts a new line, inline elements do not."""

    def __init__(self, out: Extracted) -> None:
        self.out = out
        self.parts: list[Text] = []
        self.role = ""

    def walk(self, node: Node, role: str) -> None:
        for child in node.children:
            if isinstance(child, Text):
                if not self.parts:
                    self.role = role
                self.parts.append(child)
            elif child.tag in RAW:
                continue
            elif child.tag == "br":
                self.parts.append(Text(" ", [-1]))
            elif child.tag == "table" and sum(n.tag == "table" for n in child.iter()) == 1:
                self.flush()
                self.out.lines += table_lines(*_cells(child))
            elif child.tag in BLOCKS:
                self.flush()
                inner = "heading" if child.tag in HEADINGS else ("item" if child.tag == "li" else role)
                self.walk(child, inner)
                self.flush()
            else:
                self.walk(child, role)

    def flush(self) -> None:
        text = "".join(p.text for p in self.parts)
        if text.strip():
            pos = [i for p in self.parts for i in p.pos]
            self.out.lines += [Line(text, pos, role=self.role), blank()]
        self.parts = []


def _cells(table: Node) -> tuple[list[list[Cell]], bool | None]:
    rows: list[list[Cell]] = []
    for tr in (n for n in table.iter() if n.tag == "tr"):
        row = [c for c in tr.children if isinstance(c, Node) and c.tag in {"td", "th"}]
        if row:
            rows.append([Cell(t.text, t.pos) for t in (c.text_of() for c in row)])
    first = next((n for n in table.iter() if n.tag == "tr"), None)
    marked = first is not None and (
        (first.parent is not None and first.parent.tag == "thead")
        or all(c.tag == "th" for c in first.children if isinstance(c, Node) and c.tag in {"td", "th"})
    )
    return rows, True if marked else None
