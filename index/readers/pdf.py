"""PDF files: pypdf's text, line by line, each line knowing its page and line number.

"page 2, line 14" is the 14th line with text of page 2 as pypdf extracts it
(`PdfReader(path).pages[1].extract_text().splitlines()`, blank lines not counted), which
follows the lines as printed, running header included. The document information (author,
title, subject) is kept as evidence of who published it.
"""

from __future__ import annotations

import io
import re
from typing import Any

from index.readers.extracted import Extracted, Line, Unreadable, blank

ENCRYPTED = "the PDF is password-protected; save an unprotected copy and add that"


def read_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unreadable(ENCRYPTED)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (FileNotDecryptedError, NotImplementedError) as exc:
        raise Unreadable(ENCRYPTED) from exc
    except Unreadable:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise Unreadable(f"the PDF is damaged or not a PDF ({type(exc).__name__})") from exc
    if not pages:
        raise Unreadable("the PDF has no pages")
    if sum(len(re.findall(r"\w", p)) for p in pages) < 20 * len(pages):
        raise Unreadable("the PDF has no text layer (a scan?); it needs OCR before it can be added")
    out = Extracted([], mode="refs", layout="visual", paged=True)
    for p, page in enumerate(pages):
        number = 0
        for raw in page.split("\n"):
            if not raw.strip():
                out.lines.append(blank(p))
                continue
            number += 1
            out.lines.append(Line(raw, None, out.add_ref(("page", p + 1, number)), page=p))
        if not out.lines or out.lines[-1].page != p:  # an empty page still counts as a page
            out.lines.append(blank(p))
    meta = reader.metadata
    out.title = _info(meta, "title")
    created = meta.creation_date if meta and _safe_date(meta) else None
    out.date = created.date().isoformat() if created else ""
    for name in ("author", "title", "subject", "creator"):
        value = _info(meta, name)
        if value:
            out.evidence.append((f"PDF {name}", value))
    return out


def _info(meta: Any, name: str) -> str:
    try:
        value = getattr(meta, name, None) if meta else None
    except (ValueError, TypeError):
        return ""
    return str(value).strip() if value else ""


def _safe_date(meta: Any) -> bool:
    try:
        return meta.creation_date is not None
    except (ValueError, TypeError):  # a malformed date string in the PDF's info
        return False
