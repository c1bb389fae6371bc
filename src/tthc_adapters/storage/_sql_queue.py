"""The workers' side of the outbox and the inbox on SQL back-ends.

Both are lease queues over one table: claim due rows under a lease, then mark
them done or failed (to retry later, or parked). Queue transactions do not wait
for the disk (see ``Dialect.relaxed``): the rows themselves are written
durably by the unit of work; a claim or a mark lost to a power cut only makes
a delivery happen twice (the outbox's key suppresses the twin) or a handling
be found done (the inbox's ``handled:`` record).

PostgreSQL workers claim with ``FOR UPDATE SKIP LOCKED``, so several workers
on several machines share the load without waiting on each other; on SQLite
the claim runs in an immediate (write-locked) transaction. Either way a claim
is a lease: a crashed worker's rows are claimed again once it expires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from tthc_adapters.storage._dialect import Dialect
from tthc_adapters.storage._sql import ConnectionSource
from tthc_core.storage import (
    ClaimedEvent,
    InboundEvent,
    InboxCounts,
    OutboundMessage,
    OutboxCounts,
    ParkedEvent,
    ParkedMessage,
    PendingMessage,
)

__all__ = ["SqlInboxQueue", "SqlOutboxQueue"]


class _LeaseTable:
    """Claim, mark done and fail rows of one lease-queue table, each in one short transaction.

    Args:
        source: Where connections come from.
        dialect: The back-end's dialect.
        table: The table (``outbox`` or ``inbox_events``).
        done: Its "done at" column.
        columns: The columns a claim returns after ``id`` (``attempts`` and
            ``lease_until`` are appended).
    """

    def __init__(
        self, source: ConnectionSource, dialect: Dialect, table: str, done: str, columns: str
    ) -> None:
        self._source = source
        self._d = dialect
        self._table = table
        self._done = done
        self._claim = dialect.q(
            f"UPDATE {table} SET lease_owner = %s, lease_until = %s, attempts = attempts + 1"  # noqa: S608
            f" WHERE id IN (SELECT id FROM {table} WHERE {done} IS NULL"
            " AND next_attempt_at <= %s AND (lease_until IS NULL OR lease_until <= %s)"
            f" ORDER BY next_attempt_at, id LIMIT %s{dialect.skip_locked})"
            f" RETURNING id, {columns}, attempts, lease_until"
        )

    def claim(self, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int) -> list[Any]:
        """Lease due rows; the claim's rows, by id."""
        d = self._d
        rows = self.run(
            self._claim, (owner, d.ts(now + lease), d.ts(now), d.ts(now), limit), fetch=True
        )
        return sorted(rows, key=lambda row: int(row[0]))

    def done(self, row_id: int, owner: str, now: dt.datetime) -> bool:
        """Mark done, if ``owner`` still holds the lease."""
        return bool(self.done_all([row_id], owner, now))

    def done_all(self, row_ids: Sequence[int], owner: str, now: dt.datetime) -> set[int]:
        """Mark done those of ``row_ids`` whose lease ``owner`` still holds; their ids."""
        if not row_ids:
            return set()
        ids = ", ".join(["%s"] * len(row_ids))
        rows = self.run(
            f"UPDATE {self._table} SET {self._done} = %s, lease_owner = NULL,"  # noqa: S608
            f" lease_until = NULL WHERE id IN ({ids}) AND lease_owner = %s"
            f" AND {self._done} IS NULL RETURNING id",
            (self._d.ts(now), *row_ids, owner),
            fetch=True,
        )
        return {int(row[0]) for row in rows}

    def failed(self, row_id: int, owner: str, error: str, retry_at: dt.datetime | None) -> bool:
        """Release after a failure, to retry at ``retry_at`` (``None`` parks it)."""
        updated: int = self.run(
            f"UPDATE {self._table} SET next_attempt_at = %s, last_error = %s,"  # noqa: S608
            " lease_owner = NULL, lease_until = NULL"
            f" WHERE id = %s AND lease_owner = %s AND {self._done} IS NULL",
            (self._d.ts(retry_at), error[:2000], row_id, owner),
        )
        return updated == 1

    def counts(self) -> tuple[int, int, int]:
        """Pending, done and parked rows."""
        ((done, parked, total),) = self.run(
            f"SELECT COALESCE(SUM(CASE WHEN {self._done} IS NOT NULL THEN 1 ELSE 0 END), 0),"  # noqa: S608
            f" COALESCE(SUM(CASE WHEN {self._done} IS NULL AND next_attempt_at IS NULL"
            f" THEN 1 ELSE 0 END), 0), COUNT(*) FROM {self._table}",
            (),
            fetch=True,
        )
        return int(total) - int(done) - int(parked), int(done), int(parked)

    def run(
        self,
        sql: str,
        params: tuple[Any, ...],
        *,
        fetch: bool = False,
        source: ConnectionSource | None = None,
    ) -> Any:
        """Run one statement in its own transaction; rows or the row count.

        The transaction is relaxed (see the module docstring) unless a
        durable ``source`` is given.
        """
        conn = (source or self._source).acquire()
        try:
            for statement in (self._d.begin, None if source else self._d.relaxed):
                if statement:
                    conn.execute(statement)
            cursor = conn.execute(self._d.q(sql), params)
            result = cursor.fetchall() if fetch else cursor.rowcount
            conn.commit()
            return result
        except BaseException:
            conn.rollback()
            raise
        finally:
            (source or self._source).release(conn)


