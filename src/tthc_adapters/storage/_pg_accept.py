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
per connection. Its connections set ``tthc.inbox_notify = off`` (migration
0018): the inbox workers are woken by one ``NOTIFY`` sent after the commit,
in a transaction that writes nothing — inside the insert's own transaction
the notification would hold a database-wide lock until the flush, and
concurrent groups could not share a flush. Notifications are coalesced: one
in flight at a time, one more if a group committed meanwhile; a failed one
is logged (the workers poll anyway). A connection that fails is closed and a new one opened for
the next group; the failing group's requests get the error (``500``: deliver
again later), never an acknowledgement.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Sequence
from typing import Any

from tthc_core.storage import InboundEvent

__all__ = ["PgInboxWriter"]

logger = logging.getLogger("tthc.storage")

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
        self._schema = schema
        options = f"-c search_path={schema} -c tthc.inbox_notify=off"
        self._options = options if durable else f"{options} -c synchronous_commit=off"
        self._idle: list[Any] = []
        self._notifier: asyncio.Task[None] | None = None
        self._notify_again = False

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
        if inserted:
            self._notify()
        new = {(source, event_id) for source, event_id in inserted}
        outcome = []
        for e in events:
            outcome.append((e.source, e.event_id) in new)
            new.discard((e.source, e.event_id))  # a repeat in the group is not new
        return outcome

    def _notify(self) -> None:
        """Wake the inbox workers (module docstring): start a notification, or ask for one more."""
        if self._notifier is not None:
            self._notify_again = True
            return
        self._notifier = asyncio.get_running_loop().create_task(self._send_notifications())

    async def _send_notifications(self) -> None:
        try:
            while True:
                self._notify_again = False
                conn = await self._connection()
                try:
                    await conn.execute("SELECT pg_notify('tthc_inbox', %s)", (self._schema,))
                except BaseException:
                    await conn.close()
                    raise
                self._idle.append(conn)
                if not self._notify_again:
                    return
        except Exception as exc:
            logger.warning("inbox NOTIFY failed (%s); the workers poll meanwhile", exc)
        finally:
            self._notifier = None
