# file: dict_store.py
from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Sequence
from typing import Any

import attrs

from tthc_core.catalogue import Procedure
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.errors import DomainRuleViolation
from tthc_core.events import DomainEvent
from tthc_core.links import CitizenLink
from tthc_core.storage import (
    AggregateKind,
    ClientApp,
    ConcurrencyConflict,
    Open311Token,
    OutboundMessage,
    OutboxCounts,
    ParkedMessage,
    PendingMessage,
    RecordedEvent,
)

Clock = Callable[[], dt.datetime]
SEQUENCE_RULE = "Circular 01/2018/TT-VPCP Art. 19"


@attrs.frozen
class Row:
    """One stored aggregate: its version, the aggregate itself and its index."""

    version: int
    aggregate: Any
    index: Any


class DictStore:
    """Everything in dicts; units of work buffer their writes and re-check them at commit."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.lock = threading.Lock()  # held while a commit checks and applies its writes
        self.sequence_lock = threading.Lock()  # held from a unit's first number to its end
        self.rows: dict[tuple[str, str], Row] = {}
        self.events: list[tuple[RecordedEvent, str | None]] = []  # with the dossier code
        self.inbox: set[tuple[str, str]] = set()
        self.links: dict[tuple[str, str, str], CitizenLink] = {}
        self.procedures: dict[str, Procedure] = {}
        self.sequences: dict[tuple[str, dt.date], int] = {}
        self.clients: dict[str, ClientApp] = {}
        self.tokens: dict[str, Open311Token] = {}
        self.outbox_queue = DictQueue(self)

    def unit_of_work(self) -> DictUnitOfWork:
        return DictUnitOfWork(self)

    def close(self) -> None:
        pass


class DictUnitOfWork:
    """Reads see the store plus this unit's own writes; commit applies them at once."""

    def __init__(self, store: DictStore) -> None:
        self.store = store
        self.outbox = DictOutbox(self)
        self.inbox = DictInbox(self)
        self.links = DictLinks(self)
        self.catalogue = DictCatalogue(self)
        self.sequences = DictSequences(self)
        self.audit = DictAudit(self)
        self.open311 = DictOpen311(self)
        self.committed_events: list[DomainEvent] = []
        self._begin()

    def _begin(self) -> None:
        # (kind, key) -> (the version the store held when we first wrote, new row, events)
        self.writes: dict[tuple[str, str], tuple[int, Row, list[DomainEvent]]] = {}
        self.inbox_seen: set[tuple[str, str]] = set()
        self.link_changes: dict[tuple[str, str, str], CitizenLink | None] = {}
        self.procedures: dict[str, Procedure] = {}
        self.numbers: dict[tuple[str, dt.date], int] = {}
        self.clients: dict[str, ClientApp] = {}
        self.tokens: dict[str, Open311Token] = {}
        self.holds_sequences = False
        self.messages: list[OutboundMessage] = []
        self.pending_events: list[DomainEvent] = []

    def repository(self, kind: AggregateKind[Any]) -> DictRepository:
        return DictRepository(self, kind)

    def row(self, kind: str, key: str) -> Row | None:
        if (kind, key) in self.writes:
            return self.writes[(kind, key)][1]
        return self.store.rows.get((kind, key))

    def commit(self) -> None:
        store = self.store
        try:
            with store.lock:
                self._check_versions()
                self._apply()
        finally:
            self._release_sequences()
        self.committed_events += self.pending_events
        self._begin()

    def _check_versions(self) -> None:
        # Another unit may have committed since we read: re-check every write.
        for (kind, key), (expected, _, _) in self.writes.items():
            current = self.store.rows.get((kind, key))
            actual = None if current is None else current.version
            if (actual or 0) != expected:
                raise ConcurrencyConflict(kind, key, expected=expected, actual=actual)

    def _apply(self) -> None:
        store = self.store
        for (kind, key), (_, row, events) in self.writes.items():
            store.rows[(kind, key)] = row
            for event in events:
                record = RecordedEvent(len(store.events) + 1, kind, key, row.version, event)
                store.events.append((record, row.index.dossier_code))
        store.inbox |= self.inbox_seen
        for link_key, link in self.link_changes.items():
            if link is None:
                store.links.pop(link_key, None)
            else:
                store.links[link_key] = link
        store.procedures.update(self.procedures)
        store.sequences.update(self.numbers)
        store.clients.update(self.clients)
        store.tokens.update(self.tokens)
        store.outbox_queue.add(self.messages)

    def rollback(self) -> None:
        self._release_sequences()
        self._begin()

    def _release_sequences(self) -> None:
        if self.holds_sequences:
            self.holds_sequences = False
            self.store.sequence_lock.release()

    def collect_new_events(self) -> list[DomainEvent]:
        events, self.committed_events = self.committed_events, []
        return events

    def __enter__(self) -> DictUnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        self.rollback()  # after a commit there is nothing left to undo


