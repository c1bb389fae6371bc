"""``tthc docs-rules``: write (or check) the page "Rules and their sources"."""

from __future__ import annotations

import argparse
from pathlib import Path

from tthc_core.rulebook import rules_markdown


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``docs-rules``."""
    parser = subparsers.add_parser(
        "docs-rules", help="write docs/rules.md from the rule tables (or --check it)"
    )
    parser.add_argument("--output", default="docs/rules.md", help="the page (default: %(default)s)")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the page differs from the rule tables"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the page, or compare it with the rule tables."""
    path = Path(args.output)
    text = rules_markdown()
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is out of date: run `tthc docs-rules`")
            return 1
        print(f"{path} is up to date")
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path}")
    return 0
