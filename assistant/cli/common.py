"""What every `lmcs` command shares: options, settings, errors, the service."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from assistant.settings import Settings

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where the index lives [env LMCS_DATA_DIR; default .lmcs/]", show_default=False),
]
ChromaUrl = Annotated[
    str | None, typer.Option("--chroma-url", help="Use a `chroma run` server [env LMCS_CHROMA_URL]", show_default=False)
]


def settings_for(data_dir: Path | None, chroma_url: str | None = None, **extra: Any) -> Settings:
    overrides: dict[str, Any] = {k: v for k, v in extra.items() if v is not None}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if chroma_url is not None:
        overrides["chroma_url"] = chroma_url
    return Settings(**overrides)


def fail(message: str, code: int = 1) -> typer.Exit:
    """One line on stderr saying what to do; exit code 2 for usage errors, 1 otherwise."""
    typer.secho(f"Error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def require_index(settings: Settings) -> None:
    """A command that reads the index fails before creating anything on disk when there is none."""
    if settings.chroma_url is None and not (Path(settings.data_dir) / "chroma").exists():
        raise fail(f"there is no index at {settings.data_dir}. Build it first: lmcs ingest")


def open_service(settings: Settings, use_llm: bool = True, records: Any = None):  # type: ignore[no-untyped-def]
    """The service for a command, or a one-line error (no index, index unreadable, model unusable)."""
    from assistant.errors import USER_ERRORS
    from assistant.service import Service

    require_index(settings)
    try:
        return Service.open(settings, use_llm=use_llm, records=records)
    except USER_ERRORS as exc:
        raise fail(str(exc)) from exc


def writable(out: Path) -> Path:
    """A file an export can be written to, checked before any work, so a failed command leaves nothing behind."""
    if out.is_dir():
        raise fail(f"{out} is a folder; give a file name, e.g. --out {out / 'export'}", code=2)
    if not out.parent.is_dir():
        raise fail(f"the folder {out.parent} does not exist; create it or choose another --out", code=2)
    return out
