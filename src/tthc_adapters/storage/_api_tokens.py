"""API tokens (:class:`tthc_core.api_tokens.ApiTokens`) in memory, SQLite and PostgreSQL.

Like the accounts: one SQL adapter over the store's units of work (table
``api_tokens`` of migration 0004); :func:`tokens_for` picks the one that fits.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import attrs

from tthc_adapters.storage._memory import MemoryStore
from tthc_adapters.storage._sql import SqlUnitOfWork
from tthc_core.api_tokens import ApiToken, ApiTokens
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store

__all__ = ["MemoryApiTokens", "SqlApiTokens", "tokens_for"]

_COLUMNS = "token_id, username, secret_digest, label, created_at, revoked"


def _taken(token_id: str) -> InvalidInput:
    return InvalidInput(f"an API token {token_id!r} already exists")


class MemoryApiTokens:
    """Tokens in this process's memory (tests, demos)."""

    def __init__(self) -> None:
        self._tokens: dict[str, ApiToken] = {}
        self._lock = threading.Lock()

    def get(self, token_id: str) -> ApiToken | None:
        """The token with this id."""
        return self._tokens.get(token_id)

    def add(self, token: ApiToken) -> None:
        """Store a new token."""
        with self._lock:
            if token.token_id in self._tokens:
                raise _taken(token.token_id)
            self._tokens[token.token_id] = token

    def revoke(self, token_id: str) -> bool:
        """Revoke a token."""
        with self._lock:
            token = self._tokens.get(token_id)
            if token is None:
                return False
            self._tokens[token_id] = attrs.evolve(token, revoked=True)
            return True

    def for_user(self, username: str) -> list[ApiToken]:
        """The tokens of one account, oldest first."""
        found = [t for t in self._tokens.values() if t.username == username]
        return sorted(found, key=lambda t: (t.created_at, t.token_id))


class SqlApiTokens:
    """Tokens in the ``api_tokens`` table of a SQLite or PostgreSQL store."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _uow(self) -> SqlUnitOfWork:
        uow = self._store.unit_of_work()
        if not isinstance(uow, SqlUnitOfWork):
            raise InvalidInput("SqlApiTokens needs a SQLite or PostgreSQL store")
        return uow

    def get(self, token_id: str) -> ApiToken | None:
        """The token with this id."""
        with self._uow() as uow:
            rows = self._select(uow, "token_id = %s", token_id)
        return rows[0] if rows else None

    def add(self, token: ApiToken) -> None:
        """Store a new token."""
        with self._uow() as uow:
            cursor = uow.x(
                f"INSERT INTO api_tokens ({_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)"  # noqa: S608
                " ON CONFLICT (token_id) DO NOTHING",
                (
                    token.token_id,
                    token.username,
                    token.secret_digest,
                    token.label,
                    uow.dialect.ts(token.created_at),
                    token.revoked,
                ),
            )
            if cursor.rowcount != 1:
                raise _taken(token.token_id)
            uow.commit()

    def revoke(self, token_id: str) -> bool:
        """Revoke a token."""
        with self._uow() as uow:
            cursor = uow.x(
                "UPDATE api_tokens SET revoked = %s WHERE token_id = %s", (True, token_id)
            )
            uow.commit()
            return bool(cursor.rowcount == 1)

    def for_user(self, username: str) -> list[ApiToken]:
        """The tokens of one account, oldest first."""
        with self._uow() as uow:
            return self._select(uow, "username = %s ORDER BY created_at, token_id", username)

    @staticmethod
    def _select(uow: SqlUnitOfWork, where: str, *params: Any) -> list[ApiToken]:
        rows = uow.x(f"SELECT {_COLUMNS} FROM api_tokens WHERE {where}", params).fetchall()  # noqa: S608
        return [
            ApiToken(tid, user, digest, label, uow.dialect.from_ts(at), revoked=bool(revoked))  # type: ignore[arg-type]
            for tid, user, digest, label, at, revoked in rows
        ]


_MEMORY: weakref.WeakKeyDictionary[MemoryStore, MemoryApiTokens] = weakref.WeakKeyDictionary()


def tokens_for(store: Store) -> ApiTokens:
    """The API tokens kept with ``store`` (in memory for a :class:`MemoryStore`)."""
    if isinstance(store, MemoryStore):
        return _MEMORY.setdefault(store, MemoryApiTokens())
    return SqlApiTokens(store)
