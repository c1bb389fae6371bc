"""The in-memory store: for tests, demos and integrators' tests.

It keeps the contract of the SQL stores, including its transactions: a unit
of work takes the store's lock at its first operation and works on a copy of
the tables, which replaces them on commit (so a rollback is free). Units of
work are therefore serialised, like SQLite's immediate transactions. Bodies
are kept as JSON text, so what passes here round-trips through a database too.
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
from tthc_adapters.storage._open311 import MemoryOpen311
from tthc_adapters.storage._sql import check_sequence
from tthc_adapters.storage._uow import UnitOfWorkBase
from tthc_core.catalogue import Procedure
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.events import DomainEvent
from tthc_core.links import CitizenLink
from tthc_core.serialization import converter as default_converter
from tthc_core.storage import (
    AggregateKind,
    ClientApp,
    Clock,
    ConcurrencyConflict,
    Open311Token,
    OutboundMessage,
    OutboxCounts,
    PendingMessage,
    RecordedEvent,
    decode_aggregate,
    decode_event,
    encode_aggregate,
    encode_event,
)
from tthc_core.storage._kinds import A, Index

__all__ = ["MemoryStore"]

_LinkKey = tuple[str, str, str]


@attrs.frozen
class _Row:
    version: int
    index: Index
    body: str


@attrs.frozen
class _Message:
    message: OutboundMessage
    attempts: int = 0
    next_attempt_at: dt.datetime | None = None
    lease_owner: str | None = None
    lease_until: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    last_error: str | None = None


@attrs.define
class _Tables:
    aggregates: dict[tuple[str, str], _Row] = attrs.Factory(dict)
    events: list[tuple[str, str, int, str | None, str, str]] = attrs.Factory(list)
    inbox: dict[tuple[str, str], dt.datetime] = attrs.Factory(dict)
    links: dict[_LinkKey, CitizenLink] = attrs.Factory(dict)
    procedures: dict[str, str] = attrs.Factory(dict)
    sequences: dict[tuple[str, dt.date], int] = attrs.Factory(dict)
    open311_clients: dict[str, ClientApp] = attrs.Factory(dict)
    open311_tokens: dict[str, Open311Token] = attrs.Factory(dict)

    def copy(self) -> _Tables:
        """A copy that can change without touching these tables (rows are immutable)."""
        return _Tables(
            dict(self.aggregates),
            list(self.events),
            dict(self.inbox),
            dict(self.links),
            dict(self.procedures),
            dict(self.sequences),
            dict(self.open311_clients),
            dict(self.open311_tokens),
        )


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
        self.tables = _Tables()
        # The outbox is not copied by units of work: the queue changes it meanwhile.
        self.outbox: dict[int, _Message] = {}
        self.outbox_keys: dict[str, int] = {}
        self.outbox_queue = _Queue(self)

    def unit_of_work(self) -> MemoryUnitOfWork:
        """A new unit of work."""
        return MemoryUnitOfWork(self)

    def close(self) -> None:
        """Nothing to release."""


class MemoryUnitOfWork(UnitOfWorkBase):
    """A unit of work on a :class:`MemoryStore`."""

    def __init__(self, store: MemoryStore) -> None:
        super().__init__()
        self.store = store
        self._work: _Tables | None = None
        self.outbox = _Outbox(self)
        self.inbox = _Inbox(self)
        self.links = _Links(self)
        self.catalogue = _Catalogue(self)
        self.sequences = _Sequences(self)
        self.audit = _Audit(self)
        self.open311 = MemoryOpen311(self)

    @property
    def work(self) -> _Tables:
        """This unit of work's tables (taking the store's lock on first use)."""
        if self._work is None:
            self.store.lock.acquire()
            self._work = self.store.tables.copy()
        return self._work

    def repository(self, kind: AggregateKind[A]) -> _Repository[A]:
        """The repository of ``kind``."""
        return _Repository(self, kind)

    def _commit(self) -> None:
        """Replace the store's tables by this unit of work's."""
        if self._work is not None:
            self.store.tables, self._work = self._work, None
            self.outbox.flush()
            self.store.lock.release()

    def _rollback(self) -> None:
        """Drop this unit of work's tables."""
        if self._work is not None:
            self._work = None
            self.outbox.staged.clear()
            self.store.lock.release()


