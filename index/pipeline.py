"""The indexing pipeline, wired top to bottom: load → clean → chunk → embed → store."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from index.chroma import ChromaStore
from index.chunk import Chunker
from index.clean import Cleaner
from index.embed import Embedder
from index.load import SUPPORTED_TYPES, Loader, LoadError, discover, read_manifest
from index.store import StoreUnavailableError, is_store_failure, make_client, set_aside
from index.types import Chunk, Document, SourceDocument

_USER_FIELDS = ("title", "authority", "doc_type", "note", "date")

# Bump when cleaning or chunking changes what is stored: every document is re-indexed.
log = logging.getLogger(__name__)

PIPELINE_VERSION = "6"


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
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
        if self.stopped and not (self.added or self.updated or self.removed):
            lines.append(f"Nothing was changed: {self.stopped}")
        elif self.stopped:
            lines.append(
                f"Stopped early: {self.stopped}\nDocuments counted as added or updated are indexed; "
                "the rest of the index is as it was. Run the same command again to finish."
            )
        return "\n".join(lines)


def chunk_embedding_text(doc: Document, chunk: Chunk) -> str:
    """What the dense index sees: the chunk in the context of its document and section."""
    return f"{doc.title}\n{chunk.heading}\n{chunk.text}"


def unit_embedding_text(chunk: Chunk, text: str) -> str:
    return f"{chunk.heading}: {text}" if chunk.heading else text


def lexical_text(title: str, authority: str, heading: str, text: str) -> str:
    """What BM25 sees: enough context that "Wigan" or "Portsmouth" finds that council's chunks."""
    return f"{title}\n{authority}\n{heading}\n{text}"


