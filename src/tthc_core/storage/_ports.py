"""The storage ports: repositories, the unit of work and the store.

The pattern is the one of *Architecture Patterns with Python*
(cosmicpython, anchors §4.1): repositories hand out aggregates, a unit of work
wraps one transaction that commits explicitly and rolls back otherwise, and
the events of the aggregates it saved are collected for the message bus. Here
aggregates are immutable, so events are not read off them: a command returns
``(new_aggregate, events)`` and both go to :meth:`Repository.save`, which
appends the events to the audit trail in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, Self

import attrs

from tthc_core.catalogue import Procedure
from tthc_core.codes import DossierCode, ProcedureCode, SequenceAllocator
from tthc_core.events import DomainEvent
from tthc_core.links import CitizenLink
from tthc_core.storage._inbox import InboundEvent, InboxQueue
from tthc_core.storage._kinds import A, AggregateKind
from tthc_core.storage._open311 import Open311Registry
from tthc_core.storage._outbox import OutboundMessage, OutboxQueue

if TYPE_CHECKING:
    from tthc_core.storage._reading import ReadUnitOfWork

__all__ = [
    "AuditTrail",
    "Catalogue",
    "CitizenLinks",
    "Inbox",
    "Outbox",
    "RecordedEvent",
    "Repository",
    "Store",
    "UnitOfWork",
]


class Repository(Protocol[A]):
    """Port: the stored aggregates of one kind."""

    def get(self, key: str) -> A | None:
        """The aggregate with this key, as last committed (or saved in this unit of work)."""
        ...

    def save(self, aggregate: A, events: Sequence[DomainEvent] = ()) -> A:
        """Store ``aggregate`` and append ``events`` to the audit trail.

        The store must still hold ``aggregate.version`` (0: it must not exist
        yet); it then holds the aggregate at ``version + 1``, which is returned.

        Raises:
            ConcurrencyConflict: If the aggregate was changed or created since
                it was read (here, or when the unit of work commits).
        """
        ...

    def for_dossier(self, code: DossierCode | str) -> list[A]:
        """The aggregates indexed under this dossier code, oldest key first."""
        ...

    def for_phone(self, phone: str) -> list[A]:
        """The aggregates indexed under this phone number (``0xxxxxxxxx``)."""
        ...

    def due_by(self, instant: dt.datetime, *, limit: int = 100) -> list[A]:
        """The queue of aggregates due by ``instant`` (inclusive), soonest first.

        An aggregate is in the queue when its indexed ``due_at <= instant``:
        the due instant is the first instant at which it is overdue (a
        day-counted period ends at 24:00, Civil Code 2015 Art. 148, so a job
        run at midnight must see what expired that night). Ties are ordered by
        key. Pass the current time for the overdue queue; a later instant for
        "due soon".

        Args:
            instant: The instant to judge at (aware).
            limit: At most this many.
        """
        ...

    def page(self, *, after: str | None = None, limit: int = 100) -> list[A]:
        """Every aggregate of this kind, a keyset page at a time, in key order.

        For listings that filter on the aggregate itself (public reports,
        exports): pass the last key of one page as ``after`` to get the next;
        the pages together hold every aggregate once.

        Args:
            after: Only keys after this one (exclusive); ``None`` starts at the first.
            limit: At most this many.
        """
        ...


@attrs.frozen
class RecordedEvent:
    """An event as the audit trail holds it.

    Args:
        seq: Its position in the trail (increasing with commit order per aggregate).
        kind: The kind of the aggregate it happened to.
        key: That aggregate's key.
        version: The aggregate's version the event produced.
        event: The event.
        actor: The officer (staff user name) whose action produced it, if an
            officer's: the unit of work's ``actor`` when it was saved.
    """

    seq: int
    kind: str
    key: str
    version: int
    event: DomainEvent
    actor: str | None = None


class AuditTrail(Protocol):
    """Port: the append-only trail of events (nhật ký), read back in order.

    The process control sheet (Phiếu kiểm soát quá trình giải quyết hồ sơ,
    Circular 01/2018 Art. 11) and every complaint history are rebuilt from it.
    """

    def history(self, kind: AggregateKind[A], key: str) -> list[RecordedEvent]:
        """Every event of one aggregate, in order."""
        ...

    def for_dossier(self, code: DossierCode | str) -> list[RecordedEvent]:
        """Every event of every aggregate indexed under a dossier code, in order."""
        ...


class Outbox(Protocol):
    """Port: messages written in the same transaction as the change they announce."""

    def put(self, message: OutboundMessage) -> bool:
        """Enqueue ``message``; ``False`` if a message with its key is already there."""
        ...


class Inbox(Protocol):
    """Port: inbound events, deduplicated by id (see :mod:`tthc_core.storage._inbox`)."""

    def accept(self, event: InboundEvent) -> bool:
        """Record an event to handle later; ``False`` if ``(source, event_id)`` was accepted before.

        The webhook's whole transaction: commit, answer 200, and let
        :func:`~tthc_core.storage.drain_inbox` handle it.
        """
        ...

    def record_once(self, source: str, event_id: str) -> bool:
        """Record an inbound event; ``False`` if it was already recorded.

        Call it in the unit of work that handles the event: if handling fails
        and rolls back, the record rolls back too and the retry is handled.
        """
        ...


class CitizenLinks(Protocol):
    """Port: chat accounts and phones following dossiers."""

    def link(self, link: CitizenLink) -> bool:
        """Add a link; ``False`` if that account already follows that dossier."""
        ...

    def unlink(self, channel: str, user_id: str, code: DossierCode) -> bool:
        """Remove a link; ``False`` if there was none."""
        ...

    def for_user(self, channel: str, user_id: str) -> list[CitizenLink]:
        """The links of one chat account, oldest first."""
        ...

    def for_dossier(self, code: DossierCode) -> list[CitizenLink]:
        """The accounts following one dossier, oldest first."""
        ...

    def for_phone(self, phone: str) -> list[CitizenLink]:
        """The links made with this phone number, oldest first."""
        ...


class Catalogue(Protocol):
    """Port: the procedure catalogue (danh mục thủ tục hành chính)."""

    def put(self, procedure: Procedure) -> None:
        """Add or replace a procedure (keyed by its code)."""
        ...

    def get(self, code: ProcedureCode | str) -> Procedure | None:
        """The procedure with this code."""
        ...

    def all(self) -> list[Procedure]:
        """Every procedure, by code."""
        ...


class UnitOfWork(Protocol):
    """Port: one transaction. Use it as a context manager and commit explicitly.

    Leaving the ``with`` block without :meth:`commit` rolls everything back:
    aggregates, events, outbox and inbox records, links and sequences.
    """

    @property
    def outbox(self) -> Outbox:
        """The outbox, in this transaction."""
        ...

    @property
    def inbox(self) -> Inbox:
        """The inbox, in this transaction."""
        ...

    @property
    def links(self) -> CitizenLinks:
        """Citizen links, in this transaction."""
        ...

    @property
    def catalogue(self) -> Catalogue:
        """The procedure catalogue, in this transaction."""
        ...

    @property
    def sequences(self) -> SequenceAllocator:
        """The daily dossier-code sequence, allocated in this transaction.

        A number allocated in a unit of work that rolls back is given out
        again, so committed codes have no gaps.
        """
        ...

    @property
    def audit(self) -> AuditTrail:
        """The audit trail, in this transaction."""
        ...

    @property
    def open311(self) -> Open311Registry:
        """Open311 client applications and tokens, in this transaction."""
        ...

    def repository(self, kind: AggregateKind[A]) -> Repository[A]:
        """The repository of one aggregate kind, in this transaction."""
        ...

    def commit(self) -> None:
        """Make every change of this unit of work durable, atomically.

        Raises:
            ConcurrencyConflict: If an aggregate saved here was changed by a
                unit of work that committed first; nothing is committed.
        """
        ...

    def rollback(self) -> None:
        """Discard every change of this unit of work."""
        ...

    def collect_new_events(self) -> list[DomainEvent]:
        """The events saved in this unit of work, in order, once (then cleared)."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class Store(Protocol):
    """Port: a storage backend (in memory, SQLite, PostgreSQL)."""

    @property
    def outbox_queue(self) -> OutboxQueue:
        """The worker's side of the outbox."""
        ...

    @property
    def inbox_queue(self) -> InboxQueue:
        """The worker's side of the inbox (accepted events to handle)."""
        ...

    def unit_of_work(self) -> UnitOfWork:
        """A new unit of work (enter it with ``with``)."""
        ...

    def read_only(self) -> ReadUnitOfWork:
        """A new read-only unit of work: never takes nor waits for the write lock."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...
