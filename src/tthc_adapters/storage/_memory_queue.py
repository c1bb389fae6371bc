"""The in-memory store's lease queues: the outbox and the inbox, claimed by workers.

Queue rows live outside the tables a unit of work copies (the worker changes
them meanwhile): a unit of work stages what it adds, and :meth:`LeaseRows.add`
publishes it when the unit commits, under the store's lock.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Hashable, Sequence
from typing import Any, Generic, TypeVar

import attrs

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

__all__ = ["InboxQueue", "LeaseRows", "OutboxQueue"]

T = TypeVar("T")


@attrs.frozen
class Leased(Generic[T]):
    """One queue row: the item and its lease bookkeeping (``next_attempt_at`` ``None``: parked)."""

    item: T
    next_attempt_at: dt.datetime | None
    attempts: int = 0
    lease_owner: str | None = None
    lease_until: dt.datetime | None = None
    done_at: dt.datetime | None = None
    last_error: str | None = None


class LeaseRows(Generic[T]):
    """The rows of one lease queue, numbered from 1, unique on a key.

    Args:
        lock: The store's lock, held by every call.
    """

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.rows: dict[int, Leased[T]] = {}
        self._keys: set[Hashable] = set()

    def has(self, key: Hashable) -> bool:
        """Whether a row with this key exists."""
        with self._lock:
            return key in self._keys

    def add(self, key: Hashable, item: T, due: dt.datetime) -> None:
        """Append a row due at ``due``."""
        with self._lock:
            self._keys.add(key)
            self.rows[len(self.rows) + 1] = Leased(item, due)

    def claim(
        self, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[tuple[int, Leased[T]]]:
        """Lease up to ``limit`` due rows, oldest due first; returned by id."""
        with self._lock:
            due = sorted(
                (r.next_attempt_at, id_)
                for id_, r in self.rows.items()
                if r.done_at is None
                and r.next_attempt_at is not None
                and r.next_attempt_at <= now
                and (r.lease_until is None or r.lease_until <= now)
            )[:limit]
            claimed = []
            for _, id_ in due:
                row = self.rows[id_]
                self.rows[id_] = row = attrs.evolve(
                    row, lease_owner=owner, lease_until=now + lease, attempts=row.attempts + 1
                )
                claimed.append((id_, row))
            return sorted(claimed, key=lambda pair: pair[0])

    def release(self, row_id: int, owner: str, **changes: Any) -> bool:
        """End ``owner``'s lease with ``changes``; ``False`` if it no longer held it."""
        with self._lock:
            row = self.rows.get(row_id)
            if row is None or row.lease_owner != owner or row.done_at is not None:
                return False
            self.rows[row_id] = attrs.evolve(row, lease_owner=None, lease_until=None, **changes)
            return True

    def parked(self) -> list[tuple[int, Leased[T]]]:
        """The parked rows, by id."""
        with self._lock:
            return [
                (id_, r)
                for id_, r in sorted(self.rows.items())
                if r.done_at is None and r.next_attempt_at is None
            ]

    def unpark(self, row_id: int, at: dt.datetime) -> bool:
        """Make a parked row due again at ``at``, its attempts counted afresh."""
        with self._lock:
            row = self.rows.get(row_id)
            if row is None or row.done_at is not None or row.next_attempt_at is not None:
                return False
            self.rows[row_id] = attrs.evolve(row, next_attempt_at=at, attempts=0)
            return True

    def counts(self) -> tuple[int, int, int]:
        """Pending, done and parked rows."""
        with self._lock:
            rows = list(self.rows.values())
        done = sum(r.done_at is not None for r in rows)
        parked = sum(r.done_at is None and r.next_attempt_at is None for r in rows)
        return len(rows) - done - parked, done, parked


class OutboxQueue:
    """The outbox's worker port over :class:`LeaseRows`."""

    def __init__(self, rows: LeaseRows[OutboundMessage]) -> None:
        self._rows = rows

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[PendingMessage]:
        """Lease due messages."""
        return [
            PendingMessage(id_, r.item, r.attempts, now + lease)
            for id_, r in self._rows.claim(owner, now, lease, limit)
        ]

    def delivered(self, message_id: int, *, owner: str, now: dt.datetime) -> bool:
        """Mark delivered."""
        return self._rows.release(message_id, owner, done_at=now)

    def failed(
        self, message_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        """Retry later, or park."""
        return self._rows.release(message_id, owner, next_attempt_at=retry_at, last_error=error)

    def counts(self) -> OutboxCounts:
        """Pending, delivered and parked."""
        return OutboxCounts(*self._rows.counts())

    def parked(self, *, limit: int = 100) -> list[ParkedMessage]:
        """Parked messages, oldest first."""
        return [
            ParkedMessage(id_, r.item, r.attempts, r.last_error)
            for id_, r in self._rows.parked()[:limit]
        ]

    def retry_parked(self, message_id: int, *, now: dt.datetime) -> bool:
        """Make a parked message due again."""
        return self._rows.unpark(message_id, now)


class InboxQueue:
    """The inbox's worker port over :class:`LeaseRows`.

    Args:
        rows: The store's inbox rows.
        accept: Records events in one unit of work (the store's).
    """

    def __init__(
        self,
        rows: LeaseRows[InboundEvent],
        accept: Callable[[Sequence[InboundEvent]], list[bool]],
    ) -> None:
        self._rows = rows
        self._accept = accept

    def accept_all(self, events: Sequence[InboundEvent], *, durable: bool = True) -> list[bool]:
        """Record events in one unit of work (memory is neither more nor less durable)."""
        return self._accept(events)

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[ClaimedEvent]:
        """Lease due events."""
        return [
            ClaimedEvent(id_, r.item, r.attempts, now + lease)
            for id_, r in self._rows.claim(owner, now, lease, limit)
        ]

    def handled(self, event_id: int, *, owner: str, now: dt.datetime) -> bool:
        """Mark handled."""
        return self._rows.release(event_id, owner, done_at=now)

    def handled_all(self, event_ids: Sequence[int], *, owner: str, now: dt.datetime) -> set[int]:
        """Mark several handled; the ids marked."""
        return {id_ for id_ in event_ids if self._rows.release(id_, owner, done_at=now)}

    def failed(
        self, event_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        """Retry later, or park."""
        return self._rows.release(event_id, owner, next_attempt_at=retry_at, last_error=error)

    def parked(self, *, limit: int = 100) -> list[ParkedEvent]:
        """Parked events, oldest first."""
        return [
            ParkedEvent(id_, r.item, r.attempts, r.last_error or "")
            for id_, r in self._rows.parked()[:limit]
        ]

    def retry(self, event_id: int, *, at: dt.datetime) -> bool:
        """Put a parked event back."""
        return self._rows.unpark(event_id, at)

    def counts(self) -> InboxCounts:
        """Pending, handled and parked."""
        return InboxCounts(*self._rows.counts())
