"""The sync ledger port: one pending item per dossier and target, and what was acknowledged.

Coalescing (OpenCPS ``publishEvent``, reference ``dvcqg-sync.md`` §8): a change
to a dossier that already has a pending item only bumps the item's change
counter, so the payload built at send time carries it. An item finished while
a newer change arrived stays pending (the counter tells), so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from typing import Protocol

import attrs

__all__ = ["ItemState", "SyncItem", "SyncLedger"]


class ItemState(enum.Enum):
    """Pending (to send, possibly after a back-off) or dead (a person must re-drive)."""

    PENDING = "pending"
    DEAD = "dead"


@attrs.frozen
class SyncItem:
    """One dossier's pending synchronisation to one target.

    Args:
        dossier: The local dossier code.
        target: The portal profile's name (``"dvcqg"``...).
        seq: Enqueue order (first in, first out).
        changes: How many changes it coalesces; finishing removes it only if
            none came in meanwhile.
        next_at: Not before this instant (back-off).
        attempts: Failed attempts so far.
        last_error: The last failure, with the classifier row that judged it.
    """

    dossier: str
    target: str
    seq: int
    changes: int
    enqueued_at: dt.datetime
    next_at: dt.datetime
    attempts: int = 0
    state: ItemState = ItemState.PENDING
    last_error: str = ""
    classifier_version: str = ""


class SyncLedger(Protocol):
    """Port: the sync engine's persistent state."""

    def enqueue(self, dossier: str, target: str, at: dt.datetime) -> bool:
        """Record a change; ``True`` if a new item was made, ``False`` if coalesced."""
        ...

    def due(self, target: str, now: dt.datetime, limit: int) -> list[SyncItem]:
        """Pending items whose ``next_at`` has come, oldest ``seq`` first."""
        ...

    def save(self, item: SyncItem) -> None:
        """Store the item's new attempts, back-off, state and error."""
        ...

    def finish(self, item: SyncItem, now: dt.datetime) -> bool:
        """Remove it unless a change came since it was read (then it is due now).

        Returns ``True`` if it was removed.
        """
        ...

    def redrive(self, target: str, dossier: str | None, now: dt.datetime) -> int:
        """Make dead items pending again, attempts reset; how many."""
        ...

    def items(self, target: str) -> list[SyncItem]:
        """Every item (pending and dead), oldest first."""
        ...

    def acked_rows(self, target: str, dossier: str) -> frozenset[str]:
        """The progress-row ids the target acknowledged."""
        ...

    def ack_rows(self, target: str, dossier: str, row_ids: Iterable[str]) -> None:
        """Record acknowledged progress rows."""
        ...

    def inserted(self, target: str, dossier: str) -> bool:
        """Whether the target acknowledged the dossier once (then: update)."""
        ...

    def mark_inserted(self, target: str, dossier: str, value: bool) -> None:
        """Record (or forget) that the target holds the dossier."""
        ...

    def alternate_code(self, dossier: str, make: Callable[[], str]) -> str:
        """The stored alternate national code, storing ``make()`` if there is none yet."""
        ...

    def next_serial(self, prefix: str) -> int:
        """The next alternate-code serial for ``prefix`` (1, 2, ...)."""
        ...

    def inbound_mark(self, target: str) -> str | None:
        """The mark up to which inbound dossiers were taken in and acknowledged (``None``: none)."""
        ...

    def set_inbound_mark(self, target: str, mark: str) -> None:
        """Advance the inbound mark (only once the batch before it is stored and acknowledged)."""
        ...
