"""Issue 17 over real loopback HTTP: a commune's day of dossiers synchronised to the fake portal
(uvicorn on 127.0.0.1), through a 30-minute outage, a lost acknowledgement, a timeout and a
login that expires mid-batch; then the Decision 766 indicators the fake computes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from tests._desk import COPY, KEY, LAND, at
from tests._portal import CONTEXT, PROVINCE, TARGET, act_synced, engine, pump

from tthc_adapters.bootstrap import DEMO_CATALOGUE, DEMO_SETTINGS, build_desk
from tthc_adapters.portal import (
    FakeNationalPortal,
    HttpNationalPortal,
    LoopbackPortal,
    MemoryLedger,
    RpcProfile,
    SessionLogin,
    TransportConfig,
    UrlProfile,
    evaluate_766,
    snapshot_fields,
)
from tthc_adapters.storage import MemoryStore
from tthc_core.desk import receive_dossier
from tthc_core.dossier import HandOver, Resolve, ReturnAtDesk
from tthc_core.portal import record_change, snapshot_of
from tthc_core.receipt import StaticKeyRing
from tthc_core.storage import Store
from tthc_core.storage.kinds import DOSSIERS

DESK = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))
APPLICANTS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em")


@pytest.fixture
def fake() -> FakeNationalPortal:
    return FakeNationalPortal(PROVINCE, session_calls=7)


@pytest.fixture
def served(fake: FakeNationalPortal) -> Iterator[LoopbackPortal]:
    with LoopbackPortal(fake, hang_seconds=1.2) as server:
        yield server


def day_of_dossiers(store: Store) -> list[str]:
    """Ten dossiers on 23/11/2026: copies resolved and returned the same day, land in progress."""
    from tthc_core.party import Applicant

    codes = []
    for n in range(10):
        when = at(11, 23, 8 + n // 2, 10 * (n % 2) + 5)
        procedure = COPY if n % 2 else LAND
        with store.unit_of_work() as uow:
            dossier = receive_dossier(
                uow, DESK, procedure_code=procedure, applicant=Applicant(APPLICANTS[n % 5]), at=when
            )
            record_change(uow, dossier, [TARGET])
            uow.commit()
        codes.append(str(dossier.code))
        if procedure == COPY:
            for step in dossier.steps:
                when += dt.timedelta(minutes=20)
                act_synced(store, DESK, dossier.code, HandOver(step.unit), when)
            act_synced(store, DESK, dossier.code, Resolve(), when + dt.timedelta(minutes=30))
            act_synced(store, DESK, dossier.code, ReturnAtDesk(), when + dt.timedelta(minutes=40))
        else:
            act_synced(store, DESK, dossier.code, HandOver(dossier.steps[0].unit), when)
    return codes


def test_a_day_of_dossiers_over_loopback_http(
    fake: FakeNationalPortal, served: LoopbackPortal
) -> None:
    store = MemoryStore(clock=lambda: at(11, 23, 8))
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    codes = day_of_dossiers(store)
    login = SessionLogin("tthc", "secret", unit_code=str(DESK.agency), route_code=PROVINCE)
    config = TransportConfig(served.url, connect_timeout=2.0, read_timeout=0.8)
    portal = HttpNationalPortal(RpcProfile(), login, config)
    ledger = MemoryLedger()
    sync = engine(store, portal, ledger)
    now = at(11, 23, 17)
    assert pump(store, ledger, now) > len(codes)
    assert len(ledger.items(TARGET)) == len(codes)  # coalesced: one item per dossier

    fake.faults.server_error_next = 10_000  # a 30-minute outage, synced every 10 minutes
    for minutes in (0, 10, 20, 30):
        report = sync.run(now + dt.timedelta(minutes=minutes))
        assert report.synced == 0
    fake.faults.server_error_next = 0
    fake.faults.applied_but_failed_next = 1  # a lost acknowledgement
    fake.faults.timeout_next = 1  # and a call that never answers in time
    fake.faults.only = frozenset({"progress"})
    later = now + dt.timedelta(hours=2)
    for hour in range(4):
        sync.run(later + dt.timedelta(hours=hour))
    portal.close()

    assert ledger.items(TARGET) == []
    assert login.logins >= 2  # the session expired mid-batch and was renewed
    assert fake.duplicate_rows() == []
    for code in codes:
        dossier = store.unit_of_work().repository(DOSSIERS).get(code)
        assert dossier is not None
        expected = snapshot_fields(
            snapshot_of(dossier, national_code=code, context=CONTEXT), modern=False, numbers=True
        )
        assert fake.dossiers[code] == expected
    statuses = [c.status for c in fake.calls]
    assert 503 in statuses
    assert 500 in statuses
    indicators = {
        i.number: i
        for i in evaluate_766(
            fake, start=at(11, 23, 0), end=at(11, 24, 0), reported_total=len(codes)
        )
    }
    assert indicators["1.4"].percent == 100.0
    assert (indicators["2.1"].numerator, indicators["2.1"].denominator) == (5, 5)
    assert indicators["4.1"].percent == 100.0
    assert indicators["3.3"].percent == 0.0


def test_inbound_dossiers_are_fetched_deduplicated_and_acknowledged(
    fake: FakeNationalPortal, served: LoopbackPortal
) -> None:
    from tthc_adapters.portal import OAuth2ClientCredentials

    fake.inbound = [
        {
            "MaHoSo": f"000.00.00.H15-261123-{n:04d}",
            "MaTTHC": LAND,
            "ChuHoSo": "Nguyễn Văn An",
            "NgayNopHoSo": "20261123081500",
        }
        for n in (1, 2)
    ]
    fake.faults.duplicate_deliveries = True
    oauth = OAuth2ClientCredentials("tthc", "secret", clock=lambda: at(11, 23, 8))
    portal = HttpNationalPortal(UrlProfile(), oauth, TransportConfig(served.url))
    items, mark = portal.fetch_new(None)
    assert len(items) == 4
    assert mark == "2"
    seen = {i.national_code for i in items}
    assert len(seen) == 2
    assert all(portal.acknowledge(code).ok for code in sorted(seen))
    assert portal.fetch_new(mark)[0] == []
    assert not portal.acknowledge("000.00.00.H15-261123-0009").ok
    portal.close()
