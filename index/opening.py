"""Opening the index's store: Chroma embedded in the data dir, or a Chroma server; a damaged embedded
index is set aside for a rebuild."""

from __future__ import annotations

import logging
from pathlib import Path

from index.chroma import ChromaStore
from index.embed import Embedder
from index.store import StoreUnavailableError, make_client, set_aside

log = logging.getLogger(__name__)


def open_store(embedder: Embedder, data_dir: Path, chroma_url: str | None = None, rebuild: bool = False) -> ChromaStore:
    """Open the index. For a `rebuild` an index built with another model opens too (it is
    read only for what documents it holds), and an embedded index whose files cannot be read
    is renamed aside (`chroma.damaged-…`, kept for inspection) and started afresh."""

    def attempt() -> ChromaStore:
        client = make_client(data_dir, chroma_url)
        store = ChromaStore(
            client, embedder.name, embedder.dimension, data_dir=data_dir, chroma_url=chroma_url, check_model=not rebuild
        )
        if rebuild:
            with store.guard():
                store.documents(max_age=0)  # readable enough to rebuild from
        return store

    try:
        return attempt()
    except StoreUnavailableError:
        if not rebuild or chroma_url or set_aside(data_dir) is None:
            raise
        log.warning(
            "The index at %s could not be read; its folder was renamed aside and a new one is built from the "
            "files given. Documents that were only in the damaged index (your own files) must be ingested again.",
            data_dir,
        )
        return attempt()
