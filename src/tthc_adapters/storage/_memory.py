"""The in-memory store: for tests, demos and integrators' tests.

It keeps the contract of the SQL stores, including its transactions: a unit
of work takes the store's lock at its first operation and works on a copy of
the tables, which replaces them on commit (so a rollback is free). Units of
work are therefore serialised, like SQLite's immediate transactions. A
read-only unit of work takes no lock: it reads the last committed tables,
which a commit replaces and never changes.

The lock is re-entrant (a unit of work may open another on the same thread,
as the inbox's acceptance does), so it cannot serialise two units of work of
one thread. Their commits are checked instead: a unit of work whose tables
were committed over since it copied them applies only its own changes, and
refuses with :class:`~tthc_core.storage.ConcurrencyConflict` when the other
changed a row it changed too (the version re-check at commit of the SQL
stores), so neither an update nor a sequence number is lost. Bodies are kept as JSON text, so
what passes here round-trips through a database too.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Sequence
from typing import Any, Generic

import attrs
import cattrs

from tthc_adapters.storage._clock import utc_now
from tthc_adapters.storage._memory_queue import InboxQueue, LeaseRows, OutboxQueue
from tthc_adapters.storage._memory_tables import Row, Tables
from tthc_adapters.storage._open311 import MemoryOpen311
from tthc_adapters.storage._sql import check_sequence
from tthc_adapters.storage._uow import UnitOfWorkBase
from tthc_core.catalogue import Procedure
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.errors import InvalidInput
from tthc_core.events import DomainEvent
from tthc_core.links import CitizenLink
from tthc_core.serialization import converter as default_converter
from tthc_core.storage import (
    AggregateKind,
    Clock,
    ConcurrencyConflict,
    InboundEvent,
    OutboundMessage,
    ReadOnlyViolation,
    RecordedEvent,
    decode_aggregate,
    decode_event,
    encode_aggregate,
    encode_event,
)
from tthc_core.storage._kinds import A

__all__ = ["MemoryStore"]


class MemoryStore:
    """A store in this process's memory.

    Args:
        clock: Tells the time (outbox, inbox and link records).
        converter: Turns aggregates and events into JSON and back.
    """

    def __init__(
        self, *, clock: Clock = utc_now, converter: cattrs.Converter = default_converter
    ) -> None:
        self.clock = clock
        self.converter = converter
        self.lock = threading.RLock()
        self.tables = Tables()
        # The queues are not copied by units of work: workers change them meanwhile.
        self.outbox: LeaseRows[OutboundMessage] = LeaseRows(self.lock)
        self.inbox_events: LeaseRows[InboundEvent] = LeaseRows(self.lock)
        self.outbox_queue = OutboxQueue(self.outbox)
        self.inbox_queue = InboxQueue(self.inbox_events, self._accept_all)

    def unit_of_work(self) -> MemoryUnitOfWork:
        """A new unit of work."""
        return MemoryUnitOfWork(self)

    def _accept_all(self, events: Sequence[InboundEvent]) -> list[bool]:
        with self.unit_of_work() as uow:
            new = [uow.inbox.accept(event) for event in events]
            uow.commit()
        return new

    def read_only(self) -> MemoryUnitOfWork:
        """A new read-only unit of work (the last committed tables, no lock)."""
        return MemoryUnitOfWork(self, read_only=True)

    def close(self) -> None:
        """Nothing to release."""


class MemoryUnitOfWork(UnitOfWorkBase):
    """A unit of work on a :class:`MemoryStore` (``read_only``: its writes raise)."""

    def __init__(self, store: MemoryStore, *, read_only: bool = False) -> None:
        super().__init__()
        self.store = store
        self.read_only = read_only
        self._work: Tables | None = None
        #: The committed tables ``_work`` was copied from.
        self._base: Tables | None = None
        self.outbox = _Outbox(self)
        self.inbox = _Inbox(self)
        self.links = _Links(self)
        self.catalogue = _Catalogue(self)
        self.sequences = _Sequences(self)
        self.audit = _Audit(self)
        self.open311 = MemoryOpen311(self)

    @property
    def work(self) -> Tables:
        """This unit of work's tables (taking the store's lock on first use, unless read-only)."""
        if self._work is None:
            if self.read_only:
                self._work = self.store.tables  # committed tables are replaced, never changed
                return self._work
            self.store.lock.acquire()
            self._base = self.store.tables
            self._work = self._base.copy()
        return self._work

    @property
    def writable(self) -> Tables:
        """This unit of work's tables, to change.

        Raises:
            ReadOnlyViolation: In a read-only unit of work.
        """
        if self.read_only:
            raise ReadOnlyViolation("this unit of work is read-only: open store.unit_of_work()")
        return self.work

    def repository(self, kind: AggregateKind[A]) -> _Repository[A]:
        """The repository of ``kind``."""
        return _Repository(self, kind)

    def _commit(self) -> None:
        """Replace the store's tables by this unit of work's."""
        if self.read_only:
            self._work = None
        elif self._work is not None:
            store, base = self.store, self._base
            if base is not None and store.tables is not base:
                # Another unit of work of this thread committed since this one copied.
                store.tables = store.tables.merged(base, self._work)
            else:
                store.tables = self._work
            self._work = self._base = None
            self.outbox.flush()
            self.inbox.flush()
            self.store.lock.release()

    def _rollback(self) -> None:
        """Drop this unit of work's tables."""
        if self.read_only:
            self._work = None
        elif self._work is not None:
            self._work = self._base = None
            self.outbox.staged.clear()
            self.inbox.staged.clear()
            self.store.lock.release()


