"""Checks made before a store is opened, so a bad ``--db`` fails in one clear line.

Without them a missing folder ends in ``sqlite3.OperationalError: unable to
open database file`` and a wrong server address in a pool that retries for
thirty seconds before a ``PoolTimeout`` traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

from tthc_core.errors import InvalidInput

__all__ = ["StoreUnavailable", "check_postgres", "check_sqlite_path"]

#: Seconds to wait for a PostgreSQL server before giving up.
CONNECT_TIMEOUT = 5


class StoreUnavailable(InvalidInput):
    """The configured database cannot be opened (the reason says why and what to do)."""


def check_sqlite_path(path: str) -> Path:
    """The absolute path of a SQLite file whose folder exists and is writable.

    Raises:
        StoreUnavailable: Naming the folder and how the URL was read.
    """
    given = Path(path)
    resolved = given if given.is_absolute() else Path.cwd() / given
    how = (
        ""
        if given.is_absolute()
        else (
            f" (the path {path!r} is relative to {Path.cwd()}; "
            "write sqlite:////absolute/path with four slashes for an absolute one)"
        )
    )
    folder = resolved.parent
    if not folder.is_dir():
        raise StoreUnavailable(
            f"cannot open the SQLite database {resolved}: folder {folder} does not exist{how}"
        )
    if resolved.is_dir():
        raise StoreUnavailable(f"cannot open the SQLite database {resolved}: it is a folder")
    writable = (
        os.access(resolved, os.W_OK) if resolved.exists() else os.access(folder, os.W_OK | os.X_OK)
    )
    if not writable:
        what = resolved if resolved.exists() else folder
        raise StoreUnavailable(
            f"cannot open the SQLite database {resolved}: {what} is not writable by this user{how}"
        )
    return resolved


def check_postgres(dsn: str) -> None:
    """Connect once to the server a DSN names.

    Raises:
        StoreUnavailable: With the server's or the driver's one-line reason.
    """
    import psycopg

    try:
        psycopg.connect(dsn, connect_timeout=CONNECT_TIMEOUT).close()
    except (psycopg.Error, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise StoreUnavailable(f"cannot connect to the PostgreSQL database: {reason}") from None
