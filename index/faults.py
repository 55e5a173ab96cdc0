"""Storage faults: every failure of the index's storage becomes one clear error saying what to do."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path


class StoreUnavailableError(RuntimeError):
    """The Chroma server cannot be reached, or the index files cannot be read or written.

    The message says what happened and what to do; nothing has been lost when it is raised.
    """


class IndexMismatchError(StoreUnavailableError):
    """The index was built with another embedding model or schema: it must be rebuilt.
    (A kind of unavailable index, so a running app that reopens a rebuilt index says so.)"""


def is_store_failure(exc: BaseException) -> bool:
    """Whether `exc` comes from the index's storage (Chroma, its SQLite file, its server)."""
    import httpx

    if isinstance(exc, StoreUnavailableError | sqlite3.Error | httpx.TransportError):
        return True
    if isinstance(exc, OSError) and exc.errno in {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS}:
        return True
    return type(exc).__module__.split(".")[0] == "chromadb"


def unavailable(exc: BaseException, data_dir: Path | None, chroma_url: str | None) -> StoreUnavailableError:
    """A StoreUnavailableError that says what went wrong and what to do about it."""
    if isinstance(exc, StoreUnavailableError):
        return exc
    reason = str(exc).strip() or type(exc).__name__
    if chroma_url:
        return StoreUnavailableError(
            f"Cannot open the index at {chroma_url}: the Chroma server did not answer ({reason}). "
            "Check that `chroma run` is up; nothing was lost, and questions work again once it is back."
        )
    where = f"Cannot open the index at {data_dir}"
    if "disk is full" in reason or getattr(exc, "errno", None) in {errno.ENOSPC, errno.EDQUOT}:
        return StoreUnavailableError(
            f"{where}: the disk is full ({reason}). Nothing already indexed was changed: "
            "free some space and run it again."
        )
    return StoreUnavailableError(
        f"{where}: its files cannot be read ({reason}). Rebuild it with `lmcs ingest --rebuild`: it re-reads "
        "every document it can still list, and if it cannot list them it keeps the damaged folder aside "
        "(not deleted) and starts from the corpus; add your own files again with `lmcs ingest FILE`."
    )
