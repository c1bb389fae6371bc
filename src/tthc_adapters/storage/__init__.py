"""Storage adapters: in memory, SQLite (the embedded default) and PostgreSQL.

All three implement the ports of :mod:`tthc_core.storage` and pass the suite
of :mod:`tthc_core.testing.contracts`. Pick one with :func:`open_store`::

    store = open_store("sqlite:////var/lib/tthc/tthc.sqlite3")  # four slashes: absolute
    store = open_store("postgresql://tthc@db:5432/tthc", schema="tthc")
"""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from tthc_adapters.storage._accounts import (
    MemoryAccounts,
    SqlAccounts,
    accounts_for,
    attributed_unit_of_work,
)
from tthc_adapters.storage._api_tokens import MemoryApiTokens, SqlApiTokens, tokens_for
from tthc_adapters.storage._clock import utc_now
from tthc_adapters.storage._inbox_worker import run_inbox_worker
from tthc_adapters.storage._memory import MemoryStore
from tthc_adapters.storage._migrations import Migration, SchemaTooNew, migrations
from tthc_adapters.storage._opening import StoreUnavailable, check_postgres, check_sqlite_path
from tthc_adapters.storage._outbox_worker import run_outbox_worker, worker_name
from tthc_adapters.storage._postgres import PostgresStore
from tthc_adapters.storage._sqlite import SqliteStore
from tthc_core.storage import Store

__all__ = [
    "DEFAULT_URL",
    "MemoryAccounts",
    "MemoryApiTokens",
    "MemoryStore",
    "Migration",
    "PostgresStore",
    "SchemaTooNew",
    "SqlAccounts",
    "SqlApiTokens",
    "SqliteStore",
    "StoreUnavailable",
    "accounts_for",
    "attributed_unit_of_work",
    "database_url",
    "is_postgres_url",
    "migrations",
    "open_store",
    "run_inbox_worker",
    "run_outbox_worker",
    "sqlite_path",
    "tokens_for",
    "utc_now",
    "worker_name",
]

#: The store used when nothing is configured: a SQLite file in the current directory.
DEFAULT_URL = "sqlite:///tthc.sqlite3"


def database_url() -> str:
    """The configured database: env ``TTHC_DATABASE_URL``, else :data:`DEFAULT_URL`."""
    return os.environ.get("TTHC_DATABASE_URL") or DEFAULT_URL


def open_store(url: str | None = None, **options: Any) -> Store:
    """Open the store a URL names (applying pending migrations).

    Args:
        url: ``postgresql://...`` (or ``postgres://``), ``sqlite:///path``
            (``sqlite:////abs/path`` for an absolute path), ``memory:``, or a
            plain file path (SQLite). Default: :func:`database_url`.
        options: Passed to the store (``clock``, ``schema`` for PostgreSQL...).

    Raises:
        StoreUnavailable: In one line, if the URL's scheme is unknown, the
            SQLite file's folder is missing or not writable, or the server
            cannot be reached.
    """
    url = url or database_url()
    if is_postgres_url(url):
        check_postgres(url)
        return PostgresStore(url, **options)
    if url == "memory:":
        return MemoryStore(**options)
    if "://" in url and not url.startswith("sqlite:"):
        raise StoreUnavailable(
            f"unknown database URL {url!r}: use postgresql://..., sqlite:///relative/path, "
            "sqlite:////absolute/path, memory: or a file path"
        )
    path = check_sqlite_path(sqlite_path(url))
    try:
        return SqliteStore(path, **options)
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"cannot open the SQLite database {path}: {exc}") from None


def is_postgres_url(url: str) -> bool:
    """Whether ``url`` names a PostgreSQL database."""
    return url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> str:
    """The file path of a ``sqlite:///path`` URL (or of a plain path)."""
    return url.removeprefix("sqlite:///").removeprefix("sqlite:")
