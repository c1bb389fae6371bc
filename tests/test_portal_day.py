"""Issue 17, the closing note's figures: a commune's simulated day (23/11/2026) in each
profile — ten desk dossiers and three submitted on the portal — synchronised through faults,
and the Decision 766 indicators the fake computes from what it received. docs/portal.md
quotes these numbers; this test keeps them true.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from tests._desk import KEY, LAND, at
from tests._portal import PROVINCE, TARGET, catalogue_store, engine, portal_client, pump
from tests.test_portal_loopback import day_of_dossiers

from tthc_adapters.bootstrap import DEMO_SETTINGS, build_desk
from tthc_adapters.portal import FakeNationalPortal, MemoryLedger, evaluate_766, format_stamp
from tthc_core.desk import act, filing_of, intake_handler, intake_source, pull_portal
from tthc_core.dossier import Dossier, HandOver, ReceiveDossier, RefuseAtIntake
from tthc_core.receipt import StaticKeyRing
from tthc_core.storage import drain_inbox
from tthc_core.storage.kinds import DOSSIERS

DESK = attrs.evolve(
    build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23)),
    portal_targets=(TARGET,),
)

#: (numerator, denominator) per indicator and profile, as docs/portal.md states them. The
#: dossier refused at intake has no NgayTiepNhan, so 1.4 (per the 766 spec, §13) misses it;
#: the RPC profile has no KenhThucHien and no DuocSoHoa (2023+ fields), so 3.3 and 4.2 are 0.
EXPECTED = {
    "rpc": {
        "1.4": (12, 13),
        "2.1": (5, 5),
        "3.3": (0, 12),
        "3.6": (0, 0),
        "4.1": (5, 5),
        "4.2": (0, 12),
    },
    "url": {
        "1.4": (12, 13),
        "2.1": (5, 5),
        "3.3": (2, 12),
        "3.6": (0, 0),
        "4.1": (5, 5),
        "4.2": (12, 12),
    },
}


def simulated_day(profile: str) -> FakeNationalPortal:
    store = catalogue_store()
    fake = FakeNationalPortal(PROVINCE, session_calls=7)
    ledger = MemoryLedger()
    client = portal_client(fake, profile)

    def origin(dossier: Dossier) -> str | None:
        with store.unit_of_work() as uow:
            filing = filing_of(uow, dossier)
        return None if filing is None else filing.reference

    sync = attrs.evolve(engine(store, client, ledger), origin=origin)
    day_of_dossiers(store)
    for n in (1, 2, 3):
        fake.submit_online(
            {
                "MaHoSo": f"000.00.00.H15-261123-{n:05d}",
                "MaTTHC": LAND,
                "ChuHoSo": "Trần Thị Bình",
                "NgayNopHoSo": format_stamp(at(11, 22, 20, 10 * n)),
            }
        )
    fake.faults.duplicate_deliveries = True
    fake.faults.applied_but_failed_next = 1
    fake.faults.only = frozenset({"ack"})
    for hour in (7, 8):
        pull_portal(client, store.inbox_queue, ledger, target=TARGET, now=at(11, 23, hour))
        drain_inbox(
            store.inbox_queue,
            store.unit_of_work,
            {intake_source(TARGET): intake_handler(DESK)},
            owner="t",
            clock=lambda: at(11, 23, 8),
        )
    with store.unit_of_work() as uow:
        online = [d for d in uow.repository(DOSSIERS).page(limit=100) if filing_of(uow, d)]
        for n, dossier in enumerate(sorted(online, key=lambda d: str(d.code))):
            when = at(11, 23, 9, 10 * n)
            if n == 2:
                act(uow, DESK, dossier.code, RefuseAtIntake("Không thuộc thẩm quyền"), at=when)
                continue
            received = act(uow, DESK, dossier.code, ReceiveDossier(DESK.unit), at=when)
            act(uow, DESK, dossier.code, HandOver(received.steps[0].unit), at=when)
        uow.commit()
    now = at(11, 23, 17)
    pump(store, ledger, now)
    fake.faults = type(fake.faults)(server_error_next=10_000)  # the 30-minute outage
    for minutes in (0, 10, 20, 30):
        sync.run(now + dt.timedelta(minutes=minutes))
    fake.faults = type(fake.faults)(applied_but_failed_next=1, timeout_next=1)
    for hour in range(2, 6):
        sync.run(now + dt.timedelta(hours=hour))
    assert ledger.items(TARGET) == []
    assert sum(c.status == 503 for c in fake.calls) == 4 * 13  # every item, every try (docs)
    assert fake.acknowledged == {f"000.00.00.H15-261123-{n:05d}" for n in (1, 2, 3)}
    assert fake.duplicate_rows() == []
    return fake


@pytest.mark.parametrize("profile", ["rpc", "url"])
def test_the_766_indicators_of_the_simulated_day(profile: str) -> None:
    fake = simulated_day(profile)
    indicators = evaluate_766(fake, start=at(11, 23, 0), end=at(11, 24, 0), reported_total=13)
    got = {i.number: (i.numerator, i.denominator) for i in indicators}
    assert got == EXPECTED[profile]
