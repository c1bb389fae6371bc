"""``tthc portal status|dead-letters|resend|pull``: the national-portal sync, for administrators.

* ``status``: pending, due and dead-lettered items per target;
* ``dead-letters``: each dead letter with its attempts, last error and the
  classifier version that judged it;
* ``resend``: re-drive dead letters (all, or one dossier's); a dossier with no
  item is queued again (a push by code, like Thanh Hóa's ``PushDataByMaHoSo``);
* ``pull``: fetch the dossiers submitted on the portal once (target from
  ``TTHC_PORTAL_*``): stored in the inbox, then acknowledged; the inbox worker
  takes them into the intake queue.

The ledger lives in the store's database, SQLite or PostgreSQL (migrations 0007, 0013).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager

from tthc_adapters.portal import PortalSettings, ledger_for
from tthc_adapters.storage import database_url, open_store
from tthc_core.calendar import VN_TZ
from tthc_core.desk import pull_portal
from tthc_core.errors import InvalidInput
from tthc_core.portal import ItemState, SyncLedger
from tthc_core.storage import Store


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``portal`` and its sub-commands."""
    parser = subparsers.add_parser("portal", help="national portal (DVCQG) synchronisation")
    commands = parser.add_subparsers(dest="portal_command", required=True)
    for name, help_text, handler in (
        ("status", "pending, due and dead-lettered items", run_status),
        ("dead-letters", "list dead letters with their errors", run_dead_letters),
        ("resend", "re-drive dead letters (or queue one dossier again)", run_resend),
        ("pull", "fetch dossiers submitted on the portal once (TTHC_PORTAL_*)", run_pull),
    ):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--url", help="the database (default: env TTHC_DATABASE_URL)")
        sub.add_argument("--target", default="dvcqg", help="the portal target (default: dvcqg)")
        if name == "resend":
            sub.add_argument("--dossier", help="only this dossier code")
        sub.set_defaults(handler=handler)


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[tuple[Store, SyncLedger]]:
    url: str = args.url or database_url()
    if url == "memory:":
        raise InvalidInput("an in-memory database holds no ledger; give the service's database")
    store = open_store(url)  # applies pending migrations (0007 and 0013 hold the ledger)
    ledger = ledger_for(store)
    try:
        yield store, ledger
    finally:
        close = getattr(ledger, "close", None)
        if close is not None:
            close()
        store.close()


@contextmanager
def _ledger(args: argparse.Namespace) -> Iterator[SyncLedger]:
    with _opened(args) as (_, ledger):
        yield ledger


def _now() -> dt.datetime:
    return dt.datetime.now(VN_TZ)


def run_status(args: argparse.Namespace) -> int:
    """Print the counts for the target."""
    with _ledger(args) as ledger:
        items = ledger.items(args.target)
        due = ledger.due(args.target, _now(), 1_000_000)
    dead = sum(i.state is ItemState.DEAD for i in items)
    print(f"{args.target}: {len(items) - dead} pending ({len(due)} due now), {dead} dead letters")
    return 0


def run_dead_letters(args: argparse.Namespace) -> int:
    """List the dead letters; exit status 1 if there are any."""
    with _ledger(args) as ledger:
        dead = [i for i in ledger.items(args.target) if i.state is ItemState.DEAD]
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
    now = _now()
    with _ledger(args) as ledger:
        count = ledger.redrive(args.target, args.dossier, now)
        queued = False
        if args.dossier and count == 0:
            queued = ledger.enqueue(args.dossier, args.target, now)
    if args.dossier and count == 0:
        print(f"{args.dossier}: {'queued' if queued else 'already pending'} for {args.target}")
    else:
        print(f"{args.target}: {count} dead letter(s) re-driven")
    return 0


def run_pull(args: argparse.Namespace) -> int:
    """Fetch once; exit status 1 if an acknowledgement was lost or a listing refused."""
    settings = PortalSettings.from_env(os.environ)
    if settings is None:
        raise InvalidInput("no portal target: set TTHC_PORTAL_URL and the other TTHC_PORTAL_*")
    portal = settings.client(_now)
    try:
        with _opened(args) as (store, ledger):
            report = pull_portal(
                portal, store.inbox_queue, ledger, target=settings.target, now=_now()
            )
    finally:
        portal.close()
    print(
        f"{settings.target}: {report.fetched} listed, {report.new} new, "
        f"{report.acknowledged} acknowledged, {report.unacknowledged} unacknowledged, "
        f"{report.refused} refused"
    )
    for error in report.errors:
        print(f"refused: {error}")
    return 1 if report.unacknowledged or report.refused else 0
