"""``tthc user add|token|disable|revoke``: staff accounts and their JSON API tokens."""

from __future__ import annotations

import argparse
import getpass
import sys

from tthc_core.accounts import MIN_PASSWORD, Account, Role, check_username
from tthc_core.errors import InvalidInput

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``user``."""
    parser = subparsers.add_parser("user", help="manage staff accounts (needs tthc[server])")
    actions = parser.add_subparsers(dest="user_command", required=True)
    add = actions.add_parser("add", help="add a staff account")
    add.add_argument("username", help="login name: 3-32 of a-z 0-9 . _ -")
    add.add_argument("--name", required=True, help="the officer's full name")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--unit", required=True, help="the officer's unit, as dossiers name it")
    add.add_argument("--db", help="the database URL (default: env TTHC_DATABASE_URL)")
    add.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    add.set_defaults(handler=run_add)
    token = actions.add_parser("token", help="issue a JSON API token acting as an account")
    token.add_argument("username", help="the account the token acts as")
    token.add_argument("--label", required=True, help="what the token is for")
    token.add_argument("--db", help="the database URL (default: env TTHC_DATABASE_URL)")
    token.set_defaults(handler=run_token)
    disable = actions.add_parser(
        "disable", help="deactivate an account (ends its sessions, tokens)"
    )
    disable.add_argument("username")
    disable.add_argument("--db", help="the database URL (default: env TTHC_DATABASE_URL)")
    disable.set_defaults(handler=run_disable)
    revoke = actions.add_parser("revoke", help="revoke an API token by its id (tthc_<id>.…)")
    revoke.add_argument("token_id")
    revoke.add_argument("--db", help="the database URL (default: env TTHC_DATABASE_URL)")
    revoke.set_defaults(handler=run_revoke)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != password:
            raise InvalidInput("the two passwords differ")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD} characters")
    return password


def run_add(args: argparse.Namespace) -> int:
    """Hash the password (argon2id) and store the account."""
    from tthc_adapters.staff import PasswordHasher
    from tthc_adapters.storage import accounts_for, open_store

    username = check_username(args.username)
    password = _password(args.password_stdin)
    store = open_store(args.db)
    try:
        account = Account(
            username, args.name, Role(args.role), args.unit, PasswordHasher().hash(password)
        )
        accounts_for(store).add(account)
    finally:
        store.close()
    print(f"added {username} ({account.role.label_vi}, {account.unit})")
    return 0


def run_token(args: argparse.Namespace) -> int:
    """Issue a token; it is printed once and only its digest is stored."""
    from tthc_adapters.bootstrap import system_clock
    from tthc_adapters.staff import issue_token
    from tthc_adapters.storage import accounts_for, open_store, tokens_for

    store = open_store(args.db)
    try:
        account = accounts_for(store).get(args.username)
        if account is None:
            raise InvalidInput(f"no staff account {args.username!r}; add it with `tthc user add`")
        _, text = issue_token(tokens_for(store), account, label=args.label, at=system_clock())
    finally:
        store.close()
    print(text)
    return 0


def run_disable(args: argparse.Namespace) -> int:
    """Deactivate an account: its sessions and tokens stop at their next request."""
    import attrs

    from tthc_adapters.storage import accounts_for, open_store

    store = open_store(args.db)
    try:
        accounts = accounts_for(store)
        account = accounts.get(args.username)
        if account is None:
            raise InvalidInput(f"no staff account {args.username!r}")
        accounts.update(attrs.evolve(account, active=False))
    finally:
        store.close()
    print(f"disabled {args.username}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    """Revoke one API token."""
    from tthc_adapters.storage import open_store, tokens_for

    store = open_store(args.db)
    try:
        token_id = args.token_id.removeprefix("tthc_").split(".", 1)[0]
        if not tokens_for(store).revoke(token_id):
            raise InvalidInput(f"no API token {token_id!r}")
    finally:
        store.close()
    print(f"revoked {token_id}")
    return 0
