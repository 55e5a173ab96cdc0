"""What is derived from the whole corpus (BM25, acronyms, its words), built at ingest and kept beside the index.

Building these reads and tokenizes every chunk: 6.7 s at 10,000 documents, which used to land on
the first question after an app opened the index. Now the indexer builds them once after it
writes (`save_for`), into `<data dir>/derived/<key>.npz`, and an app opening the index loads that
file (`load`) instead, reading no chunk.

The key names exactly what the file was built from: the store's corpus version (its fingerprint:
generation and every document's version), the title and council of every document (BM25 sees
them, and a relabel changes them without a new version), and this module's and the tokenizer's
own versions. A file whose key does not match is never read; it is built again. The file is one
`.npz` (arrays, plus JSON as bytes; read with `allow_pickle=False`, so a file in the data dir
cannot run code), written to a temporary name and renamed, so a reader never sees half of one.

With a Chroma server the data dir is each app server's own: the first question after the corpus
changes builds the structures there and saves them, so a restart of that server finds them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from index.acronyms import find_acronyms
from index.lexical import BM25Index, stopwords
from index.store import StoredChunk
from index.types import Document

log = logging.getLogger(__name__)

# Bump when what is derived, or how, changes (tokenizer, acronyms, lexical text): old files are ignored.
FORMAT = "1"
KEEP = 3  # files of older versions kept (a reader may still be on one), the rest deleted


def lexical_text(title: str, authority: str, heading: str, text: str) -> str:
    """What BM25 sees: enough context that "Wigan" or "Portsmouth" finds that council's chunks."""
    return f"{title}\n{authority}\n{heading}\n{text}"


@dataclass(frozen=True)
class Derived:
    """The corpus-wide structures, for one corpus version (`key`)."""

    key: str
    bm25: BM25Index  # its ids are the current chunks' ids, its groups their documents
    acronyms: dict[str, str]  # short → long, as the corpus defines them
    words: frozenset[str]  # the corpus's words as written (lower case), for spelling


def derived_key(fingerprint: str, documents: dict[str, Document]) -> str:
    """The name of the structures for this corpus version; any change to their inputs changes it."""
    digest = hashlib.sha256(f"{FORMAT}\n{fingerprint}\n".encode())
    digest.update("\x00".join(sorted(stopwords())).encode())
    for doc_id in sorted(documents):
        doc = documents[doc_id]
        digest.update(f"\n{doc_id}\x00{doc.version}\x00{doc.title}\x00{doc.authority}".encode())
    return digest.hexdigest()[:24]


def build(key: str, documents: dict[str, Document], chunks: list[StoredChunk]) -> Derived:
    """Tokenize every chunk of a current document: BM25, acronyms, the word list."""
    # Only chunks of the versions `documents` name: the file then holds exactly what its key says.
    kept = [c for c in chunks if c.doc_id in documents and version_of(c.chunk_id) == documents[c.doc_id].version]
    texts = [lexical_text(documents[c.doc_id].title, documents[c.doc_id].authority, c.heading, c.text) for c in kept]
    bm25 = BM25Index.build([c.chunk_id for c in kept], texts, [c.doc_id for c in kept])
    acronyms: dict[str, str] = {}
    for c in kept:
        for short, long in find_acronyms(c.text).items():
            acronyms.setdefault(short, long)
    words = {w for c in kept for w in re.findall(r"[a-z]+", c.text.lower())} | stopwords()
    return Derived(key, bm25, acronyms, frozenset(w for w in words if len(w) > 1))


def version_of(chunk_id: str) -> str:
    """The document version a chunk id names ("doc:version:index"; a doc id may hold colons)."""
    parts = chunk_id.rsplit(":", 2)
    return parts[1] if len(parts) == 3 else ""


