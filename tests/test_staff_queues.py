"""Work queues: mine, due today, late, awaiting supplement, awaiting a leader — at their edges."""

from __future__ import annotations

import datetime as dt

import attrs
from tests._desk import at, receive

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.staff import build_queues
from tthc_adapters.storage import MemoryStore
from tthc_core.desk import Desk
from tthc_core.dossier import Dossier, DossierState

NOW = at(11, 25, 10)
LEADERS = frozenset({"Lãnh đạo"})


def _dossier(desk: Desk) -> Dossier:
    store = MemoryStore()
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    return receive(store, desk)


def _queues(*dossiers: Dossier) -> dict[str, list[Dossier]]:
    queues = build_queues(dossiers, unit="Phòng", leader_units=LEADERS, now=NOW)
    return {f.name: list(getattr(queues, f.name)) for f in attrs.fields(type(queues))}


def _in(queues: dict[str, list[Dossier]], dossier: Dossier) -> set[str]:
    return {name for name, found in queues.items() if dossier in found}


def test_due_edges(desk: Desk) -> None:
    base = attrs.evolve(_dossier(desk), holder_unit="Phòng", state=DossierState.IN_PROCESSING)
    exactly_now = attrs.evolve(base, due_at=NOW)
    just_late = attrs.evolve(base, due_at=NOW - dt.timedelta(microseconds=1))
    tonight = attrs.evolve(base, due_at=at(11, 25, 23, 59))
    tomorrow = attrs.evolve(base, due_at=at(11, 26, 0, 0))
    queues = _queues(exactly_now, just_late, tonight, tomorrow)
    assert _in(queues, exactly_now) == {"mine", "due_today"}
    assert _in(queues, just_late) == {"mine", "late"}
    assert _in(queues, tonight) == {"mine", "due_today"}
    assert _in(queues, tomorrow) == {"mine"}


def test_the_day_is_vietnams(desk: Desk) -> None:
    # 23:30 UTC on the 24th is already the 25th in Vietnam.
    d = attrs.evolve(
        _dossier(desk),
        state=DossierState.IN_PROCESSING,
        due_at=dt.datetime(2026, 11, 25, 16, 30, tzinfo=dt.UTC),
    )
    assert "due_today" in _in(_queues(d), d)


def test_units_and_leaders(desk: Desk) -> None:
    base = attrs.evolve(_dossier(desk), state=DossierState.IN_PROCESSING, due_at=at(11, 30, 8))
    elsewhere = attrs.evolve(base, holder_unit="Phòng khác")
    at_leader = attrs.evolve(base, holder_unit="Lãnh đạo")
    queues = _queues(elsewhere, at_leader)
    assert _in(queues, elsewhere) == set()
    assert _in(queues, at_leader) == {"awaiting_leader"}


def test_waiting_for_the_citizen_is_not_late(desk: Desk) -> None:
    waiting = attrs.evolve(
        _dossier(desk),
        state=DossierState.AWAITING_SUPPLEMENT,
        holder_unit="Phòng",
        due_at=NOW - dt.timedelta(days=3),
    )
    assert _in(_queues(waiting), waiting) == {"awaiting_supplement", "mine"}


def test_finished_dossiers_leave_the_queues(desk: Desk) -> None:
    done = attrs.evolve(
        _dossier(desk),
        state=DossierState.RESOLVED,
        holder_unit="Phòng",
        finished_at=at(11, 24, 9),
        due_at=NOW - dt.timedelta(days=1),
    )
    assert _in(_queues(done), done) == set()


def test_each_queue_is_soonest_first(desk: Desk) -> None:
    base = attrs.evolve(_dossier(desk), holder_unit="Phòng", state=DossierState.IN_PROCESSING)
    later = attrs.evolve(base, due_at=at(11, 27, 8))
    sooner = attrs.evolve(base, due_at=at(11, 26, 8))
    assert _queues(later, sooner)["mine"] == [sooner, later]
