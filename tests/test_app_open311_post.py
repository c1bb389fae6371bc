"""Open311 ``POST requests``: a client application files a citizen's report as a case.

open311.org GeoReport v2 "POST Service Request": form-encoded, an API key per
application (403 when missing or wrong, "Errors"), the answer holds
``service_request_id`` or ``token`` (never both), ``service_notice`` and
``account_id``. The case is made by the core intake with its statutory deadline.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse

import pytest
from tests._app import NOW, TestClient, client_for
from tests._desk import receive
from tests._open311 import REQUESTS, from_xml, paths, spec_paths

from tthc_adapters.app._open311 import issue_key, revoke_key
from tthc_adapters.app._throttle import Throttle
from tthc_core import complaint as cp
from tthc_core.complaint import CaseKind, Channel
from tthc_core.desk import Desk
from tthc_core.storage import Store
from tthc_core.storage.kinds import COMPLAINTS

URL = "/open311/v2/requests.json"
FORM = "application/x-www-form-urlencoded"
PETITION = {
    "service_code": "phan-anh-kien-nghi",
    "description": "Thủ tục đăng ký tạm trú yêu cầu bản sao giấy tờ đã có trên cơ sở dữ liệu",
    "first_name": "Bình",
    "last_name": "Trần Văn",
    "phone": "0987654321",
    "email": "binh@example.org",
    "attribute[quy_dinh]": "Thông tư 55/2021/TT-BCA",
    "attribute[dia_chi_lien_he]": "Buôn Ea Kmar, xã Krông Năng",
    "lat": "12.678123",
    "long": "108.051234",
    "address_string": "Nhà số 12, buôn Ea Kmar",
}
FEEDBACK = {"service_code": "gop-y-phuc-vu", "description": "Quầy số 3 chờ quá lâu"}


@pytest.fixture
def key(store: Store) -> str:
    return issue_key(store, "city-portal", at=NOW)


@pytest.fixture
def client(store: Store, desk: Desk) -> TestClient:
    return client_for(store, desk)


def post(client: TestClient, key: str | None, fields: dict[str, str], url: str = URL) -> object:
    body = dict(fields) if key is None else {"api_key": key, **fields}
    return client.post(
        url,
        content=urllib.parse.urlencode(body),
        headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
    )


def _stored(store: Store, case_id: str) -> cp.Case:
    with store.unit_of_work() as uow:
        case = uow.repository(COMPLAINTS).get(case_id)
    assert case is not None
    return case


def _count(store: Store) -> int:
    with store.unit_of_work() as uow:
        return len(uow.repository(COMPLAINTS).page(limit=1000))


def test_a_petition_becomes_a_case_with_its_statutory_deadline(
    client: TestClient, store: Store, desk: Desk, key: str
) -> None:
    response = post(client, key, PETITION)
    assert response.status_code == 201, response.text
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    [answer] = response.json()
    assert set(answer) == {"service_request_id", "service_notice", "account_id"}
    case = _stored(store, answer["service_request_id"])
    assert response.headers["location"] == f"/open311/v2/requests/{case.case_id}.json"
    assert (case.kind, case.channel, case.received_at) == (CaseKind.PETITION, Channel.OPEN311, NOW)
    # the same deadline the core intake gives any petition received then
    same, _ = cp.receive(
        case_id="X",
        kind=CaseKind.PETITION,
        at=NOW,
        channel=Channel.CHAT,
        agency=desk.complaints,
        deadlines=desk.deadlines,
        content="x",
    )
    assert case.due_at == same.due_at is not None
    assert answer["service_notice"] == cp.georeport_request(case)["service_notice"]
    assert case.sender is not None
    assert (case.sender.name, case.sender.phone) == ("Trần Văn Bình", "0987654321")
    assert case.sender.address == "Buôn Ea Kmar, xã Krông Năng"
    assert "Thông tư 55/2021/TT-BCA" in case.content
    assert "Nhà số 12" in case.content
    assert case.location == cp.GeoPoint(12.678123, 108.051234)


def test_what_a_post_publishes_never_names_the_sender_or_an_address(
    client: TestClient, key: str
) -> None:
    [answer] = post(client, key, PETITION).json()
    listing = client.get("/open311/v2/requests.json")
    REQUESTS.validate(listing.json())
    [request] = listing.json()
    assert request["service_request_id"] == answer["service_request_id"]
    assert (request["lat"], request["long"]) == (12.678, 108.051)  # about 110 m
    text = listing.text + client.get("/open311/v2/requests.xml").text
    for secret in ("Trần Văn", "0987654321", "binh@", "Ea Kmar", "Nhà số 12", "tạm trú"):
        assert secret not in text


def test_service_feedback_may_be_anonymous_and_about_a_dossier(
    client: TestClient, store: Store, desk: Desk, key: str
) -> None:
    response = post(client, key, FEEDBACK)
    assert response.status_code == 201, response.text
    case = _stored(store, response.json()[0]["service_request_id"])
    assert (case.sender, case.desk, case.location) == (None, desk.unit, None)
    dossier = receive(store, desk)
    about = {**FEEDBACK, "attribute[ma_ho_so]": str(dossier.code)}
    case = _stored(store, post(client, key, about).json()[0]["service_request_id"])
    assert case.dossier_code == dossier.code
    unknown = {**FEEDBACK, "attribute[ma_ho_so]": str(dossier.code).replace("0001", "0999")}
    refused = post(client, key, unknown)
    assert refused.status_code == 400
    assert "no dossier" in refused.json()[0]["description"]


def test_the_answer_in_xml_keeps_to_the_specification(client: TestClient, key: str) -> None:
    response = post(client, key, FEEDBACK, url="/open311/v2/requests.xml")
    assert response.status_code == 201
    assert response.headers["content-type"] == "text/xml; charset=utf-8"
    assert paths(response.content) <= spec_paths("service_requests")
    _, [answer] = from_xml(response.content)
    assert answer["service_request_id"].startswith("GY-")
    assert "token" not in answer


def test_an_asynchronous_post_answers_a_token_the_token_resource_resolves(
    client: TestClient, key: str
) -> None:
    response = client.post(
        URL,
        content=urllib.parse.urlencode({"api_key": key, **FEEDBACK}),
        headers={
            "content-type": "application/x-www-form-urlencoded",
            "prefer": "respond-async",
        },
    )
    assert response.status_code == 202
    [answer] = response.json()
    assert "service_request_id" not in answer
    token = answer["token"]
    assert response.headers["location"] == f"/open311/v2/tokens/{token}.json"
    [resolved] = client.get(f"/open311/v2/tokens/{token}.json").json()
    assert resolved["token"] == token
    assert client.get(f"/open311/v2/requests/{resolved['service_request_id']}.json").is_success
    as_xml = client.get(f"/open311/v2/tokens/{token}.xml")
    assert from_xml(as_xml.content)[1] == [resolved]


@pytest.mark.parametrize("code", ["khieu-nai-lan-dau", "khieu-nai-lan-hai", "to-cao"])
def test_complaints_and_denunciations_are_refused_with_the_law(
    client: TestClient, store: Store, key: str, code: str
) -> None:
    response = post(client, key, {**PETITION, "service_code": code})
    assert response.status_code == 400
    reason = response.json()[0]["description"]
    assert "Bộ phận Một cửa" in reason
    assert ("Luật Tố cáo" if code == "to-cao" else "Luật Khiếu nại") in reason
    assert _count(store) == 0


def test_a_key_is_needed_valid_and_not_revoked(client: TestClient, store: Store, key: str) -> None:
    for given in (None, "", "tthc311_not-a-key"):
        response = post(client, given, FEEDBACK)
        assert response.status_code == 403, given
    assert post(client, key, FEEDBACK).status_code == 201
    header = client.post(
        URL,
        content=urllib.parse.urlencode(FEEDBACK),
        headers={"content-type": "application/x-www-form-urlencoded", "x-api-key": key},
    )
    assert header.status_code == 201
    revoke_key(store, "city-portal", at=NOW)
    assert post(client, key, FEEDBACK).status_code == 403
    assert _count(store) == 2


def test_each_application_is_throttled(store: Store, desk: Desk, key: str) -> None:
    client = client_for(store, desk, open311_throttle=Throttle("2/minute", scope="open311-posts"))
    other = issue_key(store, "citizen-app", at=NOW)
    assert [post(client, key, FEEDBACK).status_code for _ in range(3)] == [201, 201, 429]
    limited = post(client, key, FEEDBACK)
    assert int(limited.headers["retry-after"]) >= 1
    assert "city-portal" in limited.json()[0]["description"]
    assert post(client, other, FEEDBACK).status_code == 201


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, (400, "service_code was not provided")),
        ({"service_code": "nope", "description": "x"}, (404, "no service has service_code")),
        ({"service_code": "gop-y-phuc-vu"}, (400, "description is required")),
        ({**FEEDBACK, "description": "<b>x</b>"}, (400, "no HTML")),
        ({**FEEDBACK, "description": "x" * 4001}, (400, "longer than 4000")),
        ({**FEEDBACK, "lat": "12.6"}, (400, "lat and long must be sent together")),
        ({**FEEDBACK, "lat": "91", "long": "108"}, (400, "lat must be between -90 and 90")),
        ({**FEEDBACK, "lat": "nan", "long": "108"}, (400, "decimal degrees")),
        ({**FEEDBACK, "attribute[khong_co]": "x"}, (400, "has no attribute khong_co")),
        ({**PETITION, "attribute[quy_dinh]": ""}, (400, "attribute[quy_dinh] is required")),
        ({**PETITION, "phone": ""}, (400, "a petition gives the sender's name")),
        ({**FEEDBACK, "media_url": "javascript:alert(1)"}, (400, "media_url must be")),
        ({**FEEDBACK, "attribute[ma_ho_so]": "ABC"}, (400, "attribute[ma_ho_so]")),
    ],
)
def test_a_malformed_post_is_a_georeport_error_that_says_why(
    client: TestClient, store: Store, key: str, fields: dict[str, str], expected: tuple[int, str]
) -> None:
    status, reason = expected
    response = post(client, key, fields)
    assert response.status_code == status, response.text
    assert reason in response.json()[0]["description"]
    assert _count(store) == 0


def test_the_limits_of_a_post_hold_on_both_sides(client: TestClient, key: str) -> None:
    assert post(client, key, {**FEEDBACK, "description": "x" * 4000}).status_code == 201
    assert post(client, key, {**FEEDBACK, "lat": "90", "long": "-180"}).status_code == 201
    assert post(client, key, {**FEEDBACK, "lat": "90.0001", "long": "0"}).status_code == 400


@pytest.mark.parametrize(
    ("body", "content_type", "status", "reason"),
    [
        (
            b"service_code=a&service_code=b",
            "application/x-www-form-urlencoded",
            400,
            "more than once",
        ),
        (
            b"attribute[x]=1&attribute[x]=2",
            "application/x-www-form-urlencoded",
            400,
            "more than once",
        ),
        (b"service_code=%ff", FORM, 400, "not a valid form"),
        (b"\xff\xfe", FORM, 400, "UTF-8"),
        (b"[1]", "application/json", 400, "object"),
        (b"{", "application/json", 400, "not UTF-8 JSON"),
        (b'{"a": 1, "a": 2}', "application/json", 400, "twice"),
        (b"x=" + b"a" * (64 * 1024), FORM, 413, "larger than"),
    ],
)
def test_a_body_that_cannot_be_read_is_refused(
    client: TestClient, body: bytes, content_type: str, status: int, reason: str
) -> None:
    response = client.post(URL, content=body, headers={"content-type": content_type})
    assert response.status_code == status
    assert reason in response.json()[0]["description"]


def test_a_json_body_is_accepted_too(client: TestClient, store: Store, key: str) -> None:
    body = {
        "api_key": key,
        **{k: v for k, v in PETITION.items() if not k.startswith("attribute")},
        "attribute": {"quy_dinh": "Thông tư 55/2021/TT-BCA", "dia_chi_lien_he": ["Buôn Ea Kmar"]},
    }
    response = client.post(URL, json=body)
    assert response.status_code == 201, response.text
    case = _stored(store, response.json()[0]["service_request_id"])
    assert case.kind is CaseKind.PETITION


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(client: TestClient, method: str) -> None:
    response = client.request(method, URL)
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert response.json()[0]["code"] == 405
    services = client.post("/open311/v2/services.xml")
    assert services.status_code == 405
    assert "POST" not in services.headers["allow"]
    assert from_xml(services.content)[1][0]["code"] == "405"


def test_posts_are_received_now(client: TestClient, store: Store, key: str) -> None:
    case = _stored(store, post(client, key, FEEDBACK).json()[0]["service_request_id"])
    assert case.received_at == NOW
    assert case.case_id.startswith(f"GY-{NOW:%Y%m%d}-")
    assert NOW - dt.timedelta(seconds=1) < case.updated_at <= NOW


def test_by_default_an_application_posts_30_times_a_minute(client: TestClient, key: str) -> None:
    statuses = [post(client, key, FEEDBACK).status_code for _ in range(31)]
    assert statuses == [201] * 30 + [429]