class DictRepository:
    def __init__(self, uow: DictUnitOfWork, kind: AggregateKind[Any]) -> None:
        self.uow, self.kind = uow, kind

    def get(self, key: str) -> Any:
        row = self.uow.row(self.kind.name, key)
        return None if row is None else row.aggregate

    def save(self, aggregate: Any, events: Sequence[DomainEvent] = ()) -> Any:
        name, key, expected = self.kind.name, self.kind.key(aggregate), aggregate.version
        current = self.uow.row(name, key)
        actual = None if current is None else current.version
        if (actual or 0) != expected:
            raise ConcurrencyConflict(name, key, expected=expected, actual=actual)
        stored = attrs.evolve(aggregate, version=expected + 1)
        first_read, earlier = self.uow.writes.get((name, key), (expected, None, []))[::2]
        row = Row(expected + 1, stored, self.kind.index(stored))
        self.uow.writes[(name, key)] = (first_read, row, [*earlier, *events])
        self.uow.pending_events += events
        return stored

    def _rows(self) -> dict[str, Row]:
        rows = {k: r for (n, k), r in self.uow.store.rows.items() if n == self.kind.name}
        rows.update({k: w[1] for (n, k), w in self.uow.writes.items() if n == self.kind.name})
        return rows

    def _select(self, match: Callable[[Any], bool]) -> list[Any]:
        return [row.aggregate for _, row in sorted(self._rows().items()) if match(row.index)]

    def for_dossier(self, code: DossierCode | str) -> list[Any]:
        return self._select(lambda index: index.dossier_code == str(code))

    def for_phone(self, phone: str) -> list[Any]:
        return self._select(lambda index: index.phone == phone)

    def due_by(self, instant: dt.datetime, *, limit: int = 100) -> list[Any]:
        due = [
            (row.index.due_at, key, row.aggregate)
            for key, row in self._rows().items()
            if row.index.due_at is not None and row.index.due_at <= instant
        ]
        return [aggregate for _, _, aggregate in sorted(due, key=lambda d: d[:2])[:limit]]

    def page(self, *, after: str | None = None, limit: int = 100) -> list[Any]:
        rows = sorted((k, r) for k, r in self._rows().items() if after is None or k > after)
        return [row.aggregate for _, row in rows[:limit]]


class DictAudit:
    def __init__(self, uow: DictUnitOfWork) -> None:
        self.uow = uow

    def history(self, kind: AggregateKind[Any], key: str) -> list[RecordedEvent]:
        return [r for r, _ in self.uow.store.events if (r.kind, r.key) == (kind.name, key)]

    def for_dossier(self, code: DossierCode | str) -> list[RecordedEvent]:
        return [r for r, dossier in self.uow.store.events if dossier == str(code)]


