"""Open311 acceptance: real clients against the app served by uvicorn on loopback.

* ``georeport`` (PyPI, "Python wrapper for the Open311 GeoReport v2 API"), in
  its JSON and its XML mode (``requests`` + ``xmltodict``);
* a hand-written consumer in the style of a city-data portal: it starts from
  the discovery document, harvests ``requests.xml`` page by page, plots what
  has a point, and files a citizen's report with its API key.

The two other Open311 clients on the package index do not run on Python 3:
``open311`` 1.1 (2011) imports its own modules with Python 2's implicit relative
imports (``from api import API``), and ``three`` 0.8.0 (2013) imports
``itertools.ifilter``.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from tests._app import NOW, POSTAL_SECRET
from tests._desk import DEMO_SETTINGS, KEY
from tests._open311 import as_text, file_case, from_xml

from tthc_adapters.app import create_app
from tthc_adapters.app._open311 import issue_key
from tthc_adapters.bootstrap import build_desk
from tthc_adapters.loopback import LoopbackServer
from tthc_adapters.storage import MemoryStore
from tthc_core.complaint import CaseKind, GeoPoint
from tthc_core.receipt import StaticKeyRing

georeport = pytest.importorskip("georeport")


class Served:
    """The app on a loopback port, its API key and its base URL."""

    def __init__(self, base: str, key: str) -> None:
        self.base = base
        self.key = key
        self.open311 = f"{base}/open311/v2"


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    desk = build_desk(DEMO_SETTINGS, StaticKeyRing([KEY]), on=dt.date(2026, 11, 23))
    store = MemoryStore(clock=lambda: NOW)
    file_case(store, desk, "PA-1", NOW - dt.timedelta(days=2), location=GeoPoint(12.678, 108.05))
    feedback = CaseKind.SERVICE_FEEDBACK
    file_case(store, desk, "GY-1", NOW - dt.timedelta(days=1), feedback, close=True)
    key = issue_key(store, "city-portal", at=NOW)
    app = create_app(store, desk, postal_secret=POSTAL_SECRET, clock=lambda: NOW)
    with LoopbackServer(app, log_level="warning") as server:
        yield Served(server.url, key)


def _records(value: Any) -> list[Any]:
    """xmltodict gives one record as a dict and several as a list."""
    return value if isinstance(value, list) else [value]


def test_georeport_reads_the_same_in_json_and_xml(served: Served) -> None:
    as_json = georeport.GeoReport(served.open311, output_format="json")
    as_xml = georeport.GeoReport(served.open311, output_format="xml")
    services = as_json.get_service_list()
    assert [s["service_code"] for s in services] == [
        s["service_code"] for s in _records(as_xml.get_service_list())
    ]
    for service in services:
        code = service["service_code"]
        definition = as_json.get_service_definition(code)
        assert definition["service_code"] == code
        assert as_xml.get_service_definition(code)["service_code"] == code
    requests = as_json.get_service_requests(status="open,closed")
    assert [r["service_request_id"] for r in requests] == ["GY-1", "PA-1"]
    xml_requests = _records(as_xml.get_service_requests(status="open,closed"))
    assert xml_requests == as_text(requests)
    one = as_json.get_service_request("PA-1")
    assert (one["lat"], one["long"], one["status"]) == (12.678, 108.05, "open")
    assert as_xml.get_service_request("PA-1") == as_text(one)


def test_georeport_sees_errors_as_http_errors(served: Served) -> None:
    import requests

    client = georeport.GeoReport(served.open311, output_format="xml")
    with pytest.raises(requests.HTTPError) as caught:
        client.get_service_requests(status="pending")
    assert caught.value.response.status_code == 400
    assert b"<errors>" in caught.value.response.content


class CityPortal:
    """A city-data portal's harvester: discovery first, then XML pages, then a map."""

    def __init__(self, discovery_url: str) -> None:
        self.http = httpx.Client(timeout=10)
        discovery = self.http.get(discovery_url).json()
        [endpoint] = [
            e
            for e in discovery["endpoints"]
            if e["specification"] == "http://wiki.open311.org/GeoReport_v2"
            and e["type"] == "production"
        ]
        assert "text/xml" in endpoint["formats"]
        self.endpoint = endpoint["url"]
        self.changeset = discovery["changeset"]

    def services(self) -> dict[str, str]:
        _, services = from_xml(self.http.get(f"{self.endpoint}/services.xml").content)
        return {s["service_code"]: s["group"] for s in services}

    def harvest(self, start: dt.datetime, end: dt.datetime, page_size: int) -> list[Any]:
        found: list[Any] = []
        for page in range(1, 100):
            query = urllib.parse.urlencode(
                {
                    "start_date": start.isoformat(),
                    "end_date": end.isoformat(),
                    "page": page,
                    "page_size": page_size,
                }
            )
            response = self.http.get(f"{self.endpoint}/requests.xml?{query}")
            assert response.headers["content-type"] == "text/xml; charset=utf-8"
            _, requests = from_xml(response.content)
            if not requests:
                return found
            found.extend(requests)
        pytest.fail("the pages never ended")

    def file(self, key: str, fields: dict[str, str]) -> tuple[httpx.Response, Any]:
        response = self.http.post(
            f"{self.endpoint}/requests.xml",
            content=urllib.parse.urlencode({"api_key": key, **fields}),
            headers={"content-type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        return response, from_xml(response.content)[1]


def test_a_city_portal_harvests_plots_and_files(served: Served) -> None:
    portal = CityPortal(f"{served.base}/open311/discovery.json")
    assert portal.endpoint == served.open311
    groups = portal.services()
    window = (NOW - dt.timedelta(days=30), NOW)
    harvested = portal.harvest(*window, page_size=1)
    assert [r["service_request_id"] for r in harvested] == ["GY-1", "PA-1"]
    assert all(r["address_id"] and r["address"] for r in harvested)  # the commune, always
    pins = [(float(r["lat"]), float(r["long"])) for r in harvested if r["lat"]]
    assert pins == [(12.678, 108.05)]
    by_group: dict[str, int] = {}
    for r in harvested:
        by_group[groups[r["service_code"]]] = by_group.get(groups[r["service_code"]], 0) + 1
    assert by_group == {"Góp ý, phản ánh, kiến nghị": 2}

    response, [answer] = portal.file(
        served.key,
        {
            "service_code": "gop-y-phuc-vu",
            "description": "Đèn khu chờ tắt, khó đọc số thứ tự",
            "lat": "12.67812",
            "long": "108.05123",
        },
    )
    assert response.status_code == 201
    case_id = answer["service_request_id"]
    followed = portal.http.get(served.base + response.headers["location"])
    _, [request] = from_xml(followed.content)
    assert (request["service_request_id"], request["status"]) == (case_id, "open")
    assert request["expected_datetime"] is not None
    again = portal.harvest(*window, page_size=2)
    assert case_id in [r["service_request_id"] for r in again]
    denied, [error] = portal.file("tthc311_wrong", {"service_code": "gop-y-phuc-vu"})
    assert (denied.status_code, error["code"]) == (403, "403")
