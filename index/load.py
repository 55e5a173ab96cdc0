"""Find documents on disk, read them to text, and attach their metadata.

Metadata comes from the corpus manifest (`corpus/manifest.toml`) when the file is
listed there, else from the caller, else it is inferred (the first heading).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from index.clean import DEFAULT_BOILERPLATE
from index.readers import READERS, Unreadable, read
from index.types import SourceDocument

SUPPORTED_TYPES = set(READERS)
MANIFEST_NAME = "manifest.toml"
# Files in corpus/ that describe the corpus rather than belong to it.
PROJECT_FILES = {MANIFEST_NAME, "thesaurus.toml", "themes.toml", "induction-bank.toml"}


class LoadError(Exception):
    """A file that cannot be indexed; the message says why in a user's words."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class ManifestEntry:
    doc_id: str
    title: str
    authority: str
    doc_type: str
    note: str = ""
    date: str = ""


def read_manifest(corpus_dir: Path) -> dict[Path, ManifestEntry]:
    """`corpus/manifest.toml` as {resolved file path: entry}. A missing manifest is empty."""
    path = Path(corpus_dir) / MANIFEST_NAME
    if not path.exists():
        return {}
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    entries: dict[Path, ManifestEntry] = {}
    for row in data.get("document", []):
        file = (Path(corpus_dir) / row["file"]).resolve()
        entries[file] = ManifestEntry(
            doc_id=row["doc_id"],
            title=row["title"],
            authority=row.get("authority", ""),
            doc_type=row.get("doc_type", ""),
            note=row.get("note", ""),
            date=str(row.get("date", "")),
        )
    return entries


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[LoadError]]:
    """Files to ingest under `paths` (folders walked, sorted), and paths that cannot be."""
    files: list[Path] = []
    errors: list[LoadError] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(
                f
                for f in sorted(p.rglob("*"))
                if f.is_file() and f.name not in PROJECT_FILES and not f.name.startswith(".")
            )
        elif p.is_file():
            files.append(p)
        else:
            errors.append(LoadError(p, "no such file or folder"))
    return files, errors


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "document"


class Loader:
    """`Loader(manifest).run(path)` → a SourceDocument, or LoadError with a plain reason."""

    def __init__(
        self,
        manifest: dict[Path, ManifestEntry] | None = None,
        max_bytes: int = 50_000_000,
        overrides: dict[str, str] | None = None,
    ) -> None:
        self.manifest = manifest or {}
        self.max_bytes = max_bytes
        self.overrides = {k: v for k, v in (overrides or {}).items() if v}

    def run(self, path: Path) -> SourceDocument:
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in SUPPORTED_TYPES:
            supported = ", ".join(sorted(SUPPORTED_TYPES))
            raise LoadError(path, f"unsupported file type '{suffix or path.name}' (supported: {supported})")
        size = path.stat().st_size
        if size == 0:
            raise LoadError(path, "the file is empty")
        if size > self.max_bytes:
            raise LoadError(path, f"the file is {size:,} bytes; the limit is {self.max_bytes:,}")
        try:
            extracted = read(path)
        except Unreadable as exc:
            raise LoadError(path, str(exc)) from exc
        if not extracted.text.strip():
            raise LoadError(path, "the file has no text")
        return self._with_metadata(path, extracted.text, extracted.title, extracted.date)

    def _with_metadata(self, path: Path, text: str, title: str = "", date: str = "") -> SourceDocument:
        entry = self.manifest.get(path.resolve())
        meta: dict[str, Any] = {
            "doc_id": slug(path.stem),
            "title": title or _first_heading(text) or path.stem,
            "authority": "",
            "doc_type": path.suffix.lower().lstrip("."),
            "note": "",
            "date": date,
            "origin": "user",
        }
        if entry:
            meta.update({k: v for k, v in entry.__dict__.items()}, origin="corpus")
        meta.update(self.overrides)
        return SourceDocument(raw_text=text, source=str(path), paged=path.suffix.lower() == ".pdf", **meta)


_CHROME = [re.compile(p, re.IGNORECASE) for p in DEFAULT_BOILERPLATE]


def _first_heading(text: str) -> str:
    """The first line that is not website chrome (the cleaner's own list), if short enough."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line and not any(p.fullmatch(line) for p in _CHROME):
            return line[:120] if len(line.split()) <= 15 else ""
    return ""