@attrs.define
class _Repository(Generic[A]):
    uow: MemoryUnitOfWork
    kind: AggregateKind[A]

    def get(self, key: str) -> A | None:
        row = self.uow.work.aggregates.get((self.kind.name, key))
        return None if row is None else self._decode(row)

    def save(self, aggregate: A, events: Sequence[DomainEvent] = ()) -> A:
        tables, converter = self.uow.work, self.uow.store.converter
        key, expected = self.kind.key(aggregate), aggregate.version
        row = tables.aggregates.get((self.kind.name, key))
        actual = None if row is None else row.version
        if (actual or 0) != expected:
            raise ConcurrencyConflict(self.kind.name, key, expected=expected, actual=actual)
        stored: A = attrs.evolve(aggregate, version=expected + 1)  # type: ignore[misc]
        index = self.kind.index(stored)
        body = json.dumps(encode_aggregate(converter, stored), ensure_ascii=False)
        tables.aggregates[(self.kind.name, key)] = _Row(expected + 1, index, body)
        for event in events:
            type_name, event_body = encode_event(converter, event)
            body = json.dumps(event_body, ensure_ascii=False)
            tables.events.append(
                (self.kind.name, key, expected + 1, index.dossier_code, type_name, body)
            )
        self.uow.record_events(events)
        return stored

    def for_dossier(self, code: DossierCode | str) -> list[A]:
        return self._select(lambda i: i.dossier_code == str(code))

    def for_phone(self, phone: str) -> list[A]:
        return self._select(lambda i: i.phone == phone)

    def due_before(self, instant: dt.datetime, *, limit: int = 100) -> list[A]:
        rows = [
            (row.index.due_at, key, row)
            for (kind, key), row in self.uow.work.aggregates.items()
            if kind == self.kind.name
            and row.index.due_at is not None
            and row.index.due_at < instant
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

    def _decode(self, row: _Row) -> A:
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
            RecordedEvent(seq, kind, key, version, decode_event(converter, t, json.loads(body)))
            for seq, (kind, key, version, dossier, t, body) in enumerate(self.uow.work.events, 1)
            if match(kind, key, dossier)
        ]


@attrs.define
class _Outbox:
    uow: MemoryUnitOfWork
    staged: dict[str, _Message] = attrs.Factory(dict)

    def put(self, message: OutboundMessage) -> bool:
        self.uow.work  # noqa: B018 - takes the lock, like every write
        if message.key in self.uow.store.outbox_keys or message.key in self.staged:
            return False
        payload = json.loads(json.dumps(dict(message.payload), ensure_ascii=False))
        self.staged[message.key] = _Message(
            attrs.evolve(message, payload=payload), next_attempt_at=self.uow.store.clock()
        )
        return True

    def flush(self) -> None:
        """Add the staged messages to the store's outbox (the lock is held)."""
        store = self.uow.store
        for key, message in self.staged.items():
            message_id = len(store.outbox_keys) + 1
            store.outbox_keys[key] = message_id
            store.outbox[message_id] = message
        self.staged.clear()


@attrs.define
class _Inbox:
    uow: MemoryUnitOfWork

    def record_once(self, source: str, event_id: str) -> bool:
        inbox = self.uow.work.inbox
        if (source, event_id) in inbox:
            return False
        inbox[(source, event_id)] = self.uow.store.clock()
        return True


@attrs.define
class _Links:
    uow: MemoryUnitOfWork

    def link(self, link: CitizenLink) -> bool:
        links = self.uow.work.links
        key = (link.channel, link.user_id, str(link.dossier_code))
        if key in links:
            return False
        links[key] = link
        return True

    def unlink(self, channel: str, user_id: str, code: DossierCode) -> bool:
        return self.uow.work.links.pop((channel, user_id, str(code)), None) is not None

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
        self.uow.work.procedures[str(procedure.code)] = json.dumps(body, ensure_ascii=False)

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
        sequences = self.uow.work.sequences
        number = sequences.get((agency.value, day), 0) + 1
        sequences[(agency.value, day)] = check_sequence(agency, day, number)
        return number


@attrs.define
class _Queue:
    store: MemoryStore

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[PendingMessage]:
        with self.store.lock:
            outbox = self.store.outbox
            due = sorted(
                (m.next_attempt_at, id_)
                for id_, m in outbox.items()
                if m.delivered_at is None
                and m.next_attempt_at is not None
                and m.next_attempt_at <= now
                and (m.lease_until is None or m.lease_until <= now)
            )[:limit]
            claimed = []
            for _, id_ in due:
                m = outbox[id_] = attrs.evolve(
                    outbox[id_],
                    lease_owner=owner,
                    lease_until=now + lease,
                    attempts=outbox[id_].attempts + 1,
                )
                claimed.append(PendingMessage(id_, m.message, m.attempts, now + lease))
            return sorted(claimed, key=lambda p: p.id)

    def delivered(self, message_id: int, *, owner: str, now: dt.datetime) -> bool:
        return self._release(message_id, owner, delivered_at=now)

    def failed(
        self, message_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        return self._release(message_id, owner, next_attempt_at=retry_at, last_error=error)

    def counts(self) -> OutboxCounts:
        with self.store.lock:
            messages = list(self.store.outbox.values())
        delivered = sum(m.delivered_at is not None for m in messages)
        parked = sum(m.delivered_at is None and m.next_attempt_at is None for m in messages)
        return OutboxCounts(len(messages) - delivered - parked, delivered, parked)

    def _release(self, message_id: int, owner: str, **changes: Any) -> bool:
        with self.store.lock:
            outbox = self.store.outbox
            m = outbox.get(message_id)
            if m is None or m.lease_owner != owner or m.delivered_at is not None:
                return False
            outbox[message_id] = attrs.evolve(m, lease_owner=None, lease_until=None, **changes)
            return True
