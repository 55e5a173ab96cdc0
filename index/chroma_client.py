"""Opening Chroma: an embedded PersistentClient in the data dir, or an HttpClient for a `chroma run` server,
and the workarounds Chroma's per-process caches need when a folder is damaged or rebuilt."""

from __future__ import annotations

import time
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlparse

from index.faults import unavailable


def make_client(data_dir: Path, chroma_url: str | None = None):  # type: ignore[no-untyped-def]
    """An embedded PersistentClient under `data_dir`, or an HttpClient for `chroma_url`."""
    from index import go_offline

    go_offline()  # telemetry off before chromadb is imported
    import chromadb

    settings = chromadb.Settings(anonymized_telemetry=False)
    try:
        if chroma_url:
            url = urlparse(chroma_url)
            return chromadb.HttpClient(
                host=url.hostname or "127.0.0.1",
                port=url.port or 8000,
                ssl=url.scheme == "https",
                settings=settings,
            )
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(Path(data_dir) / "chroma"), settings=settings)
    except Exception as exc:  # chromadb raises bare ValueError/ConnectError/RuntimeError
        if not chroma_url:
            drop_cached_system(Path(data_dir) / "chroma")
        raise unavailable(exc, Path(data_dir), chroma_url) from exc


# data dir → how many times this process has reopened its embedded Chroma there. A store that
# opened under an older count holds a client of a stopped system and must open again.
_EPOCHS: dict[str, int] = {}


def client_epoch(data_dir: Path | None) -> int:
    return _EPOCHS.get(str(data_dir), 0)


def reopen_client(data_dir: Path):  # type: ignore[no-untyped-def]
    """A fresh embedded client for `data_dir`, for every store of this process: an embedded
    Chroma keeps each collection's vectors in memory and never sees what another process
    added to them until it opens the folder again (it then replays their log: ~20 ms)."""
    drop_cached_system(Path(data_dir) / "chroma")
    _EPOCHS[str(data_dir)] = client_epoch(data_dir) + 1
    return make_client(data_dir)


def drop_cached_system(path: Path) -> None:
    """Chroma caches one "system" per folder per process and hands it to every new client
    for that folder. Two cases make the cached one useless: starting it failed (chromadb 1.5
    caches it before `start()`), or the folder was deleted and rebuilt under it. Then every
    later client for the folder in this process would fail; drop (and stop) the stale one."""
    with suppress(Exception):
        from chromadb.api.shared_system_client import SharedSystemClient

        system = SharedSystemClient._identifier_to_system.pop(str(path), None)
        SharedSystemClient._identifier_to_refcount.pop(str(path), None)
        if system is not None:
            with suppress(Exception):
                system.stop()


def set_aside(data_dir: Path) -> Path | None:
    """Rename an embedded index folder that cannot be opened, so a rebuild starts clean and
    the damaged files are still there to inspect. Returns the new name, or None if absent."""
    folder = Path(data_dir) / "chroma"
    if not folder.exists():
        return None
    target = folder.with_name(f"chroma.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
    folder.rename(target)
    return target


def file_id(path: Path | None) -> tuple[int, int] | None:
    try:
        st = path.stat() if path is not None else None
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino) if st else None
