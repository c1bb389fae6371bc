"""``tthc open311 key add|list|revoke``: API keys of Open311 client applications.

An administrator issues one key per client application (a city portal, a
citizen app) that may post reports (GeoReport v2 ``POST requests``). The key
is printed once; the database keeps only its SHA-256 digest
(:mod:`tthc_adapters.app._open311._keys`).
"""

from __future__ import annotations

import argparse
import datetime as dt

from tthc_adapters.app._open311 import issue_key, revoke_key
from tthc_adapters.storage import open_store
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``open311`` and its sub-commands."""
    parser = subparsers.add_parser("open311", help="manage Open311 client applications")
    groups = parser.add_subparsers(dest="open311_command", required=True)
    key = groups.add_parser("key", help="API keys of client applications")
    commands = key.add_subparsers(dest="key_command", required=True)
    for name, help_text, handler in (
        ("add", "issue a key to a client application (printed once)", _add),
        ("revoke", "revoke a client application's key", _revoke),
        ("list", "list client applications (never their keys)", _list),
    ):
        command = commands.add_parser(name, help=help_text)
        if name != "list":
            command.add_argument("name", help="the application's name (a-z 0-9 . _ -)")
        command.add_argument(
            "--db",
            help="the database: postgresql://..., sqlite:///path or a file path "
            "(default: env TTHC_DATABASE_URL, else ./tthc.sqlite3)",
        )
        command.set_defaults(handler=handler)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _store(args: argparse.Namespace) -> Store:
    if args.db == "memory:":
        raise InvalidInput("keys in an in-memory store would vanish: give a database")
    return open_store(args.db)


def _add(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        key = issue_key(store, args.name, at=_now())
    finally:
        store.close()
    print(f"API key for {args.name} (shown once; only its hash is stored):")
    print(key)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        revoke_key(store, args.name, at=_now())
    finally:
        store.close()
    print(f"{args.name}: key revoked")
    return 0


def _list(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        with store.unit_of_work() as uow:
            clients = uow.open311.clients()
    finally:
        store.close()
    for client in clients:
        state = "active" if client.active else f"revoked {client.revoked_at:%Y-%m-%d}"
        print(f"{client.name}\tissued {client.created_at:%Y-%m-%d}\t{state}")
    return 0
