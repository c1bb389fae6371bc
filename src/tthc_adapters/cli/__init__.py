"""The ``tthc`` command line.

Each sub-command lives in its own module with a ``register(subparsers)``
function that adds its parser and sets ``handler`` (a callable taking the
parsed namespace and returning the exit status).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence

from tthc_core.errors import TthcError

__all__ = ["main"]

# Sub-command modules, in the order `tthc --help` lists them.
_SUBCOMMANDS = (
    "demo",
    "serve",
    "worker",
    "inbox",
    "db",
    "receipt",
    "calendar",
    "docs_rules",
    "user",
    "catalog",
    "report",
    "open311",
    "portal",
    "zalo",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="tthc",
        description="One-stop administrative-procedure dossiers over chat (tthc).",
    )
    subparsers = parser.add_subparsers(dest="command", required=True)
    for name in _SUBCOMMANDS:
        module = importlib.import_module(f"tthc_adapters.cli._{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (also used as the console script)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except TthcError as exc:
        print(f"tthc: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
