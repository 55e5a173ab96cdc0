"""Where a span of a document's cleaned text came from in the file, for an officer to check.

Every character of the cleaned text carries one integer while it is cleaned: in "chars"
mode (.txt, .md, .html) the offset of the character in the decoded file text; in "refs"
mode (PDF, Word, legislation) the index of a reference ("page 2, line 14", "paragraph 12",
"table 1, row 3, cell 2", "s.19(2)(a)"). -1 marks text the cleaner added (a bullet
marker, a join space, a table cell's label). `LocationMap` keeps those integers as runs,
so a document's map is a few numbers per line of text, not per character.

    >>> m = LocationMap.build([10, 11, 12, -1, 20, 21], "chars")
    >>> str(m.locate(1, 6))
    'characters 12–22 of the file'
"""

from __future__ import annotations

import bisect
import json
from dataclasses import dataclass
from typing import Any

Ref = tuple[Any, ...]  # ("page", 2, 14) | ("paragraph", 12) | ("cell", 1, 3, 2) | ("provision", "19", "2", "a")


@dataclass(frozen=True)
class Location:
    """A span's place in the original file: structured fields, and `str()` for people.

    Character offsets are 0-based and end-exclusive into the decoded file text (what
    Python reads with `open(path, encoding=...)`); the human string counts from 1."""

    kind: str = ""  # "characters" | "page" | "paragraph" | "cell" | "provision" | "" (not known)
    char_start: int | None = None
    char_end: int | None = None
    page: int | None = None
    line: int | None = None
    page_end: int | None = None
    line_end: int | None = None
    paragraph: int | None = None
    paragraph_end: int | None = None
    table: int | None = None
    row: int | None = None
    cell: int | None = None
    provision: str = ""  # "s.19(2)(a)"
    act: str = ""  # "Children Act 2004"

    def __str__(self) -> str:
        if self.kind == "characters":
            return f"characters {self.char_start + 1}–{self.char_end} of the file"  # type: ignore[operator]
        if self.kind == "page" and self.line is None:  # indexed before lines were kept
            return f"page {self.page}" if self.page == self.page_end else f"pages {self.page}–{self.page_end}"
        if self.kind == "page":
            if self.page == self.page_end:
                lines = f"line {self.line}" if self.line == self.line_end else f"lines {self.line}–{self.line_end}"
                return f"page {self.page}, {lines}"
            return f"page {self.page}, line {self.line} to page {self.page_end}, line {self.line_end}"
        if self.kind == "paragraph":
            if self.paragraph == self.paragraph_end:
                return f"paragraph {self.paragraph}"
            return f"paragraphs {self.paragraph}–{self.paragraph_end}"
        if self.kind == "cell":
            return f"table {self.table}, row {self.row}, cell {self.cell}"
        if self.kind == "provision":
            return f"{self.act}, {self.provision}" if self.act else self.provision
        return ""


def provision_label(path: tuple[str, ...]) -> str:
    """("19", "2", "a") → "s.19(2)(a)"; a Schedule paragraph path starts "Sch 1"."""
    if not path:
        return ""
    head, rest = path[0], path[1:]
    if head.startswith("Sch"):
        if not rest:
            return head
        return f"{head}, para {rest[0]}" + "".join(f"({p})" for p in rest[1:])
    return f"s.{head}" + "".join(f"({p})" for p in rest)


