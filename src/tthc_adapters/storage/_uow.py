"""What every unit of work of this package shares: event bookkeeping and the context protocol.

Subclasses implement :meth:`UnitOfWorkBase._commit`, :meth:`UnitOfWorkBase._rollback`
and, if they hold a resource, :meth:`UnitOfWorkBase._release`.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Self

from tthc_core.events import DomainEvent

__all__ = ["UnitOfWorkBase"]


class UnitOfWorkBase:
    """Events saved in a unit of work, handed out once it commits; rollback on exit."""

    def __init__(self) -> None:
        #: The officer (staff user name) acting in this unit of work; events
        #: saved here are recorded with it in the audit trail.
        self.actor: str | None = None
        self._pending: list[DomainEvent] = []
        self._committed: list[DomainEvent] = []

    def record_events(self, events: Sequence[DomainEvent]) -> None:
        """Remember events saved here, for :meth:`collect_new_events` after commit."""
        self._pending.extend(events)

    def commit(self) -> None:
        """Make this unit of work's changes durable."""
        self._commit()
        self._committed.extend(self._pending)
        self._pending.clear()

    def rollback(self) -> None:
        """Discard this unit of work's changes."""
        self._rollback()
        self._pending.clear()

    def collect_new_events(self) -> list[DomainEvent]:
        """The events of committed saves, once."""
        events, self._committed = self._committed, []
        return events

    def _commit(self) -> None:
        raise NotImplementedError

    def _rollback(self) -> None:
        raise NotImplementedError

    def _release(self) -> None:
        """Give back what the unit of work holds (a connection); nothing by default."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self._release()