@attrs.define
class _Repository(Generic[A]):
    uow: MemoryUnitOfWork
    kind: AggregateKind[A]

    def get(self, key: str) -> A | None:
        row = self.uow.work.aggregates.get((self.kind.name, key))
        return None if row is None else self._decode(row)

    def save(self, aggregate: A, events: Sequence[DomainEvent] = ()) -> A:
        tables, converter = self.uow.writable, self.uow.store.converter
        key, expected = self.kind.key(aggregate), aggregate.version
        row = tables.aggregates.get((self.kind.name, key))
        actual = None if row is None else row.version
        if (actual or 0) != expected:
            raise ConcurrencyConflict(self.kind.name, key, expected=expected, actual=actual)
        stored: A = attrs.evolve(aggregate, version=expected + 1)  # type: ignore[misc]
        index = self.kind.index(stored)
        body = json.dumps(encode_aggregate(converter, stored), ensure_ascii=False)
        tables.aggregates[(self.kind.name, key)] = Row(expected + 1, index, body)
        for event in events:
            type_name, event_body = encode_event(converter, event)
            body = json.dumps(event_body, ensure_ascii=False)
            tables.events.append(
                (
                    self.kind.name,
                    key,
                    expected + 1,
                    index.dossier_code,
                    type_name,
                    body,
                    self.uow.actor,
                )
            )
        self.uow.record_events(events)
        return stored

    def for_dossier(self, code: DossierCode | str) -> list[A]:
        return self._select(lambda i: i.dossier_code == str(code))

    def for_phone(self, phone: str) -> list[A]:
        return self._select(lambda i: i.phone == phone)

    def due_by(self, instant: dt.datetime, *, limit: int = 100) -> list[A]:
        if instant.utcoffset() is None:
            raise InvalidInput(f"storage needs aware datetimes, got {instant!r}")
        rows = [
            (row.index.due_at, key, row)
            for (kind, key), row in self.uow.work.aggregates.items()
            if kind == self.kind.name
            and row.index.due_at is not None
            and row.index.due_at <= instant
        ]
        rows.sort(key=lambda r: (r[0], r[1]))
        return [self._decode(row) for _, _, row in rows[:limit]]

    def page(self, *, after: str | None = None, limit: int = 100) -> list[A]:
        rows = sorted(
            (key, row)
            for (kind, key), row in self.uow.work.aggregates.items()
            if kind == self.kind.name and (after is None or key > after)
        )
        return [self._decode(row) for _, row in rows[:limit]]

    def _select(self, match: Any) -> list[A]:
        rows = sorted(
            (key, row)
            for (kind, key), row in self.uow.work.aggregates.items()
            if kind == self.kind.name and match(row.index)
        )
        return [self._decode(row) for _, row in rows]

    def _decode(self, row: Row) -> A:
        return decode_aggregate(self.uow.store.converter, self.kind, json.loads(row.body))


@attrs.define
class _Audit:
    uow: MemoryUnitOfWork

    def history(self, kind: AggregateKind[Any], key: str) -> list[RecordedEvent]:
        return self._select(lambda k, key_, _: (k, key_) == (kind.name, key))

    def for_dossier(self, code: DossierCode | str) -> list[RecordedEvent]:
        return self._select(lambda _, __, dossier: dossier == str(code))

    def _select(self, match: Any) -> list[RecordedEvent]:
        converter = self.uow.store.converter
        return [
            RecordedEvent(
                seq, kind, key, version, decode_event(converter, t, json.loads(body)), actor
            )
            for seq, (kind, key, version, dossier, t, body, actor) in enumerate(
                self.uow.work.events, 1
            )
            if match(kind, key, dossier)
        ]


