"""Issue 17: any interleaving of dossier actions, faults, session expiry and redeliveries
ends with the fake portal holding exactly the local state, no progress row applied twice,
and nothing lost (no pending item, no dead letter).

Against the fake in-process (httpx MockTransport), both profiles; the loopback
HTTP version is in test_portal_loopback.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from tests._desk import KEY, at
from tests._portal import PROVINCE, TARGET, act_synced, engine, loader, portal_client, pump
from tests._portal import receive_synced as receive

from tthc_adapters.bootstrap import DEMO_CATALOGUE, DEMO_SETTINGS, build_desk
from tthc_adapters.portal import FakeNationalPortal, MemoryLedger, RpcProfile, UrlProfile
from tthc_adapters.storage import MemoryStore
from tthc_core.dossier import (
    Dossier,
    DossierHandedOver,
    HandOver,
    ReceiveSupplement,
    RequestSupplement,
    Resolve,
    ReturnAtDesk,
)
from tthc_core.events import DomainEvent
from tthc_core.portal import ItemState, snapshot_of
from tthc_core.receipt import StaticKeyRing

DESK = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))
FAULTS = ("timeout_next", "server_error_next", "too_many_next", "applied_but_failed_next")


def next_command(d: Dossier, events: Sequence[DomainEvent]) -> object | None:
    """The next command of a plain lifecycle, with one supplement round."""
    handed = sum(isinstance(e, DossierHandedOver) for e in events)
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
        self.store = MemoryStore(clock=lambda: at(11, 23, 8))
        with self.store.unit_of_work() as uow:
            for procedure in DEMO_CATALOGUE:
                uow.catalogue.put(procedure)
            uow.commit()
        self.fake = FakeNationalPortal(PROVINCE)
        self.ledger = MemoryLedger()
        self.profile = "rpc"
        self.now = at(11, 23, 9)
        self.codes: list[str] = []
        self.sync = engine(self.store, portal_client(self.fake, self.profile), self.ledger)

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
        command = next_command(*loaded)
        if command is not None:
            act_synced(self.store, DESK, loaded[0].code, command, self.tick(30))  # type: ignore[arg-type]

    @rule(fault=st.sampled_from(FAULTS), count=st.integers(1, 2), progress_only=st.booleans())
    def inject(self, fault: str, count: int, progress_only: bool) -> None:
        setattr(self.fake.faults, fault, count)
        self.fake.faults.only = frozenset({"progress"}) if progress_only else frozenset()

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

    def teardown(self) -> None:
        self.fake.faults = type(self.fake.faults)()
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
            snapshot = snapshot_of(
                loaded[0], national_code=code, context=self.sync.context(loaded[0])
            )
            body = codec.upsert(snapshot, update=True).body
            expected = body["data"][0] if isinstance(body, dict) else body[0]
            assert self.fake.dossiers[code] == expected
            assert len(self.fake.progress[code]) == len(loaded[1])  # one row per event, none lost
        assert self.fake.duplicate_rows() == []


class UrlPortalSyncMachine(PortalSyncMachine):
    def __init__(self) -> None:
        super().__init__()
        self.profile = "url"
        self.sync = engine(self.store, portal_client(self.fake, "url"), self.ledger)


PortalSyncMachine.TestCase.settings = settings(max_examples=30, stateful_step_count=30)
UrlPortalSyncMachine.TestCase.settings = settings(max_examples=20, stateful_step_count=30)
TestPortalSyncRpc = PortalSyncMachine.TestCase
TestPortalSyncUrl = UrlPortalSyncMachine.TestCase
