"""``tthc report --from --to``: dossiers received in a period, by status and timeliness."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report``."""
    parser = subparsers.add_parser(
        "report", help="figures of the dossiers received in a period (status, timeliness)"
    )
    parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--to", dest="end", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--db", help="the database URL (default: env TTHC_DATABASE_URL)")
    parser.add_argument("--csv", action="store_true", help="print CSV instead of a table")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the report."""
    from tthc_adapters.bootstrap import system_clock
    from tthc_adapters.staff._reports import make_report, report_csv, report_rows
    from tthc_adapters.storage import open_store

    store = open_store(args.db)
    try:
        report = make_report(store, start=args.start, end=args.end, at=system_clock())
    finally:
        store.close()
    if args.csv:
        sys.stdout.write(report_csv(report).removeprefix("\ufeff"))
        return 0
    for section, item, count in report_rows(report):
        print(f"{section:<16} {item:<40} {count:>8}")
    return 0
