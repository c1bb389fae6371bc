"""Open311 XML: every resource and error, the specification's structure, the same data as JSON.

open311.org GeoReport v2, "Format Support": XML is required (``text/xml;
charset=utf-8``, declaration with ``encoding="UTF-8"``, no namespace), JSON is
the Spark-convention mapping of it (``application/json; charset=utf-8``). The
specification's own sample documents are fixtures (tests/fixtures/open311/,
copied verbatim); their element paths are the structure ours must keep to.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests._app import NOW, TestClient, client_for
from tests._open311 import (
    REQUESTS,
    SPEC_SAMPLES,
    as_text,
    file_case,
    from_xml,
    paths,
    spec_paths,
    spec_sample,
)

from tthc_adapters.app._open311 import desk_area
from tthc_adapters.app._open311._formats import clean, to_xml
from tthc_adapters.app._open311._read import CHANGESET, definitions_digest
from tthc_core import complaint as cp
from tthc_core.complaint import CaseKind, GeoPoint
from tthc_core.desk import Desk
from tthc_core.storage import Store
from tthc_core.testing.strategies import cases

XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
#: GeoReport v2 "GET Service Requests" response: the 17 fields of a request.
REQUEST_FIELDS = {p.split("/")[-1] for p in paths(spec_sample("requests")) if p.count("/") == 2}


@pytest.fixture
def client(store: Store, desk: Desk) -> TestClient:
    file_case(store, desk, "PA-1", NOW - dt.timedelta(days=2), location=GeoPoint(12.6781, 108.05))
    file_case(
        store, desk, "GY-1", NOW - dt.timedelta(days=1), CaseKind.SERVICE_FEEDBACK, close=True
    )
    return client_for(store, desk)


@pytest.mark.parametrize("sample", sorted(p.stem for p in SPEC_SAMPLES.glob("*.xml")))
def test_the_specifications_samples_round_trip_through_our_writer(sample: str) -> None:
    root, data = from_xml(spec_sample(sample))
    ours = to_xml(root, data)
    assert ours.startswith(XML_DECLARATION)
    assert from_xml(ours) == (root, data)
    assert paths(ours) == paths(spec_sample(sample))


def _resources(client: TestClient) -> list[str]:
    codes = [s.code for s in cp.GEO_SERVICES]
    return [
        "discovery",
        "services",
        *(f"services/{code}" for code in codes),
        "requests",
        "requests/PA-1",
        "requests/GY-1",
    ]


def test_every_resource_is_served_in_xml_with_the_specifications_structure(
    client: TestClient,
) -> None:
    for resource in _resources(client):
        response = client.get(f"/open311/v2/{resource}.xml")
        assert response.status_code == 200, resource
        assert response.headers["content-type"] == "text/xml; charset=utf-8"
        assert response.content.startswith(XML_DECLARATION)
        root, _ = from_xml(response.content)
        assert paths(response.content) <= spec_paths(root), resource
    _, requests = from_xml(client.get("/open311/v2/requests.xml").content)
    assert len(requests) == 2
    assert all(set(r) == REQUEST_FIELDS for r in requests)
    assert len(REQUEST_FIELDS) == 17


def test_json_and_xml_of_every_resource_carry_the_same_data(client: TestClient) -> None:
    for resource in _resources(client):
        as_json = client.get(f"/open311/v2/{resource}.json")
        as_xml = client.get(f"/open311/v2/{resource}.xml")
        assert as_json.headers["content-type"] == "application/json; charset=utf-8"
        assert from_xml(as_xml.content)[1] == as_text(as_json.json()), resource


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("requests.xml?status=pending", 400),
        ("requests.xml?status=open&status=closed", 400),
        ("requests/NOPE.xml", 404),
        ("services/nope.xml", 404),
        ("tokens/nope.xml", 404),
        ("nothing-here.xml", 404),
        ("requests/%00.xml", 400),
        ("requests.xml?status=%00", 400),
    ],
)
def test_errors_are_georeport_errors_in_the_format_asked_for(
    client: TestClient, path: str, status: int
) -> None:
    as_xml = client.get(f"/open311/v2/{path}")
    assert as_xml.status_code == status
    assert as_xml.headers["content-type"] == "text/xml; charset=utf-8"
    assert paths(as_xml.content) == spec_paths("errors")
    _, [error] = from_xml(as_xml.content)
    assert error["code"] == str(status)
    as_json = client.get(f"/open311/v2/{path.replace('.xml', '.json', 1)}")
    assert as_json.status_code == status
    assert as_text(as_json.json()) == [error]


def test_an_unknown_format_is_a_404(client: TestClient) -> None:
    response = client.get("/open311/v2/services.yaml")
    assert response.status_code == 404
    assert "use .xml or .json" in response.json()[0]["description"]


def test_the_listing_in_xml_places_requests_in_the_commune(client: TestClient, desk: Desk) -> None:
    _, requests = from_xml(client.get("/open311/v2/requests.xml").content)
    area = desk_area(desk)
    by_id = {r["service_request_id"]: r for r in requests}
    assert {r["address_id"] for r in requests} == {area.code}
    assert {r["address"] for r in requests} == {area.name}
    assert (by_id["PA-1"]["lat"], by_id["PA-1"]["long"]) == ("12.678", "108.05")
    assert (by_id["GY-1"]["lat"], by_id["GY-1"]["long"]) == (None, None)


def test_the_discovery_changeset_changes_with_the_definitions() -> None:
    # Changing a service or its definition changes this digest: bump CHANGESET with it.
    assert (CHANGESET, definitions_digest()) == ("2026-11-29 10:00", "95e408b2326b0e36")


@given(
    case=cases(),
    point=st.none() | st.builds(GeoPoint, st.floats(-90, 90), st.floats(-180, 180)),
)
def test_json_and_xml_of_any_case_carry_the_same_data(case: cp.Case, point: Any) -> None:
    case = attrs.evolve(case, location=point)
    area = cp.Area("24343", "Xã Krông Năng, Tỉnh Đắk Lắk")
    body = [cp.georeport_request(case, area=area)]
    REQUESTS.validate(body)
    root, data = from_xml(to_xml("service_requests", body))
    assert root == "service_requests"
    assert data == as_text(clean(body))
