"""The SQLite store: the embedded default, one file, safe for several processes.

Python's :mod:`sqlite3` in autocommit mode, with explicit ``BEGIN IMMEDIATE``
transactions (a unit of work takes the write lock at its first statement, so
two processes never deadlock upgrading a read lock), the write-ahead log
(readers never block the writer) and ``synchronous=FULL`` (a commit survives
a power cut). Read-only units of work (:meth:`SqliteStore.read_only`) run
``BEGIN DEFERRED`` on connections of their own with ``PRAGMA query_only``:
they never take the write lock, so look-ups never queue behind writers.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import Literal

import cattrs

from tthc_adapters.storage._clock import utc_now
from tthc_adapters.storage._decoded import DecodedCache
from tthc_adapters.storage._dialect import Dialect
from tthc_adapters.storage._migrations import apply_migrations
from tthc_adapters.storage._sql import SqlUnitOfWork
from tthc_adapters.storage._sql_queue import SqlInboxQueue, SqlOutboxQueue
from tthc_adapters.storage._sqlite_lock import PollingConnection
from tthc_core.errors import InvalidInput
from tthc_core.serialization import converter as default_converter
from tthc_core.storage import Clock

__all__ = ["SqliteStore"]

_DIALECT = Dialect()
_MAX_IDLE = 8


class SqliteStore:
    """A store in one SQLite file.

    Args:
        path: The database file (created if absent). Not ``":memory:"``:
            every unit of work opens its own connection; use
            :class:`~tthc_adapters.storage.MemoryStore` instead.
        clock: Tells the time (outbox, inbox and link records).
        converter: Turns aggregates and events into JSON and back.
        synchronous: ``"FULL"`` (durable on power loss, the default) or
            ``"NORMAL"`` (durable on a process crash only; faster).
        busy_timeout: Seconds a unit of work waits for another's write lock.
        upgrade: Apply pending migrations now.
    """

    #: Read-only units of work never wait for a writer (WAL, their own connections): a
    #: web request may read on its event loop's thread (``app._reads.read_store``).
    reads_inline = True

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        clock: Clock = utc_now,
        converter: cattrs.Converter = default_converter,
        synchronous: Literal["FULL", "NORMAL"] = "FULL",
        busy_timeout: float = 30.0,
        upgrade: bool = True,
    ) -> None:
        self.path = Path(path)
        self.clock = clock
        self.converter = converter
        self._decoded = DecodedCache()
        # Writers of this process queue on a lock of their own before SQLite's:
        # woken the moment the writer before them ends, instead of polling
        # SQLite's lock with growing sleeps (which made the latency tail).
        writers = threading.RLock()
        self._pool = _Pool(self.path, synchronous, busy_timeout, writers=writers)
        # Queue transactions need not wait for the disk (see Dialect.relaxed).
        self._queue_pool = _Pool(self.path, "NORMAL", busy_timeout, writers=writers)
        self._read_pool = _Pool(self.path, synchronous, busy_timeout, query_only=True)
        self.outbox_queue = SqlOutboxQueue(self._queue_pool, _DIALECT)
        self.inbox_queue = SqlInboxQueue(self._queue_pool, _DIALECT, durable=self._pool)
        if upgrade:
            self.upgrade()

    def unit_of_work(self) -> SqlUnitOfWork:
        """A new unit of work."""
        return SqlUnitOfWork(
            self._pool, _DIALECT, self.converter, self.clock, decoded=self._decoded
        )

    def deferred_unit_of_work(self) -> SqlUnitOfWork:
        """A unit of work that reads without the write lock and writes at commit.

        It reads a snapshot (a deferred transaction in WAL mode) and keeps its
        writes back for one short ``BEGIN IMMEDIATE`` transaction at commit,
        which raises :class:`~tthc_core.storage.ConcurrencyConflict` if another
        writer came in between (:mod:`._sql_deferred`). The inbox worker's.
        """
        return SqlUnitOfWork(
            self._read_pool,
            _DIALECT,
            self.converter,
            self.clock,
            decoded=self._decoded,
            deferred=True,
            writer=self._pool,
        )

    def read_only(self) -> SqlUnitOfWork:
        """A new read-only unit of work (deferred: it never takes the write lock)."""
        return SqlUnitOfWork(
            self._read_pool,
            _DIALECT,
            self.converter,
            self.clock,
            read_only=True,
            decoded=self._decoded,
        )

    def upgrade(self) -> list[int]:
        """Apply pending migrations; returns the versions applied."""
        conn = self._pool.acquire()
        try:
            conn.execute("BEGIN IMMEDIATE")
            done = apply_migrations(
                conn, _DIALECT, run_script=lambda sql: _run_script(conn, sql), now=self.clock()
            )
            conn.commit()
            return done
        except BaseException:
            conn.rollback()
            raise
        finally:
            self._pool.release(conn)

    def close(self) -> None:
        """Close idle connections."""
        for pool in (self._pool, self._queue_pool, self._read_pool):
            pool.close()


class _Pool:
    """Idle connections to one SQLite file, reused (a few) across units of work."""

    def __init__(
        self,
        path: Path,
        synchronous: str,
        busy_timeout: float,
        *,
        query_only: bool = False,
        writers: threading.RLock | None = None,
    ) -> None:
        self._path = path
        self._synchronous = synchronous
        self._busy_timeout = busy_timeout
        self._query_only = query_only
        self._writers = writers
        self._idle: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def acquire(self) -> sqlite3.Connection:
        """An idle connection, or a new one (a writer's once this process's writers let it)."""
        if self._writers is not None and not self._writers.acquire(timeout=self._busy_timeout):
            raise sqlite3.OperationalError(
                f"database is locked: another unit of work of this process held it for "
                f"{self._busy_timeout} s"
            )
        try:
            return self._connection()
        except BaseException:
            if self._writers is not None:
                self._writers.release()
            raise

    def _connection(self) -> sqlite3.Connection:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        conn = sqlite3.connect(
            self._path,
            timeout=self._busy_timeout,
            isolation_level=None,
            check_same_thread=False,
            factory=PollingConnection,
        )
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={self._synchronous}")
        if self._query_only:
            conn.execute("PRAGMA query_only=ON")
        else:  # writers poll the write lock at BEGIN IMMEDIATE instead (._sqlite_lock)
            conn.busy_seconds = self._busy_timeout
            conn.execute("PRAGMA busy_timeout=0")
        return conn

    def release(self, conn: sqlite3.Connection) -> None:
        """Keep a connection for reuse (a few), or close it."""
        try:
            if conn.in_transaction:
                conn.rollback()
            with self._lock:
                if len(self._idle) < _MAX_IDLE:
                    self._idle.append(conn)
                    return
            conn.close()
        finally:
            if self._writers is not None:
                self._writers.release()

    def close(self) -> None:
        """Close idle connections."""
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run each statement of ``script`` in the open transaction (``executescript`` would commit)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    leftover = [
        ln for ln in statement.splitlines() if ln.strip() and not ln.strip().startswith("--")
    ]
    if leftover:
        raise InvalidInput(f"migration script ends with an incomplete statement: {leftover[0]!r}")
