"""The Open311 registry port (:class:`~tthc_core.storage.Open311Registry`) in memory and in SQL.

Tables ``open311_clients`` and ``open311_tokens`` (migration 0003); in
memory, two dictionaries of the unit of work's tables.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import attrs

from tthc_core.storage import ClientApp, Open311Token

if TYPE_CHECKING:
    from tthc_adapters.storage._memory import MemoryUnitOfWork
    from tthc_adapters.storage._sql import SqlUnitOfWork

__all__ = ["MemoryOpen311", "SqlOpen311"]


@attrs.define
class MemoryOpen311:
    """The registry over a memory unit of work's tables."""

    uow: MemoryUnitOfWork

    def add_client(self, client: ClientApp) -> bool:
        clients = self.uow.work.open311_clients
        if client.name in clients or any(c.key_hash == client.key_hash for c in clients.values()):
            return False
        clients[client.name] = client
        return True

    def client_by_hash(self, key_hash: str) -> ClientApp | None:
        found = (c for c in self.uow.work.open311_clients.values() if c.key_hash == key_hash)
        return next(found, None)

    def revoke_client(self, name: str, at: dt.datetime) -> bool:
        clients = self.uow.work.open311_clients
        client = clients.get(name)
        if client is None or not client.active:
            return False
        clients[name] = attrs.evolve(client, revoked_at=at)
        return True

    def clients(self) -> list[ClientApp]:
        return sorted(self.uow.work.open311_clients.values(), key=lambda c: c.name)

    def add_token(self, token: Open311Token) -> None:
        self.uow.work.open311_tokens[token.token] = token

    def token(self, token: str) -> Open311Token | None:
        return self.uow.work.open311_tokens.get(token)


@attrs.define
class SqlOpen311:
    """The registry in the tables of migration 0003."""

    uow: SqlUnitOfWork

    def add_client(self, client: ClientApp) -> bool:
        d = self.uow.dialect
        cursor = self.uow.x(
            "INSERT INTO open311_clients (name, key_hash, created_at, revoked_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
            (client.name, client.key_hash, d.ts(client.created_at), d.ts(client.revoked_at)),
        )
        return bool(cursor.rowcount == 1)

    def client_by_hash(self, key_hash: str) -> ClientApp | None:
        row = self.uow.x(
            "SELECT name, key_hash, created_at, revoked_at FROM open311_clients"
            " WHERE key_hash = %s",
            (key_hash,),
        ).fetchone()
        return None if row is None else self._client(row)

    def revoke_client(self, name: str, at: dt.datetime) -> bool:
        cursor = self.uow.x(
            "UPDATE open311_clients SET revoked_at = %s WHERE name = %s AND revoked_at IS NULL",
            (self.uow.dialect.ts(at), name),
        )
        return bool(cursor.rowcount == 1)

    def clients(self) -> list[ClientApp]:
        rows = self.uow.x(
            "SELECT name, key_hash, created_at, revoked_at FROM open311_clients ORDER BY name"
        ).fetchall()
        return [self._client(row) for row in rows]

    def add_token(self, token: Open311Token) -> None:
        self.uow.x(
            "INSERT INTO open311_tokens (token, case_id, client, created_at)"
            " VALUES (%s, %s, %s, %s)",
            (token.token, token.case_id, token.client, self.uow.dialect.ts(token.created_at)),
        )

    def token(self, token: str) -> Open311Token | None:
        row = self.uow.x(
            "SELECT token, case_id, client, created_at FROM open311_tokens WHERE token = %s",
            (token,),
        ).fetchone()
        if row is None:
            return None
        created = self.uow.dialect.from_ts(row[3])
        assert created is not None  # noqa: S101 - the column is NOT NULL
        return Open311Token(row[0], row[1], row[2], created)

    def _client(self, row: Any) -> ClientApp:
        d = self.uow.dialect
        created = d.from_ts(row[2])
        assert created is not None  # noqa: S101 - the column is NOT NULL
        return ClientApp(row[0], row[1], created, d.from_ts(row[3]))
