"""The document catalogue, saved beside an embedded index so opening it reads no document record.

`documents()` (and the corpus `fingerprint()` derived from it) used to page through every record
of the documents collection: 1.3–2 s at 10,000 documents, on the first question after an app
opened the index. Now the records are also saved in `<data dir>/derived/catalogue-<key>.json`,
and a store whose documents collection is at that key loads the file instead.

Why a file can be trusted, and only then:

- The key is Chroma's own: the documents collection's id and the last write sequence number its
  metadata segment applied (`max_seq_id` in `chroma.sqlite3`), with its record count, read
  through a read-only SQLite connection (`chroma_key`; ~2 ms at 10,000 documents). Chroma
  advances that number with every add, update, upsert and delete of the collection, in the same
  transaction as the records themselves (tests/test_catalogue.py checks this on the installed
  Chroma), whoever makes the write. Sequence numbers are never reused (Chroma's log keeps its
  newest entry), and a collection made again (a rebuild, a deleted and rebuilt index) has a new id.
- So the key does not depend on any writer keeping a rule. A writer running older code, killed
  (`kill -9`) between writing records and announcing them, or whose write failed half way, has
  still moved the sequence number if it changed a record: no catalogue has that key, and readers
  read Chroma, as before catalogues, until a catalogue for the new key is saved.
- A catalogue is saved (a) from a full read of the records, only if the key read again after
  that read equals the one read before it (nothing was written meanwhile, so the read saw
  exactly that state); or (b) by a writer, incrementally, under the lock after its announce:
  the documents at the key it found when it took the writer lock (from memory or that key's
  file), with the records it wrote read back from Chroma (only those: a relabel at 10,000
  documents costs one small read and one file write, not a read of every record), saved under
  the key after its writes. That holds because nobody else writes while it holds the lock
  (every writer, of any version, takes the same lock), and because each of its writes names the
  documents it may touch before it starts (`_touch`); a writer whose write raised saves nothing,
  and one that touched more than 2,000 documents, or switched generation, reads them all.
  (A script writing straight into Chroma without the lock, at the same time as a writer, is the
  one case this cannot see, unless it changed the number of records: the key holds the count,
  and an update whose count differs is not saved.)
- A file names its key and carries a digest of its body, written to a temporary name and
  renamed: a damaged file, one renamed by hand or of another format is ignored. It is JSON, so a
  file in the data dir cannot run code.
- With a Chroma server there is no such number through the client API, so no key and no
  catalogue: the records are read as before. (The version record cannot stand in: a writer
  killed before announcing, or whose announce failed, leaves it unchanged; and an older writer's
  upsert keeps fields it does not know, since Chroma merges metadata.) Stores pinned to one
  generation (a rebuild writing beside the live index) use none either.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any

from index.derived import write_kept
from index.types import Document

log = logging.getLogger(__name__)

FORMAT = "1"  # bump when the file's layout or what a record holds changes: old files are ignored
_FIELDS = tuple(f.name for f in fields(Document) if f.name != "text")
_TUPLES = ("pages", "authority_evidence")  # fields JSON turns into lists
# A Document is plain data (no __post_init__, no slots): it can be filled in directly.
_PLAIN = not hasattr(Document, "__post_init__") and not hasattr(Document, "__slots__")

_KEY_SQL = """
SELECT c.id, m.seq_id, (SELECT count(*) FROM embeddings e WHERE e.segment_id = s.id)
FROM collections c
JOIN databases d ON d.id = c.database_id AND d.name = 'default_database'
JOIN segments s ON s.collection = c.id AND s.scope = 'METADATA'
LEFT JOIN max_seq_id m ON m.segment_id = s.id
WHERE c.name = ?
"""


def chroma_key(data_dir: Path, collection: str) -> str | None:
    """The state of an embedded index's collection, as Chroma numbers its writes; None when it
    cannot be read (no such file or collection, a Chroma whose tables differ, a busy database)."""
    db = Path(data_dir) / "chroma" / "chroma.sqlite3"
    if not db.is_file():
        return None
    try:
        con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=2.0)
        try:
            rows = con.execute(_KEY_SQL, (collection,)).fetchall()
        finally:
            con.close()
    except sqlite3.Error as exc:
        log.info("No catalogue key for %s (%s): reading the records.", collection, exc)
        return None
    if len(rows) != 1:
        return None
    collection_id, seq, count = rows[0]
    return f"{collection_id}.{seq if seq is not None else 'none'}.{count}"


def count_of(key: str) -> int:
    """How many records the collection held at `key`."""
    return int(key.rsplit(".", 1)[1])


def same_collection(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.split(".", 1)[0] == b.split(".", 1)[0]


def fingerprint(generation: int, docs: dict[str, Document]) -> str:
    """The corpus version, as `ChromaStore` always computed it (derived files are keyed on it)."""
    versions = sorted(f"{d}:{doc.version}" for d, doc in docs.items())
    # The generation too: a rebuild with the same documents is a new index all the same.
    stamp = [f"generation:{generation}", *versions]
    return hashlib.sha256("\n".join(stamp).encode()).hexdigest()[:16]


def path_for(folder: Path, key: str) -> Path:
    return folder / f"catalogue-{key}.json"


def _record(doc: Document) -> list[Any]:
    return [getattr(doc, name) for name in _FIELDS]


def _document(row: list[Any]) -> Document:
    values = dict(zip(_FIELDS, row, strict=True), text="")
    for name in _TUPLES:
        values[name] = tuple(values[name])
    if _PLAIN:  # what the frozen dataclass's __init__ does, field by field, without its cost (~30 ms at 10,000)
        doc = object.__new__(Document)
        doc.__dict__.update(values)
        return doc
    return Document(**values)


def load(folder: Path, key: str) -> dict[str, Document] | None:
    """The documents saved for `key`, or None (no file, or one that cannot be trusted)."""
    path = path_for(folder, key)
    try:
        with path.open("rb") as f:
            header = json.loads(f.readline())
            body = f.read()
        if header.get("format") != FORMAT or header.get("key") != key or header.get("fields") != list(_FIELDS):
            return None
        if hashlib.sha256(body).hexdigest() != header.get("digest"):
            raise ValueError("its digest does not match")
        docs = {row[0]: _document(row) for row in json.loads(body)}
        if len(docs) != header.get("count"):
            raise ValueError("its count does not match")
        return docs
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        log.warning("Ignoring the document catalogue %s (%s); reading the index instead.", path, exc)
        return None


def save(folder: Path, key: str, docs: dict[str, Document]) -> Path:
    """Write the documents as `<folder>/catalogue-<key>.json` atomically; delete all but the newest few."""
    body = json.dumps([_record(d) for d in docs.values()], separators=(",", ":"), ensure_ascii=False).encode()
    header = {
        "format": FORMAT,
        "key": key,
        "fields": list(_FIELDS),
        "count": len(docs),
        "digest": hashlib.sha256(body).hexdigest(),
    }
    content = json.dumps(header).encode() + b"\n" + body
    return write_kept(path_for(folder, key), lambda out: out.write(content), "catalogue-*.json")


def try_save(folder: Path, key: str, docs: dict[str, Document]) -> None:
    try:
        save(folder, key, docs)
    except OSError as exc:  # never fatal: the next open reads the records instead
        log.warning("Could not save the document catalogue in %s (%s).", folder, exc)


def updated(base: dict[str, Document], touched: Iterable[str], found: dict[str, Document]) -> dict[str, Document]:
    """`base` with each touched document as Chroma now holds it (`found`; absent: removed). A record
    changed in place keeps its place and a new one goes last, as in Chroma's own order."""
    docs = dict(base)
    for doc_id in touched:
        if doc_id in found:
            docs[doc_id] = found[doc_id]
        else:
            docs.pop(doc_id, None)
    return docs
