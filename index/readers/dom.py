"""A small HTML tree whose text knows its offsets in the file.

BeautifulSoup records where tags start but not where text is, and it decodes entities,
so a quote could not be pointed back at the file. This parser is Python's own
`html.parser` with entity decoding left to us: every character of every text node keeps
the offset it came from (an entity's characters all point at its "&").
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
RAW = {"script", "style"}
# A start tag closes the open element when HTML says so: <p> by a block, <li> by <li>, …
_BLOCKISH = {
    *[
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "div",
        "dl",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    ],
    *["header", "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul"],
}
CLOSED_BY = {
    "p": _BLOCKISH,
    "li": {"li"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "td": {"td", "th", "tr"},
    "th": {"td", "th", "tr"},
    "tr": {"tr"},
    "option": {"option"},
}
_ENTITY = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")


@dataclass
class Text:
    text: str
    pos: list[int]


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | Text] = field(default_factory=list)
    parent: Node | None = None
    start: int = 0  # offset of the start tag in the file
    # On the root: {offset: length} of each entity ("&rsquo;" is one character of text from
    # seven of the file), so a quote ending on one covers all of it.
    widths: dict[int, int] = field(default_factory=dict)

    def marks(self) -> str:
        """The words a page uses to say what an element is: class, id, role, aria-label."""
        return " ".join(self.attrs.get(k, "") for k in ("class", "id", "role", "aria-label"))

    def iter(self) -> list[Node]:
        out: list[Node] = [self]
        for c in self.children:
            if isinstance(c, Node):
                out += c.iter()
        return out

    def find(self, *tags: str) -> Node | None:
        return next((n for n in self.iter() if n.tag in tags), None)

    def text_of(self) -> Text:
        """All text below, in order; a space (offset -1) where a <br> or a block breaks it."""
        parts: list[str] = []
        pos: list[int] = []
        for item in self._flat():
            parts.append(item.text)
            pos += item.pos
        return Text("".join(parts), pos)

    def plain(self) -> str:
        return " ".join(self.text_of().text.split())

    def _flat(self) -> list[Text]:
        out: list[Text] = []
        for c in self.children:
            if isinstance(c, Text):
                out.append(c)
            elif c.tag in RAW:
                continue
            elif c.tag == "br" or c.tag in _BLOCKISH or c.tag in CLOSED_BY:
                out += [Text(" ", [-1]), *c._flat(), Text(" ", [-1])]
            else:
                out += c._flat()
        return out


class _Builder(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(source) if ch == "\n"]
        self.root = Node("#document")
        self.open: list[Node] = [self.root]

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        while len(self.open) > 1 and tag in CLOSED_BY.get(self.open[-1].tag, ()):
            self.open.pop()
        node = Node(tag, {k: v or "" for k, v in attrs}, parent=self.open[-1], start=self._offset())
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.open[-1].tag == tag:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, 0, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        start = self._offset()
        self.open[-1].children.append(Text(data, list(range(start, start + len(data)))))

    def _entity(self) -> None:
        start = self._offset()
        m = _ENTITY.match(self.source, start)
        raw = m.group() if m else "&"
        text = html.unescape(raw)
        self.open[-1].children.append(Text(text, [start] * len(text)))
        if len(raw) > 1:
            self.root.widths[start] = len(raw)

    def handle_entityref(self, name: str) -> None:
        self._entity()

    def handle_charref(self, name: str) -> None:
        self._entity()


def parse(source: str) -> Node:
    builder = _Builder(source)
    builder.feed(source)
    builder.close()
    return builder.root