@dataclass(frozen=True)
class LocationMap:
    """Runs of (start offset in the cleaned text, source value); see the module docstring."""

    mode: str  # "chars" | "refs"
    starts: tuple[int, ...] = ()
    values: tuple[int, ...] = ()
    refs: tuple[Ref, ...] = ()
    act: str = ""  # legislation: the Act's short title, the first words of every location
    widths: tuple[tuple[int, int], ...] = ()  # chars mode: (file offset, length) of multi-character sources

    @classmethod
    def build(
        cls,
        pos: list[int],
        mode: str,
        refs: list[Ref] | tuple[Ref, ...] = (),
        act: str = "",
        widths: dict[int, int] | None = None,
    ) -> LocationMap:
        starts: list[int] = []
        values: list[int] = []
        step = 1 if mode == "chars" else 0
        for i, v in enumerate(pos):
            if starts:
                last_v, last_s = values[-1], starts[-1]
                if v < 0 and last_v < 0:
                    continue
                if v >= 0 and last_v >= 0 and v == last_v + step * (i - last_s):
                    continue
            starts.append(i)
            values.append(v)
        used = set(pos)
        wide = tuple(sorted((k, v) for k, v in (widths or {}).items() if k in used and v > 1))
        return cls(mode, tuple(starts), tuple(values), tuple(tuple(r) for r in refs), act, wide)

    def locate(self, start: int, end: int) -> Location:
        """The Location of `text[start:end]`; text the cleaner added is ignored at the edges."""
        if not self.starts or end <= start:
            return Location()
        first = max(bisect.bisect_right(self.starts, start) - 1, 0)
        last = max(bisect.bisect_right(self.starts, end - 1) - 1, 0)
        runs = [
            (i, max(self.starts[i], start), min(self._run_end(i), end))
            for i in range(first, last + 1)
            if self.values[i] >= 0 and max(self.starts[i], start) < min(self._run_end(i), end)
        ]
        if not runs:
            return Location()
        if self.mode == "chars":
            (i0, s0, _), (i1, _, e1) = runs[0], runs[-1]
            char_start = self.values[i0] + s0 - self.starts[i0]
            last = self.values[i1] + e1 - 1 - self.starts[i1]
            char_end = last + dict(self.widths).get(last, 1)
            return Location("characters", char_start=char_start, char_end=char_end)
        seen: list[Ref] = []
        for i, _, _ in runs:
            ref = self.refs[self.values[i]]
            if not seen or seen[-1] != ref:
                seen.append(ref)
        return self._from_refs(seen)

    def _run_end(self, i: int) -> int:
        return self.starts[i + 1] if i + 1 < len(self.starts) else 1 << 62

    def _from_refs(self, refs: list[Ref]) -> Location:
        kinds = {r[0] for r in refs}
        if kinds == {"page"}:
            (_, p0, l0), (_, p1, l1) = min(refs), max(refs)
            return Location("page", page=p0, line=l0, page_end=p1, line_end=l1)
        if kinds == {"paragraph"}:
            nums = [r[1] for r in refs]
            return Location("paragraph", paragraph=min(nums), paragraph_end=max(nums))
        if kinds == {"cell"}:
            _, t, r, c = refs[0]
            return Location("cell", table=t, row=r, cell=c)
        if kinds == {"provision"}:
            paths = [tuple(r[1:]) for r in refs]
            common: list[str] = []
            for parts in zip(*paths, strict=False):
                if len(set(parts)) > 1:
                    break
                common.append(parts[0])
            return Location("provision", provision=provision_label(tuple(common)), act=self.act)
        # A span over mixed sources (a paragraph and a table): its first source is where to look.
        return self._from_refs([r for r in refs if r[0] == refs[0][0]])

    def to_json(self) -> str:
        """Compact: run starts as gaps, source values as the change from what the run before
        would have continued to (mostly 0 or 1), added text as null."""
        out: list[int | None] = []
        prev_s, last_s, last_v = 0, 0, -1
        step = 1 if self.mode == "chars" else 0
        for s, v in zip(self.starts, self.values, strict=True):
            out.append(s - prev_s)
            prev_s = s
            if v < 0:
                out.append(None)
                continue
            expected = last_v + step * (s - last_s) if last_v >= 0 else 0
            out.append(v - expected)
            last_s, last_v = s, v
        data: dict[str, Any] = {"m": self.mode, "r": out}
        if self.refs:
            data["x"] = _pack_refs(self.refs)
        if self.act:
            data["a"] = self.act
        if self.widths:
            data["w"] = [n for pair in self.widths for n in pair]
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str) -> LocationMap:
        data = json.loads(raw)
        step = 1 if data["m"] == "chars" else 0
        starts: list[int] = []
        values: list[int] = []
        prev_s, last_s, last_v = 0, 0, -1
        pairs = data["r"]
        for i in range(0, len(pairs), 2):
            s = prev_s + pairs[i]
            prev_s = s
            delta = pairs[i + 1]
            if delta is None:
                v = -1
            else:
                v = (last_v + step * (s - last_s) if last_v >= 0 else 0) + delta
                last_s, last_v = s, v
            starts.append(s)
            values.append(v)
        refs = _unpack_refs(data.get("x", []))
        w = data.get("w", [])
        widths = tuple((w[i], w[i + 1]) for i in range(0, len(w), 2))
        return cls(data["m"], tuple(starts), tuple(values), refs, data.get("a", ""), widths)


def _pack_refs(refs: tuple[Ref, ...]) -> list[list[Any]]:
    """Runs of references that count up by one in their last number ("page", 2, 14), ("page",
    2, 15), … → ["page", 2, 14, n]: a PDF's thousands of lines become one entry per page."""
    packed: list[list[Any]] = []
    for ref in refs:
        last = packed[-1] if packed else None
        if (
            last is not None
            and len(last) == len(ref) + 1
            and isinstance(ref[-1], int)
            and list(ref[:-1]) == last[:-2]
            and ref[-1] == last[-2] + last[-1]
        ):
            last[-1] += 1
        else:
            packed.append([*ref, 1])
    return packed


def _unpack_refs(packed: list[list[Any]]) -> tuple[Ref, ...]:
    refs: list[Ref] = []
    for group in packed:
        *ref, count = group
        if count == 1 or not isinstance(ref[-1], int):
            refs.append(tuple(ref))
            continue
        refs += [(*ref[:-1], ref[-1] + i) for i in range(count)]
    return tuple(refs)


EMPTY_MAP = LocationMap("chars")
