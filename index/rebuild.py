"""Rebuild the index beside the live one, from every document it holds, and switch to it in one write.

Issue #18: `lmcs ingest --rebuild` emptied the index first and read only the corpus folder, so
every user document was lost (305 → 5, "0 removed"), and a kill part-way left a third of the
corpus. Now the new generation is built while the old one answers; the version record flips to
it only once it is complete (`ChromaStore.switch_to`); a kill at any point leaves the old index
whole, and the next rebuild deletes what the killed one left.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from index.chroma import ChromaStore
from index.ids import absolute, same_file, shown
from index.load import Found
from index.pipeline import Indexer, IngestReport
from index.store import StoreUnavailableError


def rebuild(
    indexer: Indexer,
    paths: Iterable[Path],
    drop_missing: bool = False,
    progress: bool = False,
    replace: Iterable[str] = (),
) -> IngestReport:
    """Re-read every indexed document from its file (user documents keep the metadata they were
    given), and `paths`; refuse, naming them, if indexed documents cannot be re-read, unless
    `drop_missing`. The report counts what the new index holds against the old."""
    report = IngestReport()
    live = indexer.store
    if not isinstance(live, ChromaStore):
        raise TypeError("a rebuild needs the Chroma store: generations are its own")
    try:
        with live.guard(), live.writing():
            known = live.documents(max_age=0)
            sources = {d: absolute(doc.source) for d, doc in known.items()}
            gone = {d: src for d, src in sources.items() if not src.is_file()}
            if gone and not drop_missing:
                report.stopped = cannot_reread(gone)
                return report
            new = live.new_generation()
            built = IngestReport()
            builder = Indexer(
                new, indexer.embedder, indexer.loader, indexer.cleaner, indexer.chunker, indexer.batch_docs
            )
            # Re-read under the id each document has, not one derived anew from its file's name.
            reread = [Found(src, d) for d, src in sources.items() if d not in gone]
            builder.index_files([*paths, *reread], False, progress, built, known, set(replace), rebuilding=True)
            unread = {d: src for d, src in sources.items() if any(same_file(p, src) for p, _ in built.failed)}
            report.failed, report.chunks = built.failed, built.chunks
            if unread and not drop_missing:
                live.drop_generation(new.generation)
                report.stopped = cannot_reread(unread)
                return report
            live.switch_to(new.generation)
            after = live.documents(max_age=0)
    except StoreUnavailableError as exc:  # what a failed write left of the new generation goes next time
        report.stopped = str(exc)
        return report
    for doc_id, doc in after.items():
        old = known.get(doc_id)
        same = old is not None and old.version == doc.version
        (report.added if old is None else report.unchanged if same else report.updated).append(doc_id)
    report.removed = sorted(set(known) - set(after))
    return report


def cannot_reread(gone: dict[str, Path]) -> str:
    names = "; ".join(f"'{d}' ({shown(str(src))})" for d, src in sorted(gone.items()))
    return (
        f"cannot rebuild: {len(gone)} indexed document(s) cannot be re-read from their files: {names}. "
        "Put the files back, or run it again with --drop-missing to rebuild without them. "
        "The index is as it was."
    )
