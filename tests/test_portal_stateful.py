"""Issue 17: any interleaving of dossier actions, faults, session expiry and redeliveries
ends with the fake portal holding exactly the local state, no progress row applied twice,
and nothing lost (no pending item, no dead letter).

Inbound too: dossiers submitted on the portal, fetched in any interleaving with lost
acknowledgements, duplicate deliveries and redeliveries, each appear in the desk's
intake queue exactly once, and all of them do in the end.

Against the fake in-process (httpx MockTransport), both profiles; the loopback
HTTP version is in test_portal_loopback.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence

import attrs
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from tests._desk import KEY, at
from tests._portal import (
    PROVINCE,
    TARGET,
    act_synced,
    catalogue_store,
    engine,
    loader,
    portal_client,
    pump,
)
from tests._portal import receive_synced as receive

from tthc_adapters.bootstrap import DEMO_SETTINGS, build_desk
from tthc_adapters.portal import (
    FakeNationalPortal,
    MemoryLedger,
    RpcProfile,
    UrlProfile,
    format_stamp,
)
from tthc_core.calendar import to_local
from tthc_core.desk import INBOUND_FILINGS as INBOUND
from tthc_core.desk import filing_of, intake_handler, intake_source, pull_portal
from tthc_core.dossier import (
    Dossier,
    DossierHandedOver,
    DossierState,
    HandOver,
    ReceiveDossier,
    ReceiveSupplement,
    RequestSupplement,
    Resolve,
    ReturnAtDesk,
)
from tthc_core.events import DomainEvent
from tthc_core.portal import ItemState, PortalUnreachable, snapshot_of
from tthc_core.receipt import StaticKeyRing
from tthc_core.storage import drain_inbox
from tthc_core.storage.kinds import DOSSIERS

DESK = attrs.evolve(
    build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23)),
    portal_targets=(TARGET,),
)
FAULTS = ("timeout_next", "server_error_next", "too_many_next", "applied_but_failed_next")
SOURCE = intake_source(TARGET)


def next_command(d: Dossier, events: Sequence[DomainEvent], now: dt.datetime) -> object | None:
    """The next command of a plain lifecycle, with one supplement round."""
    handed = sum(isinstance(e, DossierHandedOver) for e in events)
    if d.state is DossierState.SUBMITTED:
        # Received the day its code is dated (a later day renumbers it: not modelled here).
        same_day = to_local(now).date() == d.code.received_on
        return ReceiveDossier(DESK.unit) if same_day else None
    return _processing_command(d, handed)


def _processing_command(d: Dossier, handed: int) -> object | None:
    if d.state.value == "awaiting_supplement":
        return ReceiveSupplement()
    if d.is_final:
        return None
    if d.state.value == "resolved":
        return ReturnAtDesk()
    if handed < len(d.steps):
        if handed == 1 and not d.supplements:
            return RequestSupplement(("Bản sao sổ đỏ",), "Thiếu giấy tờ")
        return HandOver(d.steps[handed].unit)
    return Resolve()


class PortalSyncMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store = catalogue_store()
        self.fake = FakeNationalPortal(PROVINCE)
        self.ledger = MemoryLedger()
        self.profile = "rpc"
        self.now = at(11, 23, 9)
        self.codes: list[str] = []
        self.submitted: list[str] = []
        self.set_profile("rpc")

    def set_profile(self, profile: str) -> None:
        self.profile = profile
        self.client = portal_client(self.fake, profile)
        self.sync = attrs.evolve(engine(self.store, self.client, self.ledger), origin=self.origin)

    def origin(self, dossier: Dossier) -> str | None:
        with self.store.unit_of_work() as uow:
            filing = filing_of(uow, dossier)
        return None if filing is None else filing.reference

    def taken_in(self) -> dict[str, list[str]]:
        """National code → the local dossiers taken in for it."""
        found: dict[str, list[str]] = {}
        with self.store.unit_of_work() as uow:
            for code in self.codes:
                dossier = uow.repository(DOSSIERS).get(code)
                assert dossier is not None
                filing = filing_of(uow, dossier)
                if filing is not None:
                    found.setdefault(filing.reference, []).append(code)
        return found

    def take_in(self) -> None:
        drain_inbox(
            self.store.inbox_queue,
            self.store.unit_of_work,
            {SOURCE: intake_handler(DESK)},
            owner="t",
            clock=lambda: self.now,
        )
        known = set(self.codes)
        with self.store.unit_of_work() as uow:
            for reference in self.submitted:
                filing = uow.repository(INBOUND).get(f"{SOURCE}:{reference}")
                if filing is not None and str(filing.dossier_code) not in known:
                    self.codes.append(str(filing.dossier_code))
                    known.add(str(filing.dossier_code))

    def tick(self, minutes: int) -> dt.datetime:
        self.now += dt.timedelta(minutes=minutes)
        return self.now

    @precondition(lambda self: len(self.codes) < 3)
    @rule()
    def receive_dossier(self) -> None:
        dossier = receive(self.store, DESK, self.tick(5))
        self.codes.append(str(dossier.code))

    @precondition(lambda self: bool(self.codes))
    @rule(pick=st.integers(0, 2))
    def act(self, pick: int) -> None:
        code = self.codes[pick % len(self.codes)]
        loaded = loader(self.store)(code)
        assert loaded is not None
        when = self.tick(30)
        command = next_command(*loaded, when)
        if command is not None:
            act_synced(self.store, DESK, loaded[0].code, command, when)  # type: ignore[arg-type]

    @precondition(lambda self: len(self.submitted) < 3)
    @rule()
    def submit_on_portal(self) -> None:
        code = f"000.00.00.H15-261123-{len(self.submitted) + 1:05d}"
        self.fake.submit_online(
            {
                "MaHoSo": code,
                "MaTTHC": "1.004227.000.00.00.H15",
                "ChuHoSo": "Trần Thị Bình",
                "NgayNopHoSo": format_stamp(self.tick(1)),
            }
        )
        self.submitted.append(code)

    @rule(take_in=st.booleans())
    def pull(self, take_in: bool) -> None:
        # A failed list raises PortalUnreachable: nothing stored, nothing acknowledged.
        with contextlib.suppress(PortalUnreachable):
            pull_portal(
                self.client, self.store.inbox_queue, self.ledger, target=TARGET, now=self.now
            )
        if take_in:
            self.take_in()

    @rule(duplicates=st.booleans())
    def duplicate_deliveries(self, duplicates: bool) -> None:
        self.fake.faults.duplicate_deliveries = duplicates

    @rule(
        fault=st.sampled_from(FAULTS),
        count=st.integers(1, 2),
        only=st.sampled_from(["", "progress", "ack", "inbound"]),
    )
    def inject(self, fault: str, count: int, only: str) -> None:
        setattr(self.fake.faults, fault, count)
        self.fake.faults.only = frozenset({only}) if only else frozenset()

    @rule()
    def expire_sessions(self) -> None:
        self.fake.expire_sessions()

    @rule()
    def redeliver_hand_offs(self) -> None:
        # The outbox worker crashed after enqueueing: the same hand-offs arrive again.
        for code in self.codes:
            self.ledger.enqueue(code, TARGET, self.now)

    @rule(hours=st.integers(0, 3))
    def run_sync(self, hours: int) -> None:
        pump(self.store, self.ledger, self.now)
        self.sync.run(self.tick(60 * hours))

    @invariant()
    def never_twice(self) -> None:
        assert self.fake.duplicate_rows() == []
        assert all(len(local) == 1 for local in self.taken_in().values())

    def teardown(self) -> None:
        self.fake.faults = type(self.fake.faults)()
        pull_portal(self.client, self.store.inbox_queue, self.ledger, target=TARGET, now=self.now)
        self.take_in()
        assert self.fake.acknowledged == set(self.submitted)  # nothing left unacknowledged
        assert sorted(self.taken_in()) == sorted(self.submitted)  # each once, none lost
        assert self.store.inbox_queue.parked() == []
        pump(self.store, self.ledger, self.now)
        for _ in range(6):
            self.sync.run(self.tick(24 * 60))
        assert all(i.state is ItemState.PENDING for i in self.ledger.items(TARGET)), [
            i.last_error for i in self.ledger.items(TARGET)
        ]
        assert self.ledger.items(TARGET) == []
        codec = RpcProfile() if self.profile == "rpc" else UrlProfile()
        for code in self.codes:
            loaded = loader(self.store)(code)
            assert loaded is not None
            national = self.origin(loaded[0]) or code
            snapshot = snapshot_of(
                loaded[0], national_code=national, context=self.sync.context(loaded[0])
            )
            body = codec.upsert(snapshot, update=True).body
            expected = body["data"][0] if isinstance(body, dict) else body[0]
            assert self.fake.dossiers[national] == expected
            # One row per event, none lost.
            assert len(self.fake.progress[national]) == len(loaded[1])
        assert self.fake.duplicate_rows() == []


class UrlPortalSyncMachine(PortalSyncMachine):
    def __init__(self) -> None:
        super().__init__()
        self.set_profile("url")


PortalSyncMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=30)
UrlPortalSyncMachine.TestCase.settings = settings(max_examples=20, stateful_step_count=30)
TestPortalSyncRpc = PortalSyncMachine.TestCase
TestPortalSyncUrl = UrlPortalSyncMachine.TestCase
