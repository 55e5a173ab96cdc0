"""`lmcs feedback export`, `lmcs purge`, `lmcs user …`: the records a deployment keeps.

They live in one database (SQLite in the data dir, or LMCS_DATABASE_URL for PostgreSQL), so
every app server of a shared deployment sees the same feedback, users and audit log.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.common import DataDir, fail, settings_for, writable

feedback_app = typer.Typer(help="Feedback given in the UI.")
user_app = typer.Typer(help="Logins for a shared deployment (kept in the records database).")
DatabaseUrl = Annotated[
    str | None, typer.Option("--database-url", help="Records database [env LMCS_DATABASE_URL]", show_default=False)
]


def _records(data_dir: Path | None, database_url: str | None):  # type: ignore[no-untyped-def]
    from assistant.service import open_records

    return open_records(settings_for(data_dir, database_url=database_url))


def purge(
    days: Annotated[int | None, typer.Option(help="Keep this many days [env LMCS_RETENTION_DAYS; default 90]")] = None,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Delete feedback and question-log records older than the retention period (on every server)."""
    keep = days or settings_for(data_dir).retention_days
    result = _records(data_dir, database_url).purge(keep, actor="cli")
    typer.echo(f"Deleted {result.total} records older than {keep} days.")


@feedback_app.command("export")
def feedback_export(
    out: Annotated[Path, typer.Option(help="CSV file to write")] = Path("feedback.csv"),
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Write all feedback (question, answer, citations, rating, comment) to CSV."""
    out = writable(out)  # before the records are opened: a failed command leaves nothing behind
    n = _records(data_dir, database_url).feedback.export_csv(out)
    typer.echo(f"Wrote {n} feedback rows to {out}")


@user_app.command("add")
def user_add(
    name: str,
    admin: Annotated[bool, typer.Option(help="May add and remove documents in the UI")] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Add a user; the password is asked for and stored hashed (scrypt). Login is on once a user exists."""
    from assistant.records import UserError, check_name

    try:
        check_name(name)
    except UserError as exc:
        raise fail(str(exc), code=2) from exc
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 12:
        raise fail("use a password of at least 12 characters", code=2)
    try:
        _records(data_dir, database_url).users.add(name, password, admin, actor="cli")
    except UserError as exc:
        raise fail(str(exc), code=2) from exc
    typer.echo(f"Saved user {name}{' (admin)' if admin else ''}.")


@user_app.command("remove")
def user_remove(name: str, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Remove a user."""
    from assistant.records import UserError

    try:
        _records(data_dir, database_url).users.remove(name, actor="cli")
    except UserError as exc:
        raise fail(str(exc), code=2) from exc
    typer.echo(f"Removed user {name}.")


@user_app.command("list")
def user_list(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """List users (never their passwords)."""
    for user in _records(data_dir, database_url).users.all_users():
        typer.echo(f"{user.name}{'  (admin)' if user.admin else ''}")


@user_app.command("unlock")
def user_unlock(name: str, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Lift a lockout after too many wrong passwords."""
    _records(data_dir, database_url).login.unlock(name, actor="cli")
    typer.echo(f"Unlocked {name}.")


@user_app.command("import")
def user_import(path: Path, data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """Import the users of an old login file (users.toml); their passwords keep working."""
    if not path.is_file():
        raise fail(f"no such file: {path}", code=2)
    typer.echo(_records(data_dir, database_url).import_users_toml(path, actor="cli").summary())