class Indexer:
    """`Indexer(...).run(paths)` → IngestReport. Unchanged documents cost a hash, nothing more."""

    def __init__(
        self,
        store: ChromaStore,
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
        text, pages = self.cleaner.run_with_pages(src.raw_text)
        meta = {k: getattr(src, k) for k in ("doc_id", "title", "authority", "doc_type", "note", "date", "origin")}
        digest = hashlib.sha256(
            json.dumps([PIPELINE_VERSION, self.embedder.name, meta, text, pages], ensure_ascii=False).encode()
        ).hexdigest()[:16]
        doc = Document(
            text=text,
            version=digest,
            source=src.source,
            ingested_at=datetime.now(UTC).isoformat(timespec="seconds"),
            pages=pages if src.paged else (),
            **meta,
        )
        return doc, self.chunker.run(doc.doc_id, text)

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
                self._run(paths, prune_corpus, progress, report, known, set(replace))
        except StoreUnavailableError as exc:
            report.stopped = str(exc)
        return report

    def rebuild(
        self,
        paths: Iterable[Path],
        drop_missing: bool = False,
        progress: bool = False,
        replace: Iterable[str] = (),
    ) -> IngestReport:
        """Build the index again beside the live one from every document it holds (re-read
        from its file, with the metadata it was given) and `paths`, then switch to it in one
        write. Killed at any point, the old index is complete and answering. Refuses, naming
        them, when indexed documents cannot be re-read, unless `drop_missing`."""
        report = IngestReport()
        live = self.store
        try:
            with live.guard(), live.writing():
                known = live.documents(max_age=0)
                sources = {d: _absolute(doc.source) for d, doc in known.items()}
                gone = {d: src for d, src in sources.items() if not src.is_file()}
                if gone and not drop_missing:
                    report.stopped = _cannot_reread(gone)
                    return report
                new = live.new_generation()
                built = IngestReport()
                builder = Indexer(new, self.embedder, self.loader, self.cleaner, self.chunker, self.batch_docs)
                reread = [src for d, src in sources.items() if d not in gone]
                builder._run([*paths, *reread], False, progress, built, known, set(replace), rebuilding=True)
                failed_known = {
                    d: sources[d] for d in sources if any(_same_file(p, sources[d]) for p, _ in built.failed)
                }
                report.failed, report.chunks = built.failed, built.chunks
                if failed_known and not drop_missing:
                    live.drop_generation(new.generation)
                    report.stopped = _cannot_reread(failed_known)
                    return report
                live.switch_to(new.generation)
                after = live.documents(max_age=0)
        except StoreUnavailableError as exc:
            report.stopped = str(exc)
            return report
        for doc_id, doc in after.items():
            old = known.get(doc_id)
            same = old is not None and old.version == doc.version
            (report.added if old is None else report.unchanged if same else report.updated).append(doc_id)
        report.removed = sorted(set(known) - set(after))
        return report

    def _run(
        self,
        paths: Iterable[Path],
        prune_corpus: bool,
        progress: bool,
        report: IngestReport,
        known: dict[str, Document],
        replacing: set[str],
        rebuilding: bool = False,
    ) -> None:
        """Index `paths` into this indexer's store. `known`: what the live index holds (whose ids
        a file may not take over unless in `replacing`, and whose given metadata is kept)."""
        from tqdm import tqdm

        found, missing = discover(paths)
        report.failed += [(str(e.path), e.reason) for e in missing]
        files = self._refuse_collisions(_unique_files(found), known, replacing, report, rebuilding)
        existing = self.store.documents(max_age=0) if rebuilding else known  # what the store written holds
        seen: set[str] = set()
        pending: list[tuple[Document, list[Chunk], bool]] = []
        for path in tqdm(files, desc="Indexing", unit="doc", disable=not progress):
            try:
                src = self.loader.run(path.absolute())  # absolute: a rebuild re-reads it from anywhere
            except LoadError as exc:
                report.failed.append((str(path), exc.reason))
                continue
            except OSError as exc:
                report.failed.append((str(path), f"cannot read the file ({exc.strerror or exc})"))
                continue
            doc, chunks = self.prepare(self._keep_given_metadata(src, known.get(src.doc_id)))
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
                self._write_batch(pending, report)
        self._write_batch(pending, report)
        if prune_corpus:
            for doc_id, doc in existing.items():
                if doc.origin == "corpus" and doc_id not in seen and self.store.remove(doc_id):
                    report.removed.append(doc_id)

    def _identity(self, path: Path) -> tuple[str, str]:
        """(doc_id, origin) a file will be indexed under, without reading it."""
        probe = self.loader._with_metadata(path, " ")
        return probe.doc_id, probe.origin

    def _refuse_collisions(
        self,
        files: list[Path],
        known: dict[str, Document],
        replacing: set[str],
        report: IngestReport,
        rebuilding: bool = False,
    ) -> list[Path]:
        """Files whose id is theirs to take. Refused, each named: two files of this run with one
        id (both), and a file whose id the index holds from another file (unless in `replacing`;
        corpus documents may move folder, as their ids come from the manifest). In a rebuild
        the file an indexed document came from keeps its id (or gives way to `replacing`)."""
        # Files of a type that cannot be read are refused by the loader with that reason instead.
        ids = {path: self._identity(path) for path in files if path.suffix.lower() in SUPPORTED_TYPES}
        groups: dict[str, list[Path]] = {}
        for path, (doc_id, _) in ids.items():
            groups.setdefault(doc_id, []).append(path)
        refused: dict[Path, str] = {}
        for doc_id, group in groups.items():
            old = known.get(doc_id)
            own = [p for p in group if old is not None and _same_file(p, _absolute(old.source))]
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
                        f"the index already holds '{doc_id}' from {_shown(old.source)}; "
                        f"use --replace {doc_id} to replace it, or rename the file"
                    )
        report.failed += [(str(p), why) for p, why in refused.items() if why]
        return [p for p in files if p not in refused]

    def _keep_given_metadata(self, src: SourceDocument, old: Document | None) -> SourceDocument:
        """Re-ingesting without --title/--authority/--type keeps what was given before."""
        if old is None or src.origin == "corpus" or old.source != src.source:
            return src
        kept = {f: getattr(old, f) for f in _USER_FIELDS if f not in self.loader.overrides}
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
        report.added += [doc.doc_id for doc, _, _ in pending_docs]

    def _write_batch(self, pending: list[tuple[Document, list[Chunk], bool]], report: IngestReport) -> None:
        """Embed a batch of documents in one pass (far faster than one small batch each), then
        write them one by one, each atomically."""
        if not pending:
            return
        chunk_texts = [chunk_embedding_text(doc, c) for doc, chunks, _ in pending for c in chunks]
        unit_texts = [
            unit_embedding_text(c, doc.text[u.start : u.end])
            for doc, chunks, _ in pending
            for c in chunks
            for u in c.units
        ]
        chunk_vectors = self.embedder.embed_documents(chunk_texts)
        unit_vectors = self.embedder.embed_documents(unit_texts)
        if getattr(self.store, "pinned", False):  # a rebuild's new generation: nobody reads it yet
            self._write_all(pending, chunk_vectors, unit_vectors, report)
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


def _absolute(source: str) -> Path:
    return Path(source).absolute()


def _same_file(a: str | Path, b: str | Path) -> bool:
    return Path(a).resolve() == Path(b).resolve()


def _unique_files(files: list[Path]) -> list[Path]:
    """Each file once, however many ways it was named (a folder and a file in it, a rebuild's
    re-read documents and the corpus folder)."""
    seen: set[Path] = set()
    unique = []
    for f in files:
        if f.resolve() not in seen:
            seen.add(f.resolve())
            unique.append(f)
    return unique


def _shown(source: str) -> str:
    """A source path as a user would type it: relative to the working folder when inside it."""
    try:
        return str(Path(source).absolute().relative_to(Path.cwd()))
    except ValueError:
        return source


def _cannot_reread(gone: dict[str, Path]) -> str:
    names = "; ".join(f"'{d}' ({_shown(str(src))})" for d, src in sorted(gone.items()))
    return (
        f"cannot rebuild: {len(gone)} indexed document(s) cannot be re-read from their files: {names}. "
        "Put the files back, or run it again with --drop-missing to rebuild without them. "
        "The index is as it was."
    )


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
