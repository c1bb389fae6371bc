"""The OA's token pair, stored durably and refreshed one process at a time.

Zalo OA access tokens live 25 hours; refresh tokens 3 months and are single
use: each refresh returns a new pair and voids the old refresh token
(reference zalo-oa.md §1.2, [V2]). Losing the new refresh token — a crash
between refresh and save, or two workers refreshing at once — kills the
grant until an admin consents again (§6). So:

* the new pair is committed before anyone uses it (:meth:`TokenStore.rotate`
  saves, commits, then returns);
* refreshes are serialised by a database lock held across the refresh call
  (SQLite ``BEGIN IMMEDIATE``, PostgreSQL ``SELECT … FOR UPDATE``), and a
  compare-and-swap on the stored access token: a process that waited finds
  the pair already rotated and uses it instead of spending the (now void)
  refresh token again.

Table ``zalo_tokens`` is created by migration 0006 of the store.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Callable
from typing import Any, Protocol

import attrs

from tthc_adapters.zalo._sqlside import (
    Dialect,
    SqlSide,
    postgres_side,
    sql_side_for,
    sqlite_side,
)
from tthc_core.errors import TthcError

__all__ = [
    "MemoryTokenStore",
    "NoTokens",
    "SqlTokenStore",
    "TokenPair",
    "TokenStore",
    "postgres_token_store",
    "sqlite_token_store",
    "token_store_for",
]


@attrs.frozen
class TokenPair:
    """An access token, the refresh token issued with it, and when the access token expires."""

    access_token: str = attrs.field(repr=False)
    refresh_token: str = attrs.field(repr=False)
    expires_at: dt.datetime


class NoTokens(TthcError):  # noqa: N818 - reads best at call sites
    """No token pair is stored: an admin must grant the app (OAuth consent) first."""


Renew = Callable[[TokenPair], TokenPair]


class TokenStore(Protocol):
    """Port: the OA's current token pair."""

    def current(self) -> TokenPair:
        """The stored pair.

        Raises:
            NoTokens: If none is stored.
        """
        ...

    def save(self, pair: TokenPair) -> None:
        """Store a pair obtained by consent (replaces any)."""
        ...

    def rotate(self, stale_access: str, renew: Renew) -> TokenPair:
        """Refresh once, serialised across processes; returns the pair to use.

        If the stored access token is no longer ``stale_access``, another
        process has refreshed: its pair is returned and ``renew`` is not
        called. Otherwise ``renew(stored)`` is called under the lock and its
        pair committed before it is returned; if ``renew`` raises, nothing
        changes and the error propagates.
        """
        ...


class MemoryTokenStore:
    """A :class:`TokenStore` in memory (one process; tests and the demo)."""

    def __init__(self, pair: TokenPair | None = None) -> None:
        self._pair = pair
        self._lock = threading.Lock()

    def current(self) -> TokenPair:
        """The stored pair."""
        if self._pair is None:
            raise NoTokens("no Zalo token pair is stored; grant the app first")
        return self._pair

    def save(self, pair: TokenPair) -> None:
        """Store a pair."""
        with self._lock:
            self._pair = pair

    def rotate(self, stale_access: str, renew: Renew) -> TokenPair:
        """Refresh once under the lock (:meth:`TokenStore.rotate`)."""
        with self._lock:
            stored = self.current()
            if stored.access_token != stale_access:
                return stored
            self._pair = renew(stored)
            return self._pair


class SqlTokenStore:
    """A :class:`TokenStore` in the store's database (table ``zalo_tokens``, migration 0006).

    Args:
        connect: Opens a new DB-API connection (SQLite: ``isolation_level=None``;
            PostgreSQL: psycopg, with the store's ``search_path``).
        dialect: ``"sqlite"`` or ``"postgres"``.
        oa_id: The Official Account whose pair this is.
        release: Gives a connection back (default: closes it); a pool's ``putconn``.
    """

    def __init__(
        self,
        connect: Callable[[], Any],
        dialect: Dialect,
        oa_id: str,
        *,
        release: Callable[[Any], None] | None = None,
    ) -> None:
        self._side = (
            SqlSide(connect, dialect) if release is None else SqlSide(connect, dialect, release)
        )
        self._oa_id = oa_id

    def _read(self, cur: Any, *, lock: bool) -> TokenPair | None:
        sql = "SELECT access_token, refresh_token, expires_at FROM zalo_tokens WHERE oa_id = %s"
        cur.execute(self._side.lock(sql) if lock else self._side.q(sql), (self._oa_id,))
        row = cur.fetchone()
        if row is None:
            return None
        return TokenPair(row[0], row[1], dt.datetime.fromisoformat(str(row[2])))

    def _write(self, cur: Any, pair: TokenPair) -> None:
        # UPDATE, not DELETE + INSERT: a process waiting on the row lock then
        # reads the new row (under PostgreSQL's READ COMMITTED a deleted row
        # would simply vanish from its SELECT ... FOR UPDATE).
        values = (pair.access_token, pair.refresh_token, pair.expires_at.isoformat(), self._oa_id)
        cur.execute(
            self._side.q(
                "UPDATE zalo_tokens SET access_token = %s, refresh_token = %s, expires_at = %s "
                "WHERE oa_id = %s"
            ),
            values,
        )
        if cur.rowcount == 0:
            cur.execute(
                self._side.q(
                    "INSERT INTO zalo_tokens (access_token, refresh_token, expires_at, oa_id) "
                    "VALUES (%s, %s, %s, %s)"
                ),
                values,
            )

    def current(self) -> TokenPair:
        """The stored pair."""
        pair = self._side.transaction(lambda cur: self._read(cur, lock=False))
        if pair is None:
            raise NoTokens("no Zalo token pair is stored; grant the app first")
        return pair

    def save(self, pair: TokenPair) -> None:
        """Store a pair."""
        self._side.transaction(lambda cur: self._write(cur, pair))

    def rotate(self, stale_access: str, renew: Renew) -> TokenPair:
        """Refresh once under the database lock (:meth:`TokenStore.rotate`)."""

        def work(cur: Any) -> TokenPair:
            stored = self._read(cur, lock=True)
            if stored is None:
                raise NoTokens("no Zalo token pair is stored; grant the app first")
            if stored.access_token != stale_access:
                return stored
            fresh = renew(stored)
            self._write(cur, fresh)
            return fresh

        return self._side.transaction(work)


def sqlite_token_store(path: str | os.PathLike[str], oa_id: str) -> SqlTokenStore:
    """The token store in a SQLite store's file (``SqliteStore(path)`` migrated it)."""
    side = sqlite_side(path)
    return SqlTokenStore(side.connect, side.dialect, oa_id)


def postgres_token_store(dsn: str, schema: str, oa_id: str) -> SqlTokenStore:
    """The token store in a PostgreSQL store's schema (``PostgresStore`` migrated it).

    Raises:
        InvalidInput: If ``schema`` is not a plain lower-case identifier.
    """
    side = postgres_side(dsn, schema)
    return SqlTokenStore(side.connect, side.dialect, oa_id)


def token_store_for(store: object, oa_id: str) -> TokenStore:
    """The token store in the same database as ``store`` (memory for a ``MemoryStore``)."""
    side = sql_side_for(store)
    if side is None:
        return MemoryTokenStore()
    return SqlTokenStore(side.connect, side.dialect, oa_id, release=side.release)
