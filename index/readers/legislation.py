"""Acts as saved from legislation.gov.uk, XML (CLML) or HTML, read section by section.

Every subsection becomes one line, so one quotable unit, located as "Children Act 2004,
s.19(2)"; its lettered paragraphs stay in it, each character knowing its own reference
("s.19(2)(a)"), so a clause quoted from inside it is located exactly. Parts, cross-headings
and section titles become headings ("s.19 Lead member for children's services"), which
chunks carry and quotes never include.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from index.readers.dom import Node, parse
from index.readers.extracted import Extracted, Line, Unreadable, blank
from index.readers.text import decode_text

NS = "http://www.legislation.gov.uk/namespaces/legislation"
_L = "{" + NS + "}"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_SKIP = {"CommentaryRef", "FootnoteRef", "Commentaries", "Footnotes", "MarginNote"}


@dataclass
class _Out:
    """Builds the lines: a provision line collects text pieces, each with its own reference."""

    extracted: Extracted
    current: Line | None = None
    refs: dict[tuple[str, ...], int] = field(default_factory=dict)

    def ref(self, path: tuple[str, ...]) -> int:
        if path not in self.refs:
            self.refs[path] = self.extracted.add_ref(("provision", *path))
        return self.refs[path]

    def heading(self, text: str, path: tuple[str, ...] = ()) -> None:
        text = " ".join(text.split())
        if text:
            self.close()
            r = self.ref(path)
            self.extracted.lines += [Line(text, [r] * len(text), role="heading"), blank()]

    def provision(self, path: tuple[str, ...], label: str = "") -> None:
        self.close()
        self.current = Line("", [], role="provision", label=label)

    def add(self, text: str, path: tuple[str, ...]) -> None:
        text = " ".join(text.split())
        if not text:
            return
        if self.current is None:
            self.provision(path)
        assert self.current is not None and self.current.pos is not None
        if self.current.text:
            self.current.text += " "
            self.current.pos.append(-1)
        r = self.ref(path)
        self.current.text += text
        self.current.pos += [r] * len(text)

    def close(self) -> None:
        if self.current is not None and self.current.text:
            self.extracted.lines += [self.current, blank()]
        self.current = None


def _new() -> Extracted:
    return Extracted([], mode="refs", layout="blocks")


# ---- CLML XML -------------------------------------------------------------------------


def read_legislation_xml(data: bytes) -> Extracted:
    """A CLML file (legislation.gov.uk's …/data.xml)."""
    try:
        root = ET.fromstring(data)  # noqa: S314
    except ET.ParseError as exc:
        raise Unreadable(f"the XML file is damaged ({exc})") from exc
    if root.tag != f"{_L}Legislation":
        raise Unreadable("only legislation.gov.uk XML (CLML) files can be added; this XML file is something else")
    ex = _new()
    out = _Out(ex)
    ex.act = _plain(root.find(f".//{_DC_TITLE}")) or _plain(root.find(f".//{_L}PrimaryPrelims/{_L}Title"))
    ex.title = ex.act
    ex.kind = ("legislation", "legislation.gov.uk XML (CLML)")
    body = root.find(f".//{_L}Body")
    if body is None:
        raise Unreadable("the legislation XML has no body (only its metadata was saved?)")
    _walk_xml(body, out, ())
    for schedule in root.iter(f"{_L}Schedule"):
        number = _plain(schedule.find(f"{_L}Number"))
        n = re.sub(r"\D", "", number) or "1"
        out.heading(f"{number} {_plain(schedule.find(f'.//{_L}Title'))}", (f"Sch {n}",))
        body = schedule.find(f"{_L}ScheduleBody")
        if body is not None:
            _walk_xml(body, out, (f"Sch {n}",))
    out.close()
    return ex


def _plain(el: ET.Element | None) -> str:
    if el is None:
        return ""
    return " ".join(_text(el).split())


def _text(el: ET.Element) -> str:
    """An element's text, without commentary and footnote references."""
    parts = [el.text or ""]
    for child in el:
        if child.tag.replace(_L, "") not in _SKIP:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _walk_xml(el: ET.Element, out: _Out, path: tuple[str, ...]) -> None:
    for child in el:
        tag = child.tag.replace(_L, "")
        if tag in {"Part", "Chapter"}:
            out.heading(f"{_plain(child.find(f'{_L}Number'))} {_plain(child.find(f'{_L}Title'))}")
            _walk_xml(child, out, path)
        elif tag == "Pblock":
            out.heading(_plain(child.find(f"{_L}Title")))
            _walk_xml(child, out, path)
        elif tag == "P1group":
            first = child.find(f"{_L}P1")
            number = _plain(first.find(f"{_L}Pnumber")) if first is not None else ""
            where = (*path, number) if path else (number,)
            prefix = "para " if path else "s."
            out.heading(f"{prefix}{number} {_plain(child.find(f'{_L}Title'))}", where)
            for p1 in child.findall(f"{_L}P1"):
                _provisions(p1, out, path)
        elif tag == "P1":
            _provisions(child, out, path)
        elif tag not in {"Number", "Title"}:
            _walk_xml(child, out, path)


def _provisions(p: ET.Element, out: _Out, path: tuple[str, ...], depth: int = 1) -> None:
    """A P1 (section), P2 (subsection), P3 (paragraph)… and everything inside it."""
    number = _plain(p.find(f"{_L}Pnumber"))
    here = (*path, number)
    if depth == 2:
        out.provision(here, f"({number}) ")
    elif depth > 2:
        out.add(f"({number})", here)
    for para in p.findall(f"{_L}P{depth}para"):
        for child in para:
            tag = child.tag.replace(_L, "")
            if tag == "Text":
                if depth == 1 and out.current is None:
                    out.provision(here)
                out.add(_text(child), here)
            elif re.fullmatch(r"P\d", tag):
                _provisions(child, out, here, int(tag[1:]))
    if depth == 1:
        out.close()


# ---- HTML -----------------------------------------------------------------------------


def read_legislation_html(source: str) -> Extracted:
    """A page saved from legislation.gov.uk: its Leg* classes say what each element is."""
    root = parse(source)
    ex = _new()
    out = _Out(ex)
    ex.act = _act_title(root)
    ex.title = ex.act
    ex.kind = ("legislation", "legislation.gov.uk page markup")
    snippet = next(
        (n for n in root.iter() if "LegSnippet" in _classes(n) or n.attrs.get("id") == "viewLegContents"), root
    )
    section: tuple[str, ...] = ()
    sub: tuple[str, ...] = ()
    pending_title = ""
    for node in snippet.iter():
        classes = _classes(node)
        if node.tag not in {"p", "h1", "h2", "h3", "h4", "h5", "h6"} or not any(c.startswith("Leg") for c in classes):
            continue
        spans = {c: n for n in node.iter() for c in _classes(n) if c.startswith("Leg")}
        if (
            "LegPartNo" in spans
            or "LegChapterNo" in spans
            or "LegPblockTitle" in classes
            or "LegPblockTitleFirst" in classes
        ):
            out.heading(_spaced(node))
        elif "LegP1No" in spans:
            number = spans["LegP1No"].plain().rstrip(".")
            section, sub = (number,), (number,)
            title = next((n.plain() for c, n in spans.items() if c.startswith("LegP1GroupTitle")), pending_title)
            out.heading(f"s.{number} {title}", section)
            pending_title = ""
            rest = _without(node, [spans["LegP1No"], *(n for c, n in spans.items() if c.startswith("LegP1GroupTitle"))])
            m = re.match(r"\s*[—–-]?\s*\((\w+)\)\s*", rest)
            if m:  # "4.—(1) For the purpose of…": the section opens with its first subsection
                sub = (number, m.group(1))
                out.provision(sub, f"({m.group(1)}) ")
                rest = rest[m.end() :]
            out.add(rest, sub)
        elif any(c.startswith("LegP1GroupTitle") for c in classes):
            pending_title = node.plain()
        elif "LegP2No" in spans:
            number = spans["LegP2No"].plain().strip("()")
            sub = (*section, number)
            out.provision(sub, f"({number}) ")
            out.add(_without(node, [spans["LegP2No"]]), sub)
        elif numbers := [c for c in spans if re.fullmatch(r"LegP[3-6]No", c)]:
            label = spans[numbers[0]].plain()
            out.add(f"{label} {_without(node, [spans[numbers[0]]])}", (*sub, label.strip("()")))
        elif any(re.fullmatch(r"LegP\d(Para)?Text(First)?|LegText", c) for c in classes) and section:
            out.add(node.plain(), sub)
    out.close()
    if not any(line.role == "provision" for line in ex.lines):
        raise Unreadable("no sections found in this legislation.gov.uk page (was only the contents page saved?)")
    return ex


def _classes(node: Node) -> list[str]:
    return node.attrs.get("class", "").split()


def _spaced(node: Node) -> str:
    """A heading's text with its parts apart: "Part 2" + "Children's services" (adjacent spans)."""
    return " ".join(" ".join(_texts(node)).split())


def _texts(node: Node) -> list[str]:
    out: list[str] = []
    for c in node.children:
        out += _texts(c) if isinstance(c, Node) else [c.text]
    return out


def _without(node: Node, drop: list[Node]) -> str:
    """A node's text without some of its descendants (the number spans)."""
    skip = {id(n) for d in drop for n in d.iter()}
    parts: list[str] = []

    def walk(n: Node) -> None:
        for c in n.children:
            if isinstance(c, Node):
                if id(c) not in skip:
                    walk(c)
            else:
                parts.append(c.text)

    walk(node)
    return " ".join("".join(parts).split())


def _act_title(root: Node) -> str:
    for meta in (n for n in root.iter() if n.tag == "meta"):
        if meta.attrs.get("name", "").lower() == "dc.title" and meta.attrs.get("content"):
            return " ".join(meta.attrs["content"].split())
    h1 = next((n for n in root.iter() if n.tag == "h1" and "pageTitle" in _classes(n)), None)
    title_tag = root.find("title")
    title = h1.plain() if h1 is not None else (title_tag.plain() if title_tag is not None else "")
    return re.split(r"\s+[-|–]\s+", title)[0].strip()


def read_legislation(data: bytes) -> Extracted:
    """Either form, by content."""
    head = data[:2048].lstrip()
    if head.startswith(b"<?xml") or b"<Legislation" in head:
        return read_legislation_xml(data)
    return read_legislation_html(decode_text(data))
