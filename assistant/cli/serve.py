"""`lmcs serve`: the chat UI and its HTTP API."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from assistant.cli.common import ChromaUrl, DataDir, fail, open_service, settings_for

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TEMP_PREFIX = "lmcs-serve-"


@contextmanager
def private_temp_dir() -> Iterator[Path]:
    """A temp folder for this server alone (0700), removed when it stops.

    Gradio keeps uploads and the files a page downloads (exported conversations, handouts) in
    `GRADIO_TEMP_DIR`, by default `/tmp/gradio`, readable by any local account and kept after
    the server stops (docs/data-protection.md says they are not). Everything else this process
    puts in a temp folder goes here too (`tempfile.tempdir`). Folders left by a server that was
    killed (its pid in the name, no such process) are removed at the next start.
    """
    base = Path(tempfile.gettempdir())
    for stale in base.glob(f"{TEMP_PREFIX}*"):
        pid = stale.name.removeprefix(TEMP_PREFIX).split("-")[0]
        if pid.isdigit() and stale.is_dir() and stale.stat().st_uid == os.getuid() and not _alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-"))  # mkdtemp: mode 0700
    os.environ["GRADIO_TEMP_DIR"] = str(folder / "gradio")  # read when gradio is imported: before that
    tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = None
        shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_on_sigterm() -> None:
    """SIGTERM (systemd, docker stop, `kill`) stops the server as Ctrl+C does: Gradio closes and
    the temp folder is removed, instead of the process dying where it stands."""

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind [env LMCS_HOST; default 127.0.0.1]")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env LMCS_PORT; default 7860]")] = None,
    data_dir: DataDir = None,
    chroma_url: ChromaUrl = None,
    behind_https: Annotated[
        bool,
        typer.Option(
            "--behind-https",
            help="Users reach the server over HTTPS (a TLS proxy in front): session cookies are marked Secure "
            "[env LMCS_HTTPS=1]",
        ),
    ] = False,
    ssl_certfile: Annotated[Path | None, typer.Option(help="Serve HTTPS directly: the certificate (PEM)")] = None,
    ssl_keyfile: Annotated[Path | None, typer.Option(help="Serve HTTPS directly: the private key (PEM)")] = None,
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
    if (ssl_certfile is None) != (ssl_keyfile is None):
        raise fail("HTTPS needs both --ssl-certfile and --ssl-keyfile", code=2)
    https = behind_https or settings.https or ssl_certfile is not None
    _stop_on_sigterm()
    with private_temp_dir():
        service = open_service(settings, records=records)
        service.prepare()  # the first user's question does not wait for what every question needs
        from assistant.web.app import ChatUI, launch  # gradio is imported here, after GRADIO_TEMP_DIR is set

        ui = ChatUI(service, login=users > 0)
        access = f"login required ({users} users)" if users else "local only, no login"
        scheme = "https" if ssl_certfile else "http"
        typer.echo(f"LMCS Assistant on {scheme}://{bind}:{settings.port} — {access}")
        launch(
            ui,
            bind,
            settings.port,
            https=https,
            ssl_certfile=str(ssl_certfile) if ssl_certfile else None,
            ssl_keyfile=str(ssl_keyfile) if ssl_keyfile else None,
        )
