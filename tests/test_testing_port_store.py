"""A single port's suite runs on that port alone, through the minimal PortStore.

The adapters here are deliberately small dict-backed ports with their own
transaction buffer, written as an integrator of one port would write them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tthc_core.catalogue import Procedure
from tthc_core.codes import AgencyCode, ProcedureCode
from tthc_core.errors import DomainRuleViolation
from tthc_core.testing.contracts import (
    CatalogueContract,
    InboxContract,
    PortStore,
    SequenceAllocatorContract,
)

pytest_plugins = ["pytester"]


class _Buffered:
    """A dict shared by every unit of work, with per-unit changes applied on commit."""

    def __init__(self, rows: dict[Any, Any]) -> None:
        self.rows, self.changes = rows, dict[Any, Any]()

    def _read(self, key: Any) -> Any:
        return self.changes.get(key, self.rows.get(key))

    def commit(self) -> None:
        self.rows.update(self.changes)
        self.changes.clear()

    def rollback(self) -> None:
        self.changes.clear()


class DictCatalogue(_Buffered):
    def put(self, procedure: Procedure) -> None:
        self.changes[str(procedure.code)] = procedure

    def get(self, code: ProcedureCode | str) -> Procedure | None:
        found: Procedure | None = self._read(str(code))
        return found

    def all(self) -> list[Procedure]:
        return [self._read(code) for code in sorted({*self.rows, *self.changes})]


class DictInbox(_Buffered):
    def record_once(self, source: str, event_id: str) -> bool:
        if self._read((source, event_id)):
            return False
        self.changes[(source, event_id)] = True
        return True


class LockedSequences(_Buffered):
    """Counters behind a lock held from the first number to commit or rollback."""

    def __init__(self, rows: dict[Any, Any], lock: Any) -> None:
        super().__init__(rows)
        self.lock, self.held = lock, False

    def next_sequence(self, agency: AgencyCode, day: dt.date) -> int:
        if not self.held:
            self.lock.acquire()
            self.held = True
        number = (self._read((agency.value, day)) or 0) + 1
        if number > 9999:
            raise DomainRuleViolation(
                "the day's sequence is used up", rule="Circular 01/2018/TT-VPCP Art. 19"
            )
        self.changes[(agency.value, day)] = number
        return number

    def _release(self) -> None:
        if self.held:
            self.held = False
            self.lock.release()

    def commit(self) -> None:
        super().commit()
        self._release()

    def rollback(self) -> None:
        super().rollback()
        self._release()


def _factory(cls: type[_Buffered]) -> Callable[[], _Buffered]:
    rows: dict[Any, Any] = {}
    return lambda: cls(rows)


class TestDictCatalogueAlone(CatalogueContract):
    @pytest.fixture
    def catalogue(self) -> Callable[[], _Buffered]:
        return _factory(DictCatalogue)


class TestDictInboxAlone(InboxContract):
    @pytest.fixture
    def inbox(self) -> Callable[[], _Buffered]:
        return _factory(DictInbox)


class TestLockedSequencesAlone(SequenceAllocatorContract):
    @pytest.fixture
    def sequences(self) -> Callable[[], LockedSequences]:
        import threading

        rows: dict[Any, Any] = {}
        lock = threading.Lock()
        return lambda: LockedSequences(rows, lock)


def test_a_port_the_minimal_store_lacks_is_named() -> None:
    store = PortStore(catalogue=_factory(DictCatalogue))
    with store.unit_of_work() as uow, pytest.raises(AttributeError, match="override the `store`"):
        uow.links  # noqa: B018


def test_a_suite_without_a_store_or_port_fixture_says_which_to_provide(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        from tthc_core.testing.contracts import CatalogueContract

        class TestNothing(CatalogueContract):
            pass
        """
    )
    result = pytester.runpytest("-q", "-p", "no:randomly", "-k", "empty")
    result.stdout.fnmatch_lines(["*a `catalogue` fixture returning a factory*"])


def test_the_contracts_sample_procedure_takes_the_documented_hand_over() -> None:
    # docs/dossier.md hands a received dossier to "Công chức Tư pháp - Hộ tịch"; a procedure
    # copied from the contract suite must accept that (its desk step is the last one).
    from tthc_core.dossier import HandOver
    from tthc_core.testing.contracts._storage_records import _procedure
    from tthc_core.testing.dossiers import drive, local, received

    procedure = _procedure("1.001193", "Đăng ký khai sinh", 3)
    dossier, _ = received(at=local(2026, 3, 2, 9, 0), procedure=procedure)
    dossier, _ = drive(dossier, (HandOver("Công chức Tư pháp - Hộ tịch"), local(2026, 3, 2, 10)))
    assert dossier.sheet.entries[0].step_index == 0
    assert procedure.steps[-1].unit == "Bộ phận Một cửa"
