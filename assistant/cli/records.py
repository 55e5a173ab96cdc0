"""`lmcs feedback export`, `lmcs purge`, `lmcs user add`: the records a deployment keeps."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.common import DataDir, fail, settings_for
from assistant.settings import Settings

feedback_app = typer.Typer(help="Feedback given in the UI.")
user_app = typer.Typer(help="Logins for a shared deployment (LMCS_AUTH_FILE).")


def purge(
    days: Annotated[int | None, typer.Option(help="Keep this many days [env LMCS_RETENTION_DAYS; default 90]")] = None,
    data_dir: DataDir = None,
) -> None:
    """Delete feedback and question-log records older than the retention period."""
    from assistant.feedback import FeedbackStore

    settings = settings_for(data_dir)
    keep = days or settings.retention_days
    n = FeedbackStore.in_data_dir(settings.data_dir).purge(keep)
    typer.echo(f"Deleted {n} records older than {keep} days.")


@feedback_app.command("export")
def feedback_export(
    out: Annotated[Path, typer.Option(help="CSV file to write")] = Path("feedback.csv"),
    data_dir: DataDir = None,
) -> None:
    """Write all feedback (question, answer, citations, rating, comment) to CSV."""
    from assistant.feedback import FeedbackStore

    settings = settings_for(data_dir)
    n = FeedbackStore.in_data_dir(settings.data_dir).export_csv(out)
    typer.echo(f"Wrote {n} feedback rows to {out}")


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
        raise fail("say where the login file is: --auth-file PATH or LMCS_AUTH_FILE", code=2)
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise fail("use a password of at least 10 characters", code=2)
    try:
        AuthFile(path).add(name, password, admin)
    except ValueError as exc:
        raise fail(str(exc), code=2) from exc
    typer.echo(f"Saved user {name}{' (admin)' if admin else ''} to {path}")