class StoredChunks(Mapping[str, StoredChunk]):
    """The chunks a stored BM25 names, by id; each read from the store when first needed (the
    file holds ids, not text), then kept. `in` and `len` need no read."""

    def __init__(self, ids: list[str], read: Callable[[list[str]], list[StoredChunk]]) -> None:
        self._ids = ids
        self._known = frozenset(ids)
        self._read = read
        self._got: dict[str, StoredChunk] = {}
        self._lock = threading.Lock()

    def fetch(self, ids: Iterable[str]) -> None:
        """Read the chunks among `ids` not read yet, in one store read."""
        missing = [i for i in dict.fromkeys(ids) if i in self._known and i not in self._got]
        if missing:
            found = self._read(missing)
            with self._lock:
                self._got.update((c.chunk_id, c) for c in found)

    def read(self, chunk_id: str) -> bool:
        """Whether the chunk is in hand (False: a document replaced since, its old chunks gone)."""
        return chunk_id in self._got

    def __getitem__(self, chunk_id: str) -> StoredChunk:
        if chunk_id not in self._got:
            self.fetch([chunk_id])
        return self._got[chunk_id]

    def __contains__(self, chunk_id: object) -> bool:
        return chunk_id in self._known

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class ReadingBM25(BM25Index):
    """A loaded BM25 that reads its hits' chunks from the store in one go, so a question costs
    one read, not one per hit; hits whose chunks are gone (replaced since) are left out."""

    def __init__(self, bm25: BM25Index, chunks: StoredChunks) -> None:
        super().__init__(bm25.ids, list(bm25.groups), bm25._model, bm25.document_frequency)
        self.chunks = chunks

    def search(self, query: str, k: int, groups: list[str] | None = None) -> list[tuple[str, float]]:
        hits = super().search(query, k, groups)
        self.chunks.fetch(i for i, _ in hits)
        return [(i, score) for i, score in hits if self.chunks.read(i)]


def folder_of(store: Any) -> Path | None:
    """Where a store's derived files live: its data dir, if it has one (Chroma, not the in-memory stand-in)."""
    data_dir = getattr(store, "data_dir", None)
    return Path(data_dir) / "derived" if data_dir is not None else None


def save(derived: Derived, folder: Path) -> Path:
    """Write `derived` as `<folder>/<key>.npz` atomically; delete all but the newest few others."""
    arrays, meta = derived.bm25.arrays()
    meta |= {"key": derived.key, "acronyms": derived.acronyms, "words": sorted(derived.words)}
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)

    def write(out: BinaryIO) -> None:
        np.savez(out, **arrays)  # type: ignore[arg-type]  # numpy stubs: names, not flags

    return write_kept(folder / f"{derived.key}.npz", write, "*.npz")


def write_kept(target: Path, write: Callable[[BinaryIO], object], others: str) -> Path:
    """Write `target` atomically (a synced temporary file in its folder, renamed over it), then delete
    all but the newest KEEP files of its folder matching `others`: a reader may still be on one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".writing-", suffix=target.suffix)
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)  # as other files of the index: an app running as another user reads it too
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    files = sorted(target.parent.glob(others), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [f for f in files if f != target][KEEP - 1 :]:
        old.unlink(missing_ok=True)
    return target


def load(folder: Path, key: str) -> Derived | None:
    """The structures saved for `key`, or None if there are none (or they cannot be read)."""
    path = folder / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode())
        if meta.get("key") != key:  # a file renamed by hand: not what it says it is
            return None
        bm25 = BM25Index.from_arrays(arrays, meta)
    except (OSError, ValueError, KeyError) as exc:
        log.warning("Ignoring the derived index file %s (%s); building it again.", path, exc)
        return None
    return Derived(key, bm25, dict(meta["acronyms"]), frozenset(meta["words"]))


def save_for(store: Any) -> Derived | None:
    """After ingest: build the structures for the store's current version and save them beside it.
    None if the store has no data dir. A failure to save is logged, never fatal: the app builds
    them at its first question instead."""
    folder = folder_of(store)
    if folder is None:
        return None
    with store.guard():
        documents = store.documents(max_age=0)
        key = derived_key(store.fingerprint(), documents)
        found = load(folder, key)
        if found is not None:
            return found
        derived = build(key, documents, store.all_chunks() if documents else [])
    try:
        save(derived, folder)
    except OSError as exc:
        log.warning("Could not save the derived index in %s (%s); the app builds it when first asked.", folder, exc)
    return derived
