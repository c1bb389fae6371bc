"""Issue 17, inbound: dossiers submitted on the national portal reach the desk's intake queue
once, keep their national code, are acknowledged only after they are stored, and their
statuses flow back as progress rows under the national code.

Against the fake portal in-process (httpx MockTransport), both profiles, memory and SQLite.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._desk import LAND, at
from tests._portal import PROVINCE, TARGET, engine, loader, portal_client, pump

from tthc_adapters.portal import FakeNationalPortal, MemoryLedger, format_stamp
from tthc_adapters.staff._queues import all_dossiers, build_queues
from tthc_core.desk import (
    Desk,
    InboundFiling,
    IntakeRequest,
    act,
    filing_of,
    intake_handler,
    intake_source,
    pull_portal,
    read_intake,
)
from tthc_core.dossier import (
    ConfirmPayment,
    Dossier,
    DossierState,
    HandOver,
    ReceiveDossier,
    RefuseAtIntake,
    RequestPayment,
    RequestSupplement,
    Resolve,
)
from tthc_core.errors import InvalidInput
from tthc_core.portal import PortalSync
from tthc_core.serialization import converter
from tthc_core.storage import Store, drain_inbox

SOURCE = intake_source(TARGET)


def national(n: int) -> str:
    return f"000.00.00.H15-261123-{n:05d}"


def submit_on_portal(fake: FakeNationalPortal, n: int, procedure: str = LAND) -> str:
    code = national(n)
    fake.submit_online(
        {
            "MaHoSo": code,
            "MaTTHC": procedure,
            "ChuHoSo": "Trần Thị Bình",
            "SoDienThoai": "0987654321",
            "NgayNopHoSo": format_stamp(at(11, 23, 7, n)),
        }
    )
    return code


def take_in_all(store: Store, desk: Desk, now: dt.datetime) -> None:
    drain_inbox(
        store.inbox_queue,
        store.unit_of_work,
        {SOURCE: intake_handler(desk)},
        owner="t",
        clock=lambda: now,
    )


def arrive(store: Store, desk: Desk, fake: FakeNationalPortal, ledger: MemoryLedger, profile: str):  # type: ignore[no-untyped-def]
    """Fetch what the portal lists at 08:00 and take it in; the client."""
    client = portal_client(fake, profile)
    pull_portal(client, store.inbox_queue, ledger, target=TARGET, now=at(11, 23, 8))
    take_in_all(store, desk, at(11, 23, 8))
    return client


def intake_queue(store: Store, desk: Desk) -> list[str]:
    with store.unit_of_work() as uow:
        queues = build_queues(
            list(all_dossiers(uow)), unit=desk.unit, leader_units=frozenset(), now=at(11, 23, 9)
        )
    return [str(d.code) for d in queues.submitted]


def filings(store: Store) -> dict[str, InboundFiling]:
    found = {}
    with store.unit_of_work() as uow:
        for dossier in all_dossiers(uow):
            filing = filing_of(uow, dossier)
            assert filing is not None
            found[str(dossier.code)] = filing
    return found


def portal_engine(
    store: Store, fake: FakeNationalPortal, ledger: MemoryLedger, profile: str
) -> PortalSync:
    """The engine of tests/_portal.py, knowing which dossiers came from the portal."""

    def origin(dossier: Dossier) -> str | None:
        with store.unit_of_work() as uow:
            filing = filing_of(uow, dossier)
        return None if filing is None else filing.reference

    sync = engine(store, portal_client(fake, profile), ledger)
    return attrs.evolve(sync, origin=origin)


@pytest.fixture
def synced_desk(desk: Desk) -> Desk:
    return attrs.evolve(desk, portal_targets=(TARGET,))


@pytest.mark.parametrize("profile", ["rpc", "url"])
def test_portal_dossiers_land_in_the_intake_queue_once_with_their_national_code(
    store: Store, synced_desk: Desk, profile: str
) -> None:
    fake = FakeNationalPortal(PROVINCE)
    fake.faults.duplicate_deliveries = True
    ledger = MemoryLedger()
    client = portal_client(fake, profile)
    codes = [submit_on_portal(fake, n) for n in (1, 2)]
    report = pull_portal(client, store.inbox_queue, ledger, target=TARGET, now=at(11, 23, 8))
    assert (report.fetched, report.new, report.acknowledged, report.unacknowledged) == (4, 2, 2, 0)
    assert fake.acknowledged == set(codes)
    assert ledger.inbound_mark(TARGET) == "2"
    take_in_all(store, synced_desk, at(11, 23, 8))
    queue = intake_queue(store, synced_desk)
    assert len(queue) == 2
    kept = filings(store)
    assert sorted(f.reference for f in kept.values()) == codes
    assert {f.source for f in kept.values()} == {SOURCE}
    # Nothing new on the next fetch: the mark moved and both were acknowledged.
    again = pull_portal(client, store.inbox_queue, ledger, target=TARGET, now=at(11, 23, 9))
    assert (again.fetched, again.new) == (0, 0)


@pytest.mark.parametrize("lost", ["applied_but_failed_next", "timeout_next", "server_error_next"])
def test_a_lost_acknowledgement_is_repaired_by_the_redelivery_without_a_duplicate(
    store: Store, synced_desk: Desk, lost: str
) -> None:
    fake = FakeNationalPortal(PROVINCE)
    ledger = MemoryLedger()
    client = portal_client(fake, "url")
    first, second = submit_on_portal(fake, 1), submit_on_portal(fake, 2)
    setattr(fake.faults, lost, 1)
    fake.faults.only = frozenset({"ack"})
    report = pull_portal(client, store.inbox_queue, ledger, target=TARGET, now=at(11, 23, 8))
    assert (report.new, report.acknowledged, report.unacknowledged) == (2, 1, 1)
    assert ledger.inbound_mark(TARGET) is None  # not advanced past a dossier unacknowledged
    take_in_all(store, synced_desk, at(11, 23, 8))
    report = pull_portal(client, store.inbox_queue, ledger, target=TARGET, now=at(11, 23, 9))
    assert report.new == 0
    # Refused (503): acknowledged now; applied but answered 500 or never: the portal has it.
    assert report.acknowledged == (1 if lost == "server_error_next" else 0)
    take_in_all(store, synced_desk, at(11, 23, 9))
    assert fake.acknowledged == {first, second}
    assert len(intake_queue(store, synced_desk)) == 2
    assert ledger.inbound_mark(TARGET) == "2"


def test_an_unknown_procedure_is_stored_acknowledged_and_parked_with_its_reason(
    store: Store, synced_desk: Desk
) -> None:
    fake = FakeNationalPortal(PROVINCE)
    code = submit_on_portal(fake, 1, procedure="9.999999.000.00.00.H15")
    pull_portal(
        portal_client(fake, "rpc"),
        store.inbox_queue,
        MemoryLedger(),
        target=TARGET,
        now=at(11, 23, 8),
    )
    assert fake.acknowledged == {code}
    take_in_all(store, synced_desk, at(11, 23, 8))
    assert intake_queue(store, synced_desk) == []
    [parked] = store.inbox_queue.parked()
    assert parked.event.event_id == code
    assert "9.999999.000.00.00.H15" in parked.error
    assert "catalogue" in parked.error


def test_an_unreadable_listing_is_reported_not_acknowledged_and_the_mark_kept(
    store: Store,
) -> None:
    fake = FakeNationalPortal(PROVINCE)
    fake.inbound.append(
        {"MaHoSo": national(1), "MaTTHC": LAND, "ChuHoSo": "   ", "NgayNopHoSo": "20261123071500"}
    )
    ledger = MemoryLedger()
    report = pull_portal(
        portal_client(fake, "url"), store.inbox_queue, ledger, target=TARGET, now=at(11, 23, 8)
    )
    assert (report.refused, report.acknowledged) == (1, 0)
    assert national(1) in report.errors[0]
    assert fake.acknowledged == set()
    assert ledger.inbound_mark(TARGET) is None


@pytest.mark.parametrize("profile", ["rpc", "url"])
def test_statuses_flow_back_under_the_national_code(
    store: Store, synced_desk: Desk, profile: str
) -> None:
    fake = FakeNationalPortal(PROVINCE)
    ledger = MemoryLedger()
    client = portal_client(fake, profile)
    accepted, refused = submit_on_portal(fake, 1), submit_on_portal(fake, 2)
    pull_portal(client, store.inbox_queue, ledger, target=TARGET, now=at(11, 23, 8))
    take_in_all(store, synced_desk, at(11, 23, 8))
    local = {f.reference: code for code, f in filings(store).items()}
    code = loader(store)(local[accepted])[0].code  # type: ignore[index]
    other = loader(store)(local[refused])[0].code  # type: ignore[index]
    with store.unit_of_work() as uow:
        dossier = act(uow, synced_desk, code, ReceiveDossier(synced_desk.unit), at=at(11, 23, 9))
        first = dossier.steps[0].unit
        act(uow, synced_desk, code, HandOver(first), at=at(11, 23, 10))
        act(uow, synced_desk, code, RequestSupplement(("Bản sao",), "Thiếu"), at=at(11, 23, 11))
        act(uow, synced_desk, other, RefuseAtIntake("Không thuộc thẩm quyền"), at=at(11, 23, 9))
        uow.commit()
    pump(store, ledger, at(11, 23, 12))
    report = portal_engine(store, fake, ledger, profile).run(at(11, 23, 12))
    assert (report.synced, report.dead) == (2, 0)
    assert [int(r["TrangThai"]) for r in fake.progress[accepted]] == [1, 2, 4, 5]
    assert [int(r["TrangThai"]) for r in fake.progress[refused]] == [1, 3]
    assert int(fake.dossiers[accepted]["TrangThaiHoSo"]) == 5
    assert local[accepted] not in fake.dossiers  # never under the local code
    inserts = [c for c in fake.calls if c.operation == "insert" or "False" in c.path]
    assert inserts == []  # the portal holds them: updated from the start
    assert fake.duplicate_rows() == []


def test_a_dossier_the_portal_does_not_hold_is_inserted_once(
    store: Store, synced_desk: Desk
) -> None:
    fake = FakeNationalPortal(PROVINCE)
    ledger = MemoryLedger()
    code = submit_on_portal(fake, 1)
    arrive(store, synced_desk, fake, ledger, "url")
    del fake.dossiers[code]  # the portal's copy is gone (§16: who holds what is not public)
    pump(store, ledger, at(11, 23, 9))
    report = portal_engine(store, fake, ledger, "url").run(at(11, 23, 9))
    assert report.synced == 1
    assert [c.operation for c in fake.calls if c.operation in ("insert", "update")] == [
        "update",
        "insert",
    ]


def test_paid_fees_are_reported_once_and_again_when_more_are_paid(
    store: Store, synced_desk: Desk
) -> None:
    fake = FakeNationalPortal(PROVINCE)
    ledger = MemoryLedger()
    code = submit_on_portal(fake, 1)
    arrive(store, synced_desk, fake, ledger, "rpc")
    [local] = filings(store)
    sync = portal_engine(store, fake, ledger, "rpc")
    dossier = loader(store)(local)[0]  # type: ignore[index]
    with store.unit_of_work() as uow:
        act(uow, synced_desk, dossier.code, ReceiveDossier(synced_desk.unit), at=at(11, 23, 9))
        act(uow, synced_desk, dossier.code, HandOver(dossier.steps[0].unit), at=at(11, 23, 9, 5))
        act(uow, synced_desk, dossier.code, RequestPayment(50_000, "Lệ phí"), at=at(11, 23, 10))
        uow.commit()
    pump(store, ledger, at(11, 23, 11))
    sync.run(at(11, 23, 11))
    assert code not in fake.payments  # requested, not paid: nothing to report
    with store.unit_of_work() as uow:
        act(uow, synced_desk, dossier.code, ConfirmPayment(), at=at(11, 23, 11))
        uow.commit()
    fake.faults.applied_but_failed_next = 1
    fake.faults.only = frozenset({"payment"})
    pump(store, ledger, at(11, 23, 12))
    assert sync.run(at(11, 23, 12)).retried == 1
    sync.run(at(11, 23, 14))
    sync.run(at(11, 23, 16))
    assert fake.payments[code] == [
        {"LoaiPhiLePhi": "1", "MaPhiLePhi": "", "TenPhiLePhi": "Lệ phí", "SoTien": "50000"}
    ]
    payments = [c for c in fake.calls if c.operation == "payment"]
    assert [c.status for c in payments] == [500, 200]  # re-sent whole after the lost answer
    with store.unit_of_work() as uow:
        act(uow, synced_desk, dossier.code, Resolve(), at=at(11, 23, 17))
        uow.commit()
    pump(store, ledger, at(11, 23, 17))
    sync.run(at(11, 23, 17))
    assert len([c for c in fake.calls if c.operation == "payment"]) == 2  # no change, no report
    assert fake.dossiers[code]["DanhSachLePhi"][0]["Gia"] in ("50000", 50000)


def test_an_intake_payload_that_is_malformed_is_refused_with_a_reason() -> None:
    with pytest.raises(InvalidInput, match="submitted_at"):
        read_intake(
            {
                "source": SOURCE,
                "reference": national(1),
                "procedure_code": LAND,
                "applicant": {"name": "A"},
                "submitted_at": "yesterday",
            }
        )
    assert DossierState.SUBMITTED.national_code == 1


class _FailingInbox:
    """An inbox whose transaction fails (disk full, database gone)."""

    def __init__(self, queue: object) -> None:
        self._queue = queue

    def accept_all(self, events: object, *, durable: bool = True) -> list[bool]:
        raise OSError("disk full")


def test_nothing_is_acknowledged_before_it_is_stored(store: Store) -> None:
    fake = FakeNationalPortal(PROVINCE)
    submit_on_portal(fake, 1)
    ledger = MemoryLedger()
    with pytest.raises(OSError, match="disk full"):
        pull_portal(
            portal_client(fake, "url"),
            _FailingInbox(store.inbox_queue),  # type: ignore[arg-type]
            ledger,
            target=TARGET,
            now=at(11, 23, 8),
        )
    assert fake.acknowledged == set()
    assert ledger.inbound_mark(TARGET) is None
    assert [c.operation for c in fake.calls if c.operation == "ack"] == []


@given(st.from_type(IntakeRequest))
def test_an_intake_request_survives_the_inbox_payload(request: IntakeRequest) -> None:
    """What pull_portal stores in the inbox is what the intake handler reads back."""
    assert read_intake(converter.unstructure(request)) == request


@pytest.mark.postgres
def test_inbound_dossiers_over_postgresql(
    postgres_dsn: str, postgres_schema: str, synced_desk: Desk
) -> None:
    """The inbox, the intake record and the ledger in PostgreSQL: redelivery adds nothing."""
    from tthc_adapters.bootstrap import DEMO_CATALOGUE
    from tthc_adapters.portal import PostgresLedger
    from tthc_adapters.storage import PostgresStore

    store = PostgresStore(postgres_dsn, schema=postgres_schema, clock=lambda: at(11, 23, 8))
    ledger = PostgresLedger(postgres_dsn, schema=postgres_schema)
    try:
        with store.unit_of_work() as uow:
            for procedure in DEMO_CATALOGUE:
                uow.catalogue.put(procedure)
            uow.commit()
        fake = FakeNationalPortal(PROVINCE)
        codes = [submit_on_portal(fake, n) for n in (1, 2)]
        fake.faults.applied_but_failed_next = 1
        fake.faults.only = frozenset({"ack"})
        client = portal_client(fake, "url")
        for hour in (8, 9):
            pull_portal(client, store.inbox_queue, ledger, target=TARGET, now=at(11, 23, hour))
            take_in_all(store, synced_desk, at(11, 23, hour))
        assert sorted(f.reference for f in filings(store).values()) == codes
        assert len(intake_queue(store, synced_desk)) == 2
        assert ledger.inbound_mark(TARGET) == "2"
        assert fake.acknowledged == set(codes)
    finally:
        ledger.close()
        store.close()
