"""Open311 GeoReport v2 read endpoints: schema-valid, filtered, capped, identity-free.

Schemas: open311/schema-validation ``schema/georeport-v2/`` (``services.json``,
``service.json``, ``requests.json``, ``request.json``), kept in
``../shared/conformance/open311/`` next to the repository. GeoReport v2:
``GET requests`` covers the last 90 days by default, at most 90 days at a
time, and at most 1,000 requests.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from tests._app import NOW, TestClient, client_for
from tests._open311 import REQUESTS, SENDER, SERVICES, file_case

from tthc_adapters.app._open311 import _query, desk_area
from tthc_core import complaint as cp
from tthc_core.complaint import CaseKind
from tthc_core.desk import Desk
from tthc_core.storage import Store


@pytest.fixture
def client(store: Store, desk: Desk) -> TestClient:
    return client_for(store, desk)


def _days_ago(days: float) -> dt.datetime:
    return NOW - dt.timedelta(days=days)


def test_services_are_schema_valid(client: TestClient) -> None:
    response = client.get("/open311/v2/services.json")
    assert response.status_code == 200
    services = response.json()
    SERVICES.validate(services)
    assert {s["service_code"] for s in services} == {code for code, _ in cp.SERVICES.values()}


def test_requests_cover_the_last_90_days_newest_first(
    client: TestClient, store: Store, desk: Desk
) -> None:
    file_case(store, desk, "PA-1", _days_ago(100))  # outside the default window
    file_case(store, desk, "PA-2", _days_ago(80))
    file_case(store, desk, "PA-3", _days_ago(1))
    file_case(store, desk, "GY-1", _days_ago(5), CaseKind.SERVICE_FEEDBACK, close=True)
    response = client.get("/open311/v2/requests.json")
    assert response.status_code == 200
    body = response.json()
    REQUESTS.validate(body)
    assert [r["service_request_id"] for r in body] == ["PA-3", "GY-1", "PA-2"]


def test_requests_filter_by_status_and_service(
    client: TestClient, store: Store, desk: Desk
) -> None:
    file_case(store, desk, "PA-1", _days_ago(3))
    file_case(store, desk, "PA-2", _days_ago(2), close=True)
    file_case(store, desk, "GY-1", _days_ago(1), CaseKind.SERVICE_FEEDBACK)

    def ids(**params: str) -> list[str]:
        response = client.get("/open311/v2/requests.json", params=params)
        assert response.status_code == 200, response.text
        REQUESTS.validate(response.json())
        return [r["service_request_id"] for r in response.json()]

    assert ids(status="open") == ["GY-1", "PA-1"]
    assert ids(status="closed") == ["PA-2"]
    assert ids(service_code="phan-anh-kien-nghi") == ["PA-2", "PA-1"]
    assert ids(service_code="gop-y-phuc-vu,phan-anh-kien-nghi", status="open") == ["GY-1", "PA-1"]
    assert ids(service_request_id="PA-2,NOPE,PA-1") == ["PA-2", "PA-1"]


def test_requests_take_a_date_window(client: TestClient, store: Store, desk: Desk) -> None:
    file_case(store, desk, "PA-1", _days_ago(200))
    file_case(store, desk, "PA-2", _days_ago(150))
    file_case(store, desk, "PA-3", _days_ago(10))
    window = {
        "start_date": _days_ago(210).isoformat(),
        "end_date": _days_ago(140).isoformat(),
    }
    body = client.get("/open311/v2/requests.json", params=window).json()
    assert [r["service_request_id"] for r in body] == ["PA-2", "PA-1"]
    # a start alone covers 90 days from it; a naive time is Vietnam time
    start = _days_ago(160).replace(tzinfo=None).isoformat()
    body = client.get("/open311/v2/requests.json", params={"start_date": start}).json()
    assert [r["service_request_id"] for r in body] == ["PA-2"]
    # an offset's "+" sent unescaped arrives as a space, and is read as "+"
    start = _days_ago(160).isoformat(timespec="seconds").replace("+", " ")
    body = client.get(f"/open311/v2/requests.json?start_date={start}").json()
    assert [r["service_request_id"] for r in body] == ["PA-2"]
    # the window's ends are inclusive
    exact = {"start_date": _days_ago(10).isoformat(), "end_date": _days_ago(10).isoformat()}
    body = client.get("/open311/v2/requests.json", params=exact).json()
    assert [r["service_request_id"] for r in body] == ["PA-3"]


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"start_date": "2026-01-01", "end_date": "2026-06-01"}, "at most 90 days"),
        ({"start_date": "2026-06-01", "end_date": "2026-01-01"}, "before start_date"),
        ({"start_date": "yesterday"}, "start_date must be an ISO 8601"),
        ({"end_date": "2026-13-01"}, "end_date must be an ISO 8601"),
        ({"status": "pending"}, "status must be"),
        ({"service_code": "nope"}, "unknown service_code nope"),
        ({"service_request_id": ",".join(f"X{i}" for i in range(101))}, "at most 100"),
    ],
)
def test_bad_parameters_are_a_georeport_400(
    client: TestClient, params: dict[str, str], reason: str
) -> None:
    response = client.get("/open311/v2/requests.json", params=params)
    assert response.status_code == 400
    [error] = response.json()
    assert error["code"] == 400
    assert reason in error["description"]


def test_at_most_max_requests_newest_first(
    client: TestClient, store: Store, desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_query, "MAX_REQUESTS", 2)
    monkeypatch.setattr(_query, "_STORAGE_PAGE", 2)  # several storage pages
    for i in range(5):
        file_case(store, desk, f"PA-{i}", _days_ago(10 - i))
    body = client.get("/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in body] == ["PA-4", "PA-3"]


def test_one_request(client: TestClient, store: Store, desk: Desk) -> None:
    case = file_case(store, desk, "PA-2026.0001", _days_ago(1))
    response = client.get(f"/open311/v2/requests/{case.case_id}.json")
    assert response.status_code == 200
    REQUESTS.validate(response.json())
    assert response.json() == [cp.georeport_request(case, area=desk_area(desk))]
    missing = client.get("/open311/v2/requests/NOPE.json")
    assert missing.status_code == 404
    assert missing.json()[0]["code"] == 404


def test_the_listing_never_names_the_sender(client: TestClient, store: Store, desk: Desk) -> None:
    file_case(store, desk, "PA-1", _days_ago(1))
    text = client.get("/open311/v2/requests.json").text
    assert json.loads(text)
    for secret in (SENDER.name, SENDER.phone, SENDER.address):
        assert secret is not None
        assert secret not in text
