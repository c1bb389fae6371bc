"""The worker's side of the outbox on SQL back-ends (claim, acknowledge, fail).

Queue transactions do not wait for the disk (see ``Dialect.relaxed``): the
messages themselves are written durably by the unit of work; a claim or an
acknowledgement lost to a power cut only makes a delivery happen twice.

PostgreSQL workers claim with ``FOR UPDATE SKIP LOCKED``, so several workers
on several machines share the load without waiting on each other; on SQLite
the claim runs in an immediate (write-locked) transaction. Either way a claim
is a lease: a crashed worker's messages are claimed again once it expires.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tthc_adapters.storage._dialect import Dialect
from tthc_adapters.storage._sql import ConnectionSource
from tthc_core.storage import OutboundMessage, OutboxCounts, ParkedMessage, PendingMessage

__all__ = ["SqlOutboxQueue"]


class SqlOutboxQueue:
    """The outbox queue; each call is one short transaction.

    Args:
        source: Where connections come from.
        dialect: The back-end's dialect.
    """

    def __init__(self, source: ConnectionSource, dialect: Dialect) -> None:
        self._source = source
        self._d = dialect
        self._claim = dialect.q(
            "UPDATE outbox SET lease_owner = %s, lease_until = %s, attempts = attempts + 1"  # noqa: S608
            " WHERE id IN (SELECT id FROM outbox WHERE delivered_at IS NULL"
            " AND next_attempt_at <= %s AND (lease_until IS NULL OR lease_until <= %s)"
            f" ORDER BY next_attempt_at, id LIMIT %s{dialect.skip_locked})"
            " RETURNING id, key, channel, payload, attempts, lease_until"
        )

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[PendingMessage]:
        """Lease up to ``limit`` due messages to ``owner``, oldest due first."""
        d = self._d
        rows = self._run(
            self._claim, (owner, d.ts(now + lease), d.ts(now), d.ts(now), limit), fetch=True
        )
        claimed = [
            PendingMessage(
                int(id_),
                OutboundMessage(key, channel, d.from_json(payload)),
                int(attempts),
                d.from_ts(until),  # type: ignore[arg-type]
            )
            for id_, key, channel, payload, attempts, until in rows
        ]
        return sorted(claimed, key=lambda p: p.id)

    def delivered(self, message_id: int, *, owner: str, now: dt.datetime) -> bool:
        """Mark delivered, if ``owner`` still holds the lease."""
        updated: int = self._run(
            "UPDATE outbox SET delivered_at = %s, lease_owner = NULL, lease_until = NULL"
            " WHERE id = %s AND lease_owner = %s AND delivered_at IS NULL",
            (self._d.ts(now), message_id, owner),
        )
        return updated == 1

    def failed(
        self, message_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        """Release after a failed send, to retry at ``retry_at`` (``None`` parks it)."""
        updated: int = self._run(
            "UPDATE outbox SET next_attempt_at = %s, last_error = %s, lease_owner = NULL,"
            " lease_until = NULL WHERE id = %s AND lease_owner = %s AND delivered_at IS NULL",
            (self._d.ts(retry_at), error[:2000], message_id, owner),
        )
        return updated == 1

    def counts(self) -> OutboxCounts:
        """Pending, delivered and parked messages."""
        ((delivered, parked, total),) = self._run(
            "SELECT COALESCE(SUM(CASE WHEN delivered_at IS NOT NULL THEN 1 ELSE 0 END), 0),"
            " COALESCE(SUM(CASE WHEN delivered_at IS NULL AND next_attempt_at IS NULL"
            " THEN 1 ELSE 0 END), 0), COUNT(*) FROM outbox",
            (),
            fetch=True,
        )
        return OutboxCounts(
            pending=int(total) - int(delivered) - int(parked),
            delivered=int(delivered),
            parked=int(parked),
        )

    def parked(self, *, limit: int = 100) -> list[ParkedMessage]:
        """Parked messages, oldest first."""
        rows = self._run(
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
        updated: int = self._run(
            "UPDATE outbox SET next_attempt_at = %s, attempts = 0"
            " WHERE id = %s AND delivered_at IS NULL AND next_attempt_at IS NULL",
            (self._d.ts(now), message_id),
        )
        return updated == 1

    def _run(self, sql: str, params: tuple[Any, ...], *, fetch: bool = False) -> Any:
        conn = self._source.acquire()
        try:
            for statement in (self._d.begin, self._d.relaxed):
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
            self._source.release(conn)
