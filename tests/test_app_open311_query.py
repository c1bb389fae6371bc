"""Open311 ``GET requests`` parameters exactly as GeoReport v2 reads them, at every boundary.

Comma-separated lists; a repeated parameter is a 400 naming it; an empty one
acts as a missing one; dates with any offset, also at the ends of the calendar
(issue 9: ``start_date=9999-12-01`` and ``end_date=0001-01-01`` crashed with an
``OverflowError``); ``page``/``page_size`` as the documented extension.
"""

from __future__ import annotations

import datetime as dt

import pytest
from tests._app import NOW, TestClient, client_for
from tests._open311 import file_case

from tthc_adapters.app._open311._query import MAX_PAGE, MAX_REQUESTS, read_query
from tthc_core.complaint import CaseKind
from tthc_core.desk import Desk
from tthc_core.errors import InvalidInput
from tthc_core.storage import Store

URL = "/open311/v2/requests.json"


@pytest.fixture
def client(store: Store, desk: Desk) -> TestClient:
    file_case(store, desk, "PA-1", NOW - dt.timedelta(days=3))
    file_case(store, desk, "PA-2", NOW - dt.timedelta(days=2), close=True)
    file_case(store, desk, "GY-1", NOW - dt.timedelta(days=1), CaseKind.SERVICE_FEEDBACK)
    return client_for(store, desk)


def _ids(client: TestClient, query: str) -> list[str]:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.text
    return [r["service_request_id"] for r in response.json()]


def _reason(client: TestClient, query: str) -> str:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400, response.text
    [error] = response.json()
    assert error["code"] == 400
    return str(error["description"])


def test_lists_are_comma_separated(client: TestClient) -> None:
    assert _ids(client, "status=open,closed") == ["GY-1", "PA-2", "PA-1"]
    assert _ids(client, "status=closed,%20open") == ["GY-1", "PA-2", "PA-1"]
    assert _ids(client, "status=open") == ["GY-1", "PA-1"]
    assert _ids(client, "service_code=gop-y-phuc-vu,phan-anh-kien-nghi&status=closed") == ["PA-2"]
    assert _ids(client, "service_request_id=PA-1,GY-1,PA-1,NOPE") == ["PA-1", "GY-1"]
    # service_request_id overrides every other parameter
    assert _ids(client, "service_request_id=PA-2&status=open&service_code=to-cao") == ["PA-2"]


@pytest.mark.parametrize(
    "name", ["status", "service_code", "service_request_id", "start_date", "end_date", "page"]
)
def test_a_repeated_parameter_is_a_400_that_names_it(client: TestClient, name: str) -> None:
    reason = _reason(client, f"{name}=a&{name}=b")
    assert reason.startswith(f"{name} is given more than once")


@pytest.mark.parametrize("name", ["status", "service_code", "service_request_id", "start_date"])
def test_an_empty_parameter_acts_as_a_missing_one(client: TestClient, name: str) -> None:
    assert _ids(client, f"{name}=") == _ids(client, "")
    assert _ids(client, "jurisdiction_id=krongnang.daklak.gov.vn") == _ids(client, "")


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("status=open,pending", "status must be 'open', 'closed' or both"),
        ("service_code=gop-y-phuc-vu,nope", "unknown service_code nope"),
        ("start_date=yesterday", "start_date must be an ISO 8601"),
        ("end_date=2026-13-01", "end_date must be an ISO 8601"),
    ],
)
def test_bad_values_are_a_400_that_says_why(client: TestClient, query: str, reason: str) -> None:
    assert reason in _reason(client, query)


def _read(**params: str) -> tuple[dt.datetime, dt.datetime]:
    query = read_query(list(params.items()), NOW)
    return query.start, query.end