class SqlOutboxQueue:
    """The outbox queue; each call is one short transaction.

    Args:
        source: Where connections come from.
        dialect: The back-end's dialect.
    """

    def __init__(self, source: ConnectionSource, dialect: Dialect) -> None:
        self._d = dialect
        self._table = _LeaseTable(
            source, dialect, "outbox", "delivered_at", "key, channel, payload"
        )

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[PendingMessage]:
        """Lease up to ``limit`` due messages to ``owner``, oldest due first."""
        d = self._d
        return [
            PendingMessage(
                int(id_),
                OutboundMessage(key, channel, d.from_json(payload)),
                int(attempts),
                d.from_ts(until),  # type: ignore[arg-type]
            )
            for id_, key, channel, payload, attempts, until in self._table.claim(
                owner, now, lease, limit
            )
        ]

    def delivered(self, message_id: int, *, owner: str, now: dt.datetime) -> bool:
        """Mark delivered, if ``owner`` still holds the lease."""
        return self._table.done(message_id, owner, now)

    def failed(
        self, message_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        """Release after a failed send, to retry at ``retry_at`` (``None`` parks it)."""
        return self._table.failed(message_id, owner, error, retry_at)

    def counts(self) -> OutboxCounts:
        """Pending, delivered and parked messages."""
        return OutboxCounts(*self._table.counts())

    def parked(self, *, limit: int = 100) -> list[ParkedMessage]:
        """Parked messages, oldest first."""
        rows = self._table.run(
            "SELECT id, key, channel, payload, attempts, last_error FROM outbox"
            " WHERE delivered_at IS NULL AND next_attempt_at IS NULL ORDER BY id LIMIT %s",
            (limit,),
            fetch=True,
        )
        return [
            ParkedMessage(
                int(id_), OutboundMessage(key, channel, self._d.from_json(payload)), int(n), error
            )
            for id_, key, channel, payload, n, error in rows
        ]

    def retry_parked(self, message_id: int, *, now: dt.datetime) -> bool:
        """Make a parked message due again."""
        updated: int = self._table.run(
            "UPDATE outbox SET next_attempt_at = %s, attempts = 0"
            " WHERE id = %s AND delivered_at IS NULL AND next_attempt_at IS NULL",
            (self._d.ts(now), message_id),
        )
        return updated == 1


_EVENT = "source, event_id, payload, raw, received_at"


class SqlInboxQueue:
    """The inbox queue; each call is one short transaction.

    Args:
        source: Where connections come from (relaxed transactions).
        dialect: The back-end's dialect.
        durable: Where connections of durable transactions come from
            (default ``source``, whose transactions the dialect relaxes).
    """

    def __init__(
        self, source: ConnectionSource, dialect: Dialect, durable: ConnectionSource | None = None
    ) -> None:
        self._d = dialect
        self._durable = durable or source
        self._table = _LeaseTable(source, dialect, "inbox_events", "handled_at", _EVENT)

    def accept_all(self, events: Sequence[InboundEvent], *, durable: bool = True) -> list[bool]:
        """Record events in one transaction (one multi-row INSERT); whether each was new."""
        if not events:
            return []
        d = self._d
        rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(events))
        params = [
            value
            for e in events
            for value in (
                e.source,
                e.event_id,
                d.json(dict(e.payload)),
                e.raw,
                d.ts(e.received_at),
                d.ts(e.received_at),
            )
        ]
        inserted = self._table.run(
            "INSERT INTO inbox_events (source, event_id, payload, raw, received_at,"  # noqa: S608
            f" next_attempt_at) VALUES {rows} ON CONFLICT (source, event_id) DO NOTHING"
            " RETURNING source, event_id",
            tuple(params),
            fetch=True,
            source=self._durable if durable else None,
        )
        new = {(source, event_id) for source, event_id in inserted}
        outcome = []
        for e in events:
            outcome.append((e.source, e.event_id) in new)
            new.discard((e.source, e.event_id))  # a repeat in the list is not new
        return outcome

    def _event(self, source: str, event_id: str, payload: Any, raw: Any, at: Any) -> InboundEvent:
        d = self._d
        received: dt.datetime = d.from_ts(at)  # type: ignore[assignment]
        return InboundEvent(source, event_id, d.from_json(payload), bytes(raw), received)

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[ClaimedEvent]:
        """Lease up to ``limit`` due events to ``owner``, oldest due first."""
        return [
            ClaimedEvent(int(id_), self._event(*event), int(attempts), self._d.from_ts(until))  # type: ignore[arg-type]
            for id_, *event, attempts, until in self._table.claim(owner, now, lease, limit)
        ]

    def handled(self, event_id: int, *, owner: str, now: dt.datetime) -> bool:
        """Mark handled, if ``owner`` still holds the lease."""
        return self._table.done(event_id, owner, now)

    def handled_all(self, event_ids: Sequence[int], *, owner: str, now: dt.datetime) -> set[int]:
        """Mark several handled in one transaction; the ids marked."""
        return self._table.done_all(event_ids, owner, now)

    def failed(
        self, event_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        """Release after a failure, to retry at ``retry_at`` (``None`` parks it)."""
        return self._table.failed(event_id, owner, error, retry_at)

    def parked(self, *, limit: int = 100) -> list[ParkedEvent]:
        """Parked events, oldest first."""
        rows = self._table.run(
            f"SELECT id, {_EVENT}, attempts, last_error FROM inbox_events"  # noqa: S608 - fixed text
            " WHERE handled_at IS NULL AND next_attempt_at IS NULL ORDER BY id LIMIT %s",
            (limit,),
            fetch=True,
        )
        return [
            ParkedEvent(int(id_), self._event(*event), int(attempts), error or "")
            for id_, *event, attempts, error in rows
        ]

    def retry(self, event_id: int, *, at: dt.datetime) -> bool:
        """Put a parked event back, due at ``at``."""
        updated: int = self._table.run(
            "UPDATE inbox_events SET next_attempt_at = %s, attempts = 0"
            " WHERE id = %s AND handled_at IS NULL AND next_attempt_at IS NULL",
            (self._d.ts(at), event_id),
        )
        return updated == 1

    def counts(self) -> InboxCounts:
        """Pending, handled and parked events."""
        return InboxCounts(*self._table.counts())
