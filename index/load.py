"""Find documents on disk, read them to text, and attach their metadata.

Metadata comes from the corpus manifest (`corpus/manifest.toml`) when the file is
listed there, else from the caller, else from the file itself: its title (properties,
first heading), its council (index/authority.py) and its kind (index/kinds.py).
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.authority import detect_authority
from index.clean import DEFAULT_BOILERPLATE
from index.furniture import running_lines
from index.kinds import detect_kind
from index.readers import READERS, Unreadable, read
from index.types import KINDS, SourceDocument

SUPPORTED_TYPES = set(READERS)
MANIFEST_NAME = "manifest.toml"
# Files in corpus/ that describe the corpus rather than belong to it.
PROJECT_FILES = {MANIFEST_NAME, "thesaurus.toml", "themes.toml", "induction-bank.toml"}


class LoadError(Exception):
    """A file that cannot be indexed; the message says why in a user's words. `skipped` is
    set for what was left alone on purpose (a symbolic link, a device), not a failure."""

    def __init__(self, path: Path, reason: str, skipped: bool = False) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.skipped = skipped


@dataclass(frozen=True)
class ManifestEntry:
    doc_id: str
    title: str
    authority: str
    doc_type: str
    note: str = ""
    date: str = ""
    kind: str = ""


def read_manifest(corpus_dir: Path) -> dict[Path, ManifestEntry]:
    """`corpus/manifest.toml` as {resolved file path: entry}. A missing manifest is empty."""
    path = Path(corpus_dir) / MANIFEST_NAME
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries: dict[Path, ManifestEntry] = {}
    for row in data.get("document", []):
        file = (Path(corpus_dir) / row["file"]).resolve()
        kind = row.get("kind", "")
        if kind and kind not in KINDS:
            raise ValueError(f"{path}: '{row['file']}' has kind '{kind}'; it must be one of {', '.join(KINDS)}")
        entries[file] = ManifestEntry(
            doc_id=row["doc_id"],
            title=row["title"],
            authority=row.get("authority", ""),
            doc_type=row.get("doc_type", ""),
            note=row.get("note", ""),
            date=str(row.get("date", "")),
            kind=kind,
        )
    return entries


@dataclass(frozen=True)
class Found:
    """A file to ingest and the document id it gets."""

    path: Path
    doc_id: str


@dataclass
class Discovered:
    files: list[Found] = field(default_factory=list)
    skipped: list[LoadError] = field(default_factory=list)  # links and special files, left alone
    missing: list[LoadError] = field(default_factory=list)  # paths that do not exist


def _not_regular(path: Path) -> str:
    """Why `path` is not a plain file or folder to read, or "" if it is one."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        return "skipped: it is a symbolic link (add the file it points to instead)"
    if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
        return ""
    what = "a named pipe" if stat.S_ISFIFO(mode) else "a device or socket"
    return f"skipped: it is {what}, not a file"


def discover_documents(paths: Iterable[Path]) -> Discovered:
    """Files to ingest under `paths`, each with its id: a file given directly is named by its
    stem ("policy"), a file found in a folder by its path inside that folder ("a/policy.txt"
    → "a-policy"), so two files of the same name in different folders never collide.
    Symbolic links and special files are never followed or read, whether given or found."""
    out = Discovered()
    for p in map(Path, paths):
        start = len(out.files)
        if not os.path.lexists(p):
            out.missing.append(LoadError(p, "no such file or folder"))
            continue
        why = _not_regular(p)
        if why:
            out.skipped.append(LoadError(p, why, skipped=True))
        elif p.is_dir():
            _walk(p, out)
            out.files[start:] = sorted(out.files[start:], key=lambda f: f.path)
        else:
            out.files.append(Found(p, slug(p.stem)))
    return out


def _walk(root: Path, out: Discovered) -> None:
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for d in list(dirs):
            why = _not_regular(here / d)
            if why:  # a link to a folder: not walked
                out.skipped.append(LoadError(here / d, why, skipped=True))
                dirs.remove(d)
        for name in sorted(names):
            if name.startswith(".") or name in PROJECT_FILES:
                continue
            path = here / name
            why = _not_regular(path)
            if why:
                out.skipped.append(LoadError(path, why, skipped=True))
                continue
            relative = path.relative_to(root).with_suffix("")
            out.files.append(Found(path, slug("-".join(relative.parts))))


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[LoadError]]:
    """Files to ingest under `paths` (folders walked, sorted), and paths that cannot be
    (missing, or skipped: links and special files). See `discover_documents` for ids."""
    found = discover_documents(paths)
    return [f.path for f in found.files], found.missing + found.skipped


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "document"


