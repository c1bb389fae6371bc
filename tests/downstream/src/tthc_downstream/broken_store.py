"""Broken copies of the dict store: each carries one bug the contract suites must catch.

* ``no-recheck``: the unit of work does not re-check versions at commit (a lost update).
* ``unlocked-sequences``: the daily sequence is allocated without a lock (two units get number 1).
* ``unsorted-catalogue``: ``catalogue.all()`` in insertion order, not by code.
* ``exclusive-due-by``: ``due_by`` compares ``due_at < instant``, missing what is due exactly then.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from tthc_core.catalogue import Procedure
from tthc_core.codes import AgencyCode
from tthc_core.storage import AggregateKind
from tthc_downstream.dict_store import (
    DictCatalogue,
    DictRepository,
    DictSequences,
    DictStore,
    DictUnitOfWork,
)

__all__ = ["BUGS", "broken_store"]


class NoRecheckUnitOfWork(DictUnitOfWork):
    def _check_versions(self) -> None:
        pass  # the bug: versions were checked at save time only


class UnlockedSequences(DictSequences):
    def next_sequence(self, agency: AgencyCode, day: dt.date) -> int:
        key = (agency.value, day)  # the bug: no lock between read and commit
        number = self.uow.numbers.get(key, self.uow.store.sequences.get(key, 0)) + 1
        self.uow.numbers[key] = number
        return number


class UnsortedCatalogue(DictCatalogue):
    def all(self) -> list[Procedure]:
        return list({**self.uow.store.procedures, **self.uow.procedures}.values())


class ExclusiveDueBy(DictRepository):
    def due_by(self, instant: dt.datetime, *, limit: int = 100) -> list[Any]:
        due = [
            (row.index.due_at, key, row.aggregate)
            for key, row in self._rows().items()
            # the bug: strictly before, so the aggregate due exactly at ``instant`` is missed
            if row.index.due_at is not None and row.index.due_at < instant
        ]
        return [aggregate for _, _, aggregate in sorted(due, key=lambda d: d[:2])[:limit]]


class _BrokenUnitOfWork(DictUnitOfWork):
    bug = ""

    def repository(self, kind: AggregateKind[Any]) -> DictRepository:
        if self.bug == "exclusive-due-by":
            return ExclusiveDueBy(self, kind)
        return super().repository(kind)

    def __init__(self, store: DictStore) -> None:
        super().__init__(store)
        if self.bug == "unlocked-sequences":
            self.sequences = UnlockedSequences(self)
        if self.bug == "unsorted-catalogue":
            self.catalogue = UnsortedCatalogue(self)


class _BrokenStore(DictStore):
    def __init__(self, clock: object, bug: str) -> None:
        super().__init__(clock)  # type: ignore[arg-type]
        base = NoRecheckUnitOfWork if bug == "no-recheck" else _BrokenUnitOfWork
        self._unit = type("BrokenUnitOfWork", (base,), {"bug": bug})

    def unit_of_work(self) -> DictUnitOfWork:
        unit: DictUnitOfWork = self._unit(self)
        return unit


#: Each bug and the contract test that must catch it.
BUGS = {
    "no-recheck": "test_interleaved_units_of_work_lose_no_update",
    "unlocked-sequences": "test_two_interleaved_units_of_work_never_both_get_a_number",
    "unsorted-catalogue": "test_all_is_in_code_order_whatever_the_order_of_puts",
    "exclusive-due-by": "test_due_by_is_inclusive_to_the_instant",
}


def broken_store(clock: object, bug: str) -> DictStore:
    """A dict store with ``bug`` (one of :data:`BUGS`)."""
    if bug not in BUGS:
        raise ValueError(f"unknown bug {bug!r}; one of {sorted(BUGS)}")
    return _BrokenStore(clock, bug)
