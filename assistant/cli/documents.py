"""`lmcs ingest`, `lmcs sources`, `lmcs remove`: what is in the index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.common import ChromaUrl, DataDir, fail, open_service, settings_for


def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the project corpus)")] = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            help="Build the index again beside the live one from every document it holds (and PATHS), then "
            "switch to it; nothing is lost if it stops part-way"
        ),
    ] = False,
    drop_missing: Annotated[
        bool, typer.Option(help="With --rebuild: leave out indexed documents whose files are gone")
    ] = False,
    replace: Annotated[
        list[str] | None,
        typer.Option(help="Let a file take this document id from the file the index holds it from (repeatable)"),
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title for the documents given")] = None,
    authority: Annotated[str | None, typer.Option(help="Council for the documents given")] = None,
    doc_type: Annotated[str | None, typer.Option("--type", help="A free description of the documents given")] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="legislation, statutory guidance, council role profile, news or other (default: detected)"),
    ] = None,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
) -> None:
    """Build or update the index. Unchanged documents are skipped; changed ones replaced.

    A file whose id the index already holds from another file is refused (see --replace)."""
    from assistant.errors import USER_ERRORS
    from index.embed import load_embedder
    from index.pipeline import build_index_pipeline
    from index.types import KINDS

    if kind and kind not in KINDS:
        raise fail(f"--kind is one of: {', '.join(KINDS)}", code=2)
    if rebuild and (title or authority or doc_type or kind):
        # They would be stamped on every document re-read, not just the files named.
        raise fail(
            "--rebuild re-reads every document with the metadata it was given; set --title/--authority/--type "
            "with a plain `lmcs ingest FILE`, then rebuild",
            code=2,
        )
    settings = settings_for(data_dir, chroma_url)
    try:
        indexer = build_index_pipeline(
            load_embedder(settings.embedding_model_path, settings.model_cache, settings.embed_precision),
            settings.data_dir,
            settings.corpus_dir,
            chroma_url=settings.chroma_url,
            rebuild=rebuild,
            max_bytes=settings.max_file_bytes,
            overrides={
                "title": title or "",
                "authority": authority or "",
                "doc_type": doc_type or "",
                "kind": kind or "",
            },
        )
        given = paths or [settings.corpus_dir]
        if rebuild:
            report = indexer.rebuild(given, drop_missing=drop_missing, progress=True, replace=replace or ())
        else:
            report = indexer.run(given, prune_corpus=not paths, progress=True, replace=replace or ())
    except USER_ERRORS as exc:
        raise fail(str(exc)) from exc
    typer.echo(report.summary())
    if not report.ok:
        raise typer.Exit(1)


def sources(
    evidence: Annotated[bool, typer.Option(help="Show where each council was read from")] = False,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
) -> None:
    """List the indexed documents: id, title, council (and how sure), kind, chunks, when; and any
    document whose text tries to instruct the assistant."""
    service = open_service(settings_for(data_dir, chroma_url), use_llm=False)
    docs = service.documents()
    if not docs:
        typer.echo("The index is empty. Build it: lmcs ingest")
    for d in sorted(docs.values(), key=lambda d: d.doc_id):
        council = f"{d.authority} ({d.authority_confidence:.0%})" if d.authority else "-"
        line = f"{d.doc_id}\t{d.title}\t{council}\t{d.kind or '-'}\t{d.n_chunks} chunks\t{d.ingested_at}"
        if d.instructions:
            line += f"\t⚠ {d.instructions} passage(s) address the assistant: never quoted"
        typer.echo(line)
        for said in d.authority_evidence if evidence else ():
            typer.echo(f"\t  council from {said}")


def show(
    doc_id: str,
    chars: Annotated[str | None, typer.Option(help="A span of the cleaned text, START-END (as in a citation)")] = None,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
) -> None:
    """A document's text, or one span of it with where it sits in the original file."""
    service = open_service(settings_for(data_dir, chroma_url), use_llm=False)
    doc = service.documents().get(doc_id)
    if doc is None:
        raise fail(f"no indexed document has the id '{doc_id}' (see: lmcs sources)", code=2)
    text = service.texts([doc_id]).get(doc_id, "")
    if chars is None:
        typer.echo(text)
        return
    try:
        start, end = (int(x) for x in chars.split("-", 1))
    except ValueError as exc:
        raise fail("--chars is START-END, e.g. --chars 463-651", code=2) from exc
    if not 0 <= start < end <= len(text):
        raise fail(f"--chars must lie within 0-{len(text)}", code=2)
    typer.echo(text[start:end])
    typer.echo(f"\n{doc.title} — {doc.authority or 'no council'}: {doc.locate(start, end)} of {doc.source}")


def remove(doc_id: str, data_dir: DataDir = None, chroma_url: ChromaUrl = None) -> None:
    """Remove one document from the index."""
    from assistant.errors import USER_ERRORS

    service = open_service(settings_for(data_dir, chroma_url), use_llm=False)
    try:
        removed = service.remove(doc_id)
    except USER_ERRORS as exc:  # another ingest holds the index, or it cannot be written
        raise fail(str(exc)) from exc
    if not removed:
        raise fail(f"no indexed document has the id '{doc_id}' (see: lmcs sources)")
    typer.echo(f"Removed {doc_id}.")


def relabel(
    doc_id: str,
    authority: Annotated[str | None, typer.Option(help="The document's council, as it should be")] = None,
    kind: Annotated[str | None, typer.Option(help="legislation, statutory guidance, council role profile…")] = None,
    title: Annotated[str | None, typer.Option(help="The document's title")] = None,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
) -> None:
    """Correct a document's council, kind or title without reading its file again (audited)."""
    from index.types import KINDS

    if not (authority or kind or title):
        raise fail("say what to correct: --authority, --kind or --title", code=2)
    if kind and kind not in KINDS:
        raise fail(f"--kind is one of: {', '.join(KINDS)}", code=2)
    from assistant.service import open_records

    settings = settings_for(data_dir, chroma_url)
    service = open_service(settings, use_llm=False, records=open_records(settings))
    if not service.relabel(doc_id, user="cli", authority=authority or "", kind=kind or "", title=title or ""):
        raise fail(f"no indexed document has the id '{doc_id}' (see: lmcs sources)", code=2)
    typer.echo(f"Relabelled {doc_id}.")
