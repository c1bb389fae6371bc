"""Short transactions on the store's database beside its units of work (Zalo's own tables).

The token pair (migration 0006), the shared send-rate bucket and the
delivery ledger (migration 0010) live in the store's database but are not
aggregates: they are read and written on connections of their own, each in
one short transaction (SQLite ``BEGIN IMMEDIATE`` takes the write lock at
once, so a read-modify-write cannot interleave; PostgreSQL locks rows with
``SELECT … FOR UPDATE``). Never call them from inside a unit of work of the
same SQLite file: the write lock is the unit of work's until it commits.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import attrs

from tthc_core.errors import InvalidInput

__all__ = ["Dialect", "SqlSide", "memory_side", "postgres_side", "sql_side_for", "sqlite_side"]

T = TypeVar("T")
Dialect = Literal["sqlite", "postgres"]


@attrs.frozen
class SqlSide:
    """How to open a connection to the store's database, and run one transaction on it.

    Args:
        connect: Opens a new DB-API connection (SQLite: ``isolation_level=None``;
            PostgreSQL: psycopg, with the store's ``search_path``).
        dialect: ``"sqlite"`` or ``"postgres"``.
        release: Gives a connection back (default: closes it); a pool's ``putconn``.
    """

    connect: Callable[[], Any]
    dialect: Dialect
    release: Callable[[Any], None] = lambda conn: conn.close()

    def q(self, sql: str) -> str:
        """``sql`` with ``%s`` placeholders in this dialect."""
        return sql.replace("%s", "?") if self.dialect == "sqlite" else sql

    def lock(self, sql: str) -> str:
        """A ``SELECT`` that locks the rows it reads (PostgreSQL; SQLite holds the file)."""
        return self.q(sql + (" FOR UPDATE" if self.dialect == "postgres" else ""))

    def transaction(self, work: Callable[[Any], T]) -> T:
        """``work(cursor)`` in one transaction: committed if it returns, rolled back if not."""
        conn = self.connect()
        try:
            cur = conn.cursor()
            if self.dialect == "sqlite":
                cur.execute("BEGIN IMMEDIATE")  # the write lock, held until commit
            result = work(cur)
            conn.commit()
            return result
        except BaseException:
            conn.rollback()
            raise
        finally:
            self.release(conn)


def sqlite_side(path: str | os.PathLike[str], *, durable: bool = True) -> SqlSide:
    """Connections to a SQLite store's file (``SqliteStore(path)`` migrated it).

    ``durable=False``: commits are not flushed to disk one by one (write-ahead
    log, ``synchronous=NORMAL``; a power cut may lose the last ones) — for
    state that may be lost, such as the rate schedule; never for tokens.
    """

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(path, timeout=30.0, isolation_level=None)
        if not durable:
            conn.execute("PRAGMA synchronous=NORMAL")
        return conn

    return SqlSide(connect, "sqlite")


def postgres_side(dsn: str, schema: str) -> SqlSide:
    """Connections to a PostgreSQL store's schema (``PostgresStore`` migrated it).

    Raises:
        InvalidInput: If ``schema`` is not a plain lower-case identifier.
    """
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
        raise InvalidInput(f"schema {schema!r} is not a plain lower-case identifier")

    def connect() -> Any:
        return psycopg.connect(dsn, options=f"-c search_path={schema}")

    return SqlSide(connect, "postgres")


def sql_side_for(store: object, *, durable: bool = True) -> SqlSide | None:
    """The SQL side of ``store``'s database; ``None`` for a memory store (see ``sqlite_side``)."""
    from tthc_adapters.storage import PostgresStore, SqliteStore

    if isinstance(store, SqliteStore):
        return sqlite_side(store.path, durable=durable)
    if isinstance(store, PostgresStore):
        return SqlSide(store.acquire, "postgres", store.release)
    return None


def memory_side() -> SqlSide:
    """A private in-memory SQLite database with Zalo's tables (for a memory store).

    One connection, handed to one transaction at a time.
    """
    from importlib.resources import files

    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    migrations = files("tthc_adapters.storage").joinpath("migrations", "sqlite")
    for name in ("0006_zalo_tokens.sql", "0010_zalo_operations.sql"):
        conn.executescript(migrations.joinpath(name).read_text(encoding="utf-8"))
    lock = threading.Lock()

    def connect() -> sqlite3.Connection:
        lock.acquire()
        return conn

    return SqlSide(connect, "sqlite", lambda _: lock.release())