UTC = dt.UTC
LAST = dt.datetime.max.replace(tzinfo=UTC)
FIRST = dt.datetime.min.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("params", "window"),
    [
        # a start alone covers 90 days from it: the last start that fits, and one after
        ({"start_date": "9999-10-02T23:59:59.999999Z"}, (LAST - dt.timedelta(days=90), LAST)),
        ({"start_date": "9999-10-03T00:00:00Z"}, None),
        ({"start_date": "9999-12-01"}, None),
        # an end alone covers 90 days up to it: the first end that fits, and one before
        ({"end_date": "0001-04-01T00:00:00Z"}, (FIRST, FIRST + dt.timedelta(days=90))),
        ({"end_date": "0001-03-31T23:59:59.999999Z"}, None),
        ({"end_date": "0001-01-01"}, None),  # Vietnam time: before year 1 in UTC
        # offsets at the ends of the calendar, inside and just outside
        (
            {"start_date": "9999-12-31T23:59:59+00:00", "end_date": "9999-12-31T23:59:59+00:00"},
            (LAST.replace(microsecond=0), LAST.replace(microsecond=0)),
        ),
        ({"start_date": "9999-12-31T23:59:59-00:01", "end_date": "9999-12-31T23:59:59Z"}, None),
        ({"start_date": "9999-12-31T00:00:59-23:59", "end_date": "9999-12-31T23:59:59Z"}, "ok"),
        ({"start_date": "9999-12-31T00:01:00-23:59", "end_date": "9999-12-31T23:59:59Z"}, None),
        (
            {"start_date": "0001-01-01T00:01:00+00:01", "end_date": "0001-01-02T00:00:00Z"},
            (FIRST, FIRST + dt.timedelta(days=1)),
        ),
        ({"start_date": "0001-01-01T00:00:00+00:01", "end_date": "0001-01-02T00:00:00Z"}, None),
        ({"start_date": "0001-01-01T23:58:00+23:59", "end_date": "0001-01-02T00:00:00Z"}, None),
        # the 90-day limit itself
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"}, "ok"),
        ({"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-04-01T00:00:00.000001Z"}, None),
    ],
)
def test_date_windows_at_the_ends_of_the_calendar(
    params: dict[str, str], window: tuple[dt.datetime, dt.datetime] | str | None
) -> None:
    if window is None:
        with pytest.raises(InvalidInput) as caught:
            _read(**params)
        assert caught.value.reason  # a sentence, not an OverflowError
        return
    start, end = _read(**params)
    if window != "ok":
        assert (start, end) == window
    assert end - start <= dt.timedelta(days=90)


@pytest.mark.parametrize(
    "query",
    ["start_date=9999-12-01", "end_date=0001-01-01", "start_date=9999-12-31T23:59:59-23:59"],
)
def test_the_issue_9_crashes_answer_400_in_both_formats(client: TestClient, query: str) -> None:
    assert "calendar" in _reason(client, query) or "years 1-9999" in _reason(client, query)
    as_xml = client.get(f"/open311/v2/requests.xml?{query}")
    assert as_xml.status_code == 400
    assert b"<errors>" in as_xml.content


def test_pages_split_the_newest_first_list(client: TestClient) -> None:
    assert _ids(client, "page_size=2") == ["GY-1", "PA-2"]
    assert _ids(client, "page_size=2&page=2") == ["PA-1"]
    assert _ids(client, "page_size=2&page=3") == []
    assert _ids(client, f"page_size={MAX_REQUESTS}&page={MAX_PAGE}") == []
    assert _ids(client, "page=1") == _ids(client, "")


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        f"page={MAX_PAGE + 1}",
        "page_size=0",
        f"page_size={MAX_REQUESTS + 1}",
        "page=-1",
        "page=1.5",
        "page_size=1e3",
        "page=" + "9" * 5000,
    ],
)
def test_a_bad_page_is_a_400(client: TestClient, query: str) -> None:
    name = query.split("=", maxsplit=1)[0]
    assert f"{name} must be a whole number" in _reason(client, query)
