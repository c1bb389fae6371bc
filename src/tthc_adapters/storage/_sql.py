"""The unit of work and repositories shared by the SQLite and PostgreSQL adapters.

One implementation over DB-API connections; :class:`~._dialect.Dialect`
carries what differs. Every write of a unit of work happens in one database
transaction: aggregates, their events (the audit trail), outbox messages,
inbox records, citizen links and dossier-code sequences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Generic, Protocol

import attrs
import cattrs

from tthc_adapters.storage._decoded import DecodedCache
from tthc_adapters.storage._dialect import Dialect
from tthc_adapters.storage._open311 import SqlOpen311
from tthc_adapters.storage._sql_records import SqlCatalogue, SqlSequences, check_sequence
from tthc_adapters.storage._uow import UnitOfWorkBase
from tthc_core.codes import DossierCode
from tthc_core.events import DomainEvent
from tthc_core.links import CitizenLink
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

__all__ = ["ConnectionSource", "SqlUnitOfWork", "check_sequence"]

#: Rows per multi-row INSERT (well under SQLite's 32,766 parameters).
_INSERT_CHUNK = 500


class ConnectionSource(Protocol):
    """Hands out DB-API connections (a pool)."""

    def acquire(self) -> Any:
        """A connection with no open transaction."""
        ...

    def release(self, conn: Any) -> None:
        """Give a connection back (its transaction is closed)."""
        ...


class SqlUnitOfWork(UnitOfWorkBase):
    """A unit of work on one connection and one transaction.

    Args:
        source: Where connections come from.
        dialect: The back-end's dialect.
        converter: Turns aggregates and events into JSON and back.
        clock: Tells the time (outbox, inbox and link records).
        read_only: Open a read-only transaction (``dialect.begin_read``);
            every write raises :class:`~tthc_core.storage.ReadOnlyViolation`.
        decoded: Decoded committed aggregates to reuse (never for what this
            unit of work saved itself).
    """

    def __init__(
        self,
        source: ConnectionSource,
        dialect: Dialect,
        converter: cattrs.Converter,
        clock: Clock,
        *,
        read_only: bool = False,
        decoded: DecodedCache | None = None,
    ) -> None:
        super().__init__()
        self._source = source
        self.dialect = dialect
        self.converter = converter
        self.clock = clock
        self.read_only = read_only
        self.decoded = decoded
        #: ``(kind, key)`` of the aggregates saved here: their rows may be
        #: uncommitted versions, which the decoded cache must never hold.
        self.saved: set[tuple[str, str]] = set()
        self._begin = dialect.begin_read if read_only else dialect.begin
        self._conn: Any = None
        self._in_tx = False
        self._repositories: dict[str, SqlRepository[Any]] = {}
        self.outbox = _Outbox(self)
        self.inbox = _Inbox(self)
        self.links = _Links(self)
        self.catalogue = SqlCatalogue(self)
        self.sequences = SqlSequences(self)
        self.audit = _Audit(self)
        self.open311 = SqlOpen311(self)

    def x(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Execute one statement in this unit of work's transaction."""
        return self._transaction().execute(self.dialect.q(sql), params)

    def w(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Execute one writing statement (refused in a read-only unit of work)."""
        self._writable()
        return self.x(sql, params)

    def insert(self, into: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows with one multi-row ``INSERT`` (one round trip; ``executemany`` takes more).

        Args:
            into: ``"table (column, ...)"``.
            rows: The rows, each with one value per column.
        """
        self._writable()
        for start in range(0, len(rows), _INSERT_CHUNK):
            chunk = rows[start : start + _INSERT_CHUNK]
            values = ", ".join(["(" + ", ".join(["%s"] * len(chunk[0])) + ")"] * len(chunk))
            params = [v for row in chunk for v in row]
            self.x(f"INSERT INTO {into} VALUES {values}", params)  # noqa: S608 - fixed names

    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnlyViolation("this unit of work is read-only: open store.unit_of_work()")

    def _transaction(self) -> Any:
        """The connection, in an open transaction."""
        if self._conn is None:
            self._conn = self._source.acquire()
        if not self._in_tx:
            if self._begin:
                self._conn.execute(self._begin)
            self._in_tx = True
        return self._conn

    def repository(self, kind: AggregateKind[A]) -> SqlRepository[A]:
        """The repository of ``kind`` in this unit of work."""
        repo = self._repositories.get(kind.name)
        if repo is None or repo.kind != kind:
            repo = self._repositories[kind.name] = SqlRepository(self, kind)
        return repo

    def _commit(self) -> None:
        """Commit the transaction."""
        if self._in_tx:
            self._conn.commit()
            self._in_tx = False

    def _rollback(self) -> None:
        """Roll the transaction back."""
        if self._in_tx:
            self._in_tx = False
            self._conn.rollback()

    def _release(self) -> None:
        """Give the connection back to the pool."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            self._source.release(conn)


@attrs.define
class SqlRepository(Generic[A]):
    """Aggregates of one kind in the ``aggregates`` table."""

    uow: SqlUnitOfWork
    kind: AggregateKind[A]

    def get(self, key: str) -> A | None:
        """The aggregate with this key."""
        row = self.uow.x(
            "SELECT version, body FROM aggregates WHERE kind = %s AND key = %s",
            (self.kind.name, key),
        ).fetchone()
        return None if row is None else self._decode_row(key, int(row[0]), row[1])

    def save(self, aggregate: A, events: Sequence[DomainEvent] = ()) -> A:
        """Store at ``version + 1`` if the store still holds ``aggregate.version``."""
        uow, d = self.uow, self.uow.dialect
        key, expected = self.kind.key(aggregate), aggregate.version
        uow.saved.add((self.kind.name, key))
        stored: A = attrs.evolve(aggregate, version=expected + 1)  # type: ignore[misc]
        index = self.kind.index(stored)
        body = d.json(encode_aggregate(uow.converter, stored))
        columns = (index.state, d.ts(index.due_at), index.dossier_code, index.phone, body)
        if expected == 0:
            cursor = uow.w(
                "INSERT INTO aggregates (kind, key, version, state, due_at, dossier_code, phone,"
                " body) VALUES (%s, %s, 1, %s, %s, %s, %s, %s) ON CONFLICT (kind, key) DO NOTHING",
                (self.kind.name, key, *columns),
            )
        else:
            cursor = uow.w(
                "UPDATE aggregates SET version = version + 1, state = %s, due_at = %s,"
                " dossier_code = %s, phone = %s, body = %s"
                " WHERE kind = %s AND key = %s AND version = %s",
                (*columns, self.kind.name, key, expected),
            )
        if cursor.rowcount != 1:
            raise ConcurrencyConflict(
                self.kind.name, key, expected=expected, actual=self._stored_version(key)
            )
        rows = []
        for event in events:
            type_name, event_body = encode_event(uow.converter, event)
            at, data = d.ts(event.occurred_at), d.json(event_body)
            rows.append(
                (
                    self.kind.name,
                    key,
                    expected + 1,
                    type_name,
                    at,
                    index.dossier_code,
                    data,
                    uow.actor,
                )
            )
        uow.insert(
            "events (kind, key, version, type, occurred_at, dossier_code, body, actor)", rows
        )
        uow.record_events(events)
        return stored

    def for_dossier(self, code: DossierCode | str) -> list[A]:
        """Aggregates indexed under a dossier code."""
        return self._select("dossier_code = %s ORDER BY key", str(code))

    def for_phone(self, phone: str) -> list[A]:
        """Aggregates indexed under a phone number."""
        return self._select("phone = %s ORDER BY key", phone)

    def due_by(self, instant: dt.datetime, *, limit: int = 100) -> list[A]:
        """The due queue (``due_at <= instant``), soonest first, ties by key."""
        return self._select(
            "due_at <= %s ORDER BY due_at, key LIMIT %s", self.uow.dialect.ts(instant), limit
        )

    def page(self, *, after: str | None = None, limit: int = 100) -> list[A]:
        """A keyset page in key order (the primary key's index serves it)."""
        if after is None:
            return self._select("TRUE ORDER BY key LIMIT %s", limit)
        return self._select("key > %s ORDER BY key LIMIT %s", after, limit)

    def _select(self, where: str, *params: Any) -> list[A]:
        rows = self.uow.x(
            f"SELECT body FROM aggregates WHERE kind = %s AND {where}",  # noqa: S608 - fixed text
            (self.kind.name, *params),
        ).fetchall()
        return [self._decode(row[0]) for row in rows]

    def _decode(self, body: Any) -> A:
        return decode_aggregate(self.uow.converter, self.kind, self.uow.dialect.from_json(body))

    def _decode_row(self, key: str, version: int, body: Any) -> A:
        """Decode a row, or reuse its decoded committed version (:mod:`._decoded`)."""
        cache, name = self.uow.decoded, self.kind.name
        if cache is None or (name, key) in self.uow.saved:
            return self._decode(body)
        found: A | None = cache.get(name, key, version, self.kind.type)
        if found is None:
            found = self._decode(body)
            cache.put(name, key, version, found)
        return found

    def _stored_version(self, key: str) -> int | None:
        row = self.uow.x(
            "SELECT version FROM aggregates WHERE kind = %s AND key = %s", (self.kind.name, key)
        ).fetchone()
        return None if row is None else int(row[0])


@attrs.define
class _Audit:
    uow: SqlUnitOfWork

    def history(self, kind: AggregateKind[Any], key: str) -> list[RecordedEvent]:
        return self._select("kind = %s AND key = %s", kind.name, key)

    def for_dossier(self, code: DossierCode | str) -> list[RecordedEvent]:
        return self._select("dossier_code = %s", str(code))

    def _select(self, where: str, *params: Any) -> list[RecordedEvent]:
        rows = self.uow.x(
            "SELECT seq, kind, key, version, type, body, actor FROM events"  # noqa: S608
            f" WHERE {where} ORDER BY seq",
            params,
        ).fetchall()
        decode = self.uow.dialect.from_json
        return [
            RecordedEvent(
                int(seq),
                kind,
                key,
                int(version),
                decode_event(self.uow.converter, t, decode(b)),
                actor,
            )
            for seq, kind, key, version, t, b, actor in rows
        ]


@attrs.define
class _Outbox:
    uow: SqlUnitOfWork

    def put(self, message: OutboundMessage) -> bool:
        d, now = self.uow.dialect, self.uow.clock()
        cursor = self.uow.w(
            "INSERT INTO outbox (key, channel, payload, created_at, next_attempt_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (key) DO NOTHING",
            (message.key, message.channel, d.json(dict(message.payload)), d.ts(now), d.ts(now)),
        )
        return bool(cursor.rowcount == 1)


@attrs.define
class _Inbox:
    uow: SqlUnitOfWork

    def accept(self, event: InboundEvent) -> bool:
        d = self.uow.dialect
        cursor = self.uow.w(
            "INSERT INTO inbox_events (source, event_id, payload, raw, received_at,"
            " next_attempt_at) VALUES (%s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (source, event_id) DO NOTHING",
            (
                event.source,
                event.event_id,
                d.json(dict(event.payload)),
                event.raw,
                d.ts(event.received_at),
                d.ts(event.received_at),
            ),
        )
        return bool(cursor.rowcount == 1)

    def record_once(self, source: str, event_id: str) -> bool:
        cursor = self.uow.w(
            "INSERT INTO inbox (source, event_id, received_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (source, event_id) DO NOTHING",
            (source, event_id, self.uow.dialect.ts(self.uow.clock())),
        )
        return bool(cursor.rowcount == 1)


@attrs.define
class _Links:
    uow: SqlUnitOfWork

    def link(self, link: CitizenLink) -> bool:
        cursor = self.uow.w(
            "INSERT INTO citizen_links (channel, user_id, dossier_code, phone, linked_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (channel, user_id, dossier_code) DO NOTHING",
            (
                link.channel,
                link.user_id,
                str(link.dossier_code),
                link.phone,
                self.uow.dialect.ts(link.linked_at),
            ),
        )
        return bool(cursor.rowcount == 1)

    def unlink(self, channel: str, user_id: str, code: DossierCode) -> bool:
        cursor = self.uow.w(
            "DELETE FROM citizen_links WHERE channel = %s AND user_id = %s AND dossier_code = %s",
            (channel, user_id, str(code)),
        )
        return bool(cursor.rowcount == 1)

    def for_user(self, channel: str, user_id: str) -> list[CitizenLink]:
        return self._select("channel = %s AND user_id = %s", channel, user_id)

    def for_dossier(self, code: DossierCode) -> list[CitizenLink]:
        return self._select("dossier_code = %s", str(code))

    def for_phone(self, phone: str) -> list[CitizenLink]:
        return self._select("phone = %s", phone)

    def _select(self, where: str, *params: Any) -> list[CitizenLink]:
        rows = self.uow.x(
            "SELECT channel, user_id, dossier_code, phone, linked_at"  # noqa: S608 - fixed text
            f" FROM citizen_links WHERE {where} ORDER BY linked_at, channel, user_id, dossier_code",
            params,
        ).fetchall()
        from_ts = self.uow.dialect.from_ts
        return [
            CitizenLink(ch, uid, DossierCode.parse(code), from_ts(at), phone)  # type: ignore[arg-type]
            for ch, uid, code, phone, at in rows
        ]
