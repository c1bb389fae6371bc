"""``tthc inbox``: what the inbox holds, the events parked with their reason, and retrying them.

An inbound event the inbox worker cannot handle is parked, never dropped
(:mod:`tthc_core.storage._inbox`); a person looks at it here and, once the
cause is fixed, puts it back::

    tthc inbox status                  # pending, handled, parked
    tthc inbox parked                  # id, source, event id, attempts, reason
    tthc inbox retry 17 18             # due again now
"""

from __future__ import annotations

import argparse

from tthc_adapters.bootstrap import system_clock
from tthc_adapters.storage import open_store

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``inbox`` and its sub-commands."""
    parser = subparsers.add_parser("inbox", help="inspect the inbox; retry parked events")
    parser.add_argument(
        "--db", help="the database URL (default: env TTHC_DATABASE_URL, else ./tthc.sqlite3)"
    )
    commands = parser.add_subparsers(dest="inbox_command", required=True)
    commands.add_parser("status", help="how many events are pending, handled and parked")
    parked = commands.add_parser("parked", help="the parked events and why")
    parked.add_argument("--limit", type=int, default=100, help="at most this many (default 100)")
    retry = commands.add_parser("retry", help="put parked events back in the queue")
    retry.add_argument("ids", type=int, nargs="+", help="the ids `tthc inbox parked` shows")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run one inbox sub-command; 1 if a retry named an event that is not parked."""
    store = open_store(args.db, clock=system_clock)
    try:
        queue = store.inbox_queue
        if args.inbox_command == "status":
            counts = queue.counts()
            print(f"pending {counts.pending}, handled {counts.handled}, parked {counts.parked}")
            return 0
        if args.inbox_command == "parked":
            for event in queue.parked(limit=args.limit):
                received = event.event.received_at.isoformat()
                print(
                    f"{event.id}\t{event.event.source}\t{event.event.event_id}\t{received}"
                    f"\t{event.attempts} attempt(s)\t{event.error}"
                )
            return 0
        missing = [id_ for id_ in args.ids if not queue.retry(id_, at=system_clock())]
        for id_ in missing:
            print(f"event {id_} is not parked (handled, pending, or no such id)")
        return 1 if missing else 0
    finally:
        store.close()