class DictInbox:
    def __init__(self, uow: DictUnitOfWork) -> None:
        self.uow = uow

    def record_once(self, source: str, event_id: str) -> bool:
        seen = (source, event_id)
        if seen in self.uow.store.inbox or seen in self.uow.inbox_seen:
            return False
        self.uow.inbox_seen.add(seen)
        return True


class DictLinks:
    def __init__(self, uow: DictUnitOfWork) -> None:
        self.uow = uow

    def _current(self) -> dict[tuple[str, str, str], CitizenLink]:
        links = dict(self.uow.store.links)
        for key, link in self.uow.link_changes.items():
            if link is None:
                links.pop(key, None)
            else:
                links[key] = link
        return links

    def link(self, link: CitizenLink) -> bool:
        key = (link.channel, link.user_id, str(link.dossier_code))
        if key in self._current():
            return False
        self.uow.link_changes[key] = link
        return True

    def unlink(self, channel: str, user_id: str, code: DossierCode) -> bool:
        key = (channel, user_id, str(code))
        if key not in self._current():
            return False
        self.uow.link_changes[key] = None
        return True

    def _select(self, match: Callable[[CitizenLink], bool]) -> list[CitizenLink]:
        found = [link for link in self._current().values() if match(link)]
        return sorted(found, key=lambda k: (k.linked_at, k.channel, k.user_id, str(k.dossier_code)))

    def for_user(self, channel: str, user_id: str) -> list[CitizenLink]:
        return self._select(lambda link: (link.channel, link.user_id) == (channel, user_id))

    def for_dossier(self, code: DossierCode) -> list[CitizenLink]:
        return self._select(lambda link: link.dossier_code == code)

    def for_phone(self, phone: str) -> list[CitizenLink]:
        return self._select(lambda link: link.phone == phone)


class DictCatalogue:
    def __init__(self, uow: DictUnitOfWork) -> None:
        self.uow = uow

    def put(self, procedure: Procedure) -> None:
        self.uow.procedures[str(procedure.code)] = procedure

    def get(self, code: ProcedureCode | str) -> Procedure | None:
        return self.uow.procedures.get(str(code)) or self.uow.store.procedures.get(str(code))

    def all(self) -> list[Procedure]:
        merged = {**self.uow.store.procedures, **self.uow.procedures}
        return [merged[code] for code in sorted(merged)]


class DictSequences:
    def __init__(self, uow: DictUnitOfWork) -> None:
        self.uow = uow

    def next_sequence(self, agency: AgencyCode, day: dt.date) -> int:
        if not self.uow.holds_sequences:  # one unit at a time allocates numbers
            self.uow.store.sequence_lock.acquire()
            self.uow.holds_sequences = True
        key = (agency.value, day)
        number = self.uow.numbers.get(key, self.uow.store.sequences.get(key, 0)) + 1
        if number > 9999:
            raise DomainRuleViolation(
                f"agency {agency} has used every 4-digit number of {day}", rule=SEQUENCE_RULE
            )
        self.uow.numbers[key] = number
        return number


class DictOpen311:
    def __init__(self, uow: DictUnitOfWork) -> None:
        self.uow = uow

    def _clients(self) -> dict[str, ClientApp]:
        return {**self.uow.store.clients, **self.uow.clients}

    def add_client(self, client: ClientApp) -> bool:
        clients = self._clients().values()
        if any(c.name == client.name or c.key_hash == client.key_hash for c in clients):
            return False
        self.uow.clients[client.name] = client
        return True

    def client_by_hash(self, key_hash: str) -> ClientApp | None:
        return next((c for c in self._clients().values() if c.key_hash == key_hash), None)

    def revoke_client(self, name: str, at: dt.datetime) -> bool:
        client = self._clients().get(name)
        if client is None or not client.active:
            return False
        self.uow.clients[name] = attrs.evolve(client, revoked_at=at)
        return True

    def clients(self) -> list[ClientApp]:
        clients = self._clients()
        return [clients[name] for name in sorted(clients)]

    def add_token(self, token: Open311Token) -> None:
        self.uow.tokens[token.token] = token

    def token(self, token: str) -> Open311Token | None:
        return self.uow.tokens.get(token) or self.uow.store.tokens.get(token)


