"""Versioned SQL migrations, applied at start-up and by ``tthc db upgrade``.

Migrations are files ``migrations/<dialect>/NNNN_name.sql``; the table
``schema_migrations`` records those applied. Each back-end applies pending
ones in one transaction under its write lock (SQLite) or an advisory lock
(PostgreSQL), so several processes starting at once apply each exactly once.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
from collections.abc import Callable
from typing import Any

import attrs

from tthc_adapters.storage._dialect import Dialect
from tthc_core.errors import TthcError

__all__ = ["Migration", "SchemaTooNew", "apply_migrations", "migrations"]


class SchemaTooNew(TthcError):  # noqa: N818 - reads best at call sites
    """The database was upgraded by a newer tthc than this one."""


@attrs.frozen
class Migration:
    """One versioned SQL script.

    Args:
        version: Its number (the file name's prefix).
        name: The rest of the file name.
        sql: The script.
    """

    version: int
    name: str
    sql: str


def migrations(dialect: str) -> list[Migration]:
    """The migrations of a dialect (``"sqlite"`` or ``"postgres"``), in order."""
    folder = importlib.resources.files("tthc_adapters.storage.migrations") / dialect
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, name = entry.name.removesuffix(".sql").partition("_")
            found.append(Migration(int(number), name, entry.read_text(encoding="utf-8")))
    return sorted(found, key=lambda m: m.version)


def apply_migrations(
    conn: Any, dialect: Dialect, *, run_script: Callable[[str], None], now: dt.datetime
) -> list[int]:
    """Apply pending migrations on ``conn``, inside the caller's locked transaction.

    Args:
        conn: A DB-API connection in an open transaction.
        dialect: Its dialect.
        run_script: Runs a multi-statement script on ``conn``.
        now: The time recorded for each migration.

    Returns:
        The versions applied now.

    Raises:
        SchemaTooNew: If the database has a migration this tthc does not know.
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations"
        " (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)"
    )
    applied = {int(v) for (v,) in conn.execute("SELECT version FROM schema_migrations")}
    known = migrations(dialect.name)
    unknown = applied - {m.version for m in known}
    if unknown:
        raise SchemaTooNew(
            f"the database has schema version {max(unknown)}, newer than this tthc knows "
            f"({known[-1].version if known else 0}); upgrade tthc before using it"
        )
    done = []
    for migration in known:
        if migration.version in applied:
            continue
        run_script(migration.sql)
        conn.execute(
            dialect.q(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (%s, %s, %s)"
            ),
            (migration.version, migration.name, now.isoformat()),
        )
        done.append(migration.version)
    return done
