"""Read each file type to plain text with well-kept parsers: pypdf, python-docx, BeautifulSoup.

Every reader returns `Extracted`: text with one block (heading, paragraph, "- " list
item) per line, PDF pages separated by form feeds, and any title or date the file
itself carries. A file that cannot be read raises `Unreadable` with a plain reason.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

PAGE_BREAK = "\f"


class Unreadable(Exception):
    """The file is of a supported type but cannot be read; the message says why."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str = ""
    date: str = ""


def decode_text(data: bytes) -> str:
    """Bytes of a text file → str; binary content is refused rather than indexed as noise."""
    if b"\x00" in data[:8192]:
        raise Unreadable("this looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\n\r\t\f")
    if "\ufffd" in text or controls > len(text[:8192]) * 0.01:
        raise Unreadable("the file is not readable text (unknown encoding or binary content)")
    return text


def read_text(data: bytes) -> Extracted:
    return Extracted(decode_text(data))


def read_markdown(data: bytes) -> Extracted:
    """Markdown → lines: headings and paragraphs as lines, list items as '- '."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(decode_text(data))
    lines: list[str] = []
    title = ""
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            depth += 1
        elif tok.type == "list_item_close":
            depth -= 1
        elif tok.type == "inline":
            text = " ".join(
                (c.content if c.type in {"text", "code_inline"} else " ")
                for c in tok.children or []
                if c.type in {"text", "code_inline", "softbreak", "hardbreak"}
            )
            text = " ".join(text.split())
            if not text:
                continue
            opener = tokens[i - 1].type if i else ""
            if opener == "heading_open" and not title:
                title = text
            lines += [f"- {text}" if depth and opener == "paragraph_open" else text, ""]
        elif tok.type in {"fence", "code_block"}:
            lines += [tok.content.rstrip(), ""]
    return Extracted("\n".join(lines).strip() + "\n", title=title)


def read_pdf(data: bytes) -> Extracted:
    """PDF → text, pages separated by form feeds (citations carry page numbers)."""
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable("the PDF is password-protected; save an unprotected copy and add that")
        pages = [page.extract_text() or "" for page in reader.pages]
    except (FileNotDecryptedError, NotImplementedError) as exc:
        raise Unreadable("the PDF is password-protected; save an unprotected copy and add that") from exc
    except Unreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise Unreadable(f"the PDF is damaged or not a PDF ({type(exc).__name__})") from exc
    if not pages:
        raise Unreadable("the PDF has no pages")
    if sum(len(re.findall(r"\w", p)) for p in pages) < 20 * len(pages):
        raise Unreadable("the PDF has no text layer (a scan?); it needs OCR before it can be added")
    meta = reader.metadata
    title = str(meta.title).strip() if meta and meta.title else ""
    created = meta.creation_date if meta and _safe_date(meta) else None
    when = created.date().isoformat() if created else ""
    return Extracted(PAGE_BREAK.join(pages), title=title, date=when)


def _safe_date(meta) -> bool:  # type: ignore[no-untyped-def]
    try:
        return meta.creation_date is not None
    except (ValueError, TypeError):  # a malformed date string in the PDF's info
        return False


def read_docx(data: bytes) -> Extracted:
    """Word → text: headings and paragraphs as lines, list paragraphs as '- ', table rows."""
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise Unreadable(f"the Word file is damaged or not a .docx ({type(exc).__name__})") from exc
    except Exception as exc:  # zipfile.BadZipFile and lxml errors have no common base
        raise Unreadable(f"the Word file is damaged or not a .docx ({type(exc).__name__})") from exc
    lines: list[str] = []
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines += _docx_paragraph(block, doc)
        elif tag == "tbl":
            for row in block.iter("{*}tr"):
                cells = [" ".join("".join(t.text or "" for t in c.iter("{*}t")).split()) for c in row.iter("{*}tc")]
                if any(cells):
                    lines += [" | ".join(c for c in cells if c), ""]
    props = doc.core_properties
    return Extracted(
        "\n".join(lines).strip() + "\n",
        title=(props.title or "").strip(),
        date=props.created.date().isoformat() if props.created else "",
    )


def _docx_paragraph(element, doc) -> list[str]:  # type: ignore[no-untyped-def]
    from docx.text.paragraph import Paragraph

    para = Paragraph(element, doc)
    text = " ".join(para.text.split())
    if not text:
        return []
    style = (para.style.name if para.style is not None else "") or ""
    numbered = element.pPr is not None and element.pPr.numPr is not None
    if "List" in style or numbered:
        return [f"- {text}"]
    return [text, ""]


# Elements that are page furniture, not content.
_CHROME_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "button", "iframe"]
_CHROME_WORDS = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|breadcrumbs?|cookie|banner|footer|header|skip|share|social)([-_ ]|$)", re.I
)
_BLOCKS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "td", "th", "dt", "dd", "blockquote", "pre"]


def read_html(data: bytes) -> Extracted:
    """HTML → the page's content: navigation, cookie banners and scripts dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(data), "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(_CHROME_TAGS):
        tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        marks = " ".join([*(tag.get("class") or []), str(tag.get("id") or ""), str(tag.get("role") or "")])
        if _CHROME_WORDS.search(marks) or tag.get("role") in {"navigation", "banner", "contentinfo"}:
            tag.decompose()
    root = soup.find("main") or soup.find(role="main") or soup.find("article") or soup.body or soup
    lines: list[str] = []
    for el in root.find_all(_BLOCKS):
        if el.find(_BLOCKS):  # an outer block: its inner blocks speak for it
            continue
        text = " ".join(el.get_text(" ", strip=True).split())
        if text:
            lines += [f"- {text}" if el.name == "li" else text, ""]
    heading = root.find(["h1", "h2"])
    if heading is not None:
        title = heading.get_text(" ", strip=True)
    return Extracted("\n".join(lines).strip() + "\n", title=title)


READERS = {
    ".txt": read_text,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".html": read_html,
    ".htm": read_html,
}


def read(path: Path) -> Extracted:
    return READERS[path.suffix.lower()](Path(path).read_bytes())
