"""The indexing pipeline, wired top to bottom: load → clean → chunk → embed → store."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

from index.batching import EmbedOnce, read_ahead
from index.chunk import Chunker, unit_context
from index.clean import Cleaner
from index.derived import lexical_text, save_for
from index.embed import Embedder
from index.ids import refuse_collisions, same_file, unique_files
from index.load import SUPPORTED_TYPES, Found, Loader, LoadError, discover_documents, read_manifest
from index.opening import open_store as open_store  # where callers have always found it
from index.prepare import prepare
from index.report import IngestReport
from index.spans import unit_spans
from index.store import Store, StoreUnavailableError, is_store_failure
from index.types import Chunk, Document, SourceDocument, Unit

_USER_FIELDS = ("title", "authority", "doc_type", "kind", "note", "date")
# With what was given, how it was known: "given: Anytown Council", not a fresh guess.
_KEPT_WITH = {"authority": ("authority_confidence", "authority_evidence"), "kind": ("kind_evidence",)}

# Bump when cleaning or chunking changes what is stored: every document is re-indexed.
log = logging.getLogger(__name__)

PIPELINE_VERSION = "9"  # 9: a question stays with its answer; "A: No." with the sentence after it (chunk.py)
__all__ = ["PIPELINE_VERSION", "Indexer", "build_index_pipeline", "lexical_text", "open_store"]


def chunk_embedding_text(doc: Document, chunk: Chunk) -> str:
    """What the dense index sees: the chunk in the context of its document and section."""
    return chunk_prefix(doc, chunk) + chunk.text


def chunk_prefix(doc: Document, chunk: Chunk) -> str:
    # Most of ingest's tokens (61k with it, 26k without on the 200-document bench: bare chunks repeat), but the
    # eval needs it: without it hybrid hit@1 fell 0.750 → 0.682 (v1), 0.765 → 0.706 (v2); the heading or title
    # only, or the context embedded once and added to the chunk's vector (w 0.3, 0.5): 3.6-9 points on a set.
    return f"{doc.title}\n{chunk.heading}\n"


def unit_embedding_text(chunk: Chunk, doc_text: str, unit: Unit) -> str:
    """A unit in the context of its section; a table cell with its row ("Board: Fostering Panel ·
    How often: Monthly") — context for the vector only, never part of a quote."""
    text = unit_context(doc_text, unit)
    return f"{chunk.heading}: {text}" if chunk.heading else text


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
        self.embed_once = EmbedOnce(embedder)

    def prepare(self, src: SourceDocument) -> tuple[Document, list[Chunk]]:
        return prepare(src, self.cleaner, self.chunker, salt=[PIPELINE_VERSION, self.embedder.name])

    def run(
        self,
        paths: Iterable[Path],
        prune_corpus: bool = False,
        progress: bool = False,
        replace: Iterable[str] = (),
    ) -> IngestReport:
        """Index `paths`. A storage failure (disk full, server gone) stops the run with
        `report.stopped` set; every document is written whole or not at all. A file whose id
        the index already holds from another file is refused unless its id is in `replace`."""
        report = IngestReport()
        try:
            with self.store.guard(), self.store.writing():
                known = self.store.documents(max_age=0)
                self.index_files(paths, prune_corpus, progress, report, known, set(replace))
        except StoreUnavailableError as exc:
            report.stopped = str(exc)
        self._derive(report)
        return report

    def _derive(self, report: IngestReport) -> None:
        """Build BM25 and the other corpus-wide structures now, once, and keep them beside the
        index (`index.derived`), so no app pays for them at its first question."""
        if report.stopped or not (report.added or report.updated or report.removed or report.unchanged):
            return
        try:
            save_for(self.store)
        except StoreUnavailableError as exc:  # the index is written; the app builds them when first asked
            log.warning("The derived index was not built (%s)", exc)

    def rebuild(
        self, paths: Iterable[Path], drop_missing: bool = False, progress: bool = False, replace: Iterable[str] = ()
    ) -> IngestReport:
        """Build the index again beside the live one from every document it holds and `paths`,
        then switch to it (see `index.rebuild`)."""
        from index.rebuild import rebuild

        report = rebuild(self, paths, drop_missing, progress, replace)
        self._derive(report)
        return report

    def index_files(
        self,
        paths: Iterable[Path | Found],
        prune_corpus: bool,
        progress: bool,
        report: IngestReport,
        known: dict[str, Document],
        replacing: set[str],
        rebuilding: bool = False,
    ) -> None:
        """Index `paths` into this indexer's store, whose writer lock the caller holds. `known`:
        what the live index holds (whose ids a file may not take over unless in `replacing`, and
        whose given metadata is kept)."""
        paths = list(paths)
        found = discover_documents([p for p in paths if not isinstance(p, Found)])
        report.failed += [(str(e.path), e.reason) for e in found.missing]
        report.skipped += [(str(e.path), e.reason) for e in found.skipped]
        # A rebuild's documents come with their ids; a folder's files with folder-relative ones.
        ids = {f.path: f.doc_id for f in found.files} | {p.path: p.doc_id for p in paths if isinstance(p, Found)}
        unique = unique_files(list(ids))
        # Files of a type that cannot be read are refused by the loader with that reason instead.
        identities = {
            path: self.loader.identity(path, ids[path]) for path in unique if path.suffix.lower() in SUPPORTED_TYPES
        }
        files, refused = refuse_collisions(unique, identities, known, replacing, rebuilding)
        report.failed += refused
        existing = self.store.documents(max_age=0) if rebuilding else known  # what the store written holds
        seen: set[str] = set()
        pending: list[tuple[Document, list[Chunk], bool]] = []

        def read(path: Path) -> tuple[Document, list[Chunk]]:
            src = self.loader.run(path.absolute(), ids[path])  # absolute: a rebuild re-reads it from anywhere
            return self.prepare(self._keep_given_metadata(src, known.get(src.doc_id)))

        # The next files are read while this batch is embedded: a whole batch ahead (8 files ahead, the
        # model waited 1.4 s of 21 for files on the 200-document benchmark).
        ahead = read_ahead(read, files, ahead=self.batch_docs)
        reached: set[Path] = set()
        try:
            self._index_read(ahead, files, progress, report, known, existing, seen, pending, reached)
        except Exception:
            # A failed write stops the run: the batch that failed is named by `_write_batch`; name every
            # file the run never reached too.
            report.failed += [
                (str(p), "not indexed: the run stopped before this file") for p in files if p not in reached
            ]
            raise
        if prune_corpus:
            for doc_id, doc in existing.items():
                if doc.origin == "corpus" and doc_id not in seen and self.store.remove(doc_id):
                    report.removed.append(doc_id)

    def _index_read(self, ahead, files, progress, report, known, existing, seen, pending, reached) -> None:  # type: ignore[no-untyped-def]
        """Each file read ahead: checked, then embedded in batches in one thread while this one writes
        the batch before (`_flush`): Chroma's writes took 3 s of 21 on the 200-document benchmark,
        and the model waited for them. Writes stay in order, one thread, each document whole."""
        with ThreadPoolExecutor(1, thread_name_prefix="lmcs-embed") as pool:
            flight: list[tuple[list[tuple[Document, list[Chunk], bool]], Future[tuple[np.ndarray, np.ndarray]]]] = []
            try:
                self._read_all(ahead, files, progress, report, known, existing, seen, pending, pool, flight, reached)
                self._flush(pool, pending, flight, report, keep=0)
            except BaseException:
                for batch, future in flight:  # embedded or embedding, never written: the run stopped first
                    future.cancel()
                    report.failed += [
                        (d.source, "not indexed: the run stopped before it was written") for d, _, _ in batch
                    ]
                raise

    def _flush(self, pool, pending, flight, report: IngestReport, keep: int = 1) -> None:  # type: ignore[no-untyped-def]
        """Start embedding `pending` (a batch: chunks and units together), then write batches
        already embedded until `keep` are left in flight."""
        if pending:
            batch = list(pending)
            pending.clear()
            flight.append((batch, pool.submit(self._vectors, [(d, c) for d, chunks, _ in batch for c in chunks])))
        while len(flight) > keep:
            batch, future = flight[0]
            chunk_vectors, unit_vectors = future.result()
            flight.pop(0)
            self._write_batch(batch, chunk_vectors, unit_vectors, report)

    def _read_all(self, ahead, files, progress, report, known, existing, seen, pending, pool, flight, reached) -> None:  # type: ignore[no-untyped-def]
        from tqdm import tqdm

        for path, future in tqdm(ahead, total=len(files), desc="Indexing", unit="doc", disable=not progress):
            reached.add(path)
            try:
                doc, chunks = future.result()
            except LoadError as exc:
                report.failed.append((str(path), exc.reason))
                continue
            except OSError as exc:
                report.failed.append((str(path), f"cannot read the file ({exc.strerror or exc})"))
                continue
            if doc.doc_id in seen:  # the ids checked up front said otherwise; never overwrite silently
                report.failed.append((str(path), f"another file in this run has the id '{doc.doc_id}'"))
                continue
            seen.add(doc.doc_id)
            if not chunks:
                report.failed.append((str(path), "no text left after cleaning"))
                continue
            was = known.get(doc.doc_id)
            if was is not None and was.version == doc.version:  # a rebuild keeps when it was first indexed
                doc = replace(doc, ingested_at=was.ingested_at)
            old = existing.get(doc.doc_id)
            if old and old.version == doc.version:
                self.store.drop_stale(doc.doc_id, doc.version)  # finish an interrupted replace
                report.unchanged.append(doc.doc_id)
                continue
            pending.append((doc, chunks, old is not None))
            if len(pending) >= self.batch_docs:
                self._flush(pool, pending, flight, report)

    def _keep_given_metadata(self, src: SourceDocument, old: Document | None) -> SourceDocument:
        """Re-ingesting without --title/--authority/--type keeps what was given before."""
        if old is None or src.origin == "corpus" or not same_file(old.source, src.source):
            return src
        kept = {f: getattr(old, f) for f in _USER_FIELDS if f not in self.loader.overrides}
        kept |= {extra: getattr(old, extra) for field in list(kept) for extra in _KEPT_WITH.get(field, ())}
        return replace(src, **kept)

    def _write_all(self, pending, chunk_vectors, unit_vectors, report: IngestReport) -> None:  # type: ignore[no-untyped-def]
        items = []
        pending_docs = list(pending)
        at_chunk = at_unit = 0
        for doc, chunks, _ in pending:
            n_units = sum(len(c.units) for c in chunks)
            vectors = chunk_vectors[at_chunk : at_chunk + len(chunks)], unit_vectors[at_unit : at_unit + n_units]
            items.append((doc, chunks, *vectors))
            at_chunk += len(chunks)
            at_unit += n_units
        try:
            self.store.write_many(items)
        except Exception as exc:
            if is_store_failure(exc):
                report.failed += [(d.source, "not indexed: the index could not be written") for d, _, _ in pending]
            raise
        finally:
            pending.clear()
        report.chunks += at_chunk
        for doc, _, replacing in pending_docs:
            (report.updated if replacing else report.added).append(doc.doc_id)

    def _vectors(self, chunks: list[tuple[Document, Chunk]]) -> tuple[np.ndarray, np.ndarray]:
        """Chunk and unit vectors, each token through the model once where it can (`index.spans`):
        units pooled from their chunk's run; the others (and every unit, for a model that gives
        no token states) embedded on their own, each distinct text once."""
        chunk_texts = [chunk_embedding_text(doc, c) for doc, c in chunks]
        unit_texts = [unit_embedding_text(c, doc.text, u) for doc, c in chunks for u in c.units]
        if not hasattr(self.embedder, "hidden_states"):
            vectors = self.embed_once.embed(chunk_texts + unit_texts)
            return vectors[: len(chunk_texts)], vectors[len(chunk_texts) :]
        spans = [unit_spans(doc, c, chunk_prefix(doc, c)) for doc, c in chunks]
        chunk_vectors, pooled = self.embed_once.pooled(chunk_texts, spans)
        unit_vectors = np.zeros((len(unit_texts), chunk_vectors.shape[1]), dtype=np.float32)
        flat = [v for vs in pooled for v in vs]
        alone = [k for k, v in enumerate(flat) if v is None]
        for k, v in enumerate(flat):
            if v is not None:
                unit_vectors[k] = v
        if alone:
            unit_vectors[alone] = self.embed_once.embed([unit_texts[k] for k in alone])
        return chunk_vectors, unit_vectors

    def _write_batch(
        self,
        pending: list[tuple[Document, list[Chunk], bool]],
        chunk_vectors: np.ndarray,
        unit_vectors: np.ndarray,
        report: IngestReport,
    ) -> None:
        """Write a batch of embedded documents in a few large writes, each document whole or not at all."""
        if not pending:
            return
        if getattr(self.store, "pinned", False) or hasattr(self.store, "write_many"):
            self._write_all(pending, chunk_vectors, unit_vectors, report)
            if not getattr(self.store, "pinned", False):
                self.store.announce()  # readers see this batch at their next question
            return
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
        self.store.announce()  # readers see this batch at their next question


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
