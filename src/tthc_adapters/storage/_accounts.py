"""Staff accounts (:class:`tthc_core.accounts.Accounts`) in memory, SQLite and PostgreSQL.

The SQL adapter serves both back-ends through the store's own unit of work
(one short transaction per call, table ``staff_accounts`` of migration 0004);
:func:`accounts_for` picks the adapter that fits a store.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from tthc_adapters.storage._memory import MemoryStore
from tthc_adapters.storage._sql import SqlUnitOfWork
from tthc_adapters.storage._uow import UnitOfWorkBase
from tthc_core.accounts import Account, AccountExists, Accounts, Role
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store, UnitOfWork

__all__ = ["MemoryAccounts", "SqlAccounts", "accounts_for", "attributed_unit_of_work"]

_COLUMNS = "username, display_name, role, unit, password_hash, failed_logins, locked_until, active"


def _missing(username: str) -> InvalidInput:
    return InvalidInput(f"no staff account {username!r}; add it with `tthc user add`")


class MemoryAccounts:
    """Accounts in this process's memory (tests, demos)."""

    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._lock = threading.Lock()

    def get(self, username: str) -> Account | None:
        """The account with this user name."""
        return self._accounts.get(username)

    def add(self, account: Account) -> None:
        """Store a new account (raises :class:`AccountExists` if the name is taken)."""
        with self._lock:
            if account.username in self._accounts:
                raise AccountExists(f"a staff account {account.username!r} already exists")
            self._accounts[account.username] = account

    def update(self, account: Account) -> None:
        """Replace the stored account."""
        with self._lock:
            if account.username not in self._accounts:
                raise _missing(account.username)
            self._accounts[account.username] = account

    def all(self) -> list[Account]:
        """Every account, by user name."""
        return [self._accounts[name] for name in sorted(self._accounts)]


class SqlAccounts:
    """Accounts in the ``staff_accounts`` table of a SQLite or PostgreSQL store.

    Args:
        store: The store (its units of work must be SQL ones).
    """

    def __init__(self, store: Store) -> None:
        self._store = store

    def _uow(self) -> SqlUnitOfWork:
        uow = self._store.unit_of_work()
        if not isinstance(uow, SqlUnitOfWork):
            raise InvalidInput("SqlAccounts needs a SQLite or PostgreSQL store")
        return uow

    def get(self, username: str) -> Account | None:
        """The account with this user name."""
        with self._uow() as uow:
            row = uow.x(
                f"SELECT {_COLUMNS} FROM staff_accounts WHERE username = %s",  # noqa: S608
                (username,),
            ).fetchone()
            return None if row is None else _account(uow, row)

    def add(self, account: Account) -> None:
        """Store a new account (raises :class:`AccountExists` if the name is taken)."""
        with self._uow() as uow:
            cursor = uow.x(
                f"INSERT INTO staff_accounts ({_COLUMNS}) VALUES"  # noqa: S608 - fixed text
                " (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (username) DO NOTHING",
                _row(uow, account),
            )
            if cursor.rowcount != 1:
                raise AccountExists(f"a staff account {account.username!r} already exists")
            uow.commit()

    def update(self, account: Account) -> None:
        """Replace the stored account."""
        with self._uow() as uow:
            _, *values = _row(uow, account)
            cursor = uow.x(
                "UPDATE staff_accounts SET display_name = %s, role = %s, unit = %s,"
                " password_hash = %s, failed_logins = %s, locked_until = %s, active = %s"
                " WHERE username = %s",
                (*values, account.username),
            )
            if cursor.rowcount != 1:
                raise _missing(account.username)
            uow.commit()

    def all(self) -> list[Account]:
        """Every account, by user name."""
        with self._uow() as uow:
            rows = uow.x(
                f"SELECT {_COLUMNS} FROM staff_accounts ORDER BY username"  # noqa: S608
            ).fetchall()
            return [_account(uow, row) for row in rows]


def _row(uow: SqlUnitOfWork, a: Account) -> tuple[Any, ...]:
    locked = uow.dialect.ts(a.locked_until)
    return (
        a.username,
        a.display_name,
        a.role.value,
        a.unit,
        a.password_hash,
        a.failed_logins,
        locked,
        a.active,
    )


def _account(uow: SqlUnitOfWork, row: Any) -> Account:
    username, display_name, role, unit, password_hash, failed, locked, active = row
    return Account(
        username=username,
        display_name=display_name,
        role=Role(role),
        unit=unit,
        password_hash=password_hash,
        failed_logins=int(failed),
        locked_until=uow.dialect.from_ts(locked),
        active=bool(active),
    )


_MEMORY: weakref.WeakKeyDictionary[MemoryStore, MemoryAccounts] = weakref.WeakKeyDictionary()


def accounts_for(store: Store) -> Accounts:
    """The accounts kept with ``store`` (in memory for a :class:`MemoryStore`)."""
    if isinstance(store, MemoryStore):
        return _MEMORY.setdefault(store, MemoryAccounts())
    return SqlAccounts(store)


def attributed_unit_of_work(store: Store, actor: str) -> UnitOfWork:
    """A unit of work of ``store`` whose saved events are recorded as ``actor``'s.

    Raises:
        InvalidInput: If the store's units of work cannot record an actor.
    """
    uow = store.unit_of_work()
    if not isinstance(uow, UnitOfWorkBase):
        raise InvalidInput(f"{type(store).__name__} cannot record who acted")
    uow.actor = actor
    return uow
