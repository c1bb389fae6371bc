"""``tthc portal status|dead-letters|resend``: the national-portal sync, for administrators.

* ``status``: pending, due and dead-lettered items per target;
* ``dead-letters``: each dead letter with its attempts, last error and the
  classifier version that judged it;
* ``resend``: re-drive dead letters (all, or one dossier's); a dossier with no
  item is queued again (a push by code, like Thanh Hóa's ``PushDataByMaHoSo``).

The ledger is the SQLite one (migration 0007); PostgreSQL is not wired yet.
"""

from __future__ import annotations

import argparse
import datetime as dt

from tthc_adapters.portal import SqliteLedger
from tthc_adapters.storage import SqliteStore, database_url, is_postgres_url, sqlite_path
from tthc_core.calendar import VN_TZ
from tthc_core.errors import InvalidInput
from tthc_core.portal import ItemState


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``portal`` and its sub-commands."""
    parser = subparsers.add_parser("portal", help="national portal (DVCQG) synchronisation")
    commands = parser.add_subparsers(dest="portal_command", required=True)
    for name, help_text, handler in (
        ("status", "pending, due and dead-lettered items", run_status),
        ("dead-letters", "list dead letters with their errors", run_dead_letters),
        ("resend", "re-drive dead letters (or queue one dossier again)", run_resend),
    ):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--url", help="the SQLite database (default: env TTHC_DATABASE_URL)")
        sub.add_argument("--target", default="dvcqg", help="the portal target (default: dvcqg)")
        if name == "resend":
            sub.add_argument("--dossier", help="only this dossier code")
        sub.set_defaults(handler=handler)


def _ledger(args: argparse.Namespace) -> SqliteLedger:
    url: str = args.url or database_url()
    if is_postgres_url(url) or url == "memory:":
        raise InvalidInput("the portal sync ledger is stored in SQLite only for now; give a file")
    path = sqlite_path(url)
    SqliteStore(path).close()  # applies pending migrations (0007 holds the ledger)
    return SqliteLedger(path)


def _now() -> dt.datetime:
    return dt.datetime.now(VN_TZ)


def run_status(args: argparse.Namespace) -> int:
    """Print the counts for the target."""
    ledger = _ledger(args)
    try:
        items = ledger.items(args.target)
        due = ledger.due(args.target, _now(), 1_000_000)
    finally:
        ledger.close()
    dead = sum(i.state is ItemState.DEAD for i in items)
    print(f"{args.target}: {len(items) - dead} pending ({len(due)} due now), {dead} dead letters")
    return 0


def run_dead_letters(args: argparse.Namespace) -> int:
    """List the dead letters; exit status 1 if there are any."""
    ledger = _ledger(args)
    try:
        dead = [i for i in ledger.items(args.target) if i.state is ItemState.DEAD]
    finally:
        ledger.close()
    for item in dead:
        print(
            f"{item.dossier}\tattempts={item.attempts}\tclassifier={item.classifier_version}"
            f"\t{item.last_error}"
        )
    if not dead:
        print(f"{args.target}: no dead letters")
    return 1 if dead else 0


def run_resend(args: argparse.Namespace) -> int:
    """Re-drive dead letters, or queue one dossier again."""
    ledger = _ledger(args)
    now = _now()
    try:
        count = ledger.redrive(args.target, args.dossier, now)
        queued = False
        if args.dossier and count == 0:
            queued = ledger.enqueue(args.dossier, args.target, now)
    finally:
        ledger.close()
    if args.dossier and count == 0:
        print(f"{args.dossier}: {'queued' if queued else 'already pending'} for {args.target}")
    else:
        print(f"{args.target}: {count} dead letter(s) re-driven")
    return 0
