"""`lmcs quiz`, `lmcs handout`, `lmcs bank refresh`, `lmcs compare`, `lmcs coverage`: for trainers and reviewers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.common import ChromaUrl, DataDir, fail, open_service, settings_for, writable
from assistant.settings import Settings

bank_app = typer.Typer(help="The induction question bank (corpus/induction-bank.toml).")
MAX_TOPIC_CHARS = 200


def _bank(settings: Settings):  # type: ignore[no-untyped-def]
    from assistant.training.bank import BANK_NAME, Bank

    path = settings.corpus_dir / BANK_NAME
    if not path.is_file():
        raise fail(f"there is no question bank at {path}; add one (see the README) or set LMCS_CORPUS_DIR")
    return Bank.load(path)


@bank_app.command("refresh")
def bank_refresh(data_dir: DataDir = None, chroma_url: ChromaUrl = None) -> None:
    """Re-ask every bank question and write the assistant's answers into the bank for review."""
    settings = settings_for(data_dir, chroma_url)
    bank = _bank(settings)
    changed = bank.refresh(open_service(settings, use_llm=False).chain)
    typer.echo(f"{len(bank.questions)} questions, {changed} model answers changed: review {bank.path}")


def quiz(
    theme: Annotated[str | None, typer.Option(help="Only this theme (see corpus/induction-bank.toml)")] = None,
    count: Annotated[int, typer.Option("--count", "-n", help="How many questions")] = 5,
    data_dir: DataDir = None,
) -> None:
    """An induction quiz: answer in your own words, then see the cited model answer and your key points."""
    import random

    from assistant.training.marking import Marker
    from assistant.training.quiz import NO_ANSWER, QuizSession
    from index.embed import load_embedder

    if count < 1:
        raise fail("--count must be at least 1", code=2)
    settings = settings_for(data_dir)
    bank = _bank(settings)
    try:
        pool = bank.by_theme(theme)
    except KeyError as exc:
        raise fail(str(exc.args[0]), code=2) from exc
    marker = Marker.from_corpus(settings.corpus_dir, load_embedder())  # marks by meaning as well as words
    session = QuizSession(random.sample(pool, min(count, len(pool))), marker)
    for i, q in enumerate(session.questions, start=1):
        typer.secho(f"\nQuestion {i}/{len(session.questions)}: {q.question}", bold=True)
        try:
            reply = input("Your answer: ")
        except (EOFError, KeyboardInterrupt):
            break
        marks = session.record(q, reply)
        typer.echo("\nModel answer:\n" + q.answer)
        for c in q.citations:
            typer.echo(f"  [{c.n}] “{c.quote}”")
        if marks is None:
            typer.echo(f"Key points ({NO_ANSWER}): " + ", ".join(q.key_points))
        else:
            typer.echo("Key points: " + ", ".join(f"{'✓' if hit else '✗'} {k}" for k, hit in marks.items()))
    typer.secho("\n" + session.summary(), bold=True)


def handout(
    theme: Annotated[str | None, typer.Option(help="Only this theme")] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, pdf or docx")] = "md",
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout for md)")] = None,
    data_dir: DataDir = None,
) -> None:
    """A printable induction pack: questions, model answers, verbatim quotes, sources."""
    from assistant.training.handout import handout_docx, handout_markdown, handout_pdf

    if fmt not in {"md", "pdf", "docx"}:
        raise fail("--format is md, pdf or docx", code=2)
    if out is not None:
        writable(out)
    bank = _bank(settings_for(data_dir))
    try:
        bank.by_theme(theme)
    except KeyError as exc:
        raise fail(str(exc.args[0]), code=2) from exc
    if fmt == "md":
        text = handout_markdown(bank, theme)
        if out is None:
            typer.echo(text)
            return
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {out}")
        return
    target = out or Path(f"induction-pack.{fmt}")
    (handout_pdf if fmt == "pdf" else handout_docx)(bank, target, theme)
    typer.echo(f"Wrote {target}")


def _topic(topic: str) -> str:
    topic = " ".join((topic or "").split())
    if not topic:
        raise fail("give a topic, e.g. lmcs compare 'corporate parenting'", code=2)
    if len(topic) > MAX_TOPIC_CHARS:
        raise fail(f"the topic is {len(topic):,} characters long; keep it under {MAX_TOPIC_CHARS}", code=2)
    return topic


def compare(topic: str, data_dir: DataDir = None, chroma_url: ChromaUrl = None) -> None:
    """What each council's document says on a topic, side by side (Markdown table)."""
    from assistant.training.compare import compare as compare_docs
    from assistant.training.compare import compare_markdown

    topic = _topic(topic)
    service = open_service(settings_for(data_dir, chroma_url), use_llm=False)
    typer.echo(compare_markdown(topic, compare_docs(service.chain, topic)))


def coverage(
    out: Annotated[Path | None, typer.Option(help="Write the heat map PNG here")] = None,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
) -> None:
    """The duty coverage map: each LMCS duty against each document (Markdown; PNG with --out)."""
    from assistant.training.coverage import coverage as coverage_grid
    from assistant.training.coverage import coverage_markdown, coverage_png

    if out is not None:
        writable(out)
    service = open_service(settings_for(data_dir, chroma_url), use_llm=False)
    docs, grid = coverage_grid(service.chain)
    typer.echo(coverage_markdown(docs, grid))
    if out:
        coverage_png(docs, grid, out)
        typer.echo(f"Wrote {out}")
