"""A loaded document → the cleaned Document (with its location map) and its chunks.

The indexing pipeline calls this once per document; it is here so that tests (and any
other caller) prepare documents exactly as ingest does.

    doc, chunks = prepare(Loader().run(path), Cleaner(), Chunker(), salt=[PIPELINE_VERSION, embedder.name])
    str(doc.locate(chunks[0].units[0].start, chunks[0].units[0].end))   # "page 1, lines 3–4"
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from index.chunk import Chunker
from index.clean import Cleaner
from index.readers.extracted import Extracted, lines_of_text
from index.types import Chunk, Document, SourceDocument

# What a SourceDocument carries over to its Document unchanged.
CARRIED = (
    "doc_id",
    "title",
    "authority",
    "doc_type",
    "note",
    "date",
    "origin",
    "kind",
    "kind_evidence",
    "authority_confidence",
    "authority_evidence",
)


def prepare(
    src: SourceDocument, cleaner: Cleaner, chunker: Chunker, salt: list[Any] | None = None
) -> tuple[Document, list[Chunk]]:
    """`salt` goes into the version hash (pipeline version, embedding model): change it and
    every document is re-indexed."""
    extracted = src.extracted if isinstance(src.extracted, Extracted) else Extracted(lines_of_text(src.raw_text))
    cleaned = cleaner.clean(extracted)
    chunks = chunker.run(src.doc_id, cleaned.text, cleaned.roles)
    meta = {k: getattr(src, k) for k in CARRIED}
    locations = cleaned.locations.to_json()
    digest = hashlib.sha256(
        json.dumps([*(salt or []), meta, cleaned.text, cleaned.pages, locations], ensure_ascii=False).encode()
    ).hexdigest()[:16]
    doc = Document(
        text=cleaned.text,
        version=digest,
        source=src.source,
        ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
        pages=cleaned.pages if src.paged else (),
        instructions=sum(u.instruction for c in chunks for u in c.units),
        locations_json=locations,
        **meta,
    )
    return doc, chunks
