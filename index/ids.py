"""Document ids are unique: a file may not take an id the index holds from another file, and two
files of one run may not share one. Refused, each named, unless `--replace DOC_ID`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from index.load import SUPPORTED_TYPES, Found, Loader
from index.types import Document

if TYPE_CHECKING:
    from index.report import IngestReport


def refuse_collisions(
    loader: Loader,
    items: list[Found],
    known: dict[str, Document],
    replacing: set[str],
    report: IngestReport,
    rebuilding: bool = False,
) -> list[Found]:
    """Files whose id is theirs to take. Refused, each named: two files of this run with one
    id (both), and a file whose id the index holds from another file (unless in `replacing`;
    corpus documents may move folder, as their ids come from the manifest). In a rebuild
    the file an indexed document came from keeps its id (or gives way to `replacing`)."""
    # Files of a type that cannot be read are refused by the loader with that reason instead.
    by_path = {item.path: item for item in items}
    files = list(by_path)
    ids = {
        path: loader.identity(by_path[path].path, by_path[path].doc_id)
        for path in files
        if path.suffix.lower() in SUPPORTED_TYPES
    }
    groups: dict[str, list[Path]] = {}
    for path, (doc_id, _) in ids.items():
        groups.setdefault(doc_id, []).append(path)
    refused: dict[Path, str] = {}
    for doc_id, group in groups.items():
        old = known.get(doc_id)
        own = [p for p in group if old is not None and same_file(p, absolute(old.source))]
        if rebuilding and own and len(group) > 1:
            if doc_id in replacing:  # the new file takes the id: the old one is not re-read
                refused.update((p, "") for p in own)
                group = [p for p in group if p not in own]
                own = []
            else:  # the others are checked below against the indexed document
                group = [p for p in group if p not in own]
                own = []
        if len(group) > 1:
            for path in group:
                names = ", ".join(str(p) for p in group if p != path)
                refused[path] = f"'{doc_id}' is also the id of {names} in this run; rename one of them"
            continue
        for path in group:
            origin = ids[path][1]
            if (
                old is not None
                and doc_id not in replacing
                and not own
                and not (origin == "corpus" and old.origin == "corpus")
            ):
                refused[path] = (
                    f"the index already holds '{doc_id}' from {shown(old.source)}; "
                    f"use --replace {doc_id} to replace it, or rename the file"
                )
    report.failed += [(str(p), why) for p, why in refused.items() if why]
    return [by_path[p] for p in files if p not in refused]


def absolute(source: str) -> Path:
    return Path(source).absolute()


def same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def unique_files(files: list[Found]) -> list[Found]:
    """Each file once, however many ways it was named (a folder and a file in it, a rebuild's
    re-read documents and the corpus folder); the first naming gives its id."""
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f.path.resolve() not in seen:
            seen.add(f.path.resolve())
            unique.append(f)
    return unique


def shown(source: str) -> str:
    """A source path as a user would type it: relative to the working folder when inside it."""
    try:
        return str(Path(source).absolute().relative_to(Path.cwd()))
    except ValueError:
        return source
