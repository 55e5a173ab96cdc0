"""The index's own version record: which generation of collections is live, and a change counter.

A rebuild writes a new generation of collections (`lmcs_g3_chunks`, `lmcs_g3_units`,
`lmcs_g3_documents`) beside the live one, then flips this record to it in one write, so a
kill at any point leaves one complete index answering. Every write or removal bumps
`serial`, so every reader — in this process, another process, or another app server
sharing a Chroma server — notices a change by reading one small record, not by watching
files. The record lives in its own collection (`lmcs_version`); so does the writers' lease
used with a Chroma server (`index.lock`).
"""

from __future__ import annotations

import os
import re
import socket
from dataclasses import dataclass
from typing import Any

SUFFIXES = ("chunks", "units", "documents")
CURRENT_ID = "current"


def process_id() -> str:
    """How a writer names itself: readers reopen what they cached when another process wrote
    (an embedded Chroma only sees other processes' new vectors on reopening)."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class IndexVersion:
    generation: int = 0  # 0: the collections an index had before generations (`lmcs_chunks`…)
    serial: int = 0  # bumped by every write, removal and rebuild
    writer: str = ""  # host:pid of the process that last changed the index

    @property
    def key(self) -> str:
        return f"g{self.generation}.{self.serial}"


def collection_names(prefix: str, generation: int) -> dict[str, str]:
    """suffix → collection name; generation 0 keeps the names indexes had before generations."""
    tag = f"{prefix}_g{generation}" if generation else prefix
    return {suffix: f"{tag}_{suffix}" for suffix in SUFFIXES}


def generation_of(prefix: str, name: str) -> int | None:
    """The generation a collection name belongs to, or None if it is not one of this index's."""
    found = re.fullmatch(rf"{re.escape(prefix)}(?:_g(\d+))?_({'|'.join(SUFFIXES)})", name)
    return int(found.group(1) or 0) if found else None


class VersionRecord:
    """`VersionRecord(client).read()` → IndexVersion; `.write(version)` flips it in one upsert."""

    def __init__(self, client: Any, prefix: str = "lmcs") -> None:
        self.collection = client.get_or_create_collection(
            f"{prefix}_version", embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    def read(self) -> IndexVersion:
        got = self.collection.get(ids=[CURRENT_ID], include=["metadatas"])
        if not got["ids"]:
            return IndexVersion()
        meta = (got["metadatas"] or [{}])[0] or {}
        return IndexVersion(int(meta.get("generation", 0)), int(meta.get("serial", 0)), str(meta.get("writer", "")))

    def write(self, version: IndexVersion) -> None:
        meta = {"generation": version.generation, "serial": version.serial, "writer": version.writer}
        self.collection.upsert(ids=[CURRENT_ID], embeddings=[[1.0]], metadatas=[meta])


def missing_collection(exc: BaseException) -> bool:
    return type(exc).__name__ == "NotFoundError" or "does not exist" in str(exc)


def list_generations(client: Any, prefix: str) -> set[int]:
    """Every generation with collections in this Chroma (the live one, and any a rebuild left)."""
    names = [getattr(c, "name", c) for c in client.list_collections()]
    return {g for g in (generation_of(prefix, n) for n in names) if g is not None}


def drop_generation(client: Any, prefix: str, generation: int) -> None:
    for name in collection_names(prefix, generation).values():
        try:
            client.delete_collection(name)
        except Exception as exc:  # absent already is fine
            if not missing_collection(exc):
                raise
