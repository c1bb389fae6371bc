"""The memory store's tables, and how a commit applies over a newer commit.

A unit of work of :class:`~tthc_adapters.storage.MemoryStore` changes a copy
of the committed :class:`Tables`; its commit replaces them. When another unit
of work committed meanwhile (possible only on the same thread: the store's
lock is re-entrant), :meth:`Tables.merged` applies just this unit's changes
and refuses a row both changed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from tthc_core.links import CitizenLink
from tthc_core.storage import ClientApp, ConcurrencyConflict, Open311Token
from tthc_core.storage._kinds import Index

__all__ = ["Row", "Tables"]

_LinkKey = tuple[str, str, str]

#: The keyed tables a unit of work may change; ``events`` is append-only.
_KEYED = (
    "aggregates",
    "inbox",
    "links",
    "procedures",
    "sequences",
    "open311_clients",
    "open311_tokens",
)
_ABSENT = object()


@attrs.frozen
class Row:
    version: int
    index: Index
    body: str


@attrs.define
class Tables:
    aggregates: dict[tuple[str, str], Row] = attrs.Factory(dict)
    events: list[tuple[str, str, int, str | None, str, str, str | None]] = attrs.Factory(list)
    inbox: dict[tuple[str, str], dt.datetime] = attrs.Factory(dict)
    links: dict[_LinkKey, CitizenLink] = attrs.Factory(dict)
    procedures: dict[str, str] = attrs.Factory(dict)
    sequences: dict[tuple[str, dt.date], int] = attrs.Factory(dict)
    open311_clients: dict[str, ClientApp] = attrs.Factory(dict)
    open311_tokens: dict[str, Open311Token] = attrs.Factory(dict)

    def copy(self) -> Tables:
        """A copy that can change without touching these tables (rows are immutable)."""
        return Tables(
            dict(self.aggregates),
            list(self.events),
            dict(self.inbox),
            dict(self.links),
            dict(self.procedures),
            dict(self.sequences),
            dict(self.open311_clients),
            dict(self.open311_tokens),
        )

    def merged(self, base: Tables, work: Tables) -> Tables:
        """These (newer) tables with the changes ``work`` made to ``base``.

        Raises:
            ConcurrencyConflict: A row ``work`` changed was changed here too since ``base``.
        """
        result = self.copy()
        for name in _KEYED:
            ours, before, now = getattr(work, name), getattr(base, name), getattr(result, name)
            for key in ours.keys() | before.keys():
                mine, was = ours.get(key, _ABSENT), before.get(key, _ABSENT)
                if mine == was:
                    continue
                if now.get(key, _ABSENT) != was:
                    raise _conflict(name, key, was, now.get(key, _ABSENT))
                if mine is _ABSENT:
                    del now[key]
                else:
                    now[key] = mine
        result.events.extend(work.events[len(base.events) :])
        return result


def _conflict(table: str, key: Any, was: Any, now: Any) -> ConcurrencyConflict:
    """The conflict of a row changed by two units of work (versions where rows have them)."""

    def version(row: Any) -> int | None:
        if row is _ABSENT:
            return None
        return row.version if isinstance(row, Row) else row if isinstance(row, int) else 1

    kind, name = (
        key
        if table == "aggregates"
        else (table, "/".join(map(str, key)) if isinstance(key, tuple) else str(key))
    )
    return ConcurrencyConflict(kind, name, expected=version(was) or 0, actual=version(now))
