"""Issue 17 over real loopback HTTP: a commune's day of dossiers synchronised to the fake portal
(uvicorn on 127.0.0.1), through a 30-minute outage, a lost acknowledgement, a timeout and a
login that expires mid-batch; then the Decision 766 indicators the fake computes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

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


def test_inbound_dossiers_over_loopback_http_through_the_wired_runtime(
    fake: FakeNationalPortal, served: LoopbackPortal, tmp_path: Path
) -> None:
    """Configured from TTHC_PORTAL_* as `tthc worker` is; a lost acknowledgement and duplicate
    deliveries; each portal dossier once in the intake queue; statuses back under its code."""
    import attrs

    from tthc_adapters.portal import PortalRuntime, PortalSettings, SqliteLedger, format_stamp
    from tthc_adapters.staff._queues import all_dossiers, build_queues
    from tthc_adapters.storage import SqliteStore
    from tthc_core.desk import act, filing_of
    from tthc_core.dossier import ReceiveDossier
    from tthc_core.storage import drain_inbox

    settings = PortalSettings.from_env(
        {
            "TTHC_PORTAL_URL": served.url,
            "TTHC_PORTAL_PROFILE": "rpc",
            "TTHC_PORTAL_USERNAME": "tthc",
            "TTHC_PORTAL_PASSWORD": "secret",
            "TTHC_PORTAL_UNIT_CODE": str(DESK.agency),
            "TTHC_PORTAL_ROUTE_CODE": PROVINCE,
            "TTHC_PORTAL_PROVINCE": PROVINCE,
            "TTHC_PORTAL_PROVINCE_AGENCY": "000.00.00.H15",
        }
    )
    assert settings is not None
    clock = [at(11, 23, 8)]
    store = SqliteStore(str(tmp_path / "tthc.sqlite3"), clock=lambda: clock[0])
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    desk = attrs.evolve(DESK, portal_targets=(settings.target,))
    runtime = PortalRuntime(settings, store, desk, clock=lambda: clock[0])
    assert isinstance(runtime.ledger, SqliteLedger)
    national = [f"000.00.00.H15-261123-{n:05d}" for n in (1, 2, 3)]
    for n, code in enumerate(national):
        fake.submit_online(
            {
                "MaHoSo": code,
                "MaTTHC": LAND,
                "ChuHoSo": APPLICANTS[n],
                "NgayNopHoSo": format_stamp(at(11, 23, 7, n)),
            }
        )
    fake.faults.duplicate_deliveries = True
    fake.faults.applied_but_failed_next = 1
    fake.faults.only = frozenset({"ack"})

    def drain() -> None:
        drain_inbox(
            store.inbox_queue,
            store.unit_of_work,
            runtime.handlers(),
            owner="t",
            clock=lambda: clock[0],
        )

    first = runtime.pull()
    drain()
    assert (first.fetched, first.new, first.unacknowledged) == (6, 3, 1)
    clock[0] = at(11, 23, 8, 10)
    second = runtime.pull()  # the dossier whose acknowledgement was lost is delivered again
    drain()
    assert second.new == 0
    assert fake.acknowledged == set(national)
    with store.unit_of_work() as uow:
        dossiers = list(all_dossiers(uow))
        queue = build_queues(dossiers, unit=desk.unit, leader_units=frozenset(), now=clock[0])
        references = sorted(filing_of(uow, d).reference for d in dossiers)  # type: ignore[union-attr]
    assert len(queue.submitted) == 3
    assert references == national
    with store.unit_of_work() as uow:
        act(uow, desk, queue.submitted[0].code, ReceiveDossier(desk.unit), at=at(11, 23, 9))
        uow.commit()
    clock[0] = at(11, 23, 9, 1)
    for pending in store.outbox_queue.claim(
        owner="t", now=clock[0], lease=dt.timedelta(minutes=1), limit=100
    ):
        runtime.absorb(pending.message)  # what the Dispatcher's "portal" channel does
        store.outbox_queue.delivered(pending.id, owner="t", now=clock[0])
    report = runtime.run()
    runtime.close()
    store.close()
    assert (report.synced, report.dead) == (3, 0)
    statuses = {code: [int(r["TrangThai"]) for r in fake.progress[code]] for code in national}
    assert sorted(statuses.values()) == [[1], [1], [1, 2]]
    for code, rows in statuses.items():
        assert int(fake.dossiers[code]["TrangThaiHoSo"]) == rows[-1]  # RPC: numbers as strings
    assert fake.duplicate_rows() == []
