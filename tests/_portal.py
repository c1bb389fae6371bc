"""Helpers for the portal-sync tests: a desk story, the hand-off, an engine against the fake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tests._desk import APPLICANT, LAND, at

from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.portal import (
    FakeNationalPortal,
    HttpNationalPortal,
    MemoryLedger,
    OAuth2ClientCredentials,
    RpcProfile,
    SessionLogin,
    TransportConfig,
    UrlProfile,
    mock_transport,
)
from tthc_adapters.storage import MemoryStore
from tthc_core.codes import DossierCode
from tthc_core.desk import Desk, act, receive_dossier
from tthc_core.dossier import Command, Dossier
from tthc_core.events import DomainEvent
from tthc_core.portal import (
    PORTAL_CHANNEL,
    Attachment,
    PortalSync,
    ResultDocument,
    SnapshotContext,
    absorb,
    record_change,
)
from tthc_core.storage import Store
from tthc_core.storage.kinds import DOSSIERS

TARGET = "dvcqg"
PROVINCE = "H15"
CONTEXT = SnapshotContext(
    handling_agency="UBND xã Krông Năng",
    attachments=(
        Attachment("f1", "Đơn đăng ký biến động", "https://files.example/f1.pdf", "TP1", True),
    ),
    results=(
        ResultDocument("k1", "Giấy chứng nhận", "https://files.example/k1.pdf", "KQ1", "KQ1"),
    ),
)


def catalogue_store() -> MemoryStore:
    """An in-memory store holding the demo catalogue."""
    store = MemoryStore(clock=lambda: at(11, 23, 8))
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    return store


def receive_synced(store: Store, desk: Desk, when: dt.datetime | None = None) -> Dossier:
    """Receive a dossier and hand it to the sync in the same unit of work."""
    with store.unit_of_work() as uow:
        dossier = receive_dossier(
            uow, desk, procedure_code=LAND, applicant=APPLICANT, at=when or at(11, 23, 9, 15)
        )
        record_change(uow, dossier, [TARGET])
        uow.commit()
    return dossier


def act_synced(
    store: Store, desk: Desk, code: DossierCode, command: Command, when: dt.datetime
) -> Dossier:
    """Apply a command and hand the change to the sync in the same unit of work."""
    with store.unit_of_work() as uow:
        dossier = act(uow, desk, code, command, at=when)
        record_change(uow, dossier, [TARGET])
        uow.commit()
    return dossier


def pump(store: Store, ledger: MemoryLedger, now: dt.datetime) -> int:
    """Move every pending portal hand-off from the outbox into the ledger."""
    moved = 0
    queue = store.outbox_queue
    for pending in queue.claim(owner="t", now=now, lease=dt.timedelta(minutes=1), limit=1000):
        if pending.message.channel == PORTAL_CHANNEL:
            absorb(ledger, pending.message, now)
            moved += 1
        queue.delivered(pending.id, owner="t", now=now)
    return moved


def loader(store: Store):  # type: ignore[no-untyped-def]
    """Load a dossier and its events by code."""

    def load(code: str) -> tuple[Dossier, Sequence[DomainEvent]] | None:
        with store.unit_of_work() as uow:
            dossier = uow.repository(DOSSIERS).get(code)
            if dossier is None:
                return None
            return dossier, [r.event for r in uow.audit.history(DOSSIERS, code)]

    return load


def portal_client(fake: FakeNationalPortal, profile: str, base: str = "https://dvcqg.test"):  # type: ignore[no-untyped-def]
    """A client of the fake in-process, in profile ``"rpc"`` or ``"url"``."""
    config = TransportConfig(base)
    if profile == "rpc":
        auth = SessionLogin("tthc", "secret", unit_code="000.43.31.H15", route_code="H15")
        return HttpNationalPortal(RpcProfile(), auth, config, transport=mock_transport(fake))
    oauth = OAuth2ClientCredentials("tthc", "secret", clock=lambda: at(11, 23, 8))
    return HttpNationalPortal(UrlProfile(), oauth, config, transport=mock_transport(fake))


def engine(store: Store, portal: HttpNationalPortal, ledger: MemoryLedger) -> PortalSync:
    """The sync engine over the store, with a fixed jitter."""
    return PortalSync(
        target=TARGET,
        ledger=ledger,
        portal=portal,
        load=loader(store),
        jitter=lambda: 0.5,
        province=PROVINCE,
        province_agency="000.00.00.H15",
        context=lambda _: CONTEXT,
    )
