"""tthc's own aggregates (dossiers, complaint cases, shipments) in storage.

Each round-trips through SQLite with its events, is found by its indexed
columns, and — for dossiers — is rebuilt from the audit trail alone (the
process control sheet of Circular 01/2018 Art. 11 comes from the trail).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tthc_adapters.storage import MemoryStore, SqliteStore
from tthc_core.complaint import Case, CaseEvent, due_in_queue
from tthc_core.delivery import Shipment
from tthc_core.dossier import Channel, ChannelNotOffered, Dossier, classify_open, rebuild, submit
from tthc_core.dossier import Timeliness as DossierTimeliness
from tthc_core.storage.kinds import COMPLAINTS, DOSSIERS, SHIPMENTS
from tthc_core.testing.strategies import (
    applicants,
    aware_datetimes,
    case_walks,
    dossier_codes,
    dossiers,
    procedures,
    shipments,
)

MINUTE = dt.timedelta(minutes=1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqliteStore]:
    path: Path = tmp_path_factory.mktemp("kinds") / "tthc.sqlite3"
    store = SqliteStore(path, synchronous="NORMAL")
    yield store
    store.close()


@settings(max_examples=25)
@given(data=st.data())
def test_a_dossier_round_trips_and_is_rebuilt_from_its_trail(
    store: SqliteStore, data: st.DataObject
) -> None:
    code = data.draw(dossier_codes())
    procedure = data.draw(procedures())
    try:
        dossier, events = submit(
            code=code,
            procedure=procedure,
            applicant=data.draw(applicants()),
            channel=Channel.ONLINE,
            at=data.draw(aware_datetimes()),
        )
    except ChannelNotOffered:
        assume(False)
        raise
    with store.unit_of_work() as uow:
        repo = uow.repository(DOSSIERS)
        if repo.get(str(code)) is not None:
            return  # the same code drawn twice
        saved = repo.save(dossier, events)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.repository(DOSSIERS).get(str(code)) == saved
        trail = [r.event for r in uow.audit.history(DOSSIERS, str(code))]
        if dossier.applicant.phone is not None:
            assert saved in uow.repository(DOSSIERS).for_phone(dossier.applicant.phone)
    assert trail == events
    assert rebuild(trail, version=saved.version) == saved


@settings(max_examples=25)
@given(walk=case_walks())
def test_a_case_round_trips_with_its_history(
    store: SqliteStore, walk: tuple[Case, list[CaseEvent]]
) -> None:
    case, events = walk
    assert case.version == 0  # commands never touch the version; storage owns it
    with store.unit_of_work() as uow:
        repo = uow.repository(COMPLAINTS)
        if repo.get(case.case_id) is not None:
            return
        saved = repo.save(case, events)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.repository(COMPLAINTS).get(case.case_id) == saved
        assert [r.event for r in uow.audit.history(COMPLAINTS, case.case_id)] == events
        if case.dossier_code is not None:
            assert saved in uow.repository(COMPLAINTS).for_dossier(case.dossier_code)
        due = due_in_queue(saved)
        if due is not None:  # in the stored queue from its due instant on, not a minute before
            repo = uow.repository(COMPLAINTS)
            assert saved not in repo.due_by(due - MINUTE, limit=10_000)
            assert saved in repo.due_by(due, limit=10_000)
    assert saved.version == 1


@settings(max_examples=25)
@given(shipment=shipments())
def test_a_shipment_round_trips_and_is_found_by_dossier(
    store: SqliteStore, shipment: Shipment
) -> None:
    shipment = attrs.evolve(shipment, version=0)
    with store.unit_of_work() as uow:
        repo = uow.repository(SHIPMENTS)
        if repo.get(shipment.reference) is not None:
            return
        saved = repo.save(shipment)
        uow.commit()
    with store.unit_of_work() as uow:
        assert uow.repository(SHIPMENTS).get(shipment.reference) == saved
        assert saved in uow.repository(SHIPMENTS).for_dossier(shipment.dossier_code)


@settings(max_examples=30, deadline=None)
@given(dossier=dossiers())
def test_the_stored_dossier_queue_agrees_with_dossier_timeliness(dossier: Dossier) -> None:
    """A dossier returned exactly at its due time is on time (Circular 01/2018 Art. 13), so the
    inclusive queue lists it from just after that instant: a minute before and at the due time
    it is not overdue, a minute after it is. A finished dossier is never listed."""
    processing = dossier.finished_at is None and not dossier.is_final
    due = dossier.due_at
    store = MemoryStore()
    with store.unit_of_work() as uow:
        repo = uow.repository(DOSSIERS)
        saved = repo.save(attrs.evolve(dossier, version=0))
        if due is None or not processing:
            assert repo.due_by(dt.datetime.max.replace(tzinfo=dt.UTC), limit=10) == []
            return
        for probe in (due - MINUTE, due, due + MINUTE):
            listed = saved in repo.due_by(probe, limit=10)
            assert listed is (classify_open(probe, due) is DossierTimeliness.OVERDUE)
