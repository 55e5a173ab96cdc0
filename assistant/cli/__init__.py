"""`lmcs`: ingest documents, ask questions, chat, serve the UI, and the trainers' tools.

One module per command group; heavy libraries load inside the commands that need them,
so `lmcs --help` and `lmcs --version` are instant.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from assistant.cli import ask, documents, evaluate, records, serve, training
from index import go_offline

app = typer.Typer(
    help="LMCS Assistant: cited answers about the Lead Member for Children's Services.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # a crash report must not print settings, keys or questions
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"lmcs {version('lmcs-assistant')}")
        except PackageNotFoundError:
            typer.echo("lmcs (not installed)")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit")
    ] = False,
) -> None:
    """LMCS Assistant: cited answers about the Lead Member for Children's Services."""


app.command()(documents.ingest)
app.command()(ask.ask)
app.command()(ask.chat)
app.command()(serve.serve)
app.command()(documents.sources)
app.command()(documents.remove)
app.command()(documents.show)
app.command()(documents.relabel)
app.command(name="eval")(evaluate.eval_)
app.command()(records.purge)
app.add_typer(records.feedback_app, name="feedback")
app.add_typer(records.user_app, name="user")
app.add_typer(training.bank_app, name="bank")
app.command()(training.quiz)
app.command()(training.handout)
app.command()(training.compare)
app.command()(training.coverage)


def main() -> None:
    from assistant.errors import USER_ERRORS

    go_offline()  # before any library that would phone home is imported
    try:
        app()
    except USER_ERRORS as exc:  # the index went away mid-command: say what to do, no traceback
        typer.secho(f"Error: {exc}", err=True, fg=typer.colors.RED)
        sys.exit(1)


if __name__ == "__main__":
    main()
