"""`lmcs serve`: the chat UI and its HTTP API."""

from __future__ import annotations

from typing import Annotated

import typer

from assistant.cli.common import ChromaUrl, DataDir, fail, open_service, settings_for

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind [env LMCS_HOST; default 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env LMCS_PORT; default 7860]")] = None,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
) -> None:
    """Serve the chat UI. With no users in the records database it binds to 127.0.0.1 only."""
    import socket

    from assistant.cli.common import require_index
    from assistant.service import open_records

    settings = settings_for(data_dir, chroma_url, host=host, port=port)
    require_index(settings)
    # Say so plainly, before anything is opened or created, if the port is taken (on any interface
    # the server may bind: loopback always, the configured host too).
    for where in dict.fromkeys(["127.0.0.1", settings.host]):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((where, settings.port))
            except OSError as exc:
                message = f"port {settings.port} on {where} is in use ({exc.strerror}); choose another: --port N"
                raise fail(message, code=2) from exc
    records = open_records(settings)
    users = records.users.count()
    bind = settings.host
    if not users and bind not in LOOPBACK:
        typer.secho(
            f"No users exist (add one: lmcs user add NAME), so login is off and the UI binds to 127.0.0.1 only, "
            f"not {bind}.",
            fg=typer.colors.YELLOW,
        )
        bind = "127.0.0.1"
    service = open_service(settings, records=records)
    from assistant.web.app import ChatUI, launch

    ui = ChatUI(service, login=users > 0)
    access = f"login required ({users} users)" if users else "local only, no login"
    typer.echo(f"LMCS Assistant on http://{bind}:{settings.port} — {access}")
    launch(ui, bind, settings.port)
