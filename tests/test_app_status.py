"""The receipt status page the QR opens: status for a code, details for a genuine QR.

Circular 01/2018/TT-VPCP Art. 19(2): the receipt may carry a QR next to the
dossier code; tthc's QR opens ``https://<lookup base>/<code>/<tag>`` (upper
case). tthc's privacy rule: a code alone shows the status only; a verified tag
adds the procedure, the masked applicant and the control sheet (Mẫu 05/06).
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import attrs
import pytest
from tests._app import NOW, TestClient, client_for, qr_path
from tests._desk import at, receive

from tthc_adapters.app import mask_name
from tthc_adapters.app._html import PART_VI
from tthc_core.desk import Desk, act
from tthc_core.desk.messages import format_instant
from tthc_core.dossier import Dossier, HandOver
from tthc_core.receipt import ReceiptCodec, ReceiptKey, StaticKeyRing
from tthc_core.serialization import converter
from tthc_core.storage import Store

JSON = {"accept": "application/json"}
BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
def dossier(store: Store, desk: Desk) -> Dossier:
    """A received dossier handed to its first unit."""
    received = receive(store, desk)
    with store.unit_of_work() as uow:
        handed = act(uow, desk, received.code, HandOver(received.steps[0].unit), at=at(11, 23, 10))
        uow.commit()
    return handed


@pytest.fixture
def client(store: Store, desk: Desk) -> TestClient:
    return client_for(store, desk)


def _is_vietnamese_page(text: str) -> bool:
    return (
        '<html lang="vi">' in text
        and '<meta charset="utf-8">' in text
        and unicodedata.is_normalized("NFC", text)
    )


def _tampered(path: str) -> str:
    last = path[-1]
    return path[:-1] + ("A" if last != "A" else "B")


def test_a_typed_code_shows_the_status_only(client: TestClient, dossier: Dossier) -> None:
    response = client.get(f"/{dossier.code}", headers=BROWSER)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    assert _is_vietnamese_page(page)
    view = dossier.public_status(NOW)
    assert str(dossier.code) in page
    assert view.label_vi in page
    assert view.holder_unit is not None
    assert view.holder_unit in page
    assert view.due_at is not None
    assert format_instant(view.due_at) in page
    assert "Trong hạn" in page
    # no details and no QR notice for a code alone
    assert dossier.procedure_name not in page
    assert mask_name(dossier.applicant.name) not in page
    assert "Không xác thực được mã QR" not in page


@pytest.mark.parametrize("case", [str.upper, str.lower])
def test_the_receipt_qr_url_shows_the_details(
    client: TestClient, desk: Desk, dossier: Dossier, case: object
) -> None:
    path = qr_path(desk, dossier)
    assert path == path.upper()  # the QR's alphanumeric mode: all upper case
    response = client.get(case(path))  # type: ignore[operator]
    assert response.status_code == 200
    page = response.text
    assert _is_vietnamese_page(page)
    assert "Đã xác thực mã QR" in page
    assert dossier.procedure_name in page
    assert "Nguyễn T. H." in page
    assert "Phiếu kiểm soát quá trình giải quyết hồ sơ" in page
    entry = dossier.sheet.entries[0]
    assert entry.from_unit in page
    assert entry.to_unit in page
    assert format_instant(entry.handed_at) in page


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(_tampered, id="altered tag"),
        pytest.param(lambda p: p.replace("/1.K1.", "/1.K9."), id="unknown key"),
        pytest.param(lambda p: p.rsplit("/", 1)[0] + "/GARBAGE", id="malformed suffix"),
        pytest.param(lambda p: p.replace("/1.K1.", "/7.K1."), id="unknown version"),
    ],
)
def test_a_tag_that_does_not_verify_shows_the_notice_and_nothing_of_the_dossier(
    client: TestClient, desk: Desk, dossier: Dossier, spoil: object
) -> None:
    path = spoil(qr_path(desk, dossier))  # type: ignore[operator]
    response = client.get(path)
    assert response.status_code == 200
    page = response.text
    assert "Không xác thực được mã QR" in page
    assert dossier.public_status(NOW).label_vi not in page
    assert dossier.procedure_name not in page
    assert mask_name(dossier.applicant.name) not in page
    assert "Phiếu kiểm soát" not in page
    # an unknown code with the same spoilt tag answers exactly the same (issue 9)
    other = attrs.evolve(dossier.code, sequence=dossier.code.sequence + 1)
    unknown = client.get(path.replace(str(dossier.code), str(other)))
    assert unknown.status_code == response.status_code
    assert unknown.text == page.replace(str(dossier.code), str(other))
    assert dict(unknown.headers) == dict(response.headers)  # same length: same-width codes


def test_an_unknown_code_is_a_vietnamese_404(client: TestClient, dossier: Dossier) -> None:
    other = attrs.evolve(dossier.code, sequence=9)
    for path in (f"/{other}", f"/{str(other).lower()}"):
        response = client.get(path)
        assert response.status_code == 404
        assert _is_vietnamese_page(response.text)
        assert f"Không tìm thấy hồ sơ {other}" in response.text


@pytest.mark.parametrize(
    ("path", "part"),
    [
        ("/hello", "format"),
        ("/000.43.31.HH5-261123-0001", "agency"),
        ("/000.43.31.H15-261399-0001", "date"),
        ("/000.43.31.H15-261123-001", "sequence"),
        ("/000.43.31.H15-261399-0001/1.K1.AAAAAAAAAAAAAAAA", "date"),
    ],
)
def test_a_malformed_code_is_a_400_naming_the_wrong_part(
    client: TestClient, path: str, part: str
) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert _is_vietnamese_page(response.text)
    assert PART_VI[part].replace("<", "&lt;").replace(">", "&gt;") in response.text
    as_json = client.get(path, headers=JSON)
    assert as_json.status_code == 400
    assert as_json.json()["part"] == part
    assert PART_VI[part] in as_json.json()["message"]


def test_json_is_the_public_status_view(client: TestClient, dossier: Dossier) -> None:
    response = client.get(f"/{dossier.code}", headers=JSON)
    assert response.status_code == 200
    assert response.headers["vary"] == "Accept"
    expected = converter.unstructure(dossier.public_status(NOW))
    assert response.json() == {**expected, "verification": None}


def test_json_with_a_genuine_tag_adds_the_details(
    client: TestClient, desk: Desk, dossier: Dossier
) -> None:
    body = client.get(qr_path(desk, dossier).lower(), headers=JSON).json()
    assert body["verification"] == "valid"
    details = body["details"]
    assert details["procedure_name"] == dossier.procedure_name
    assert details["applicant"] == "Nguyễn T. H."
    rows = details["control_sheet"]
    assert [r["to_unit"] for r in rows] == [e.to_unit for e in dossier.sheet.entries]
    assert [r["result"] for r in rows] == ["in_time"]
    assert "officer" not in str(rows)


def test_json_with_a_spoilt_tag_has_the_verdict_and_no_status(
    client: TestClient, desk: Desk, dossier: Dossier
) -> None:
    body = client.get(_tampered(qr_path(desk, dossier)), headers=JSON).json()
    assert set(body) == {"code", "verification", "message"}
    assert body["verification"] == "tampered"
    assert body["code"] == str(dossier.code)
    assert "Không xác thực được mã QR" in body["message"]


def test_json_errors(client: TestClient, dossier: Dossier) -> None:
    missing = client.get(f"/{attrs.evolve(dossier.code, sequence=9)}", headers=JSON)
    assert missing.status_code == 404
    assert missing.json()["error"] == "not_found"


@pytest.mark.parametrize(
    ("accept", "is_json"),
    [
        ("application/json", True),
        ("application/json, text/plain, */*", True),
        ("text/html, application/json;q=0.5", False),
        ("application/json;q=0", False),
        ("*/*", False),
        ("", False),
    ],
)
def test_content_negotiation(
    client: TestClient, dossier: Dossier, accept: str, is_json: bool
) -> None:
    response = client.get(f"/{dossier.code}", headers={"accept": accept})
    assert response.headers["content-type"].startswith(
        "application/json" if is_json else "text/html"
    )


def test_the_status_path_follows_the_lookup_base(store: Store, desk: Desk) -> None:
    """A lookup base with a path (tracuu.example.gov.vn/hs) puts the pages under /HS, any case."""
    hs = attrs.evolve(desk, codec=ReceiptCodec("tracuu.example.gov.vn/hs"))
    dossier = receive(store, hs)
    client = client_for(store, hs)
    path = qr_path(hs, dossier)
    assert path.startswith("/HS/")
    for variant in (path, path.lower()):
        assert "Đã xác thực mã QR" in client.get(variant).text
    assert client.get(f"/hs/{dossier.code}").status_code == 200
    assert client.get(f"/{dossier.code}").status_code == 404
    assert "Tra cứu hồ sơ" in client.get("/hs/").text


def test_the_home_page_form_redirects_to_the_code(client: TestClient, dossier: Dossier) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert 'name="ma"' in home.text
    typed = f"  {str(dossier.code).lower()} "
    response = client.get("/", params={"ma": typed}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/{dossier.code}"
    assert client.get("/", params={"ma": "abc"}).status_code == 400


def test_other_paths_are_a_vietnamese_404(client: TestClient, dossier: Dossier) -> None:
    response = client.get(f"/{dossier.code}/1.K1.AAAAAAAAAAAAAAAA/extra")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.text


def test_a_wrong_method_is_a_vietnamese_405(client: TestClient, dossier: Dossier) -> None:
    response = client.post(f"/{dossier.code}")
    assert response.status_code == 405
    assert _is_vietnamese_page(response.text)


def test_pages_never_leak_the_tag_and_are_never_cached(
    client: TestClient, desk: Desk, dossier: Dossier
) -> None:
    response = client.get(qr_path(desk, dossier))
    headers = response.headers
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["cache-control"] == "no-store"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert "<script" not in response.text
    assert "http" not in response.text.lower()


def test_a_key_of_another_desk_does_not_verify(store: Store, desk: Desk, dossier: Dossier) -> None:
    """A tag made with another agency's key (same key id) is not ours."""
    forger = attrs.evolve(desk, keys=StaticKeyRing([ReceiptKey("K1", b"f" * 32)]))
    response = client_for(store, desk).get(qr_path(forger, dossier))
    assert "Không xác thực được mã QR" in response.text


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Thị Hương", "Nguyễn T. H."),
        ("Lê An", "Lê A."),
        ("Hương", "H."),
        ("Y Khu Êban", "Y K. Ê."),
        ("  đặng   văn  đức ", "đặng V. Đ."),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


def test_timeliness_is_measured_at_the_clock(store: Store, desk: Desk, dossier: Dossier) -> None:
    """Past its due time an open dossier reads Quá hạn (Circular 01/2018 Art. 13)."""
    late = client_for(store, desk, now=NOW + dt.timedelta(days=30))
    assert "Quá hạn" in late.get(f"/{dossier.code}").text
