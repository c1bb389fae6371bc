"""An online dossier received on a later day is numbered on the receipt day (the desk, stored).

Circular 01/2018/TT-VPCP Art. 19: the ``YYMMDD`` of the dossier code is the
receipt date. A dossier filed in chat (or taken in from the national portal)
on day D is registered at once under a submission code of D; the officer who
receives it on D+2 gives it a code of D+2, allocated from D+2's sequence by
:func:`tthc_core.desk.act`. The store keeps it under its submission key, so it
is found under both codes, its history, followers and filing stay attached,
and a dossier refused at intake takes no number of the receipt day
(Decree 61/2018/NĐ-CP Art. 17(3)). Memory, SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from tests._desk import DEMO_CATALOGUE, at
from tests.test_desk_filing import Citizen, _outbox, _photo, file_birth

from tthc_adapters.catalogue_io import sample_catalogue
from tthc_adapters.staff._queues import all_dossiers
from tthc_adapters.storage import MemoryStore, PostgresStore, SqliteStore
from tthc_adapters.storage._dossier_queues import dossier_queue
from tthc_core.codes import DossierCode
from tthc_core.desk import (
    Desk,
    FeeAccount,
    IntakeRequest,
    act,
    filing_of,
    find_dossier,
    take_in,
)
from tthc_core.desk._numbering import followers
from tthc_core.dossier import (
    Command,
    DossierReceived,
    DossierState,
    HandOver,
    ReceiveDossier,
    RefuseAtIntake,
    RequestSupplement,
)
from tthc_core.links import CitizenLink
from tthc_core.party import Applicant
from tthc_core.storage import Store
from tthc_core.storage.kinds import DOSSIERS, FILINGS

D_PLUS_2 = at(11, 25, 9)  # Wednesday; the filing is on Monday 23/11


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def online(
    request: pytest.FixtureRequest, tmp_path: Path, desk: Desk
) -> Iterator[tuple[Store, Desk]]:
    store: Store
    if request.param == "memory":
        store = MemoryStore(clock=lambda: at(11, 23, 8))
    elif request.param == "sqlite":
        store = SqliteStore(str(tmp_path / "t.sqlite3"), clock=lambda: at(11, 23, 8))
    else:
        dsn = request.getfixturevalue("postgres_dsn")
        schema = request.getfixturevalue("postgres_schema")
        store = PostgresStore(dsn, schema=schema, max_size=2, clock=lambda: at(11, 23, 8))
    with store.unit_of_work() as uow:
        for procedure in (*DEMO_CATALOGUE, *sample_catalogue()):
            uow.catalogue.put(procedure)
        uow.commit()
    yield store, attrs.evolve(desk, fee_account=FeeAccount("970415", "113366668888"))
    store.close()


def _submitted(store: Store) -> DossierCode:
    with store.unit_of_work() as uow:
        (filing,) = [f for f in uow.repository(FILINGS).page() if f.dossier_code is not None]
    assert filing.dossier_code is not None
    return filing.dossier_code


def test_received_two_days_later_the_code_carries_the_receipt_day(
    online: tuple[Store, Desk], tmp_path: Path
) -> None:
    store, desk = online
    citizen = Citizen(store, desk, tmp_path)
    assert "Mới đăng ký" in file_birth(citizen)[0]
    submitted = _submitted(store)
    assert submitted.received_on == dt.date(2026, 11, 23)
    with store.unit_of_work() as uow:
        received = act(uow, desk, submitted, ReceiveDossier(desk.unit, officer="Cán bộ A"),
                       at=D_PLUS_2)  # fmt: skip
        uow.commit()
    code = received.code
    assert code.received_on == dt.date(2026, 11, 25)
    assert code.agency == submitted.agency
    assert received.submitted_as == submitted
    assert received.state is DossierState.RECEIVED
    # The filer reads the receipt under the new code; a look-up of it answers.
    texts = _outbox(store, D_PLUS_2)
    assert any("đã tiếp nhận hồ sơ" in t and str(code) in t for t in texts), texts
    citizen.when = D_PLUS_2
    assert "Được tiếp nhận" in citizen.say(str(code))[0]
    with store.unit_of_work() as uow:
        # Found under both codes, once in every listing, with its whole history.
        assert find_dossier(uow, code) == find_dossier(uow, submitted) == received
        assert [d.code for d in all_dossiers(uow)].count(code) == 1
        history = uow.audit.history(DOSSIERS, DOSSIERS.key(received))
        assert any(isinstance(r.event, DossierReceived) for r in history)
        assert filing_of(uow, received) is None  # a chat filing, not a portal arrival
        # Later commands go by the new code; the supplement still reaches the filer.
        dossier = act(uow, desk, code, HandOver(received.steps[0].unit), at=D_PLUS_2)
        act(uow, desk, code, RequestSupplement(("Ảnh giấy chứng sinh",), "Mờ"), at=D_PLUS_2)
        uow.commit()
    asked = [t for t in _outbox(store, D_PLUS_2) if "Ảnh giấy chứng sinh" in t]
    assert len(asked) == 1, asked  # followed under both codes, told once
    citizen.send(_photo())
    assert "Đã nhận đủ" in citizen.say("xong")[0]
    with store.unit_of_work() as uow:
        back = find_dossier(uow, code)
    assert back is not None
    assert back.code == code
    assert back.state is not DossierState.AWAITING_SUPPLEMENT
    assert back.version > dossier.version


@pytest.mark.parametrize(
    ("command", "when"),
    [
        (ReceiveDossier("Bộ phận Một cửa"), at(11, 23, 16)),  # received the same day
        (RefuseAtIntake("Không thuộc thẩm quyền"), D_PLUS_2),  # refused at intake later
    ],
)
def test_the_submission_code_stays_and_no_number_is_taken(
    online: tuple[Store, Desk], tmp_path: Path, command: Command, when: dt.datetime
) -> None:
    store, desk = online
    file_birth(Citizen(store, desk, tmp_path))
    submitted = _submitted(store)
    with store.unit_of_work() as uow:
        after = act(uow, desk, submitted, command, at=when)
        taken = uow.sequences.next_sequence(submitted.agency, when.date()) - 1
        uow.commit()
    assert after.code == submitted
    assert after.submitted_as is None
    assert taken == (submitted.sequence if when.date() == submitted.received_on else 0)


def test_a_portal_dossier_received_on_a_later_day_is_numbered_that_day(
    online: tuple[Store, Desk],
) -> None:
    store, desk = online
    arrival = IntakeRequest(
        source="portal:dvcqg", reference="G22.99-261123-0001", procedure_code="1.001193",
        applicant=Applicant("Trần Thị Lan", phone="0912345678"), submitted_at=at(11, 23, 7),
    )  # fmt: skip
    with store.unit_of_work() as uow:
        dossier, new = take_in(uow, desk, arrival, at=at(11, 23, 8))
        uow.commit()
    assert new
    with store.unit_of_work() as uow:
        received = act(uow, desk, dossier.code, ReceiveDossier(desk.unit), at=D_PLUS_2)
        assert received.code.received_on == dt.date(2026, 11, 25)
        arrived = filing_of(uow, received)
        assert arrived is not None
        assert arrived.reference == arrival.reference
        again, fresh = take_in(uow, desk, arrival, at=D_PLUS_2)  # a redelivery
        uow.commit()
    assert not fresh
    assert again.code == received.code


def test_queue_pages_continue_after_a_renumbered_dossier(
    online: tuple[Store, Desk], tmp_path: Path
) -> None:
    store, desk = online
    file_birth(Citizen(store, desk, tmp_path))
    arrival = IntakeRequest(
        source="portal:dvcqg", reference="G22.99-261123-0002", procedure_code="1.001193",
        applicant=Applicant("Trần Văn Bình"), submitted_at=at(11, 23, 7),
    )  # fmt: skip
    with store.unit_of_work() as uow:
        take_in(uow, desk, arrival, at=at(11, 23, 9))
        uow.commit()
    with store.unit_of_work() as uow:
        submitted = sorted(d.code for d in all_dossiers(uow))
        received = [act(uow, desk, c, ReceiveDossier(desk.unit), at=D_PLUS_2) for c in submitted]
        uow.commit()
    assert all(d.code.received_on == D_PLUS_2.date() for d in received)
    seen, after = [], None
    for _ in range(3):  # one dossier a page, continuing after the last one's key
        page = dossier_queue(
            store,
            "mine",
            unit=desk.unit,
            leader_units=frozenset(),
            now=D_PLUS_2,
            after=after,
            limit=1,
        )
        if not page:
            break
        seen.append(page[0].code)
        after = DOSSIERS.key(page[0])
    assert seen == [d.code for d in received]


def test_an_account_following_both_codes_is_one_follower(online: tuple[Store, Desk]) -> None:
    store, desk = online
    arrival = IntakeRequest(
        source="portal:dvcqg", reference="G22.99-261123-0003", procedure_code="1.001193",
        applicant=Applicant("Trần Văn Bình"), submitted_at=at(11, 23, 7),
    )  # fmt: skip
    with store.unit_of_work() as uow:
        dossier, _ = take_in(uow, desk, arrival, at=at(11, 23, 9))
        uow.links.link(CitizenLink("zalo", "u1", dossier.code, at(11, 23, 9)))
        received = act(uow, desk, dossier.code, ReceiveDossier(desk.unit), at=D_PLUS_2)
        uow.links.link(CitizenLink("zalo", "u1", received.code, D_PLUS_2))
        uow.links.link(CitizenLink("zalo", "u2", received.code, D_PLUS_2))
        assert sorted(link.user_id for link in followers(uow, received)) == ["u1", "u2"]
        uow.commit()
