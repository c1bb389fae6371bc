"""``Repository.page``: every aggregate of a kind, a keyset page at a time, on every adapter.

The public Open311 listing (``GET /open311/v2/requests.json``) reads cases
through it, so it must list each stored aggregate exactly once, in key order,
only of its own kind, and see what the unit of work saved before committing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tthc_adapters.storage import MemoryStore, PostgresStore, SqliteStore
from tthc_core.storage import Store
from tthc_core.testing.contracts import (
    DOCKETS,
    NOTES,
    Docket,
    DocketNote,
    ManualClock,
    docket_code,
)


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Each adapter, on an empty database."""
    clock = ManualClock()
    made: Store
    if request.param == "memory":
        made = MemoryStore(clock=clock)
    elif request.param == "sqlite":
        made = SqliteStore(tmp_path / "tthc.sqlite3", clock=clock)
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("postgres_schema")
        made = PostgresStore(dsn, schema=schema, clock=clock, max_size=2)
    yield made
    made.close()


def _store_dockets(store: Store, numbers: list[int]) -> None:
    with store.unit_of_work() as uow:
        for number in numbers:
            uow.repository(DOCKETS).save(Docket(docket_code(number)))
        uow.commit()


def _all_pages(store: Store, size: int) -> list[list[str]]:
    pages: list[list[str]] = []
    after: str | None = None
    with store.unit_of_work() as uow:
        while page := uow.repository(DOCKETS).page(after=after, limit=size):
            pages.append([str(d.code) for d in page])
            after = pages[-1][-1]
    return pages


def test_pages_list_every_aggregate_once_in_key_order(store: Store) -> None:
    _store_dockets(store, [7, 3, 12, 1, 5])
    pages = _all_pages(store, size=2)
    expected = sorted(str(docket_code(n)) for n in (1, 3, 5, 7, 12))
    assert [len(p) for p in pages] == [2, 2, 1]
    assert [key for page in pages for key in page] == expected


def test_a_page_holds_only_its_own_kind(store: Store) -> None:
    code = docket_code(1)
    with store.unit_of_work() as uow:
        uow.repository(DOCKETS).save(Docket(code))
        uow.repository(NOTES).save(DocketNote("n1", code, "ghi chú"))
        uow.commit()
    with store.unit_of_work() as uow:
        assert [d.code for d in uow.repository(DOCKETS).page()] == [code]
        assert [n.id for n in uow.repository(NOTES).page()] == ["n1"]


def test_after_is_exclusive_and_an_empty_kind_has_no_page(store: Store) -> None:
    _store_dockets(store, [1, 2])
    with store.unit_of_work() as uow:
        repo = uow.repository(DOCKETS)
        assert [d.code for d in repo.page(after=str(docket_code(1)))] == [docket_code(2)]
        assert repo.page(after=str(docket_code(2))) == []
        assert uow.repository(NOTES).page() == []


def test_a_page_sees_this_unit_of_work_and_not_a_rolled_back_one(store: Store) -> None:
    with store.unit_of_work() as uow:
        uow.repository(DOCKETS).save(Docket(docket_code(1)))
        assert [d.code for d in uow.repository(DOCKETS).page()] == [docket_code(1)]
        # leaving without commit rolls back
    with store.unit_of_work() as uow:
        assert uow.repository(DOCKETS).page() == []


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    numbers=st.sets(st.integers(1, 9999), max_size=12),
    size=st.integers(1, 5),
)
def test_any_page_size_partitions_the_stored_set(
    numbers: set[int], size: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for store in (
        MemoryStore(clock=ManualClock()),
        SqliteStore(tmp_path_factory.mktemp("page") / "t.sqlite3", clock=ManualClock()),
    ):
        _store_dockets(store, sorted(numbers))
        pages = _all_pages(store, size)
        assert all(1 <= len(p) <= size for p in pages)
        assert [k for p in pages for k in p] == sorted(str(docket_code(n)) for n in numbers)
        store.close()
