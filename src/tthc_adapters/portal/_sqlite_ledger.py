"""The sync ledger in SQLite (migration 0007), one short transaction per call.

It opens its own connection to the store's database file; the desk's unit of
work writes only the outbox hand-off, so the ledger need not share it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable

from tthc_core.portal import ItemState, SyncItem

__all__ = ["SqliteLedger"]

_COLUMNS = (
    "dossier, target, seq, changes, enqueued_at, next_at, attempts, state, last_error,"
    " classifier_version"
)


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


class SqliteLedger:
    """:class:`~tthc_core.portal.SyncLedger` over the tables of migration 0007."""

    def __init__(self, path: str) -> None:
        self._db = sqlite3.connect(path, isolation_level=None, timeout=10)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def _one(self, sql: str, *args: object) -> tuple[object, ...] | None:
        row: tuple[object, ...] | None = self._db.execute(sql, args).fetchone()
        return row

    def enqueue(self, dossier: str, target: str, at: dt.datetime) -> bool:
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            held = self._one(
                "SELECT 1 FROM portal_sync_items WHERE target = ? AND dossier = ?", target, dossier
            )
            if held is not None:
                self._db.execute(
                    "UPDATE portal_sync_items SET changes = changes + 1"
                    " WHERE target = ? AND dossier = ?",
                    (target, dossier),
                )
                return False
            last = self._one("SELECT COALESCE(MAX(seq), 0) FROM portal_sync_items")
            seq = int(str(last[0])) + 1 if last else 1
            self._db.execute(
                "INSERT INTO portal_sync_items"
                " (target, dossier, seq, changes, enqueued_at, next_at) VALUES (?, ?, ?, 1, ?, ?)",
                (target, dossier, seq, _t(at), _t(at)),
            )
            return True

    def due(self, target: str, now: dt.datetime, limit: int) -> list[SyncItem]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM portal_sync_items WHERE target = ? AND state = 'pending'"  # noqa: S608 - constant columns
            " AND next_at <= ? ORDER BY seq LIMIT ?",
            (target, _t(now), limit),
        ).fetchall()
        return [_item(r) for r in rows]

    def save(self, item: SyncItem) -> None:
        self._db.execute(
            "UPDATE portal_sync_items SET next_at = ?, attempts = ?, state = ?, last_error = ?,"
            " classifier_version = ? WHERE target = ? AND dossier = ?",
            (
                _t(item.next_at),
                item.attempts,
                item.state.value,
                item.last_error,
                item.classifier_version,
                item.target,
                item.dossier,
            ),
        )

    def finish(self, item: SyncItem, now: dt.datetime) -> bool:
        deleted = self._db.execute(
            "DELETE FROM portal_sync_items WHERE target = ? AND dossier = ? AND changes = ?",
            (item.target, item.dossier, item.changes),
        ).rowcount
        if deleted:
            return True
        self._db.execute(
            "UPDATE portal_sync_items SET attempts = 0, next_at = ?, last_error = ''"
            " WHERE target = ? AND dossier = ?",
            (_t(now), item.target, item.dossier),
        )
        return False

    def redrive(self, target: str, dossier: str | None, now: dt.datetime) -> int:
        return self._db.execute(
            "UPDATE portal_sync_items SET state = 'pending', attempts = 0, next_at = ?"
            " WHERE target = ? AND state = 'dead' AND (? IS NULL OR dossier = ?)",
            (_t(now), target, dossier, dossier),
        ).rowcount

    def items(self, target: str) -> list[SyncItem]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM portal_sync_items WHERE target = ? ORDER BY seq",  # noqa: S608 - constant columns
            (target,),
        ).fetchall()
        return [_item(r) for r in rows]

    def acked_rows(self, target: str, dossier: str) -> frozenset[str]:
        rows = self._db.execute(
            "SELECT row_id FROM portal_acked_rows WHERE target = ? AND dossier = ?",
            (target, dossier),
        ).fetchall()
        return frozenset(str(r[0]) for r in rows)

    def ack_rows(self, target: str, dossier: str, row_ids: Iterable[str]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR IGNORE INTO portal_acked_rows VALUES (?, ?, ?)",
                [(target, dossier, r) for r in row_ids],
            )

    def inserted(self, target: str, dossier: str) -> bool:
        sql = "SELECT 1 FROM portal_inserted WHERE target = ? AND dossier = ?"
        return self._one(sql, target, dossier) is not None

    def mark_inserted(self, target: str, dossier: str, value: bool) -> None:
        if value:
            sql = "INSERT OR IGNORE INTO portal_inserted VALUES (?, ?)"
        else:
            sql = "DELETE FROM portal_inserted WHERE target = ? AND dossier = ?"
        self._db.execute(sql, (target, dossier))

    def alternate_code(self, dossier: str, make: Callable[[], str]) -> str:
        sql = "SELECT code FROM portal_alternate_codes WHERE dossier = ?"
        row = self._one(sql, dossier)
        if row is None:
            self._db.execute(
                "INSERT OR IGNORE INTO portal_alternate_codes VALUES (?, ?)", (dossier, make())
            )
            row = self._one(sql, dossier)
        # Inserted just now, or by a concurrent writer.
        return str(row[0]) if row is not None else self.alternate_code(dossier, make)

    def next_serial(self, prefix: str) -> int:
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT INTO portal_serials VALUES (?, 1)"
                " ON CONFLICT (prefix) DO UPDATE SET last = last + 1",
                (prefix,),
            )
            row = self._one("SELECT last FROM portal_serials WHERE prefix = ?", prefix)
            return int(str(row[0])) if row else 1
