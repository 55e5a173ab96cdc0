"""What a write to the index stores, as Chroma's columns: chunks, units and document records."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import numpy as np

from index.store import _BATCH
from index.types import Chunk, Document


class Rows:
    """Chunks, units and document records of documents to write, as Chroma's columns."""

    def __init__(self) -> None:
        self.chunks: dict[str, list[Any]] = {"ids": [], "embeddings": [], "documents": [], "metadatas": []}
        self.units: dict[str, list[Any]] = {"ids": [], "embeddings": [], "documents": [], "metadatas": []}
        self.records: dict[str, list[Any]] = {"ids": [], "embeddings": [], "documents": [], "metadatas": []}

    def add(
        self, doc: Document, chunks: list[Chunk], chunk_vectors: np.ndarray, unit_vectors: np.ndarray, dimension: int
    ) -> None:
        v = doc.version
        chunk_ids = [c.chunk_id(v) for c in chunks]
        self.chunks["ids"] += chunk_ids
        self.chunks["embeddings"] += list(chunk_vectors)
        self.chunks["documents"] += [c.text for c in chunks]
        self.chunks["metadatas"] += [
            {
                "doc_id": doc.doc_id,
                "version": v,
                "index": c.index,
                "start": c.start,
                "end": c.end,
                "heading": c.heading,
                "units": json.dumps([[u.start, u.end] for u in c.units]),
            }
            for c in chunks
        ]
        unit_rows = [(cid, j, u) for cid, c in zip(chunk_ids, chunks, strict=True) for j, u in enumerate(c.units)]
        self.units["ids"] += [f"{cid}:u{j}" for cid, j, _ in unit_rows]
        self.units["embeddings"] += list(unit_vectors)
        self.units["documents"] += [doc.text[u.start : u.end] for _, _, u in unit_rows]
        self.units["metadatas"] += [
            {
                "doc_id": doc.doc_id,
                "version": v,
                "chunk_id": cid,
                "start": u.start,
                "end": u.end,
                "kind": u.kind,
                "instruction": u.instruction,  # text addressing the assistant: kept searchable, never quoted
            }
            for cid, _, u in unit_rows
        ]
        centre = chunk_vectors.mean(axis=0) if len(chunks) else np.ones(dimension)
        centre = centre / (np.linalg.norm(centre) or 1.0)
        self.records["ids"].append(doc.doc_id)
        self.records["embeddings"].append(centre.tolist())
        self.records["documents"].append(doc.text)
        self.records["metadatas"].append(replace(doc, n_chunks=len(chunks)).meta())

    def upsert(self, store: Any, records: bool) -> None:
        """Chunks and units (`records=False`), or the document records that make them current."""
        targets = [(store.docs, self.records)] if records else [(store.chunks, self.chunks), (store.units, self.units)]
        for collection, rows in targets:
            if rows["ids"]:
                add_batched(
                    collection,
                    rows["ids"],
                    np.asarray(rows["embeddings"], dtype=np.float32),
                    rows["documents"],
                    rows["metadatas"],
                )


def add_batched(
    collection: Any, ids: list[str], embeddings: np.ndarray, documents: list[str], metadatas: list[dict[str, Any]]
) -> None:
    """Upsert in batches: Chroma refuses one call with more records than its maximum batch."""
    for i in range(0, len(ids), _BATCH):
        collection.upsert(
            ids=ids[i : i + _BATCH],
            embeddings=embeddings[i : i + _BATCH],
            documents=documents[i : i + _BATCH],
            metadatas=metadatas[i : i + _BATCH],
        )


def drop_stale_many(store: Any, versions: dict[str, str], per_call: int = 100) -> None:
    """Delete the chunks and units of these documents left from versions other than the given
    ones: `drop_stale` for many documents in a few deletes."""
    pairs = [{"$and": [{"doc_id": d}, {"version": {"$ne": v}}]} for d, v in versions.items()]
    for at in range(0, len(pairs), per_call):
        part = pairs[at : at + per_call]
        where = part[0] if len(part) == 1 else {"$or": part}
        store.chunks.delete(where=where)
        store.units.delete(where=where)
