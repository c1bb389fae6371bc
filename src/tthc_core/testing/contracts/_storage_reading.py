"""Contract suite for the read-only unit of work (:meth:`Store.read_only`)."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

from tthc_core.links import CitizenLink
from tthc_core.storage import ReadOnlyViolation, Store
from tthc_core.testing.contracts._storage_base import StorageFixtures
from tthc_core.testing.contracts._storage_sample import DOCKETS, Docket, ManualClock, docket_code

__all__ = ["ReadOnlyContract"]

#: Seconds a reader or writer may take while the other holds its transaction
#: open; waiting for a lock would take the store's whole busy timeout.
PATIENCE = 5.0

T = TypeVar("T")


def _in_thread(call: Callable[[], T]) -> T:
    """``call()`` in another thread, which must finish within :data:`PATIENCE` seconds."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result(timeout=PATIENCE)


def _save(store: Store, *dockets: Docket) -> None:
    with store.unit_of_work() as uow:
        for docket in dockets:
            uow.repository(DOCKETS).save(*docket.advance(7, ManualClock()()))
        uow.commit()


class ReadOnlyContract(StorageFixtures):
    """What every store's read-only unit of work must do."""

    def test_it_sees_what_was_committed(self, store: Store, clock: ManualClock) -> None:
        _save(store, Docket(docket_code(1), phone="0912345678"), Docket(docket_code(2)))
        with store.unit_of_work() as uow:
            uow.links.link(CitizenLink("zalo", "u-1", docket_code(1), clock(), "0912345678"))
            uow.commit()
        with store.read_only() as reader:
            dockets = reader.repository(DOCKETS)
            first = dockets.get(str(docket_code(1)))
            assert first is not None
            assert (first.version, first.total) == (1, 7)
            assert [d.code for d in dockets.for_dossier(docket_code(2))] == [docket_code(2)]
            assert [d.code for d in dockets.for_phone("0912345678")] == [docket_code(1)]
            assert [d.code for d in dockets.page(limit=5)] == [docket_code(1), docket_code(2)]
            assert len(reader.audit.history(DOCKETS, str(docket_code(1)))) == 1
            assert [link.user_id for link in reader.links.for_dossier(docket_code(1))] == ["u-1"]
            assert reader.catalogue.all() == []

    def test_it_neither_waits_for_a_writer_nor_sees_its_changes(self, store: Store) -> None:
        _save(store, Docket(docket_code(1)))
        with store.unit_of_work() as writer:
            writer.repository(DOCKETS).save(Docket(docket_code(2)))  # holds the write lock

            def read() -> tuple[Docket | None, Docket | None]:
                with store.read_only() as reader:
                    dockets = reader.repository(DOCKETS)
                    return dockets.get(str(docket_code(1))), dockets.get(str(docket_code(2)))

            committed, uncommitted = _in_thread(read)
            assert committed is not None
            assert uncommitted is None
            writer.commit()
        with store.read_only() as reader:
            assert reader.repository(DOCKETS).get(str(docket_code(2))) is not None

    def test_each_read_sees_the_last_committed_version(
        self, store: Store, clock: ManualClock
    ) -> None:
        key = str(docket_code(1))
        _save(store, Docket(docket_code(1)))

        def total() -> int:
            with store.read_only() as reader:
                docket = reader.repository(DOCKETS).get(key)
                assert docket is not None
                return docket.total

        assert total() == total() == 7
        with store.unit_of_work() as uow:  # a version 2 that is rolled back...
            docket = uow.repository(DOCKETS).get(key)
            assert docket is not None
            uow.repository(DOCKETS).save(*docket.advance(1, clock()))
            mine = uow.repository(DOCKETS).get(key)
            assert mine is not None
            assert (mine.version, mine.total) == (2, 7 * 31 + 1)  # its own, uncommitted
        assert total() == 7
        with store.unit_of_work() as uow:  # a writer does not see the rolled-back version
            docket = uow.repository(DOCKETS).get(key)
            assert docket is not None
            assert (docket.version, docket.total) == (1, 7)
        with store.unit_of_work() as uow:  # ... and another version 2, committed
            docket = uow.repository(DOCKETS).get(key)
            assert docket is not None
            uow.repository(DOCKETS).save(*docket.advance(2, clock()))
            uow.commit()
        assert total() == 7 * 31 + 2

    def test_a_writer_does_not_wait_for_an_open_reader(self, store: Store) -> None:
        _save(store, Docket(docket_code(1)))
        with store.read_only() as reader:
            assert reader.repository(DOCKETS).get(str(docket_code(1))) is not None

            def write() -> None:
                _save(store, Docket(docket_code(2)))

            _in_thread(write)
        with store.read_only() as reader:
            assert reader.repository(DOCKETS).get(str(docket_code(2))) is not None

    def test_writes_through_it_are_refused_and_leave_nothing(
        self, store: Store, clock: ManualClock
    ) -> None:
        code = docket_code(1)
        writes: list[Callable[[Any], object]] = [
            lambda r: r.repository(DOCKETS).save(Docket(code)),
            lambda r: r.links.link(CitizenLink("zalo", "u-1", code, clock())),
            lambda r: r.links.unlink("zalo", "u-1", code),
        ]
        for write in writes:
            with store.read_only() as reader, pytest.raises(ReadOnlyViolation):
                write(reader)
        # Nothing was written and no lock is left behind: a writer proceeds at once.
        _in_thread(lambda: _save(store, Docket(docket_code(2))))
        with store.read_only() as reader:
            assert reader.repository(DOCKETS).get(str(code)) is None
            assert reader.links.for_dossier(code) == []
