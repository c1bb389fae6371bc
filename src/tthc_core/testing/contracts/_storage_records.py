"""Contract suites for citizen links, the procedure catalogue and the daily sequence."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import pytest

from tthc_core.calendar import Duration
from tthc_core.catalogue import Fee, Procedure, RequiredDocument, StepTemplate
from tthc_core.codes import AgencyCode, ProcedureCode
from tthc_core.errors import DomainRuleViolation
from tthc_core.links import CitizenLink
from tthc_core.storage import ConcurrencyConflict, Store
from tthc_core.testing.contracts._interleave import Interleaving
from tthc_core.testing.contracts._storage_base import StorageFixtures
from tthc_core.testing.contracts._storage_sample import ManualClock, docket_code

__all__ = ["CatalogueContract", "CitizenLinksContract", "SequenceAllocatorContract"]

_AGENCY = AgencyCode("000.24.31.H15")
_DAY = dt.date(2025, 3, 3)


class CitizenLinksContract(StorageFixtures):
    """What every :class:`~tthc_core.storage.CitizenLinks` must do."""

    port: ClassVar[str | None] = "links"

    def test_link_lookups(self, store: Store, clock: ManualClock) -> None:
        first = CitizenLink("zalo", "u1", docket_code(1), clock(), phone="0912 345 678")
        second = CitizenLink("zalo", "u1", docket_code(2), clock() + dt.timedelta(minutes=1))
        other = CitizenLink("zalo", "u2", docket_code(1), clock() + dt.timedelta(minutes=2))
        with store.unit_of_work() as uow:
            assert [uow.links.link(x) for x in (second, first, other)] == [True, True, True]
            assert not uow.links.link(first)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.links.for_user("zalo", "u1") == [first, second]
            assert uow.links.for_user("sms", "u1") == []
            assert uow.links.for_dossier(docket_code(1)) == [first, other]
            assert uow.links.for_phone("0912345678") == [first]

    def test_links_made_at_the_same_instant_order_by_channel_user_and_code(
        self, store: Store, clock: ManualClock
    ) -> None:
        at = clock()
        made = [
            CitizenLink("zalo", "u2", docket_code(1), at, phone="0912345678"),
            CitizenLink("sms", "u9", docket_code(1), at, phone="0912345678"),
            CitizenLink("zalo", "u1", docket_code(2), at, phone="0912345678"),
            CitizenLink("zalo", "u1", docket_code(1), at, phone="0912345678"),
        ]
        with store.unit_of_work() as uow:
            for link in made:
                uow.links.link(link)
            uow.commit()
        expected = [made[1], made[3], made[2], made[0]]
        with store.unit_of_work() as uow:
            assert uow.links.for_phone("0912345678") == expected
            assert uow.links.for_dossier(docket_code(1)) == [made[1], made[3], made[0]]

    def test_unlink(self, store: Store, clock: ManualClock) -> None:
        link = CitizenLink("zalo", "u1", docket_code(1), clock())
        with store.unit_of_work() as uow:
            uow.links.link(link)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.links.unlink("zalo", "u1", docket_code(1))
            assert not uow.links.unlink("zalo", "u1", docket_code(1))
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.links.for_dossier(docket_code(1)) == []

    def test_links_roll_back(self, store: Store, clock: ManualClock) -> None:
        with store.unit_of_work() as uow:
            uow.links.link(CitizenLink("zalo", "u1", docket_code(1), clock()))
        with store.unit_of_work() as uow:
            assert uow.links.for_user("zalo", "u1") == []


def _procedure(code: str, name: str, days: int) -> Procedure:
    return Procedure(
        code=ProcedureCode.parse(code),
        name=name,
        sector="Hộ tịch",
        processing_time=Duration.working_days(days),
        documents=(RequiredDocument("Tờ khai đăng ký khai sinh"),),
        fees=(Fee("Lệ phí", 8000),),
        # The desk receives the dossier and hands it to the first processing unit;
        # its own step is the last one, returning the result (as in docs/dossier.md).
        steps=(
            StepTemplate("Công chức Tư pháp - Hộ tịch", Duration.working_days(days - 1)),
            StepTemplate("Bộ phận Một cửa", Duration.working_days(1)),
        ),
    )


class CatalogueContract(StorageFixtures):
    """What every :class:`~tthc_core.storage.Catalogue` must do."""

    port: ClassVar[str | None] = "catalogue"

    def test_all_is_in_code_order_whatever_the_order_of_puts(self, store: Store) -> None:
        codes = ["2.000884", "1.001193.000.00.00.H15", "1.000656", "1.001193", "3.000001"]
        with store.unit_of_work() as uow:
            for n, code in enumerate(codes):
                uow.catalogue.put(_procedure(code, f"Thủ tục {n}", 2 + n))
            uow.commit()
        with store.unit_of_work() as uow:
            assert [str(p.code) for p in uow.catalogue.all()] == sorted(codes)

    def test_an_empty_catalogue(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            assert uow.catalogue.all() == []
            assert uow.catalogue.get("1.001193") is None

    def test_put_get_all_replace(self, store: Store) -> None:
        birth = _procedure("1.001193.000.00.00.H15", "Đăng ký khai sinh", 2)
        death = _procedure("1.000656", "Đăng ký khai tử", 3)
        with store.unit_of_work() as uow:
            uow.catalogue.put(death)
            uow.catalogue.put(birth)
            uow.commit()
        renamed = _procedure("1.001193.000.00.00.H15", "Đăng ký khai sinh (sửa)", 3)
        with store.unit_of_work() as uow:
            assert uow.catalogue.get(birth.code) == birth
            assert uow.catalogue.get("1.000656") == death
            assert uow.catalogue.get("1.999999") is None
            assert uow.catalogue.all() == [death, birth]
            uow.catalogue.put(renamed)
            uow.commit()
        with store.unit_of_work() as uow:
            assert uow.catalogue.get(birth.code) == renamed


class SequenceAllocatorContract(StorageFixtures):
    """What every store's :class:`~tthc_core.codes.SequenceAllocator` must do.

    Circular 01/2018/TT-VPCP Art. 19: the last part of a dossier code is the
    4-digit sequence of the dossiers the agency received that day.
    """

    port: ClassVar[str | None] = "sequences"

    def test_two_interleaved_units_of_work_never_both_get_a_number(self, store: Store) -> None:
        """A allocates, B allocates, A commits, B commits — in that order, every run."""

        def open_and_draw(state: dict[str, Any]) -> int:
            state["uow"] = store.unit_of_work().__enter__()
            number: int = state["uow"].sequences.next_sequence(_AGENCY, _DAY)
            return number

        def commit_and_close(state: dict[str, Any]) -> None:
            try:
                state["uow"].commit()
            finally:
                state["uow"].__exit__(None, None, None)

        with Interleaving() as run:
            a, b = run.unit("a"), run.unit("b")
            drawn_a, drawn_b = a.step(open_and_draw), b.step(open_and_draw)
            done_a, done_b = a.step(commit_and_close), b.step(commit_and_close)
        committed = [
            drawn.result()
            for drawn, done in ((drawn_a, done_a), (drawn_b, done_b))
            if drawn.exception() is None and done.exception() is None
        ]
        for failed in (drawn_a, drawn_b, done_a, done_b):
            error = failed.exception()
            assert error is None or isinstance(error, ConcurrencyConflict), error
        assert committed, "neither unit of work could commit"
        assert len(set(committed)) == len(committed), f"both units got {committed[0]}"
        with store.unit_of_work() as uow:
            assert uow.sequences.next_sequence(_AGENCY, _DAY) == max(committed) + 1

    def test_numbers_count_per_agency_and_day(self, store: Store) -> None:
        other = AgencyCode("000.00.15.H12")
        with store.unit_of_work() as uow:
            seq = uow.sequences
            drawn = [seq.next_sequence(_AGENCY, _DAY) for _ in range(3)]
            drawn += [seq.next_sequence(other, _DAY), seq.next_sequence(_AGENCY, _DAY)]
            drawn += [seq.next_sequence(_AGENCY, _DAY + dt.timedelta(days=1))]
            uow.commit()
        assert drawn == [1, 2, 3, 1, 4, 1]

    def test_a_rolled_back_number_is_given_again(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            assert uow.sequences.next_sequence(_AGENCY, _DAY) == 1
        with store.unit_of_work() as uow:
            assert uow.sequences.next_sequence(_AGENCY, _DAY) == 1

    def test_concurrent_units_of_work_never_share_a_number(self, store: Store) -> None:
        def draw(_: int) -> list[int]:
            numbers = []
            for _ in range(10):
                with store.unit_of_work() as uow:
                    numbers.append(uow.sequences.next_sequence(_AGENCY, _DAY))
                    uow.commit()
            return numbers

        with ThreadPoolExecutor(4) as pool:
            drawn = [n for numbers in pool.map(draw, range(4)) for n in numbers]
        assert sorted(drawn) == list(range(1, 41))

    def test_the_day_ends_at_9999(self, store: Store) -> None:
        with store.unit_of_work() as uow:
            for expected in range(1, 10_000):
                assert uow.sequences.next_sequence(_AGENCY, _DAY) == expected
            with pytest.raises(DomainRuleViolation) as info:
                uow.sequences.next_sequence(_AGENCY, _DAY)
        assert info.value.rule == "Circular 01/2018/TT-VPCP Art. 19"
