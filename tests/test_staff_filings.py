"""The staff desk's dossier page shows an online filing's e-form and files; officers act on it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from starlette.testclient import TestClient
from tests._app import POSTAL_SECRET
from tests._staff import FAST_HASHER, SECRET, Clock, StaffDesk, make_accounts
from tests.test_desk_filing import Citizen, _outbox, _photo, file_birth

from tthc_adapters.app import create_app
from tthc_adapters.catalogue_io import sample_catalogue
from tthc_adapters.staff import staff_app
from tthc_adapters.storage import MemoryStore
from tthc_core.accounts import Role
from tthc_core.desk import Desk
from tthc_core.dossier import DossierState
from tthc_core.storage.kinds import DOSSIERS, FILINGS


def test_the_officer_sees_the_eform_and_files_and_receives(desk: Desk, tmp_path: Path) -> None:
    clock = Clock(dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    store = MemoryStore(clock=clock)
    with store.unit_of_work() as uow:
        for procedure in sample_catalogue():
            uow.catalogue.put(procedure)
        uow.commit()
    citizen = Citizen(store, desk, tmp_path)
    file_birth(citizen)
    clock.now = citizen.when + dt.timedelta(minutes=5)
    accounts = make_accounts()
    staff = staff_app(
        store, desk, accounts=accounts, clock=clock, secret_key=SECRET, hasher=FAST_HASHER,
        blobs=citizen.blobs,
    )  # fmt: skip
    app = create_app(store, desk, postal_secret=POSTAL_SECRET, clock=clock, staff=staff)
    officer = StaffDesk(store, accounts, clock, TestClient(app, base_url="http://testserver"))
    officer.login(Role.DESK)
    with store.unit_of_work() as uow:
        (filing,) = uow.repository(FILINGS).page()
    code = str(filing.dossier_code)
    queues = officer.client.get("/staff/queues").text
    assert code in queues  # the online intake queue
    page = officer.client.get(f"/staff/dossiers/{code}").text
    assert "Hồ sơ nộp trực tuyến" in page
    assert "Nguyễn Thị Mai" in page  # an e-form answer, under its label
    assert "Họ, chữ đệm và tên của trẻ" in page
    sha = filing.documents[0].blob.sha256
    assert f"/files/{sha}" in page
    got = officer.client.get(f"/staff/dossiers/{code}/files/{sha}")
    assert got.status_code == 200
    assert got.content == _photo()
    assert officer.client.get(f"/staff/dossiers/{code}/files/{'0' * 64}").status_code == 404
    officer.client.cookies.clear()
    anonymous = officer.client.get(f"/staff/dossiers/{code}/files/{sha}", follow_redirects=False)
    assert anonymous.status_code == 303
    assert _photo() != anonymous.content
    officer.login(Role.DESK)
    officer.post(f"/staff/dossiers/{code}/receive_online")
    with store.unit_of_work() as uow:
        stored = uow.repository(DOSSIERS).get(code)
        assert stored is not None
        assert stored.state is DossierState.RECEIVED
    assert any("đã tiếp nhận hồ sơ" in t for t in _outbox(store, clock.now))
