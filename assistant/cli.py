"""`lmcs`: ingest documents, ask questions, chat, serve the UI.

Heavy libraries load inside the commands that need them, so `lmcs --help` is instant.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

import index  # noqa: F401  (offline environment first)
from assistant.settings import Settings

app = typer.Typer(
    help="LMCS Assistant: cited answers about the Lead Member for Children's Services.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a crash report must not print settings, keys or questions
)

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where the index lives [env LMCS_DATA_DIR; default .lmcs/]", show_default=False),
]
ChromaUrl = Annotated[
    str | None, typer.Option("--chroma-url", help="Use a `chroma run` server [env LMCS_CHROMA_URL]", show_default=False)
]


def _settings(data_dir: Path | None, chroma_url: str | None = None, **extra: Any) -> Settings:
    overrides: dict[str, Any] = {k: v for k, v in extra.items() if v is not None}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if chroma_url is not None:
        overrides["chroma_url"] = chroma_url
    return Settings(**overrides)


def _fail(message: str, code: int = 1) -> typer.Exit:
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def _assistant(settings: Settings, use_llm: bool = True):  # type: ignore[no-untyped-def]
    from assistant.llm import LLMUnavailableError
    from assistant.pipeline import build_answer_pipeline
    from index.store import IndexMismatchError, StoreUnavailableError

    try:
        return build_answer_pipeline(settings, use_llm=use_llm)
    except (IndexMismatchError, StoreUnavailableError, LLMUnavailableError) as exc:
        raise _fail(str(exc)) from exc


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: the project corpus)")] = None,
    rebuild: Annotated[bool, typer.Option(help="Delete the index and build it again")] = False,
    title: Annotated[str | None, typer.Option(help="Title for the documents given")] = None,
    authority: Annotated[str | None, typer.Option(help="Council for the documents given")] = None,
    doc_type: Annotated[str | None, typer.Option("--type", help="Document type for the documents given")] = None,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
) -> None:
    """Build or update the index. Unchanged documents are skipped; changed ones replaced."""
    from index.embed import load_embedder
    from index.pipeline import build_index_pipeline
    from index.store import IndexMismatchError, StoreUnavailableError

    settings = _settings(data_dir, chroma_url)
    try:
        indexer = build_index_pipeline(
            load_embedder(settings.embedding_model_path, settings.model_cache_dir),
            settings.data_dir,
            settings.corpus_dir,
            chroma_url=settings.chroma_url,
            rebuild=rebuild,
            max_bytes=settings.max_file_bytes,
            overrides={"title": title or "", "authority": authority or "", "doc_type": doc_type or ""},
        )
        report = indexer.run(paths or [settings.corpus_dir], prune_corpus=not paths, progress=True)
    except (IndexMismatchError, StoreUnavailableError) as exc:
        raise _fail(str(exc)) from exc
    typer.echo(report.summary())
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def ask(
    question: Annotated[str | None, typer.Argument(help="The question (or use --batch)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    batch: Annotated[Path | None, typer.Option(help="A JSONL file of questions ('-' for stdin)")] = None,
    doc: Annotated[list[str] | None, typer.Option("--doc", help="Only search this document id (repeatable)")] = None,
    mode: Annotated[str | None, typer.Option(help="Retrieval: hybrid, dense or bm25")] = None,
    llm: Annotated[
        bool, typer.Option("--llm/--no-llm", help="Use the configured language model (LMCS_LLM_*) if there is one")
    ] = True,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
) -> None:
    """Answer one question with citations, or many with --batch (one model load)."""
    from assistant.pipeline import IndexEmptyError, QuestionError, clean_question
    from assistant.present import to_json, to_text
    from index.store import StoreUnavailableError

    settings = _settings(data_dir, chroma_url, retrieval_mode=mode)
    if batch is None:
        try:
            clean_question(question or "", settings.max_question_chars)
        except QuestionError as exc:
            raise _fail(str(exc), code=2) from exc
    assistant = _assistant(settings, use_llm=llm)
    if batch is not None:
        lines = sys.stdin if str(batch) == "-" else batch.open(encoding="utf-8")
        failed = False
        for line in lines:
            if not line.strip():
                continue
            record = _answer_line(assistant, line, doc)
            failed |= "error" in record
            print(json.dumps(record, ensure_ascii=False), flush=True)
        return
    try:
        answer = assistant.ask(question or "", doc_ids=doc)
    except QuestionError as exc:
        raise _fail(str(exc), code=2) from exc
    except (IndexEmptyError, StoreUnavailableError) as exc:
        raise _fail(str(exc)) from exc
    typer.echo(json.dumps(to_json(answer), ensure_ascii=False, indent=2) if as_json else to_text(answer))


def _answer_line(assistant, line: str, doc_ids: list[str] | None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """One --batch input line → one output record; a bad line yields an `error`, never a crash."""
    from assistant.pipeline import IndexEmptyError, QuestionError
    from assistant.present import to_json
    from index.store import StoreUnavailableError

    item_id = None
    try:
        item = json.loads(line)
        if not isinstance(item, dict):
            raise ValueError("each line must be a JSON object")
        item_id = item.get("id")
        history = item.get("history") or []
        if not isinstance(history, list) or not all(
            isinstance(t, dict) and t.get("role") in {"user", "assistant"} and isinstance(t.get("content"), str)
            for t in history
        ):
            raise ValueError("history must be a list of {role: user|assistant, content: text}")
        if not isinstance(item.get("question"), str):
            raise ValueError("question must be a string")
        return to_json(assistant.ask(item["question"], history=history, doc_ids=doc_ids), item_id)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"not valid JSON: {exc.msg} (column {exc.colno})"}
    except (ValueError, QuestionError, IndexEmptyError, StoreUnavailableError) as exc:
        return {"id": item_id, "error": str(exc)}


@app.command()
def chat(data_dir: DataDir = None, chroma_url: ChromaUrl = None) -> None:
    """Multi-turn chat in the terminal. /new starts over, /quit (or Ctrl-D) leaves."""
    from assistant.pipeline import IndexEmptyError, QuestionError
    from assistant.present import to_text
    from assistant.privacy import NOTICE, Redactor, notice_for
    from index.store import StoreUnavailableError

    assistant = _assistant(_settings(data_dir, chroma_url))
    redactor = Redactor(allow={d.authority for d in assistant.documents().values() if d.authority})
    typer.echo(NOTICE)
    typer.echo("Ask about the Lead Member for Children's Services. /new starts over, /quit leaves.")
    history: list[dict[str, str]] = []
    while True:
        try:
            question = input("\nYou: ").strip()
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if question in {"/quit", "/exit"}:
            return
        if question == "/new":
            history = []
            typer.echo("New conversation.")
            continue
        try:
            answer = assistant.ask(question, history=history)
        except (QuestionError, IndexEmptyError, StoreUnavailableError) as exc:
            typer.secho(str(exc), fg=typer.colors.YELLOW)
            continue
        typer.echo("\n" + to_text(answer))
        personal = redactor.kinds(question)
        if personal:
            typer.secho("\n" + notice_for(personal), fg=typer.colors.YELLOW)
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind [env LMCS_HOST; default 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env LMCS_PORT; default 7860]")] = None,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
) -> None:
    """Serve the chat UI. Without a login file it binds to 127.0.0.1 only."""
    from assistant.auth import AuthFile
    from assistant.ui import ChatUI, launch

    settings = _settings(data_dir, chroma_url, host=host, port=port)
    auth = AuthFile(settings.auth_file) if settings.auth_file else None
    if auth is not None and not auth.users:
        raise _fail(f"the login file {settings.auth_file} has no users (add one: lmcs user add NAME)")
    bind = settings.host
    if auth is None and bind not in LOOPBACK:
        typer.secho(
            f"No login is configured (LMCS_AUTH_FILE), so the UI binds to 127.0.0.1 only, not {bind}.",
            fg=typer.colors.YELLOW,
        )
        bind = "127.0.0.1"
    assistant = _assistant(settings)
    ui = ChatUI(
        assistant, settings.data_dir, auth, settings.corpus_dir, settings.max_file_bytes, settings.retention_days
    )
    access = f"login required ({len(auth.users)} users)" if auth else "local only, no login"
    typer.echo(f"LMCS Assistant on http://{bind}:{settings.port} — {access}")
    launch(ui, bind, settings.port)


@app.command()
def purge(
    days: Annotated[int | None, typer.Option(help="Keep this many days [env LMCS_RETENTION_DAYS; default 90]")] = None,
    data_dir: DataDir = None,
) -> None:
    """Delete feedback and question-log records older than the retention period."""
    from assistant.feedback import FeedbackStore

    settings = _settings(data_dir)
    keep = days or settings.retention_days
    n = FeedbackStore.in_data_dir(settings.data_dir).purge(keep)
    typer.echo(f"Deleted {n} records older than {keep} days.")


feedback_app = typer.Typer(help="Feedback given in the UI.")
app.add_typer(feedback_app, name="feedback")


@feedback_app.command("export")
def feedback_export(
    out: Annotated[Path, typer.Option(help="CSV file to write")] = Path("feedback.csv"),
    data_dir: DataDir = None,
) -> None:
    """Write all feedback (question, answer, citations, rating, comment) to CSV."""
    from assistant.feedback import FeedbackStore

    settings = _settings(data_dir)
    n = FeedbackStore.in_data_dir(settings.data_dir).export_csv(out)
    typer.echo(f"Wrote {n} feedback rows to {out}")


user_app = typer.Typer(help="Logins for a shared deployment (LMCS_AUTH_FILE).")
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: str,
    admin: Annotated[bool, typer.Option(help="May add documents in the UI")] = False,
    auth_file: Annotated[Path | None, typer.Option(help="Login file [env LMCS_AUTH_FILE]")] = None,
) -> None:
    """Add or replace a user; the password is asked for and stored hashed (scrypt)."""
    from assistant.auth import AuthFile

    path = auth_file or Settings().auth_file
    if path is None:
        raise _fail("say where the login file is: --auth-file PATH or LMCS_AUTH_FILE", code=2)
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise _fail("use a password of at least 10 characters", code=2)
    try:
        AuthFile(path).add(name, password, admin)
    except ValueError as exc:
        raise _fail(str(exc), code=2) from exc
    typer.echo(f"Saved user {name}{' (admin)' if admin else ''} to {path}")


@app.command()
def sources(data_dir: DataDir = None, chroma_url: ChromaUrl = None) -> None:
    """List the indexed documents."""
    assistant = _assistant(_settings(data_dir, chroma_url))
    docs = assistant.documents()
    if not docs:
        typer.echo("The index is empty. Build it: lmcs ingest")
    for d in sorted(docs.values(), key=lambda d: d.doc_id):
        typer.echo(f"{d.doc_id}\t{d.title}\t{d.authority or '-'}\t{d.n_chunks} chunks\t{d.ingested_at}")


@app.command()
def remove(doc_id: str, data_dir: DataDir = None, chroma_url: ChromaUrl = None) -> None:
    """Remove one document from the index."""
    assistant = _assistant(_settings(data_dir, chroma_url))
    with assistant.store.guard():
        removed = assistant.store.remove(doc_id)
    if not removed:
        raise _fail(f"no indexed document has the id '{doc_id}' (see: lmcs sources)")
    typer.echo(f"Removed {doc_id}.")


@app.command(name="eval")
def eval_(
    config: Annotated[
        list[str] | None,
        typer.Option(help="Configurations to compare: hybrid, dense, bm25, llm (default: all; llm when configured)"),
    ] = None,
    dataset: Annotated[str, typer.Option(help="Dataset version in evals/datasets/, or a .jsonl path")] = "v1",
    write: Annotated[bool, typer.Option(help="Write reports and chart to evals/reports/")] = True,
) -> None:
    """Run the eval suite on a fresh index of the corpus and compare configurations."""
    from evals.run import CONFIGS, LLM_CONFIG
    from evals.run import main as run_eval

    known = (*CONFIGS, LLM_CONFIG)
    configured = Settings()
    has_model = bool(configured.llm_base_url or configured.llm_gguf or configured.llm_azure_endpoint)
    chosen = tuple(config or (CONFIGS + ((LLM_CONFIG,) if has_model else ())))
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise _fail(f"unknown configuration(s): {', '.join(unknown)} (choose from {', '.join(known)})", code=2)
    run_eval(chosen, dataset, write=write)


def _bank(settings: Settings):  # type: ignore[no-untyped-def]
    from assistant.training import BANK_NAME, Bank

    return Bank.load(settings.corpus_dir / BANK_NAME)


bank_app = typer.Typer(help="The induction question bank (corpus/induction-bank.toml).")
app.add_typer(bank_app, name="bank")


@bank_app.command("refresh")
def bank_refresh(data_dir: DataDir = None, chroma_url: ChromaUrl = None) -> None:
    """Re-ask every bank question and write the assistant's answers into the bank for review."""
    settings = _settings(data_dir, chroma_url)
    bank = _bank(settings)
    changed = bank.refresh(_assistant(settings))
    typer.echo(f"{len(bank.questions)} questions, {changed} model answers changed: review {bank.path}")


