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

from tthc_adapters.storage._dialect import Dialect
from tthc_adapters.storage._open311 import SqlOpen311
from tthc_adapters.storage._uow import UnitOfWorkBase
from tthc_core.catalogue import Procedure
from tthc_core.codes import AgencyCode, DossierCode, ProcedureCode
from tthc_core.errors import DomainRuleViolation
from tthc_core.events import DomainEvent
from tthc_core.links import CitizenLink
from tthc_core.storage import (
    AggregateKind,
    Clock,
    ConcurrencyConflict,
    OutboundMessage,
    RecordedEvent,
    decode_aggregate,
    decode_event,
    encode_aggregate,
    encode_event,
)
from tthc_core.storage._kinds import A

__all__ = ["ConnectionSource", "SqlUnitOfWork"]

_MAX_SEQUENCE = 9999


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
    """

    def __init__(
        self, source: ConnectionSource, dialect: Dialect, converter: cattrs.Converter, clock: Clock
    ) -> None:
        super().__init__()
        self._source = source
        self.dialect = dialect
        self.converter = converter
        self.clock = clock
        self._conn: Any = None
        self._in_tx = False
        self._repositories: dict[str, SqlRepository[Any]] = {}
        self.outbox = _Outbox(self)
        self.inbox = _Inbox(self)
        self.links = _Links(self)
        self.catalogue = _Catalogue(self)
        self.sequences = _Sequences(self)
        self.audit = _Audit(self)
        self.open311 = SqlOpen311(self)

    def x(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Execute one statement in this unit of work's transaction."""
        return self._transaction().execute(self.dialect.q(sql), params)

    def x_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Execute one statement for many rows."""
        if rows:
            self._transaction().cursor().executemany(self.dialect.q(sql), rows)

    def _transaction(self) -> Any:
        """The connection, in an open transaction."""
        if self._conn is None:
            self._conn = self._source.acquire()
        if not self._in_tx:
            if self.dialect.begin:
                self._conn.execute(self.dialect.begin)
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
            "SELECT body FROM aggregates WHERE kind = %s AND key = %s", (self.kind.name, key)
        ).fetchone()
        return None if row is None else self._decode(row[0])

    def save(self, aggregate: A, events: Sequence[DomainEvent] = ()) -> A:
        """Store at ``version + 1`` if the store still holds ``aggregate.version``."""
        uow, d = self.uow, self.uow.dialect
        key, expected = self.kind.key(aggregate), aggregate.version
        stored: A = attrs.evolve(aggregate, version=expected + 1)  # type: ignore[misc]
        index = self.kind.index(stored)
        body = d.json(encode_aggregate(uow.converter, stored))
        columns = (index.state, d.ts(index.due_at), index.dossier_code, index.phone, body)
        if expected == 0:
            cursor = uow.x(
                "INSERT INTO aggregates (kind, key, version, state, due_at, dossier_code, phone,"
                " body) VALUES (%s, %s, 1, %s, %s, %s, %s, %s) ON CONFLICT (kind, key) DO NOTHING",
                (self.kind.name, key, *columns),
            )
        else:
            cursor = uow.x(
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
                (self.kind.name, key, expected + 1, type_name, at, index.dossier_code, data)
            )
        uow.x_many(
            "INSERT INTO events (kind, key, version, type, occurred_at, dossier_code, body)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            rows,
        )
        uow.record_events(events)
        return stored

    def for_dossier(self, code: DossierCode | str) -> list[A]:
        """Aggregates indexed under a dossier code."""
        return self._select("dossier_code = %s ORDER BY key", str(code))

    def for_phone(self, phone: str) -> list[A]:
        """Aggregates indexed under a phone number."""
        return self._select("phone = %s ORDER BY key", phone)

    def due_before(self, instant: dt.datetime, *, limit: int = 100) -> list[A]:
        """The due queue, soonest first."""
        return self._select(
            "due_at < %s ORDER BY due_at, key LIMIT %s", self.uow.dialect.ts(instant), limit
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
            "SELECT seq, kind, key, version, type, body FROM events"  # noqa: S608 - fixed text
            f" WHERE {where} ORDER BY seq",
            params,
        ).fetchall()
        decode = self.uow.dialect.from_json
        return [
            RecordedEvent(
                int(seq), kind, key, int(version), decode_event(self.uow.converter, t, decode(b))
            )
            for seq, kind, key, version, t, b in rows
        ]


@attrs.define
class _Outbox:
    uow: SqlUnitOfWork

    def put(self, message: OutboundMessage) -> bool:
        d, now = self.uow.dialect, self.uow.clock()
        cursor = self.uow.x(
            "INSERT INTO outbox (key, channel, payload, created_at, next_attempt_at)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (key) DO NOTHING",
            (message.key, message.channel, d.json(dict(message.payload)), d.ts(now), d.ts(now)),
        )
        return bool(cursor.rowcount == 1)


@attrs.define
class _Inbox:
    uow: SqlUnitOfWork

    def record_once(self, source: str, event_id: str) -> bool:
        cursor = self.uow.x(
            "INSERT INTO inbox (source, event_id, received_at) VALUES (%s, %s, %s)"
            " ON CONFLICT (source, event_id) DO NOTHING",
            (source, event_id, self.uow.dialect.ts(self.uow.clock())),
        )
        return bool(cursor.rowcount == 1)


@attrs.define
class _Links:
    uow: SqlUnitOfWork

    def link(self, link: CitizenLink) -> bool:
        cursor = self.uow.x(
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
        cursor = self.uow.x(
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


@attrs.define
class _Catalogue:
    uow: SqlUnitOfWork

    def put(self, procedure: Procedure) -> None:
        body = self.uow.dialect.json(self.uow.converter.unstructure(procedure))
        self.uow.x(
            "INSERT INTO procedures (code, body) VALUES (%s, %s)"
            " ON CONFLICT (code) DO UPDATE SET body = excluded.body",
            (str(procedure.code), body),
        )

    def get(self, code: ProcedureCode | str) -> Procedure | None:
        row = self.uow.x("SELECT body FROM procedures WHERE code = %s", (str(code),)).fetchone()
        return None if row is None else self._decode(row[0])

    def all(self) -> list[Procedure]:
        rows = self.uow.x("SELECT body FROM procedures ORDER BY code").fetchall()
        return [self._decode(row[0]) for row in rows]

    def _decode(self, body: Any) -> Procedure:
        return self.uow.converter.structure(self.uow.dialect.from_json(body), Procedure)


@attrs.define
class _Sequences:
    uow: SqlUnitOfWork

    def next_sequence(self, agency: AgencyCode, day: dt.date) -> int:
        row = self.uow.x(
            "INSERT INTO sequences (agency, day, last) VALUES (%s, %s, 1)"
            " ON CONFLICT (agency, day) DO UPDATE SET last = sequences.last + 1 RETURNING last",
            (agency.value, self.uow.dialect.day(day)),
        ).fetchone()
        return check_sequence(agency, day, int(row[0]))


def check_sequence(agency: AgencyCode, day: dt.date, number: int) -> int:
    """``number`` if it fits the 4-digit sequence of a dossier code.

    Raises:
        DomainRuleViolation: On the 10,000th dossier of a day at one agency.
    """
    if number > _MAX_SEQUENCE:
        raise DomainRuleViolation(
            f"agency {agency} has already received {_MAX_SEQUENCE} dossiers on "
            f"{day.isoformat()}: the 4-digit daily sequence is exhausted",
            rule="Circular 01/2018/TT-VPCP Art. 19",
        )
    return number
