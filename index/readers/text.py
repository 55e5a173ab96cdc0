"""Plain text files: decode the bytes honestly, or refuse them with a reason.

UTF-8 (with or without a byte-order mark) and UTF-16/32 with a mark are read as such.
Anything else is tried as Windows-1252, the encoding of Word's "Save as text" on a UK
council laptop, and accepted only if it reads like Western European text: a file whose
bytes are mostly outside ASCII (Japanese, Cyrillic, random binary), or that mixes
UTF-8 with another encoding, would otherwise be indexed as mojibake ("councilâ€™s").

    >>> decode_text("the council’s duty".encode("cp1252"))
    'the council’s duty'
"""

from __future__ import annotations

import codecs
import re

from index.readers.extracted import Extracted, Unreadable, lines_of_text

_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
# A well-formed multi-byte UTF-8 character: in a file that is not valid UTF-8 as a whole,
# one of these means two encodings were mixed (Windows-1252 text almost never has one).
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Characters Windows-1252 gives for bytes that real Western text uses: letters with accents,
# typographic quotes and dashes, currency and a few symbols.
_PLAUSIBLE = set("‘’“”–—…•€£¥©®°±·½¼¾×÷§¶«»¿¡ªº") | {chr(c) for c in range(0xC0, 0x100)}
# Two accented capitals/symbols in a row inside a word is how UTF-8 read as 1252 looks ("Ã©", "â€").
_MOJIBAKE = re.compile(r"[ÃÂâ][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")
NOT_TEXT = "the file is not readable text (unknown encoding or binary content); save it as UTF-8 and add it again"


def decode_text(data: bytes) -> str:
    """Bytes of a text file → str; binary content and unknown encodings are refused."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise Unreadable(f"the file says it is {encoding.upper()} but is not valid {encoding.upper()}") from exc
    if b"\x00" in data[:8192]:
        raise Unreadable("this looks like a binary file, not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = _decode_western(data)
    sample = text[:8192]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > len(sample) * 0.01:
        raise Unreadable("this looks like a binary file, not text")
    return text


def _decode_western(data: bytes) -> str:
    # Western European text is mostly ASCII; Japanese, Cyrillic or binary is mostly not.
    if sum(b > 127 for b in data) > 0.3 * len(data):
        raise Unreadable(NOT_TEXT)
    if _UTF8_SEQUENCE.search(data):
        raise Unreadable("the file mixes UTF-8 with another encoding (its accents and quotes would be garbled)")
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise Unreadable(NOT_TEXT) from exc
    high = [c for c in text if ord(c) > 127]
    if sum(c not in _PLAUSIBLE for c in high) > 0.2 * len(high) or _MOJIBAKE.search(text):
        raise Unreadable(NOT_TEXT)
    return text


def read_text(data: bytes) -> Extracted:
    """A .txt file: lines with the offset of every character in the decoded text."""
    text = decode_text(data)
    return Extracted(lines_of_text(text), mode="chars", layout="text", raw=text)