class DictOutbox:
    def __init__(self, uow: DictUnitOfWork) -> None:
        self.uow = uow

    def put(self, message: OutboundMessage) -> bool:
        staged = {m.key for m in self.uow.messages}
        if message.key in self.uow.store.outbox_queue.keys or message.key in staged:
            return False
        self.uow.messages.append(message)
        return True


@attrs.define
class Entry:
    message: OutboundMessage
    next_attempt_at: dt.datetime | None  # None once parked
    attempts: int = 0
    lease_owner: str | None = None
    lease_until: dt.datetime | None = None
    delivered_at: dt.datetime | None = None
    last_error: str | None = None


class DictQueue:
    """The outbox's worker side: leases, retries, parking."""

    def __init__(self, store: DictStore) -> None:
        self.store = store
        self.lock = threading.Lock()
        self.entries: dict[int, Entry] = {}
        self.keys: dict[str, int] = {}

    def add(self, messages: list[OutboundMessage]) -> None:
        with self.lock:
            for message in messages:
                self.keys[message.key] = message_id = len(self.entries) + 1
                self.entries[message_id] = Entry(message, next_attempt_at=self.store.clock())

    def claim(
        self, *, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
    ) -> list[PendingMessage]:
        with self.lock:
            due = sorted(
                (e.next_attempt_at, message_id)
                for message_id, e in self.entries.items()
                if e.delivered_at is None
                and e.next_attempt_at is not None
                and e.next_attempt_at <= now
                and (e.lease_until is None or e.lease_until <= now)
            )[:limit]
            claimed = []
            for _, message_id in due:
                entry = self.entries[message_id]
                entry.attempts += 1
                entry.lease_owner, entry.lease_until = owner, now + lease
                pending = PendingMessage(message_id, entry.message, entry.attempts, now + lease)
                claimed.append(pending)
            return sorted(claimed, key=lambda p: p.id)

    def delivered(self, message_id: int, *, owner: str, now: dt.datetime) -> bool:
        return self._release(message_id, owner, delivered_at=now)

    def failed(
        self, message_id: int, *, owner: str, error: str, retry_at: dt.datetime | None
    ) -> bool:
        return self._release(message_id, owner, next_attempt_at=retry_at, last_error=error)

    def _release(self, message_id: int, owner: str, **changes: Any) -> bool:
        with self.lock:
            entry = self.entries.get(message_id)
            if entry is None or entry.lease_owner != owner or entry.delivered_at is not None:
                return False
            entry.lease_owner = entry.lease_until = None
            for name, value in changes.items():
                setattr(entry, name, value)
            return True

    def counts(self) -> OutboxCounts:
        with self.lock:
            entries = list(self.entries.values())
        delivered = sum(e.delivered_at is not None for e in entries)
        parked = sum(e.delivered_at is None and e.next_attempt_at is None for e in entries)
        return OutboxCounts(len(entries) - delivered - parked, delivered, parked)

    def _parked(self) -> list[tuple[int, Entry]]:
        return [
            (message_id, e)
            for message_id, e in sorted(self.entries.items())
            if e.delivered_at is None and e.next_attempt_at is None
        ]

    def parked(self, *, limit: int = 100) -> list[ParkedMessage]:
        with self.lock:
            return [
                ParkedMessage(message_id, e.message, e.attempts, e.last_error)
                for message_id, e in self._parked()[:limit]
            ]

    def retry_parked(self, message_id: int, *, now: dt.datetime) -> bool:
        with self.lock:
            entry = dict(self._parked()).get(message_id)
            if entry is None:
                return False
            entry.next_attempt_at, entry.attempts = now, 0
            return True
