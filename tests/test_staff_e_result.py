"""The officer uploads the electronic result on the dossier page (Decree 45/2020/NĐ-CP).

The upload passes the citizens' document check (a readable PDF, at most
10 MB) and needs the right to record a result (Action.RESOLVE); the result is
kept, the dossier returned electronically and the chat follower gets the
download link through the outbox. A refusal is a Vietnamese flash message and
stores nothing — neither the file nor the result.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient
from tests._desk import APPLICANT, at
from tests._staff import FAST_HASHER, PEOPLE, SECRET, Clock, StaffDesk, make_accounts
from tests.test_parcel_cancel import _pending

from tthc_adapters.app import create_app
from tthc_adapters.bootstrap import DEMO_CATALOGUE
from tthc_adapters.documents import FilesystemBlobStore
from tthc_adapters.staff import staff_app
from tthc_adapters.storage import MemoryStore
from tthc_core.accounts import PERMISSIONS, Action, Role
from tthc_core.desk import E_RESULTS, Desk, act, receive_dossier
from tthc_core.dossier import DossierState, HandOver
from tthc_core.links import CitizenLink
from tthc_core.party import ReturnChannel
from tthc_core.storage.kinds import DOSSIERS


def _pdf(text: str = "Ket qua") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(out, "PDF")
    return out.getvalue() + f"% {text}\n".encode()


@pytest.fixture
def world(desk: Desk, tmp_path: Path) -> tuple[StaffDesk, FilesystemBlobStore, str]:
    """A staff desk with a file store and an electronically returned dossier in processing."""
    clock = Clock(at(11, 24, 9))
    store = MemoryStore(clock=clock)
    with store.unit_of_work() as uow:
        for procedure in DEMO_CATALOGUE:
            uow.catalogue.put(procedure)
        uow.commit()
    blobs = FilesystemBlobStore(tmp_path / "files")
    accounts = make_accounts()
    staff = staff_app(
        store, desk, accounts=accounts, clock=clock, secret_key=SECRET,
        hasher=FAST_HASHER, blobs=blobs,
    )  # fmt: skip
    app = create_app(store, desk, postal_secret="p" * 20, clock=clock, staff=staff)
    with store.unit_of_work() as uow:
        dossier = receive_dossier(
            uow, desk, procedure_code=DEMO_CATALOGUE[0].code, applicant=APPLICANT,
            at=at(11, 23, 9, 15), return_channel=ReturnChannel.ELECTRONIC,
        )  # fmt: skip
        act(uow, desk, dossier.code, HandOver(dossier.steps[0].unit), at=at(11, 23, 10))
        uow.links.link(CitizenLink("zalo", "u1", dossier.code, at(11, 23, 9, 30)))
        uow.commit()
    client = TestClient(app, base_url="http://testserver")
    return StaffDesk(store, accounts, clock, client), blobs, str(dossier.code)


def _upload(desk: StaffDesk, code: str, data: bytes, result_code: str = "15/QĐ-UBND") -> Any:
    return desk.client.post(
        f"/staff/dossiers/{code}/e-result",
        data={"csrf": desk.csrf(), "result_code": result_code},
        files={"file": ("ket-qua.pdf", data, "application/pdf")},
        follow_redirects=True,
    )


def _stored(desk: StaffDesk, blobs: FilesystemBlobStore, code: str) -> tuple[Any, Any, int]:
    with desk.store.unit_of_work() as uow:
        dossier = uow.repository(DOSSIERS).get(code)
        result = uow.repository(E_RESULTS).get(code)
    files = sum(1 for p in blobs.root.rglob("*") if p.is_file()) if blobs.root.exists() else 0
    return dossier, result, files


def test_the_officer_uploads_the_result_and_the_citizen_gets_the_link(world: Any) -> None:
    desk, blobs, code = world
    desk.login(Role.DESK)
    page = desk.client.get(f"/staff/dossiers/{code}").text
    assert 'id="action-e-result"' in page
    assert 'enctype="multipart/form-data"' in page
    response = _upload(desk, code, _pdf())
    assert response.status_code == 200
    assert "Đã trả kết quả điện tử số 15/QĐ-UBND" in response.text
    dossier, result, files = _stored(desk, blobs, code)
    assert dossier.state is DossierState.RESULT_RETURNED
    assert result.result_code == "15/QĐ-UBND"
    assert result.officer == PEOPLE[Role.DESK][0]  # the uploader is recorded
    assert files == 1
    texts = [p.message.payload["text"] for p in _pending(desk.store, at(11, 24, 10))]
    (link,) = [t for t in texts if "kết quả điện tử (số 15/QĐ-UBND)" in t]
    assert "/ket-qua/" in link
    assert 'id="action-e-result"' not in desk.client.get(f"/staff/dossiers/{code}").text


@pytest.mark.parametrize(
    ("data", "result_code", "said"),
    [
        (b"MZ\x90\x00 not a pdf", "15/QĐ", "không phải ảnh hay tệp PDF"),
        (b"%PDF-1.4 broken", "15/QĐ", "PDF"),
        (b"", "15/QĐ", "Tệp trống"),
        (None, "15/QĐ", "Tệp lớn quá 10 MB"),  # read, then refused by the check
        ("huge", "15/QĐ", "Tệp lớn quá 10 MB"),  # refused by its Content-Length, unread
        ("photo", "15/QĐ", "phải là tệp PDF"),
        ("pdf", "   ", "Chưa nhập số, ký hiệu"),
    ],
)
def test_a_bad_upload_is_refused_in_vietnamese_and_nothing_is_stored(
    world: Any, data: Any, result_code: str, said: str
) -> None:
    desk, blobs, code = world
    if data is None:
        data = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    elif data == "huge":
        data = b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024)
    elif data == "photo":
        from PIL import Image

        out = io.BytesIO()
        Image.new("RGB", (60, 40), "white").save(out, "PNG")
        data = out.getvalue()
    elif data == "pdf":
        data = _pdf()
    desk.login(Role.DESK)
    before, _, _ = _stored(desk, blobs, code)
    response = _upload(desk, code, data, result_code)
    assert response.status_code == 200
    assert "Không thực hiện được “Trả kết quả điện tử”" in response.text
    assert said in response.text
    dossier, result, files = _stored(desk, blobs, code)
    assert (dossier, result, files) == (before, None, 0)
    assert _pending(desk.store, at(11, 24, 10)) == []


@pytest.mark.parametrize("role", list(Role))
def test_only_the_roles_that_record_a_result_may_upload(world: Any, role: Role) -> None:
    desk, blobs, code = world
    desk.login(role)
    response = desk.client.post(
        f"/staff/dossiers/{code}/e-result",
        data={"csrf": desk.csrf(), "result_code": "15/QĐ"},
        files={"file": ("kq.pdf", _pdf(), "application/pdf")},
        follow_redirects=False,
    )
    allowed = Action.RESOLVE in PERMISSIONS[role]
    assert response.status_code == (303 if allowed else 403)
    page = desk.client.get(f"/staff/dossiers/{code}").text
    assert ('id="action-e-result"' in page) is False  # returned, or never allowed
    _, result, _ = _stored(desk, blobs, code)
    assert (result is not None) is allowed


def test_a_dossier_returned_at_the_desk_takes_no_electronic_result(world: Any, desk: Desk) -> None:
    staff, blobs, _ = world
    with staff.store.unit_of_work() as uow:
        other = receive_dossier(
            uow, desk, procedure_code=DEMO_CATALOGUE[0].code, applicant=APPLICANT,
            at=at(11, 23, 9, 20),
        )  # fmt: skip
        act(uow, desk, other.code, HandOver(other.steps[0].unit), at=at(11, 23, 10))
        uow.commit()
    staff.login(Role.DESK)
    assert 'id="action-e-result"' not in staff.client.get(f"/staff/dossiers/{other.code}").text
    response = _upload(staff, str(other.code), _pdf())
    assert "không đăng ký nhận kết quả theo hình thức này" in response.text
    dossier, result, files = _stored(staff, blobs, str(other.code))
    assert dossier.state is DossierState.IN_PROCESSING
    assert (result, files) == (None, 0)


def test_an_upload_without_the_csrf_token_is_refused(world: Any) -> None:
    desk, blobs, code = world
    desk.login(Role.DESK)
    response = desk.client.post(
        f"/staff/dossiers/{code}/e-result",
        data={"result_code": "15/QĐ"},
        files={"file": ("kq.pdf", _pdf(), "application/pdf")},
    )
    assert response.status_code == 403
    assert _stored(desk, blobs, code)[1:] == (None, 0)
