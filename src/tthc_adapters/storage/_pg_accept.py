"""Accepting inbound events on PostgreSQL from the event loop: one round trip per group.

The webhooks' acceptor (``tthc_adapters.app._acceptor``) records the events
that arrive together in one statement. Through the store's pool that is a
``BEGIN``, the ``INSERT`` and a ``COMMIT`` — three round trips, on a thread
of its own. :class:`PgInboxWriter` instead holds asynchronous connections of
its own in autocommit, so a group is one prepared statement (its own
transaction, committed — and flushed, unless ``durable=False`` — before the
answer comes back)::

    INSERT INTO inbox_events (…) SELECT … FROM unnest($1::text[], …)
    ON CONFLICT (source, event_id) DO NOTHING RETURNING source, event_id

One statement text whatever the group's size, so the server plans it once
per connection. A connection that fails is closed and a new one opened for
the next group; the failing group's requests get the error (``500``: deliver
again later), never an acknowledgement.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tthc_core.storage import InboundEvent

__all__ = ["PgInboxWriter"]

_INSERT = (
    "INSERT INTO inbox_events (source, event_id, payload, raw, received_at, next_attempt_at)"
    " SELECT s, e, p::jsonb, r, t, t"
    " FROM unnest(%s::text[], %s::text[], %s::text[], %s::bytea[], %s::timestamptz[])"
    " AS u(s, e, p, r, t)"
    " ON CONFLICT (source, event_id) DO NOTHING RETURNING source, event_id"
)


class PgInboxWriter:
    """Records groups of inbound events over asynchronous connections of its own.

    Use it from one event loop (the acceptor makes one per loop).

    Args:
        dsn: The database.
        schema: The store's schema.
        durable: Wait for the flush to disk (``synchronous_commit`` on), or not.
    """

    def __init__(self, dsn: str, schema: str, *, durable: bool) -> None:
        self._dsn = dsn
        #: What ``pg_stat_activity`` shows of its connections.
        self.application_name = f"tthc-inbox-accept-{schema}"
        options = f"-c search_path={schema}"
        self._options = options if durable else f"{options} -c synchronous_commit=off"
        self._idle: list[Any] = []

    async def _connection(self) -> Any:
        while self._idle:
            conn = self._idle.pop()
            if not conn.closed:
                return conn
        import psycopg

        return await psycopg.AsyncConnection.connect(
            self._dsn,
            options=self._options,
            application_name=self.application_name,
            autocommit=True,
            prepare_threshold=0,
        )

    async def accept_all(self, events: Sequence[InboundEvent]) -> list[bool]:
        """Record ``events`` in one statement; whether each was new (module docstring)."""
        if not events:
            return []
        params = (
            [e.source for e in events],
            [e.event_id for e in events],
            [json.dumps(dict(e.payload), ensure_ascii=False) for e in events],
            [e.raw for e in events],
            [e.received_at for e in events],
        )
        conn = await self._connection()
        try:
            cursor = await conn.execute(_INSERT, params)
            inserted = await cursor.fetchall()
        except BaseException:
            await conn.close()
            raise
        self._idle.append(conn)
        new = {(source, event_id) for source, event_id in inserted}
        outcome = []
        for e in events:
            outcome.append((e.source, e.event_id) in new)
            new.discard((e.source, e.event_id))  # a repeat in the group is not new
        return outcome
