"""``tthc db upgrade``: apply the storage schema's pending migrations."""

from __future__ import annotations

import argparse

from tthc_adapters.storage import (
    PostgresStore,
    SqliteStore,
    database_url,
    is_postgres_url,
    sqlite_path,
)
from tthc_core.errors import InvalidInput


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``db`` and its sub-commands."""
    parser = subparsers.add_parser("db", help="manage the database")
    commands = parser.add_subparsers(dest="db_command", required=True)
    upgrade = commands.add_parser("upgrade", help="apply pending schema migrations")
    upgrade.add_argument(
        "--url",
        help="the database: postgresql://..., sqlite:///path or a file path "
        "(default: env TTHC_DATABASE_URL, else ./tthc.sqlite3)",
    )
    upgrade.add_argument("--schema", default="tthc", help="the PostgreSQL schema (default: tthc)")
    upgrade.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace) -> int:
    """Apply pending migrations to the database and say which."""
    url: str = args.url or database_url()
    store: PostgresStore | SqliteStore
    if is_postgres_url(url):
        store = PostgresStore(url, schema=args.schema, upgrade=False)
    elif url == "memory:":
        raise InvalidInput("an in-memory store has no schema to upgrade: give a file or a server")
    else:
        store = SqliteStore(sqlite_path(url), upgrade=False)
    try:
        applied = store.upgrade()
    finally:
        store.close()
    done = f"applied migrations {', '.join(map(str, applied))}" if applied else "up to date"
    print(f"{url}: {done}")
    return 0
