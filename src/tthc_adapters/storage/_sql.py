"""The unit of work and repositories shared by the SQLite and PostgreSQL adapters.

One implementation over DB-API connections; :class:`~._dialect.Dialect`
carries what differs. Every write of a unit of work happens in one database
transaction: aggregates, their events (the audit trail), outbox messages,
inbox records, citizen links and dossier-code sequences.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import Any, Generic, Protocol

import attrs
import cattrs

from tthc_adapters.storage._decoded import DecodedCache
from tthc_adapters.storage._dialect import Dialect
from tthc_adapters.storage._open311 import SqlOpen311
from tthc_adapters.storage._sql_deferred import DeferredWrites, PlannedCursor, Undeferrable
from tthc_adapters.storage._sql_records import SqlCatalogue, SqlSequences, check_sequence
from tthc_adapters.storage._sql_tables import SqlAudit, SqlInbox, SqlLinks, SqlOutbox
from tthc_adapters.storage._uow import UnitOfWorkBase
from tthc_core.codes import DossierCode
from tthc_core.events import DomainEvent
from tthc_core.storage import (
    AggregateKind,
    Clock,
    ConcurrencyConflict,
    ReadOnlyViolation,
    decode_aggregate,
    encode_aggregate,
    encode_event,
)
from tthc_core.storage._kinds import A

__all__ = ["ConnectionSource", "SqlUnitOfWork", "Undeferrable", "check_sequence"]

#: Rows per multi-row INSERT (well under SQLite's 32,766 parameters).
_INSERT_CHUNK = 500
#: A repository's ``get``, by the dialect's way of selecting a body (``Dialect.body_as_text``).
_GET_SQL = {
    body: f"SELECT version, {body} FROM aggregates WHERE kind = %s AND key = %s"  # noqa: S608
    for body in ("body", "body::text")
}


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
            unit of work saved itself until it commits).
        deferred: Keep writes back until commit (:mod:`._sql_deferred`):
            reads run in a read transaction (``dialect.begin_read`` when
            ``writer`` is given), the writes in one short write transaction.
        writer: Where a deferred unit of work's write transaction gets its
            connection (default ``source``: the same connection and transaction).
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
        deferred: bool = False,
        writer: ConnectionSource | None = None,
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
        #: The aggregates saved here, to hand to the decoded cache once committed.
        self._stored: dict[tuple[str, str], Any] = {}
        #: The writes kept back for commit, or ``None`` (:mod:`._sql_deferred`).
        self.deferred = DeferredWrites() if deferred else None
        self._writer = writer
        reading = read_only or (deferred and writer is not None)
        self._begin = dialect.begin_read if reading else dialect.begin
        self._conn: Any = None
        self._in_tx = False
        self._repositories: dict[str, SqlRepository[Any]] = {}
        self.outbox = SqlOutbox(self)
        self.inbox = SqlInbox(self)
        self.links = SqlLinks(self)
        self.catalogue = SqlCatalogue(self)
        self.sequences = SqlSequences(self)
        self.audit = SqlAudit(self)
        self.open311 = SqlOpen311(self)

    def x(
        self, sql: str, params: Sequence[Any] = (), *, kind: str | None = None, by_key: bool = False
    ) -> Any:
        """Execute one statement in this unit of work's transaction.

        ``kind`` and ``by_key`` tell a deferred unit of work what a repository
        reads (:meth:`DeferredWrites.check_read`).
        """
        if self.deferred is not None:
            self.deferred.check_read(sql, kind=kind, by_key=by_key)
        return self._transaction().execute(self.dialect.q(sql), params)

    def w(
        self,
        sql: str,
        params: Sequence[Any] = (),
        *,
        expect: int | None = None,
        tables: tuple[str, ...] = (),
    ) -> Any:
        """Execute one writing statement (refused in a read-only unit of work).

        In a deferred unit of work the statement is kept back for commit and
        answers ``expect`` as its row count; without ``expect`` it cannot be
        kept back (:class:`Undeferrable`). ``tables`` names what it writes
        (default: the tables the statement names).
        """
        self._writable()
        if self.deferred is None:
            return self.x(sql, params)
        if expect is None:
            raise Undeferrable(f"this write's outcome is needed now: {sql[:60]!r}")
        return PlannedCursor(self.deferred.add(self.dialect.q(sql), params, expect, *tables))

    def insert(self, into: str, rows: Sequence[Sequence[Any]]) -> None:
        """Insert rows with one multi-row ``INSERT`` (one round trip; ``executemany`` takes more).

        Args:
            into: ``"table (column, ...)"``.
            rows: The rows, each with one value per column.
        """
        self._writable()
        for start in range(0, len(rows), _INSERT_CHUNK):
            chunk = rows[start : start + _INSERT_CHUNK]
            params = [v for row in chunk for v in row]
            sql = self.dialect.q(_insert_sql(into, len(chunk[0]), len(chunk)))
            if self.deferred is not None:
                self.deferred.add(sql, params, None)
            else:
                self._transaction().execute(sql, params)

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

    def remember(self, kind: str, key: str, stored: Any) -> None:
        """An aggregate saved here: seen by this unit of work's reads, cached once committed."""
        self._stored[(kind, key)] = stored
        if self.deferred is not None:
            self.deferred.seen[(kind, key)] = stored

    def repository(self, kind: AggregateKind[A]) -> SqlRepository[A]:
        """The repository of ``kind`` in this unit of work."""
        repo = self._repositories.get(kind.name)
        if repo is None or repo.kind != kind:
            repo = self._repositories[kind.name] = SqlRepository(self, kind)
        return repo

    def _commit(self) -> None:
        """Commit the transaction (a deferred one's kept-back writes first)."""
        if self.deferred is not None and self.deferred.writes:
            self._replay(self.deferred)
        elif self._in_tx:
            self._conn.commit()
            self._in_tx = False
        if self.decoded is not None:  # committed: what was saved here is a committed version
            for (kind, key), stored in self._stored.items():
                self.decoded.put(kind, key, stored.version, stored)
        self._stored.clear()

    def _replay(self, deferred: DeferredWrites) -> None:
        """Write what a deferred unit of work kept back, in one write transaction."""
        pipeline = self.dialect.name == "postgres"
        if self._writer is None:  # the reads' connection and transaction
            conn = self._transaction()
            deferred.replay(conn, pipeline=pipeline)
            conn.commit()
            self._in_tx = False
        else:
            self._end_transaction()  # end the read transaction (its snapshot) first
            conn = self._writer.acquire()
            try:
                if self.dialect.begin:
                    conn.execute(self.dialect.begin)
                deferred.replay(conn, pipeline=pipeline)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
            finally:
                self._writer.release(conn)
        deferred.writes.clear()

    def _rollback(self) -> None:
        """Roll the transaction back (and forget what was kept back for commit)."""
        self._end_transaction()
        self._stored.clear()
        if self.deferred is not None:
            self.deferred = DeferredWrites()

    def _end_transaction(self) -> None:
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
        """The aggregate with this key (in a deferred unit of work, as saved here if it was)."""
        seen = None if self.uow.deferred is None else self.uow.deferred.seen
        if seen is not None and (self.kind.name, key) in seen:
            found: A | None = seen[(self.kind.name, key)]
            return found
        row = self.uow.x(
            _GET_SQL[self.uow.dialect.body_as_text],
            (self.kind.name, key),
            kind=self.kind.name,
            by_key=True,
        ).fetchone()
        found = None if row is None else self._decode_row(key, int(row[0]), row[1])
        if seen is not None:
            seen[(self.kind.name, key)] = found
        return found

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
                expect=1,
                tables=("aggregates", f"aggregates/{self.kind.name}"),
            )
        else:
            cursor = uow.w(
                "UPDATE aggregates SET version = version + 1, state = %s, due_at = %s,"
                " dossier_code = %s, phone = %s, body = %s"
                " WHERE kind = %s AND key = %s AND version = %s",
                (*columns, self.kind.name, key, expected),
                expect=1,
                tables=("aggregates", f"aggregates/{self.kind.name}"),
            )
        if cursor.rowcount != 1:
            raise ConcurrencyConflict(
                self.kind.name, key, expected=expected, actual=self._stored_version(key)
            )
        uow.remember(self.kind.name, key, stored)
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
            kind=self.kind.name,
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


@functools.lru_cache(maxsize=64)
def _insert_sql(into: str, columns: int, rows: int) -> str:
    """``INSERT INTO <into> VALUES (%s, ...), ...`` for ``rows`` rows of ``columns`` values."""
    values = ", ".join(["(" + ", ".join(["%s"] * columns) + ")"] * rows)
    return f"INSERT INTO {into} VALUES {values}"  # noqa: S608 - fixed names
