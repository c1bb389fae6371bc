"""Fixtures for the desk service tests: a desk, a store and a received dossier."""

from __future__ import annotations

import datetime as dt

import pytest

from tthc_adapters.bootstrap import DEMO_CATALOGUE, DEMO_SETTINGS, build_desk
from tthc_adapters.storage import MemoryStore, SqliteStore
from tthc_core.calendar import VN_TZ
from tthc_core.desk import Desk, receive_dossier
from tthc_core.dossier import Dossier
from tthc_core.party import Applicant, PostalAddress
from tthc_core.receipt import ReceiptKey, StaticKeyRing
from tthc_core.storage import Store

KEY = ReceiptKey("K1", b"k" * 32)
APPLICANT = Applicant("Nguyễn Thị Hương", address="Thôn 3, xã Krông Năng", phone="0912345678")
HOME = PostalAddress("Nguyễn Thị Hương", "0912345678", "Thôn 3, đường Lê Lợi", "24343", "66")
LAND = "1.004227.000.00.00.H15"  # 10 working days, postal return allowed
COPY = "2.000908.000.00.00.H15"  # same day (15:00 cut-off), no postal return


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An instant of the test story (2026, Vietnam time)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VN_TZ)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The in-memory and the SQLite store, with the demo catalogue."""
    if request.param == "memory":
        made: Store = MemoryStore(clock=lambda: at(11, 23, 8))
    else:
        path = tmp_path_factory.mktemp("desk") / "tthc.sqlite3"
        made = SqliteStore(str(path), clock=lambda: at(11, 23, 8))
    with made.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    return made


@pytest.fixture(scope="session")
def desk() -> Desk:
    """The demo commune desk with a test key."""
    return build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))


def receive(store: Store, desk: Desk, procedure: str = LAND, **kw: object) -> Dossier:
    """Receive a dossier on 23/11/2026 09:15 and commit."""
    with store.unit_of_work() as uow:
        dossier = receive_dossier(
            uow, desk, procedure_code=procedure, applicant=APPLICANT, at=at(11, 23, 9, 15), **kw
        )
        uow.commit()
    return dossier


def ready_for_post(store: Store, desk: Desk) -> Dossier:
    """A dossier received with a postal address, its result ready on 02/12/2026 14:00."""
    from tthc_core.desk import act
    from tthc_core.dossier import HandOver, Resolve

    dossier = receive(store, desk, postal_address=HOME)
    with store.unit_of_work() as uow:
        handovers = (at(11, 23, 10), at(12, 1, 9), at(12, 2, 9))
        for step, when in zip(dossier.steps, handovers, strict=True):
            act(uow, desk, dossier.code, HandOver(step.unit), at=when)
        done = act(uow, desk, dossier.code, Resolve(), at=at(12, 2, 14))
        uow.commit()
    return done
