"""`lmcs ask` (one question, --json, --batch) and `lmcs chat`: every one goes through the same chain."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.cli.common import ChromaUrl, DataDir, fail, open_service, settings_for


def _records(settings):  # type: ignore[no-untyped-def]
    """The question log is kept for every face alike (redacted by the chain before it is written)."""
    from assistant.cli.common import require_index
    from assistant.service import open_records

    require_index(settings)  # never create a records file beside an index that is not there
    return open_records(settings)


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
    from assistant.chain.route import clean_question
    from assistant.errors import USER_ERRORS, QuestionError
    from assistant.present import to_json, to_text

    settings = settings_for(data_dir, chroma_url, retrieval_mode=mode)
    if batch is None:
        try:  # a usage error is reported before anything is opened or created
            clean_question(question or "", settings.max_question_chars)
        except QuestionError as exc:
            raise fail(str(exc), code=2) from exc
    elif str(batch) != "-" and not batch.is_file():
        raise fail(f"no such file: {batch}", code=2)
    service = open_service(settings, use_llm=llm, records=_records(settings))
    if batch is not None:
        failed = 0
        for line in _lines(batch):
            if not line.strip():
                continue
            record = answer_line(service, line, doc)
            failed += "error" in record
            print(json.dumps(record, ensure_ascii=False), flush=True)
        if failed:
            typer.secho(f"{failed} line(s) could not be answered; see their 'error'.", err=True)
            raise typer.Exit(1)
        return
    try:
        answer = service.ask(question or "", doc_ids=doc)
    except QuestionError as exc:
        raise fail(str(exc), code=2) from exc
    except USER_ERRORS as exc:
        raise fail(str(exc)) from exc
    typer.echo(json.dumps(to_json(answer), ensure_ascii=False, indent=2) if as_json else to_text(answer))


def _lines(batch: Path):  # type: ignore[no-untyped-def]
    """Lines of the batch file, decoded leniently: one bad byte spoils its own line, not the run."""
    stream = sys.stdin.buffer if str(batch) == "-" else batch.open("rb")
    with stream:
        for raw in stream:
            yield raw.decode("utf-8", errors="replace")


def answer_line(service, line: str, doc_ids: list[str] | None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """One --batch input line → one output record; a bad line yields an `error`, never a crash."""
    from assistant.errors import AssistantError, StoreUnavailableError
    from assistant.present import to_json

    item_id = None
    try:
        if "\ufffd" in line:
            raise ValueError("the line is not valid UTF-8")
        item = json.loads(line)
        if not isinstance(item, dict):
            raise ValueError("each line must be a JSON object")
        item_id = item.get("id")
        if not isinstance(item.get("question"), str):
            raise ValueError("question must be a string")
        return to_json(service.ask(item["question"], history=item.get("history") or [], doc_ids=doc_ids), item_id)
    except json.JSONDecodeError as exc:
        return {"id": None, "error": f"not valid JSON: {exc.msg} (column {exc.colno})"}
    except (ValueError, AssistantError, StoreUnavailableError) as exc:
        return {"id": item_id if isinstance(item_id, str | int) else None, "error": str(exc)}


def chat(data_dir: DataDir = None, chroma_url: ChromaUrl = None) -> None:
    """Multi-turn chat in the terminal. /new starts over, /quit (or Ctrl-D) leaves."""
    from assistant.chain.privacy import NOTICE
    from assistant.errors import USER_ERRORS
    from assistant.present import to_text

    settings = settings_for(data_dir, chroma_url)
    service = open_service(settings, records=_records(settings))
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
            answer = service.ask(question, history=history)
        except USER_ERRORS as exc:
            typer.secho(str(exc), fg=typer.colors.YELLOW)
            continue
        typer.echo("\n" + to_text(answer))
        history += [{"role": "user", "content": answer.question}, {"role": "assistant", "content": answer.answer}]
