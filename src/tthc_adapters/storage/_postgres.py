"""The PostgreSQL store: one database server shared by several workers.

psycopg 3 with a psycopg-pool connection pool; each store lives in its own
schema (``search_path`` is set on every pooled connection). Units of work run
at READ COMMITTED: the version check is part of the ``UPDATE``'s ``WHERE``,
and a concurrent writer of the same row waits for the first to commit, then
finds the version changed and raises
:class:`~tthc_core.storage.ConcurrencyConflict` — no lost update without the
cost of SERIALIZABLE retries. Outbox and inbox workers claim with
``FOR UPDATE SKIP LOCKED``.

Read-only units of work (:meth:`PostgresStore.read_only`) come from a pool of
their own, whose connections run with ``default_transaction_read_only=on`` in
autocommit: each statement is its own read-only transaction (one round trip,
no ``BEGIN``/``ROLLBACK``; at READ COMMITTED a longer transaction would not
see a steadier snapshot anyway), look-ups never wait for a writer's
connection, and a burst of look-ups never takes the connections writers need.
"""

from __future__ import annotations

import re
import threading
import zlib
from typing import Any

import cattrs

from tthc_adapters.storage._clock import utc_now
from tthc_adapters.storage._decoded import DecodedCache
from tthc_adapters.storage._dialect import PostgresDialect
from tthc_adapters.storage._migrations import apply_migrations
from tthc_adapters.storage._pg_accept import PgInboxWriter
from tthc_adapters.storage._pg_listen import listen_inbox
from tthc_adapters.storage._sql import SqlUnitOfWork
from tthc_adapters.storage._sql_queue import SqlInboxQueue, SqlOutboxQueue
from tthc_core.errors import InvalidInput
from tthc_core.serialization import converter as default_converter
from tthc_core.storage import Clock

__all__ = ["PostgresStore"]

_DIALECT = PostgresDialect()
_SCHEMA = re.compile(r"[a-z_][a-z0-9_]{0,62}")


class PostgresStore:
    """A store in one schema of a PostgreSQL database.

    Args:
        dsn: A libpq connection string, such as
            ``"postgresql://tthc@db.example:5432/tthc"``.
        schema: The schema holding the tables (created if absent).
        clock: Tells the time (outbox, inbox and link records).
        converter: Turns aggregates and events into JSON and back.
        min_size: Connections the pool keeps open.
        max_size: Connections the pool may open.
        read_max_size: Connections the read-only pool may open (default
            ``max_size``); it opens them as look-ups need them.
        upgrade: Apply pending migrations now.
    """

    def __init__(
        self,
        dsn: str,
        *,
        schema: str = "tthc",
        clock: Clock = utc_now,
        converter: cattrs.Converter = default_converter,
        min_size: int = 1,
        max_size: int = 10,
        read_max_size: int | None = None,
        upgrade: bool = True,
    ) -> None:
        from psycopg_pool import ConnectionPool

        if not _SCHEMA.fullmatch(schema):
            raise InvalidInput(
                f"schema name {schema!r} must be a lower-case identifier of at most 63 characters"
            )
        self.schema = schema
        self.dsn = dsn
        self.clock = clock
        self.converter = converter
        self._decoded = DecodedCache()
        self._pool = ConnectionPool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            kwargs={"options": f"-c search_path={schema}", "autocommit": False},
            open=True,
            name=f"tthc-{schema}",
        )
        self._read_pool = ConnectionPool(
            dsn,
            min_size=0,
            max_size=read_max_size or max_size,
            kwargs={
                "options": f"-c search_path={schema} -c default_transaction_read_only=on",
                "autocommit": True,
            },
            open=True,
            name=f"tthc-{schema}-read",
        )
        self.outbox_queue = SqlOutboxQueue(self, _DIALECT)
        self.inbox_queue = SqlInboxQueue(self, _DIALECT)
        self._reader = _ReadSource(self._read_pool)
        if upgrade:
            self.upgrade()

    def unit_of_work(self) -> SqlUnitOfWork:
        """A new unit of work."""
        return SqlUnitOfWork(self, _DIALECT, self.converter, self.clock, decoded=self._decoded)

    def deferred_unit_of_work(self) -> SqlUnitOfWork:
        """A unit of work whose writes are pipelined at commit (one round trip for them all).

        Its reads run in the transaction as usual; its writes are kept back and
        sent together at commit, each checked against the outcome predicted
        (:mod:`._sql_deferred`): a mismatch rolls all back and raises
        :class:`~tthc_core.storage.ConcurrencyConflict`. The inbox worker's.
        """
        return SqlUnitOfWork(
            self, _DIALECT, self.converter, self.clock, decoded=self._decoded, deferred=True
        )

    def read_only(self) -> SqlUnitOfWork:
        """A new read-only unit of work (read-only statements from the read pool)."""
        return SqlUnitOfWork(
            self._reader,
            _DIALECT,
            self.converter,
            self.clock,
            read_only=True,
            decoded=self._decoded,
        )

    def upgrade(self) -> list[int]:
        """Create the schema if needed and apply pending migrations (under an advisory lock)."""
        from psycopg import sql

        with self._pool.connection() as conn:
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_id(self.schema),))
            conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(self.schema))
            )
            return apply_migrations(
                conn, _DIALECT, run_script=lambda script: _run(conn, script), now=self.clock()
            )

    def inbox_writer(self, *, durable: bool) -> PgInboxWriter:
        """Records groups of inbound events from an event loop (``_pg_accept``)."""
        return PgInboxWriter(self.dsn, self.schema, durable=durable)

    def acquire(self) -> Any:
        """A pooled connection."""
        return self._pool.getconn()

    def release(self, conn: Any) -> None:
        """Return a connection to the pool."""
        self._pool.putconn(conn)

    def listen_inbox(self, wake: threading.Event, stop: threading.Event) -> None:
        """Set ``wake`` whenever inbound events are accepted here, until ``stop`` (blocking).

        Run it in a thread beside an inbox worker (:mod:`._pg_listen`).
        """
        listen_inbox(self.dsn, self.schema, wake, stop)

    def close(self) -> None:
        """Close the pools."""
        self._read_pool.close()
        self._pool.close()


class _ReadSource:
    """The read-only pool as a connection source."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def acquire(self) -> Any:
        """A pooled read-only connection."""
        return self._pool.getconn()

    def release(self, conn: Any) -> None:
        """Return a connection to the pool."""
        self._pool.putconn(conn)


def _run(conn: Any, script: str) -> None:
    conn.execute(script.encode())  # bytes: a multi-statement script with no parameters


def _lock_id(schema: str) -> int:
    """A stable advisory-lock id for migrating ``schema``."""
    return zlib.crc32(f"tthc-migrate:{schema}".encode())
