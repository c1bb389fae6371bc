"""The sync ledger in SQL (migrations 0007 and 0013): SQLite and PostgreSQL, one dialect apart.

Each call is one short transaction on the ledger's own connection (the desk's
unit of work writes only the outbox hand-off, so the ledger need not share
it), serialised by a lock so the outbox thread (which absorbs hand-offs) and
the sync thread may share one ledger. Enqueueing takes the table's write lock
(SQLite ``BEGIN IMMEDIATE``; PostgreSQL ``LOCK TABLE ... IN EXCLUSIVE MODE``)
so two processes never hand out the same ``seq``; serials and inserts use
``ON CONFLICT``, which both dialects speak.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from tthc_core.errors import InvalidInput
from tthc_core.portal import ItemState, SyncItem

__all__ = ["PostgresLedger", "SqlLedger", "SqliteLedger"]

_COLUMNS = (
    "dossier, target, seq, changes, enqueued_at, next_at, attempts, state, last_error,"
    " classifier_version"
)
_SCHEMA = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _item(row: tuple[object, ...]) -> SyncItem:
    d, t, seq, changes, enq, nxt, attempts, state, error, version = row
    return SyncItem(
        dossier=str(d),
        target=str(t),
        seq=int(str(seq)),
        changes=int(str(changes)),
        enqueued_at=dt.datetime.fromisoformat(str(enq)),
        next_at=dt.datetime.fromisoformat(str(nxt)),
        attempts=int(str(attempts)),
        state=ItemState(str(state)),
        last_error=str(error),
        classifier_version=str(version),
    )


def _t(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat()


class SqlLedger:
    """:class:`~tthc_core.portal.SyncLedger` over the tables of migrations 0007 and 0013.

    Args:
        conn: An autocommit DB-API connection (SQLite ``isolation_level=None``;
            psycopg ``autocommit=True`` with the store's ``search_path``).
        dialect: ``"sqlite"`` or ``"postgres"``.
    """

    def __init__(self, conn: Any, dialect: str) -> None:
        if dialect not in ("sqlite", "postgres"):
            raise InvalidInput(f"ledger dialect must be sqlite or postgres, got {dialect!r}")
        self._db = conn
        self._dialect = dialect
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _tx(self, *, lock_items: bool = False, write: bool = True) -> Iterator[Any]:
        with self._lock:
            cur = self._db.cursor()
            sqlite_begin = "BEGIN IMMEDIATE" if write else "BEGIN"
            cur.execute(sqlite_begin if self._dialect == "sqlite" else "BEGIN")
            try:
                if lock_items and self._dialect == "postgres":
                    cur.execute("LOCK TABLE portal_sync_items IN EXCLUSIVE MODE")
                yield cur
            except BaseException:
                cur.execute("ROLLBACK")
                raise
            cur.execute("COMMIT")

    def _run(self, cur: Any, sql: str, *args: object) -> Any:
        cur.execute(sql if self._dialect == "sqlite" else sql.replace("?", "%s"), args)
        return cur

    def _read(self, sql: str, *args: object) -> list[tuple[object, ...]]:
        with self._tx(write=False) as cur:
            rows: list[tuple[object, ...]] = self._run(cur, sql, *args).fetchall()
            return rows

    def _write(self, sql: str, *args: object) -> int:
        with self._tx() as cur:
            count: int = self._run(cur, sql, *args).rowcount
            return count

    def enqueue(self, dossier: str, target: str, at: dt.datetime) -> bool:
        with self._tx(lock_items=True) as cur:
            bumped = self._run(
                cur,
                "UPDATE portal_sync_items SET changes = changes + 1"
                " WHERE target = ? AND dossier = ?",
                target,
                dossier,
            ).rowcount
            if bumped:
                return False
            last = self._run(cur, "SELECT COALESCE(MAX(seq), 0) FROM portal_sync_items").fetchone()
            self._run(
                cur,
                "INSERT INTO portal_sync_items"
                " (target, dossier, seq, changes, enqueued_at, next_at) VALUES (?, ?, ?, 1, ?, ?)",
                target,
                dossier,
                int(str(last[0])) + 1,
                _t(at),
                _t(at),
            )
            return True

    def due(self, target: str, now: dt.datetime, limit: int) -> list[SyncItem]:
        rows = self._read(
            f"SELECT {_COLUMNS} FROM portal_sync_items WHERE target = ? AND state = 'pending'"  # noqa: S608 - constant columns
            " AND next_at <= ? ORDER BY seq LIMIT ?",
            target,
            _t(now),
            limit,
        )
        return [_item(r) for r in rows]

    def save(self, item: SyncItem) -> None:
        self._write(
            "UPDATE portal_sync_items SET next_at = ?, attempts = ?, state = ?, last_error = ?,"
            " classifier_version = ? WHERE target = ? AND dossier = ?",
            _t(item.next_at),
            item.attempts,
            item.state.value,
            item.last_error,
            item.classifier_version,
            item.target,
            item.dossier,
        )

    def finish(self, item: SyncItem, now: dt.datetime) -> bool:
        with self._tx() as cur:
            deleted = self._run(
                cur,
                "DELETE FROM portal_sync_items WHERE target = ? AND dossier = ? AND changes = ?",
                item.target,
                item.dossier,
                item.changes,
            ).rowcount
            if deleted:
                return True
            self._run(
                cur,
                "UPDATE portal_sync_items SET attempts = 0, next_at = ?, last_error = ''"
                " WHERE target = ? AND dossier = ?",
                _t(now),
                item.target,
                item.dossier,
            )
            return False

    def redrive(self, target: str, dossier: str | None, now: dt.datetime) -> int:
        return self._write(
            "UPDATE portal_sync_items SET state = 'pending', attempts = 0, next_at = ?"
            " WHERE target = ? AND state = 'dead' AND (CAST(? AS TEXT) IS NULL OR dossier = ?)",
            _t(now),
            target,
            dossier,
            dossier,
        )

    def items(self, target: str) -> list[SyncItem]:
        rows = self._read(
            f"SELECT {_COLUMNS} FROM portal_sync_items WHERE target = ? ORDER BY seq",  # noqa: S608 - constant columns
            target,
        )
        return [_item(r) for r in rows]

    def acked_rows(self, target: str, dossier: str) -> frozenset[str]:
        rows = self._read(
            "SELECT row_id FROM portal_acked_rows WHERE target = ? AND dossier = ?", target, dossier
        )
        return frozenset(str(r[0]) for r in rows)

    def ack_rows(self, target: str, dossier: str, row_ids: Iterable[str]) -> None:
        with self._tx() as cur:
            for row_id in row_ids:
                self._run(
                    cur,
                    "INSERT INTO portal_acked_rows VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    target,
                    dossier,
                    row_id,
                )

    def inserted(self, target: str, dossier: str) -> bool:
        sql = "SELECT 1 FROM portal_inserted WHERE target = ? AND dossier = ?"
        return bool(self._read(sql, target, dossier))

    def mark_inserted(self, target: str, dossier: str, value: bool) -> None:
        if value:
            sql = "INSERT INTO portal_inserted VALUES (?, ?) ON CONFLICT DO NOTHING"
        else:
            sql = "DELETE FROM portal_inserted WHERE target = ? AND dossier = ?"
        self._write(sql, target, dossier)

    def alternate_code(self, dossier: str, make: Callable[[], str]) -> str:
        sql = "SELECT code FROM portal_alternate_codes WHERE dossier = ?"
        rows = self._read(sql, dossier)
        if not rows:
            made = make()  # outside the transaction: it allocates a serial in its own
            self._write(
                "INSERT INTO portal_alternate_codes VALUES (?, ?) ON CONFLICT DO NOTHING",
                dossier,
                made,
            )
            rows = self._read(sql, dossier)  # ours, or a concurrent writer's (never replaced)
        return str(rows[0][0])

    def next_serial(self, prefix: str) -> int:
        with self._tx() as cur:
            row = self._run(
                cur,
                "INSERT INTO portal_serials VALUES (?, 1) ON CONFLICT (prefix)"
                " DO UPDATE SET last = portal_serials.last + 1 RETURNING last",
                prefix,
            ).fetchone()
            return int(str(row[0]))

    def inbound_mark(self, target: str) -> str | None:
        rows = self._read("SELECT mark FROM portal_inbound_marks WHERE target = ?", target)
        return str(rows[0][0]) if rows else None

    def set_inbound_mark(self, target: str, mark: str) -> None:
        self._write(
            "INSERT INTO portal_inbound_marks VALUES (?, ?) ON CONFLICT (target)"
            " DO UPDATE SET mark = excluded.mark",
            target,
            mark,
        )


class SqliteLedger(SqlLedger):
    """The ledger in the SQLite store's database file (open the store first: it migrates)."""

    def __init__(self, path: str) -> None:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
        super().__init__(conn, "sqlite")


class PostgresLedger(SqlLedger):
    """The ledger in one schema of a PostgreSQL database (open the store first: it migrates).

    Args:
        dsn: The libpq connection string.
        schema: The store's schema.
    """

    def __init__(self, dsn: str, *, schema: str = "tthc") -> None:
        import psycopg

        if not _SCHEMA.fullmatch(schema):
            raise InvalidInput(f"schema name {schema!r} must be a lower-case identifier")
        conn = psycopg.connect(dsn, autocommit=True, options=f"-c search_path={schema}")
        super().__init__(conn, "postgres")