@attrs.define
class _Outbox:
    uow: MemoryUnitOfWork
    staged: dict[str, OutboundMessage] = attrs.Factory(dict)

    def put(self, message: OutboundMessage) -> bool:
        self.uow.writable  # noqa: B018 - takes the lock, like every write
        if self.uow.store.outbox.has(message.key) or message.key in self.staged:
            return False
        payload = json.loads(json.dumps(dict(message.payload), ensure_ascii=False))
        self.staged[message.key] = attrs.evolve(message, payload=payload)
        return True

    def flush(self) -> None:
        """Add the staged messages to the store's outbox (the lock is held)."""
        now = self.uow.store.clock()
        for key, message in self.staged.items():
            if not self.uow.store.outbox.has(key):  # staged meanwhile by a unit of this thread
                self.uow.store.outbox.add(key, message, now)
        self.staged.clear()


@attrs.define
class _Inbox:
    uow: MemoryUnitOfWork
    staged: dict[tuple[str, str], InboundEvent] = attrs.Factory(dict)

    def accept(self, event: InboundEvent) -> bool:
        self.uow.writable  # noqa: B018 - takes the lock, like every write
        key = (event.source, event.event_id)
        if self.uow.store.inbox_events.has(key) or key in self.staged:
            return False
        payload = json.loads(json.dumps(dict(event.payload), ensure_ascii=False))
        self.staged[key] = attrs.evolve(event, payload=payload)
        return True

    def flush(self) -> None:
        """Add the staged events to the store's inbox queue (the lock is held)."""
        for key, event in self.staged.items():
            if not self.uow.store.inbox_events.has(key):  # accepted meanwhile on this thread
                self.uow.store.inbox_events.add(key, event, event.received_at)
        self.staged.clear()

    def record_once(self, source: str, event_id: str) -> bool:
        inbox = self.uow.writable.inbox
        if (source, event_id) in inbox:
            return False
        inbox[(source, event_id)] = self.uow.store.clock()
        return True


@attrs.define
class _Links:
    uow: MemoryUnitOfWork

    def link(self, link: CitizenLink) -> bool:
        links = self.uow.writable.links
        key = (link.channel, link.user_id, str(link.dossier_code))
        if key in links:
            return False
        links[key] = link
        return True

    def unlink(self, channel: str, user_id: str, code: DossierCode) -> bool:
        return self.uow.writable.links.pop((channel, user_id, str(code)), None) is not None

    def for_user(self, channel: str, user_id: str) -> list[CitizenLink]:
        return self._select(lambda link: (link.channel, link.user_id) == (channel, user_id))

    def for_dossier(self, code: DossierCode) -> list[CitizenLink]:
        return self._select(lambda link: link.dossier_code == code)

    def for_phone(self, phone: str) -> list[CitizenLink]:
        return self._select(lambda link: link.phone == phone)

    def _select(self, match: Any) -> list[CitizenLink]:
        found = [link for link in self.uow.work.links.values() if match(link)]
        return sorted(found, key=lambda k: (k.linked_at, k.channel, k.user_id, str(k.dossier_code)))


@attrs.define
class _Catalogue:
    uow: MemoryUnitOfWork

    def put(self, procedure: Procedure) -> None:
        body = self.uow.store.converter.unstructure(procedure)
        self.uow.writable.procedures[str(procedure.code)] = json.dumps(body, ensure_ascii=False)

    def get(self, code: ProcedureCode | str) -> Procedure | None:
        body = self.uow.work.procedures.get(str(code))
        return None if body is None else self._decode(body)

    def all(self) -> list[Procedure]:
        procedures = self.uow.work.procedures
        return [self._decode(procedures[code]) for code in sorted(procedures)]

    def _decode(self, body: str) -> Procedure:
        return self.uow.store.converter.structure(json.loads(body), Procedure)


@attrs.define
class _Sequences:
    uow: MemoryUnitOfWork

    def next_sequence(self, agency: AgencyCode, day: dt.date) -> int:
        sequences = self.uow.writable.sequences
        number = sequences.get((agency.value, day), 0) + 1
        sequences[(agency.value, day)] = check_sequence(agency, day, number)
        return number
