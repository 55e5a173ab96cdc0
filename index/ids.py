"""Document ids are unique: which files of a run may take which id, and why the others may not.

Issue #18: two files whose names gave one id silently replaced each other ("1 updated"), so a
user's file named like a corpus document replaced that council's portfolio. Now a file may
take an id the index holds only if it is the same file (an update), both are corpus files (the
manifest names the id; the corpus folder may move), or the caller said `--replace ID`.
"""

from __future__ import annotations

from pathlib import Path

from index.types import Document


def refuse_collisions(
    files: list[Path],
    identities: dict[Path, tuple[str, str]],
    known: dict[str, Document],
    replacing: set[str],
    rebuilding: bool = False,
) -> tuple[list[Path], list[tuple[str, str]]]:
    """(files to index, [(file, why refused)]). `identities`: file → (doc_id, origin) it would get.

    Refused, each named: two files of this run with one id (both), and a file whose id the index
    holds from another file. In a rebuild the file an indexed document came from keeps its id,
    unless the id is in `replacing` (then the other file takes it and the old one is not read)."""
    groups: dict[str, list[Path]] = {}
    for path, (doc_id, _) in identities.items():
        groups.setdefault(doc_id, []).append(path)
    refused: dict[Path, str] = {}
    for doc_id, group in groups.items():
        old = known.get(doc_id)
        own = [p for p in group if old is not None and same_file(p, absolute(old.source))]
        if rebuilding and own and len(group) > 1:
            if doc_id in replacing:
                refused.update((p, "") for p in own)
            group, own = [p for p in group if p not in own], []
        if len(group) > 1:
            for path in group:
                names = ", ".join(str(p) for p in group if p != path)
                refused[path] = f"'{doc_id}' is also the id of {names} in this run; rename one of them"
            continue
        for path in group:
            both_corpus = identities[path][1] == "corpus" and old is not None and old.origin == "corpus"
            if old is not None and doc_id not in replacing and not own and not both_corpus:
                refused[path] = (
                    f"the index already holds '{doc_id}' from {shown(old.source)}; "
                    f"use --replace {doc_id} to replace it, or rename the file"
                )
    return [p for p in files if p not in refused], [(str(p), why) for p, why in refused.items() if why]


def absolute(source: str | Path) -> Path:
    return Path(source).absolute()


def same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def unique_files(files: list[Path]) -> list[Path]:
    """Each file once, however many ways it was named (a folder and a file in it, a rebuild's
    re-read documents and the corpus folder)."""
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique


def shown(source: str) -> str:
    """A source path as a user would type it: relative to the working folder when inside it."""
    try:
        return str(Path(source).absolute().relative_to(Path.cwd()))
    except ValueError:
        return source