class Loader:
    """`Loader(manifest).run(path)` → a SourceDocument, or LoadError with a plain reason.

    `overrides` (from the command line) may set title, authority, doc_type and kind."""

    def __init__(
        self,
        manifest: dict[Path, ManifestEntry] | None = None,
        max_bytes: int = 50_000_000,
        overrides: dict[str, str] | None = None,
    ) -> None:
        self.manifest = manifest or {}
        self.max_bytes = max_bytes
        self.overrides = {k: v for k, v in (overrides or {}).items() if v}
        if self.overrides.get("kind", KINDS[0]) not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")

    def run(self, path: Path, doc_id: str | None = None) -> SourceDocument:
        """Read `path`; `doc_id` (from `discover_documents`) else the file's stem names it."""
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_TYPES:
            supported = ", ".join(sorted(SUPPORTED_TYPES))
            raise LoadError(path, f"unsupported file type '{suffix or path.name}' (supported: {supported})")
        why = _not_regular(path)
        if why:
            raise LoadError(path, why, skipped=True)
        size = path.stat().st_size
        if size == 0:
            raise LoadError(path, "the file is empty")
        if size > self.max_bytes:
            raise LoadError(path, f"the file is {size:,} bytes; the limit is {self.max_bytes:,}")
        try:
            extracted = read(path)
        except Unreadable as exc:
            raise LoadError(path, str(exc)) from exc
        text = extracted.text
        if not text.strip():
            raise LoadError(path, "the file has no text")
        return self._with_metadata(path, extracted, doc_id or slug(path.stem))

    def identity(self, path: Path, doc_id: str | None = None) -> tuple[str, str]:
        """(doc_id, origin) a file will be indexed under, without reading it: the manifest's id for
        a corpus document, else the one given (folder-relative), else its name's."""
        entry = self.manifest.get(Path(path).resolve())
        if entry:
            return entry.doc_id, "corpus"
        return doc_id or slug(Path(path).stem), "user"

    def _with_metadata(self, path: Path, extracted: Any, doc_id: str) -> SourceDocument:
        text = extracted.text
        entry = self.manifest.get(path.resolve())
        title = extracted.title or _first_heading(_body(extracted)) or path.stem
        meta: dict[str, Any] = {
            "doc_id": doc_id,
            "title": title,
            "authority": "",
            "doc_type": path.suffix.lower().lstrip("."),
            "note": "",
            "date": extracted.date,
            "origin": "user",
        }
        if entry:
            meta.update({k: v for k, v in entry.__dict__.items() if k != "kind"}, origin="corpus")
        meta.update({k: v for k, v in self.overrides.items() if k != "kind"})
        if meta["authority"]:
            how = "corpus manifest" if entry and entry.authority and "authority" not in self.overrides else "given"
            meta.update(authority_confidence=1.0, authority_evidence=(f"{how}: {meta['authority']}",))
        else:
            found = detect_authority(extracted, path)
            meta.update(authority=found.name, authority_confidence=found.confidence, authority_evidence=found.evidence)
        if "kind" in self.overrides:
            meta.update(kind=self.overrides["kind"], kind_evidence="given")
        elif entry and entry.kind:
            meta.update(kind=entry.kind, kind_evidence="corpus manifest")
        else:
            kind, why = detect_kind(meta["title"], _body(extracted), extracted)
            meta.update(kind=kind, kind_evidence=why)
        return SourceDocument(raw_text=text, source=str(path), paged=extracted.paged, extracted=extracted, **meta)


def _body(extracted: Any) -> str:
    """The text without running headers and footers (a PDF's first line is often its header)."""
    skip = set(running_lines(extracted.lines))
    return "\n".join(line.text for i, line in enumerate(extracted.lines) if line.text.strip() and i not in skip)


_CHROME = [re.compile(p, re.IGNORECASE) for p in DEFAULT_BOILERPLATE]


def _first_heading(text: str) -> str:
    """The first line that is not website chrome (the cleaner's own list), if short enough."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line and not any(p.fullmatch(line) for p in _CHROME):
            return line[:120] if len(line.split()) <= 15 else ""
    return ""