@app.command()
def quiz(
    theme: Annotated[str | None, typer.Option(help="Only this theme (see corpus/induction-bank.toml)")] = None,
    count: Annotated[int, typer.Option("--count", "-n", help="How many questions")] = 5,
    data_dir: DataDir = None,
) -> None:
    """An induction quiz: answer in your own words, then see the cited model answer and your key points."""
    import random

    from assistant.training import QuizSession

    bank = _bank(_settings(data_dir))
    try:
        pool = bank.by_theme(theme)
    except KeyError as exc:
        raise _fail(str(exc.args[0]), code=2) from exc
    session = QuizSession(random.sample(pool, min(count, len(pool))))
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
        typer.echo("Key points: " + ", ".join(f"{'✓' if hit else '✗'} {k}" for k, hit in marks.items()))
    typer.secho("\n" + session.summary(), bold=True)


@app.command()
def handout(
    theme: Annotated[str | None, typer.Option(help="Only this theme")] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, pdf or docx")] = "md",
    out: Annotated[Path | None, typer.Option(help="File to write (default: stdout for md)")] = None,
    data_dir: DataDir = None,
) -> None:
    """A printable induction pack: questions, model answers, verbatim quotes, sources."""
    from assistant.training import handout_docx, handout_markdown, handout_pdf

    bank = _bank(_settings(data_dir))
    try:
        bank.by_theme(theme)
    except KeyError as exc:
        raise _fail(str(exc.args[0]), code=2) from exc
    if fmt == "md":
        text = handout_markdown(bank, theme)
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            typer.echo(text)
    elif fmt in {"pdf", "docx"}:
        target = out or Path(f"induction-pack.{fmt}")
        (handout_pdf if fmt == "pdf" else handout_docx)(bank, target, theme)
        typer.echo(f"Wrote {target}")
    else:
        raise _fail("--format is md, pdf or docx", code=2)
    if out and fmt == "md":
        typer.echo(f"Wrote {out}")


@app.command(name="compare")
def compare_cmd(topic: str, data_dir: DataDir = None, chroma_url: ChromaUrl = None) -> None:
    """What each council's document says on a topic, side by side (Markdown table)."""
    from assistant.compare import compare, compare_markdown

    assistant = _assistant(_settings(data_dir, chroma_url))
    typer.echo(compare_markdown(topic, compare(assistant, topic)))


@app.command(name="coverage")
def coverage_cmd(
    out: Annotated[Path | None, typer.Option(help="Write the heat map PNG here")] = None,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
) -> None:
    """The duty coverage map: each LMCS duty against each document (Markdown; PNG with --out)."""
    from assistant.compare import coverage, coverage_markdown, coverage_png

    assistant = _assistant(_settings(data_dir, chroma_url))
    docs, grid = coverage(assistant)
    typer.echo(coverage_markdown(docs, grid))
    if out:
        coverage_png(docs, grid, out)
        typer.echo(f"Wrote {out}")


def main() -> None:
    from index.store import StoreUnavailableError

    try:
        app()
    except StoreUnavailableError as exc:  # the index went away mid-command: say what to do, no traceback
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        sys.exit(1)


if __name__ == "__main__":
    main()
