"""An in-memory :class:`~tthc_core.portal.SyncLedger` (tests, demo; one process)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import attrs

from tthc_core.portal import ItemState, SyncItem

__all__ = ["MemoryLedger"]


@attrs.define
class MemoryLedger:
    """The sync ledger in dictionaries."""

    _items: dict[tuple[str, str], SyncItem] = attrs.field(factory=dict)
    _acked: dict[tuple[str, str], set[str]] = attrs.field(factory=dict)
    _inserted: set[tuple[str, str]] = attrs.field(factory=set)
    _alternates: dict[str, str] = attrs.field(factory=dict)
    _serials: dict[str, int] = attrs.field(factory=dict)
    _marks: dict[str, str] = attrs.field(factory=dict)
    _seq: int = 0

    def enqueue(self, dossier: str, target: str, at: dt.datetime) -> bool:
        key = (target, dossier)
        held = self._items.get(key)
        if held is not None:
            self._items[key] = attrs.evolve(held, changes=held.changes + 1)
            return False
        self._seq += 1
        self._items[key] = SyncItem(dossier, target, self._seq, 1, at, at)
        return True

    def due(self, target: str, now: dt.datetime, limit: int) -> list[SyncItem]:
        due = [
            i
            for (t, _), i in self._items.items()
            if t == target and i.state is ItemState.PENDING and i.next_at <= now
        ]
        return sorted(due, key=lambda i: i.seq)[:limit]

    def save(self, item: SyncItem) -> None:
        held = self._items.get((item.target, item.dossier))
        changes = held.changes if held is not None else item.changes
        self._items[(item.target, item.dossier)] = attrs.evolve(item, changes=changes)

    def finish(self, item: SyncItem, now: dt.datetime) -> bool:
        key = (item.target, item.dossier)
        held = self._items.get(key)
        if held is None:
            return True
        if held.changes != item.changes:
            self._items[key] = attrs.evolve(held, attempts=0, next_at=now, last_error="")
            return False
        del self._items[key]
        return True

    def redrive(self, target: str, dossier: str | None, now: dt.datetime) -> int:
        n = 0
        for key, item in list(self._items.items()):
            if key[0] == target and item.state is ItemState.DEAD and dossier in (None, key[1]):
                self._items[key] = attrs.evolve(
                    item, state=ItemState.PENDING, attempts=0, next_at=now
                )
                n += 1
        return n

    def items(self, target: str) -> list[SyncItem]:
        return sorted((i for (t, _), i in self._items.items() if t == target), key=lambda i: i.seq)

    def acked_rows(self, target: str, dossier: str) -> frozenset[str]:
        return frozenset(self._acked.get((target, dossier), ()))

    def ack_rows(self, target: str, dossier: str, row_ids: Iterable[str]) -> None:
        self._acked.setdefault((target, dossier), set()).update(row_ids)

    def inserted(self, target: str, dossier: str) -> bool:
        return (target, dossier) in self._inserted

    def mark_inserted(self, target: str, dossier: str, value: bool) -> None:
        if value:
            self._inserted.add((target, dossier))
        else:
            self._inserted.discard((target, dossier))

    def alternate_code(self, dossier: str, make: Callable[[], str]) -> str:
        if dossier not in self._alternates:
            self._alternates[dossier] = make()
        return self._alternates[dossier]

    def next_serial(self, prefix: str) -> int:
        self._serials[prefix] = self._serials.get(prefix, 0) + 1
        return self._serials[prefix]

    def inbound_mark(self, target: str) -> str | None:
        return self._marks.get(target)

    def set_inbound_mark(self, target: str, mark: str) -> None:
        self._marks[target] = mark
