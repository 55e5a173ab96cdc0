"""The indexing pipeline, wired top to bottom: load → clean → chunk → embed → store."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from index.chroma import ChromaStore
from index.chunk import Chunker, unit_context
from index.clean import Cleaner
from index.embed import Embedder
from index.load import Loader, LoadError, discover_documents, read_manifest
from index.prepare import prepare
from index.store import Store, StoreUnavailableError, is_store_failure, make_client, set_aside
from index.types import Chunk, Document, SourceDocument, Unit

_USER_FIELDS = ("title", "authority", "doc_type", "kind", "note", "date")

# Bump when cleaning or chunking changes what is stored: every document is re-indexed.
log = logging.getLogger(__name__)

PIPELINE_VERSION = "7"


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # symbolic links, pipes…: never read
    chunks: int = 0
    stopped: str = ""  # why the run stopped early (the index could not be written), if it did

    @property
    def ok(self) -> bool:
        return not self.failed and not self.stopped

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.unchanged)} unchanged",
            f"{len(self.removed)} removed",
            f"{len(self.failed)} failed",
        ]
        lines = [", ".join(parts) + f" ({self.chunks} chunks written)"]
        lines += [f"  failed: {path}: {reason}" for path, reason in self.failed]
        lines += [f"  skipped: {path}: {reason}" for path, reason in self.skipped]
        if self.stopped:
            lines.append(
                f"Stopped early: {self.stopped}\nDocuments counted as added or updated are indexed; "
                "the rest of the index is as it was. Run the same command again to finish."
            )
        return "\n".join(lines)


def chunk_embedding_text(doc: Document, chunk: Chunk) -> str:
    """What the dense index sees: the chunk in the context of its document and section."""
    return f"{doc.title}\n{chunk.heading}\n{chunk.text}"


def unit_embedding_text(chunk: Chunk, doc_text: str, unit: Unit) -> str:
    """A unit in the context of its section; a table cell with its row ("Board: Fostering Panel ·
    How often: Monthly") — context for the vector only, never part of a quote."""
    text = unit_context(doc_text, unit)
    return f"{chunk.heading}: {text}" if chunk.heading else text


def lexical_text(title: str, authority: str, heading: str, text: str) -> str:
    """What BM25 sees: enough context that "Wigan" or "Portsmouth" finds that council's chunks."""
    return f"{title}\n{authority}\n{heading}\n{text}"


class Indexer:
    """`Indexer(...).run(paths)` → IngestReport. Unchanged documents cost a hash, nothing more."""

    def __init__(
        self,
        store: Store,
        embedder: Embedder,
        loader: Loader,
        cleaner: Cleaner | None = None,
        chunker: Chunker | None = None,
        batch_docs: int = 32,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.loader = loader
        self.cleaner = cleaner or Cleaner()
        self.chunker = chunker or Chunker()
        self.batch_docs = batch_docs

    def prepare(self, src: SourceDocument) -> tuple[Document, list[Chunk]]:
        return prepare(src, self.cleaner, self.chunker, salt=[PIPELINE_VERSION, self.embedder.name])

    def run(self, paths: Iterable[Path], prune_corpus: bool = False, progress: bool = False) -> IngestReport:
        """Index `paths`. A storage failure (disk full, server gone) stops the run with
        `report.stopped` set; every document is written whole or not at all."""
        report = IngestReport()
        try:
            with self.store.guard():
                self._run(paths, prune_corpus, progress, report)
        except StoreUnavailableError as exc:
            report.stopped = str(exc)
        return report

    def _run(self, paths: Iterable[Path], prune_corpus: bool, progress: bool, report: IngestReport) -> None:
        from tqdm import tqdm

        found = discover_documents(paths)
        report.failed += [(str(e.path), e.reason) for e in found.missing]
        report.skipped += [(str(e.path), e.reason) for e in found.skipped]
        existing = self.store.documents(max_age=0)
        seen: set[str] = set()
        pending: list[tuple[Document, list[Chunk], bool]] = []
        for item in tqdm(found.files, desc="Indexing", unit="doc", disable=not progress):
            path = item.path
            try:
                src = self.loader.run(path, item.doc_id)
            except LoadError as exc:
                report.failed.append((str(path), exc.reason))
                continue
            except OSError as exc:
                report.failed.append((str(path), f"cannot read the file ({exc.strerror or exc})"))
                continue
            doc, chunks = self.prepare(self._keep_given_metadata(src, existing.get(src.doc_id)))
            if doc.doc_id in seen:
                report.failed.append((str(path), f"another file in this run has the id '{doc.doc_id}'"))
                continue
            seen.add(doc.doc_id)
            if not chunks:
                report.failed.append((str(path), "no text left after cleaning"))
                continue
            old = existing.get(doc.doc_id)
            if old and old.version == doc.version:
                self.store.drop_stale(doc.doc_id, doc.version)  # finish an interrupted replace
                report.unchanged.append(doc.doc_id)
                continue
            pending.append((doc, chunks, old is not None))
            if len(pending) >= self.batch_docs:
                self._write_batch(pending, report)
        self._write_batch(pending, report)
        if prune_corpus:
            for doc_id, doc in existing.items():
                if doc.origin == "corpus" and doc_id not in seen and self.store.remove(doc_id):
                    report.removed.append(doc_id)

    def _keep_given_metadata(self, src: SourceDocument, old: Document | None) -> SourceDocument:
        """Re-ingesting without --title/--authority/--type keeps what was given before."""
        if old is None or src.origin == "corpus" or old.source != src.source:
            return src
        kept = {f: getattr(old, f) for f in _USER_FIELDS if f not in self.loader.overrides}
        return replace(src, **kept)

    def _write_batch(self, pending: list[tuple[Document, list[Chunk], bool]], report: IngestReport) -> None:
        """Embed a batch of documents in one pass (far faster than one small batch each), then
        write them one by one, each atomically."""
        if not pending:
            return
        chunk_texts = [chunk_embedding_text(doc, c) for doc, chunks, _ in pending for c in chunks]
        unit_texts = [
            unit_embedding_text(c, doc.text, u) for doc, chunks, _ in pending for c in chunks for u in c.units
        ]
        chunk_vectors = self.embedder.embed_documents(chunk_texts)
        unit_vectors = self.embedder.embed_documents(unit_texts)
        at_chunk = at_unit = 0
        for i, (doc, chunks, replacing) in enumerate(pending):
            n_units = sum(len(c.units) for c in chunks)
            try:
                self.store.write(
                    doc,
                    chunks,
                    chunk_vectors[at_chunk : at_chunk + len(chunks)],
                    unit_vectors[at_unit : at_unit + n_units],
                )
            except Exception as exc:
                if not is_store_failure(exc):
                    raise
                # No tidying here: Chroma can hang deleting on a full disk. What this write
                # left matches no current version, so questions never see it, and the next
                # write of the document (same ids) overwrites it.
                report.failed += [(d.source, "not indexed: the index could not be written") for d, _, _ in pending[i:]]
                pending.clear()
                raise
            at_chunk += len(chunks)
            at_unit += n_units
            report.chunks += len(chunks)
            (report.updated if replacing else report.added).append(doc.doc_id)
        pending.clear()


def open_store(embedder: Embedder, data_dir: Path, chroma_url: str | None = None, rebuild: bool = False) -> ChromaStore:
    """Open the index. With `rebuild`, empty it first; an embedded index whose files cannot
    be opened is renamed aside (`chroma.damaged-…`, kept for inspection) and started afresh."""
    try:
        client = make_client(data_dir, chroma_url)
    except StoreUnavailableError:
        if not rebuild or chroma_url or set_aside(data_dir) is None:
            raise
        log.warning("The index at %s could not be opened; its folder was renamed aside and a new one built.", data_dir)
        client = make_client(data_dir, chroma_url)
    if rebuild:
        ChromaStore.reset(client)
    return ChromaStore(client, embedder.name, embedder.dimension, data_dir=data_dir, chroma_url=chroma_url)


def build_index_pipeline(
    embedder: Embedder,
    data_dir: Path,
    corpus_dir: Path,
    chroma_url: str | None = None,
    rebuild: bool = False,
    max_bytes: int = 50_000_000,
    overrides: dict[str, str] | None = None,
) -> Indexer:
    store = open_store(embedder, data_dir, chroma_url, rebuild=rebuild)
    loader = Loader(read_manifest(corpus_dir), max_bytes=max_bytes, overrides=overrides)
    return Indexer(store, embedder, loader)
