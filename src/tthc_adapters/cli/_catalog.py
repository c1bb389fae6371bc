"""``tthc catalog import``: load procedures (CSV or JSON) into the store's catalogue."""

from __future__ import annotations

import argparse
from pathlib import Path

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``catalog``."""
    parser = subparsers.add_parser("catalog", help="manage the procedure catalogue")
    actions = parser.add_subparsers(dest="catalog_command", required=True)
    imp = actions.add_parser(
        "import", help="add or replace procedures from a .csv or .json file (or --sample)"
    )
    imp.add_argument("file", type=Path, nargs="?", help="the catalogue file")
    imp.add_argument(
        "--sample", action="store_true", help="import the shipped sample of commune procedures"
    )
    imp.add_argument("--db", help="the database URL (default: env TTHC_DATABASE_URL)")
    imp.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace) -> int:
    """Read every row first (all or nothing), then store them in one unit of work."""
    from tthc_adapters.catalogue_io import load_catalogue, sample_catalogue
    from tthc_adapters.storage import open_store

    if (args.file is None) == (not args.sample):
        print("tthc catalog import: give a file or --sample (not both)")
        return 2
    procedures = sample_catalogue() if args.sample else load_catalogue(args.file)
    store = open_store(args.db)
    try:
        with store.unit_of_work() as uow:
            for procedure in procedures:
                uow.catalogue.put(procedure)
            uow.commit()
    finally:
        store.close()
    print(f"imported {len(procedures)} procedures")
    return 0
