"""Writes kept back until commit: read first without the write lock, then write in one short burst.

The inbox worker answers a batch of chat events with a lot of reading and
computing (conversations, dossiers, intents, replies) and a few writes (the
``handled:`` and event records, the saved conversation, the replies in the
outbox). Run in an ordinary unit of work, all of it happens inside the write
transaction: on SQLite that holds the database's one write lock for the whole
batch, and the webhook's acknowledgements queue behind it. A *deferred* unit
of work (``store.deferred_unit_of_work()``) reads in a read transaction (on
SQLite a deferred one, in WAL mode a snapshot that takes no lock), keeps every
write in memory with the outcome it is predicted to have, and at commit opens
the write transaction, replays the writes (on PostgreSQL pipelined: one round
trip for them all) and commits.

Predictions are optimistic and checked: an aggregate saved at ``version + 1``
must find its row still at ``version``; an event or a reply recorded "once"
must find its key free. If any write finds otherwise (another writer came in
between), the whole write transaction is rolled back and
:class:`~tthc_core.storage.ConcurrencyConflict` is raised: nothing of the
unit of work is kept, and the caller handles the batch again the ordinary way
(:func:`~tthc_core.storage.drain_inbox`'s ``optimistic`` units of work).

Reads see this unit of work's own writes only where that is exact: a
repository's ``get`` of an aggregate saved here returns the saved version (an
identity map), and a key recorded once here is not new again. A read that
could miss a kept-back write (a query over a table, or an aggregate kind, with
writes pending), and a write whose outcome cannot be predicted (a sequence
number, a plain statement), raise :class:`Undeferrable`: the caller falls
back to an ordinary unit of work, so such handlings stay exact, only slower.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from tthc_core.storage import ConcurrencyConflict

__all__ = ["DeferredWrites", "PlannedCursor", "Undeferrable"]

_TABLES = re.compile(r"\b(?:FROM|JOIN|INTO|UPDATE)\s+(\w+)", re.IGNORECASE)


class Undeferrable(Exception):  # noqa: N818 - a signal, not an error of the caller
    """A deferred unit of work met a read or write it cannot do exactly; use an ordinary one.

    Not a :class:`~tthc_core.errors.TthcError`: it says nothing about the
    event being handled (which must not be parked for it).
    """


class PlannedCursor:
    """What a kept-back write answers now: its predicted row count, no rows."""

    def __init__(self, rowcount: int) -> None:
        self.rowcount = rowcount

    def fetchone(self) -> None:
        """A kept-back write returns no row (one that must, is not kept back)."""
        raise Undeferrable("a kept-back write returns no row")


@functools.lru_cache(maxsize=512)
def tables_of(sql: str) -> frozenset[str]:
    """The tables a statement names (after FROM, JOIN, INTO or UPDATE), lower-case."""
    return frozenset(name.lower() for name in _TABLES.findall(sql))


class DeferredWrites:
    """The writes a deferred unit of work keeps back, with what it must see of them."""

    def __init__(self) -> None:
        #: ``(statement, parameters, expected row count or None)`` in order.
        self.writes: list[tuple[str, Sequence[Any], int | None]] = []
        #: Tables with pending writes; ``"aggregates/<kind>"`` per aggregate kind.
        self.tables: set[str] = set()
        #: Unique keys written here, such as ``("inbox", source, event_id)``.
        self.keys: set[tuple[str, ...]] = set()
        #: The aggregates read or saved here, by ``(kind, key)`` (``None``: absent).
        self.seen: dict[tuple[str, str], Any] = {}

    def add(self, sql: str, params: Sequence[Any], expect: int | None, *tables: str) -> int:
        """Keep a write back; its predicted row count (``expect``, 0 when unchecked)."""
        self.writes.append((sql, params, expect))
        self.tables.update(tables or tables_of(sql))
        return expect or 0

    def check_read(self, sql: str, *, kind: str | None = None, by_key: bool = False) -> None:
        """Refuse a statement that writes, or a read that could miss a pending write.

        Args:
            sql: The statement.
            kind: For a repository's read of the ``aggregates`` table: the
                aggregate kind it reads (only that kind's pending saves matter).
            by_key: The read is a repository's ``get`` of one aggregate (which
                sees this unit of work's saves through :attr:`seen`).

        Raises:
            Undeferrable: If it writes, or a pending write could change what it reads.
        """
        if sql.lstrip()[:6].upper() != "SELECT":
            raise Undeferrable(f"a deferred unit of work only reads before commit: {sql[:60]!r}")
        if not self.tables:
            return
        names = tables_of(sql)
        if kind is not None:
            names = names - {"aggregates"}
            if not by_key:
                names |= {f"aggregates/{kind}"}
        if names & self.tables:
            raise Undeferrable(f"this read could miss writes kept back for commit: {sql[:60]!r}")

    def replay(self, conn: Any, *, pipeline: bool) -> None:
        """Run the kept-back writes on ``conn`` (in its open write transaction), checking each.

        Raises:
            ConcurrencyConflict: If a write's row count is not the predicted one.
        """
        if pipeline:
            with conn.pipeline():
                cursors = [conn.execute(sql, params) for sql, params, _ in self.writes]
            counts = [cursor.rowcount for cursor in cursors]
        else:
            counts = [conn.execute(sql, params).rowcount for sql, params, _ in self.writes]
        for (sql, _, expect), count in zip(self.writes, counts, strict=True):
            if expect is not None and count != expect:
                raise ConcurrencyConflict("deferred write", sql[:60], expected=expect, actual=count)
